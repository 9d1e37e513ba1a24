using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace BackupTools.Emulator.Gauss;

/// <summary>
/// Huawei's "SDK-HMAC-SHA256" request signing, implemented exactly as the SDKs do it so the emulator can verify
/// real signatures (and tests can compute the published vectors).
/// </summary>
public static class AkSkSigner
{
    public const string Algorithm = "SDK-HMAC-SHA256";
    public const string EmptyBodySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <summary>Percent-encodes keeping only RFC 3986 unreserved characters, uppercase hex, over UTF-8 bytes.</summary>
    public static string Encode(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_' or '.' or '~') sb.Append(c);
            else sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    /// <summary>Decodes %XX only: a literal '+' stays a '+', as the SDKs encode '+' as %2B themselves.</summary>
    private static string Decode(string value) => Uri.UnescapeDataString(value);

    /// <summary>Each segment of the raw path decoded then re-encoded; a trailing '/' appended when missing.</summary>
    public static string CanonicalUri(string rawPath)
    {
        var segments = rawPath.Split('/').Select(s => Encode(Decode(s)));
        var uri = string.Join('/', segments);
        if (!uri.StartsWith('/')) uri = "/" + uri;
        return uri.EndsWith('/') ? uri : uri + "/";
    }

    /// <summary>The raw query (without '?') as sorted, re-encoded k=v pairs.</summary>
    public static string CanonicalQuery(string rawQuery)
    {
        if (string.IsNullOrEmpty(rawQuery)) return "";
        var pairs = new List<(string Key, string Value)>();
        foreach (var part in rawQuery.TrimStart('?').Split('&'))
        {
            if (part.Length == 0) continue;
            var eq = part.IndexOf('=');
            var key = eq < 0 ? part : part[..eq];
            var value = eq < 0 ? "" : part[(eq + 1)..];
            pairs.Add((Encode(Decode(key)), Encode(Decode(value))));
        }
        return string.Join('&', pairs.OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value));
    }

    public static string HexSha256(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    /// <param name="headers">header lookup by lowercase name (value as sent)</param>
    /// <param name="signedHeaders">lowercase signed header names, in the order given in the Authorization header</param>
    public static string CanonicalRequest(string method, string rawPath, string rawQuery, Func<string, string?> headers, IReadOnlyList<string> signedHeaders, ReadOnlySpan<byte> body)
    {
        var sb = new StringBuilder();
        sb.Append(method.ToUpperInvariant()).Append('\n');
        sb.Append(CanonicalUri(rawPath)).Append('\n');
        sb.Append(CanonicalQuery(rawQuery)).Append('\n');
        foreach (var h in signedHeaders)
            sb.Append(h).Append(':').Append((headers(h) ?? "").Trim()).Append('\n');
        sb.Append('\n');
        sb.Append(string.Join(';', signedHeaders)).Append('\n');
        sb.Append(HexSha256(body));
        return sb.ToString();
    }

    public static string StringToSign(string sdkDate, string canonicalRequest)
        => Algorithm + "\n" + sdkDate + "\n" + HexSha256(Encoding.UTF8.GetBytes(canonicalRequest));

    public static string Signature(string secretKey, string stringToSign)
        => Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secretKey), Encoding.UTF8.GetBytes(stringToSign)));

    /// <summary>Computes the signature a client would send.</summary>
    public static string Sign(string secretKey, string method, string rawPath, string rawQuery, IReadOnlyDictionary<string, string> headers, IReadOnlyList<string> signedHeaders, ReadOnlySpan<byte> body)
    {
        var lower = headers.ToDictionary(kv => kv.Key.ToLowerInvariant(), kv => kv.Value);
        var canonical = CanonicalRequest(method, rawPath, rawQuery, n => lower.TryGetValue(n, out var v) ? v : null, signedHeaders, body);
        var date = lower.TryGetValue("x-sdk-date", out var d) ? d : "";
        return Signature(secretKey, StringToSign(date, canonical));
    }

    /// <summary>Parses "SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b, Signature=hex".</summary>
    public static bool TryParseAuthorization(string header, out string accessKey, out string[] signedHeaders, out string signature)
    {
        accessKey = ""; signedHeaders = Array.Empty<string>(); signature = "";
        if (!header.StartsWith(Algorithm + " ", StringComparison.Ordinal)) return false;
        foreach (var part in header[(Algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            if (eq < 0) return false;
            var value = part[(eq + 1)..].Trim();
            switch (part[..eq].Trim())
            {
                case "Access": accessKey = value; break;
                case "SignedHeaders": signedHeaders = value.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(h => h.ToLowerInvariant()).ToArray(); break;
                case "Signature": signature = value; break;
            }
        }
        return accessKey.Length > 0 && signedHeaders.Length > 0 && signature.Length > 0;
    }
}
