using System;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace BackupTools.Emulator;

internal static class HttpJson
{
    // Relaxed escaping: clouds write '+', '<' and quotes literally ("+0800" must not become "\u002B0800").
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private const string BodyKey = "emulator.body";

    public static async Task WriteAsync(HttpContext ctx, int status, JsonNode? body, string contentType = "application/json; charset=UTF-8")
    {
        var bytes = Encoding.UTF8.GetBytes(body?.ToJsonString(Compact) ?? "{}");
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = contentType;
        ctx.Response.ContentLength = bytes.Length;
        await ctx.Response.Body.WriteAsync(bytes, ctx.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The request body bytes, read once and cached: AK/SK verification hashes the same bytes the handler parses.</summary>
    public static async Task<byte[]> ReadBodyAsync(HttpContext ctx)
    {
        if (ctx.Items.TryGetValue(BodyKey, out var cached) && cached is byte[] b) return b;
        using var ms = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(ms, ctx.RequestAborted).ConfigureAwait(false);
        var bytes = ms.ToArray();
        ctx.Items[BodyKey] = bytes;
        return bytes;
    }

    /// <summary>Parses a JSON object body; null when the body is empty; throws JsonException when it is not an object.</summary>
    public static JsonObject? ParseObject(byte[] body)
    {
        if (body.Length == 0 || body.AsSpan().Trim(" \t\r\n"u8).Length == 0) return null;
        var node = JsonNode.Parse(body);
        return node as JsonObject ?? throw new JsonException("The body is not a JSON object.");
    }

    public static string? GetString(JsonObject? obj, string name)
    {
        if (obj is null || !obj.TryGetPropertyValue(name, out var v) || v is null) return null;
        return v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString();
    }

    /// <summary>The raw path and query the client sent (before decoding), needed for signature checks.</summary>
    public static string RawTarget(HttpContext ctx)
    {
        var raw = ctx.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget;
        return string.IsNullOrEmpty(raw) ? ctx.Request.Path.ToUriComponent() + ctx.Request.QueryString.ToUriComponent() : raw;
    }

    public static string NewRequestId() => Guid.NewGuid().ToString("N");
}

/// <summary>Time formats of the two clouds.</summary>
internal static class TimeFormats
{
    /// <summary>Spanner keeps microsecond precision; truncating on the way in keeps output and comparisons consistent.</summary>
    public static DateTimeOffset TruncateToMicros(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % 10, TimeSpan.Zero);

    /// <summary>RFC 3339 in UTC with Z and 0 or 6 fractional digits, as Google writes it.</summary>
    public static string Rfc3339(DateTimeOffset t)
    {
        var u = t.ToUniversalTime();
        return u.Ticks % TimeSpan.TicksPerSecond == 0
            ? u.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : u.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
    }

    public static bool TryParseRfc3339(string? s, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(s) || !s.Contains('T', StringComparison.OrdinalIgnoreCase)) return false;
        if (!DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value)) return false;
        value = TruncateToMicros(value);
        return true;
    }

    /// <summary>Gauss writes "2020-07-07T01:17:05+0800": a numeric offset without a colon.</summary>
    public static string Gauss(DateTimeOffset t, TimeSpan offset)
    {
        var local = t.ToOffset(offset);
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var abs = offset.Duration();
        return local.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + sign + abs.Hours.ToString("00", CultureInfo.InvariantCulture) + abs.Minutes.ToString("00", CultureInfo.InvariantCulture);
    }

    /// <summary>Accepts the +0800 form (and a space where an unencoded '+' was decoded), plus RFC 3339.</summary>
    public static bool TryParseGauss(string? s, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(s)) return false;
        var text = s.Trim();
        if (text.Length == 24 && text[19] == ' ') text = text[..19] + "+" + text[20..];
        string[] formats = { "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK" };
        if (text.Length == 24 && (text[19] == '+' || text[19] == '-'))
            text = text[..22] + ":" + text[22..];
        return DateTimeOffset.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }
}
