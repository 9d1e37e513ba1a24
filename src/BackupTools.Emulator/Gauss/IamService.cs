using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace BackupTools.Emulator.Gauss;

internal sealed record IamToken(string UserName, string Domain, string ProjectId, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt);

/// <summary>The emulator's IAM: password tokens, project lookup, and AK/SK secrets with Huawei's lockout rule.</summary>
internal sealed class IamService
{
    private readonly EmulatorOptions _options;
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<string, IamToken> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (int Failures, DateTimeOffset LockedUntil)> _akFailures = new(StringComparer.Ordinal);

    public IamService(EmulatorOptions options, TimeProvider clock)
    {
        _options = options;
        _clock = clock;
    }

    private GaussSeed Seed => _options.Data.Gauss;

    /// <summary>Stable fake ids derived from names so every run shows the same ids.</summary>
    public static string StableId(string kind, string name) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(kind + ":" + name)))[..32];

    public GaussProjectSeed? FindProject(string? id, string? name)
        => Seed.Projects.FirstOrDefault(p => (id is not null && p.Id == id) || (id is null && name is not null && p.Name == name));

    public (string Token, IamToken Info) IssuePasswordToken(JsonObject? body)
    {
        var auth = body?["auth"] as JsonObject;
        var identity = auth?["identity"] as JsonObject;
        var methods = (identity?["methods"] as JsonArray)?.Select(m => m?.ToString()).ToList();
        var user = identity?["password"]?["user"] as JsonObject;
        if (auth is null || identity is null || methods is null || !methods.Contains("password") || user is null)
            throw new IamError(400, "Bad Request", "The request body is invalid: only the password method with auth.identity.password.user is supported.");
        var name = HttpJson.GetString(user, "name");
        var password = HttpJson.GetString(user, "password");
        var domain = user["domain"] as JsonObject;
        var domainName = HttpJson.GetString(domain, "name");
        var domainId = HttpJson.GetString(domain, "id");
        var match = Seed.Users.FirstOrDefault(u => u.Name == name && u.Password == password
                                                 && (domainName == u.Domain || domainId == StableId("domain", u.Domain)));
        if (match is null) throw new IamError(401, "Unauthorized", "The username or password is wrong.");

        var scope = auth["scope"]?["project"] as JsonObject;
        var project = FindProject(HttpJson.GetString(scope, "id"), HttpJson.GetString(scope, "name"));
        if (scope is null || project is null)
            throw new IamError(400, "Bad Request", "The project in the scope does not exist or is not accessible.");

        var now = _clock.GetUtcNow();
        var info = new IamToken(match.Name, match.Domain, project.Id, now, now + _options.IamTokenLifetime);
        var token = "MIIemulator" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(96)).Replace('/', '-').Replace('+', '_').TrimEnd('=');
        _tokens[token] = info;
        return (token, info);
    }

    public enum TokenCheck { Valid, Unknown, Expired }

    public TokenCheck CheckToken(string token, out IamToken? info)
    {
        if (!_tokens.TryGetValue(token, out info)) return TokenCheck.Unknown;
        return _clock.GetUtcNow() >= info.ExpiresAt ? TokenCheck.Expired : TokenCheck.Valid;
    }

    public string? SecretKeyOf(string accessKey) => Seed.AccessKeys.FirstOrDefault(k => k.AccessKey == accessKey)?.SecretKey;

    /// <summary>More than 5 consecutive AK/SK failures lock the key for 5 minutes, as on the real gateway.</summary>
    public bool IsLocked(string accessKey)
        => _akFailures.TryGetValue(accessKey, out var f) && f.Failures > 5 && _clock.GetUtcNow() < f.LockedUntil;

    public void RecordAkFailure(string accessKey)
    {
        var now = _clock.GetUtcNow();
        _akFailures.AddOrUpdate(accessKey, _ => (1, default), (_, f) =>
        {
            var failures = f.Failures > 5 && now >= f.LockedUntil ? 1 : f.Failures + 1;
            return (failures, failures > 5 ? now + TimeSpan.FromMinutes(5) : default);
        });
    }

    public void RecordAkSuccess(string accessKey) => _akFailures.TryRemove(accessKey, out _);

    public void ResetLockouts() => _akFailures.Clear();

    public static string IamTime(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public JsonObject RenderToken(IamToken t)
    {
        var project = Seed.Projects.First(p => p.Id == t.ProjectId);
        var domain = new JsonObject { ["id"] = StableId("domain", t.Domain), ["name"] = t.Domain };
        return new JsonObject
        {
            ["token"] = new JsonObject
            {
                ["expires_at"] = IamTime(t.ExpiresAt),
                ["issued_at"] = IamTime(t.IssuedAt),
                ["methods"] = new JsonArray("password"),
                ["project"] = new JsonObject { ["id"] = project.Id, ["name"] = project.Name, ["domain"] = domain.DeepClone() },
                ["user"] = new JsonObject { ["id"] = StableId("user", t.Domain + "/" + t.UserName), ["name"] = t.UserName, ["domain"] = domain, ["password_expires_at"] = "" },
                ["roles"] = new JsonArray(new JsonObject { ["id"] = "0", ["name"] = "op_gated_rds" }),
                ["catalog"] = new JsonArray(),
            },
        };
    }

    public JsonObject RenderProjects(string? name, string baseUrl)
    {
        var arr = new JsonArray();
        foreach (var p in Seed.Projects.Where(p => name is null || p.Name == name))
        {
            var domainId = StableId("domain", Seed.Users.FirstOrDefault()?.Domain ?? "demo-account");
            arr.Add(new JsonObject
            {
                ["id"] = p.Id, ["name"] = p.Name, ["domain_id"] = domainId, ["parent_id"] = domainId, ["description"] = "",
                ["enabled"] = true, ["is_domain"] = false, ["links"] = new JsonObject { ["self"] = baseUrl + "v3/projects/" + p.Id },
            });
        }
        return new JsonObject { ["projects"] = arr, ["links"] = new JsonObject { ["self"] = baseUrl + "v3/projects", ["previous"] = null, ["next"] = null } };
    }

    public void Clear() => _tokens.Clear();

}
