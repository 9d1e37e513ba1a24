using System;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace BackupTools.Emulator.Spanner;

/// <summary>
/// A fake Google OAuth token endpoint (POST /oauth2/token). It accepts the service-account JWT-bearer grant that
/// Google.Apis.Auth sends when a key file's token_uri points here, and the authorized_user refresh grant.
/// The JWT signature is not checked (the emulator has no key registry), but the assertion must be a well-formed JWT with "iss".
/// </summary>
internal sealed class OAuthTokens
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _issued = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;
    private readonly EmulatorOptions _options;

    public OAuthTokens(TimeProvider clock, EmulatorOptions options)
    {
        _clock = clock;
        _options = options;
    }

    public bool IsValid(string token) => _issued.TryGetValue(token, out var expires) && _clock.GetUtcNow() < expires;

    /// <summary>
    /// Service-account credentials may skip the token endpoint and send a self-signed JWT as the bearer token
    /// (Google.Apis.Auth does so when no scopes are set). Google checks its signature; the emulator cannot,
    /// so it accepts a well-formed JWT that names an issuer and has not expired.
    /// </summary>
    public bool IsValidSelfSignedJwt(string token)
    {
        var payload = JwtPayload(token);
        if (payload is null || string.IsNullOrWhiteSpace(HttpJson.GetString(payload, "iss"))) return false;
        return long.TryParse(HttpJson.GetString(payload, "exp"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var exp)
               && DateTimeOffset.FromUnixTimeSeconds(exp) > _clock.GetUtcNow();
    }

    public string Issue()
    {
        var token = "ya29.emulator-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        _issued[token] = _clock.GetUtcNow() + _options.OAuthTokenLifetime;
        return token;
    }

    public async Task HandleAsync(HttpContext ctx)
    {
        if (!HttpMethods.IsPost(ctx.Request.Method))
        {
            await OAuthError(ctx, 405, "invalid_request", "Use POST.").ConfigureAwait(false);
            return;
        }
        if (!ctx.Request.HasFormContentType)
        {
            await OAuthError(ctx, 400, "invalid_request", "Expected application/x-www-form-urlencoded.").ConfigureAwait(false);
            return;
        }
        var form = await ctx.Request.ReadFormAsync(ctx.RequestAborted).ConfigureAwait(false);
        var grant = form["grant_type"].ToString();
        switch (grant)
        {
            case "urn:ietf:params:oauth:grant-type:jwt-bearer":
                var issuer = JwtIssuer(form["assertion"].ToString());
                if (issuer is null)
                {
                    await OAuthError(ctx, 400, "invalid_grant", "Invalid JWT: the assertion must be a JWT whose payload names an issuer (iss).").ConfigureAwait(false);
                    return;
                }
                break;
            case "refresh_token":
                if (string.IsNullOrEmpty(form["refresh_token"]) || string.IsNullOrEmpty(form["client_id"]))
                {
                    await OAuthError(ctx, 400, "invalid_request", "refresh_token and client_id are required.").ConfigureAwait(false);
                    return;
                }
                break;
            default:
                await OAuthError(ctx, 400, "unsupported_grant_type", $"Invalid grant_type: {grant}").ConfigureAwait(false);
                return;
        }
        var body = new JsonObject
        {
            ["access_token"] = Issue(),
            ["expires_in"] = (int)_options.OAuthTokenLifetime.TotalSeconds,
            ["token_type"] = "Bearer",
        };
        ctx.Response.Headers.CacheControl = "no-store";
        await HttpJson.WriteAsync(ctx, 200, body).ConfigureAwait(false);
    }

    private static Task OAuthError(HttpContext ctx, int status, string error, string description)
        => HttpJson.WriteAsync(ctx, status, new JsonObject { ["error"] = error, ["error_description"] = description });

    internal static string? JwtIssuer(string assertion)
    {
        var iss = HttpJson.GetString(JwtPayload(assertion), "iss");
        return string.IsNullOrWhiteSpace(iss) ? null : iss;
    }

    private static JsonObject? JwtPayload(string jwt)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3) return null;
        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
            return JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload))) as JsonObject;
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException)
        {
            return null;
        }
    }
}
