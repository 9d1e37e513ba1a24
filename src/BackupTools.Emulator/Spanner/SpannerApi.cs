using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace BackupTools.Emulator.Spanner;

/// <summary>HTTP surface of the Spanner backup API (everything under /v1/). Paths are matched by hand because
/// Google's reserved expansion and the ":cancel" verb suffix do not fit route templates well.</summary>
internal sealed class SpannerApi
{
    private readonly SpannerStore _store;
    private readonly OAuthTokens _tokens;
    private readonly EmulatorOptions _options;

    public SpannerApi(SpannerStore store, OAuthTokens tokens, EmulatorOptions options)
    {
        _store = store;
        _tokens = tokens;
        _options = options;
    }

    public async Task HandleAsync(HttpContext ctx)
    {
        try
        {
            Authenticate(ctx);
            await DispatchAsync(ctx).ConfigureAwait(false);
        }
        catch (SpannerError e)
        {
            if (e.Status == "UNAUTHENTICATED") ctx.Response.Headers.WWWAuthenticate = "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\"";
            await HttpJson.WriteAsync(ctx, e.HttpStatus, e.ToBody()).ConfigureAwait(false);
        }
    }

    private void Authenticate(HttpContext ctx)
    {
        if (!_options.RequireAuth) return;
        var header = ctx.Request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        if (header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            var token = header[prefix.Length..].Trim();
            if (_options.AcceptedSpannerTokens.Contains(token) || _tokens.IsValid(token) || _tokens.IsValidSelfSignedJwt(token)) return;
        }
        throw new SpannerError("UNAUTHENTICATED",
            "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.");
    }

    private static SpannerError NotFound(HttpContext ctx)
        => new("NOT_FOUND", $"The requested URL {ctx.Request.Path} was not found on this server (method {ctx.Request.Method}).");

    private async Task DispatchAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value ?? "";
        var s = path.TrimStart('/').Split('/');
        // s[0] == "v1"
        if (s.Length == 4 && s[1] == "projects" && s[3] == "instances" && s[2].Length > 0 && HttpMethods.IsGet(ctx.Request.Method))
        {
            var (instances, nextInstances) = _store.ListInstances(s[2], PageSize(ctx), ctx.Request.Query["pageToken"]);
            await HttpJson.WriteAsync(ctx, 200, PageBody("instances", instances, nextInstances)).ConfigureAwait(false);
            return;
        }

        if (s.Length < 6 || s[1] != "projects" || s[3] != "instances" || s.Any(string.IsNullOrEmpty)) throw NotFound(ctx);
        var instance = $"projects/{s[2]}/instances/{s[4]}";
        var method = ctx.Request.Method;
        var rest = s.Length - 5;
        var q = ctx.Request.Query;

        // Methods of the real API that backup tooling does not need: say so instead of pretending the path does not exist.
        if (s[5] == "backups" && rest == 2 && s[6].Contains(':'))
            throw new SpannerError("UNIMPLEMENTED", $"The BackupTools emulator does not implement {method} {path}.");

        switch (s[5])
        {
            case "backups:copy" when rest == 1 && HttpMethods.IsPost(method):
                await CopyAsync(ctx, instance).ConfigureAwait(false);
                return;
            case "databases:restore" when rest == 1 && HttpMethods.IsPost(method):
                await RestoreAsync(ctx, instance).ConfigureAwait(false);
                return;
            case "databases" when rest == 3 && s[7] == "backupSchedules":
            {
                var database = instance + "/databases/" + s[6];
                if (HttpMethods.IsPost(method)) await CreateScheduleAsync(ctx, instance, database).ConfigureAwait(false);
                else if (HttpMethods.IsGet(method))
                {
                    var (items, next) = _store.ListSchedules(instance, database, PageSize(ctx), q["pageToken"]);
                    await HttpJson.WriteAsync(ctx, 200, PageBody("backupSchedules", items, next)).ConfigureAwait(false);
                }
                else throw NotFound(ctx);
                return;
            }
            case "databases" when rest == 4 && s[7] == "backupSchedules":
            {
                if (s[8].Contains(':')) throw new SpannerError("UNIMPLEMENTED", $"The BackupTools emulator does not implement {method} {path}.");
                var name = instance + "/databases/" + s[6] + "/backupSchedules/" + s[8];
                if (HttpMethods.IsGet(method)) await HttpJson.WriteAsync(ctx, 200, _store.GetSchedule(instance, name)).ConfigureAwait(false);
                else if (HttpMethods.IsPatch(method))
                {
                    var body = await ReadJsonAsync(ctx).ConfigureAwait(false);
                    await HttpJson.WriteAsync(ctx, 200, _store.UpdateSchedule(instance, name, q["updateMask"], HttpJson.GetString(body, "name"), ScheduleBody(body))).ConfigureAwait(false);
                }
                else if (HttpMethods.IsDelete(method))
                {
                    _store.DeleteSchedule(instance, name);
                    await HttpJson.WriteAsync(ctx, 200, new JsonObject()).ConfigureAwait(false);
                }
                else throw NotFound(ctx);
                return;
            }
            case "databases" when rest == 4 && s[7] == "operations":
            {
                var opSegment = s[8];
                if (opSegment.EndsWith(":cancel", StringComparison.Ordinal) && HttpMethods.IsPost(method))
                {
                    _store.CancelDatabaseOperation(instance, $"{instance}/databases/{s[6]}/operations/{opSegment[..^7]}");
                    await HttpJson.WriteAsync(ctx, 200, new JsonObject()).ConfigureAwait(false);
                }
                else if (HttpMethods.IsGet(method) && !opSegment.Contains(':'))
                    await HttpJson.WriteAsync(ctx, 200, _store.GetDatabaseOperation(instance, $"{instance}/databases/{s[6]}/operations/{opSegment}")).ConfigureAwait(false);
                else throw NotFound(ctx);
                return;
            }
            case "databaseOperations" when rest == 1 && HttpMethods.IsGet(method):
            {
                var (items, next) = _store.ListDatabaseOperations(instance, q["filter"], PageSize(ctx), q["pageToken"]);
                await HttpJson.WriteAsync(ctx, 200, PageBody("operations", items, next)).ConfigureAwait(false);
                return;
            }
            case "backups" when rest == 1 && HttpMethods.IsPost(method):
                await CreateAsync(ctx, instance).ConfigureAwait(false);
                return;
            case "backups" when rest == 1 && HttpMethods.IsGet(method):
            {
                var (items, next) = _store.List(instance, q["filter"], PageSize(ctx), q["pageToken"]);
                await HttpJson.WriteAsync(ctx, 200, PageBody("backups", items, next)).ConfigureAwait(false);
                return;
            }
            case "backups" when rest == 2:
            {
                var name = instance + "/backups/" + s[6];
                if (HttpMethods.IsGet(method)) await HttpJson.WriteAsync(ctx, 200, _store.Get(instance, name)).ConfigureAwait(false);
                else if (HttpMethods.IsDelete(method))
                {
                    _store.Delete(instance, name);
                    await HttpJson.WriteAsync(ctx, 200, new JsonObject()).ConfigureAwait(false);
                }
                else if (HttpMethods.IsPatch(method)) await PatchAsync(ctx, instance, name).ConfigureAwait(false);
                else throw NotFound(ctx);
                return;
            }
            case "backups" when rest == 3 && s[7] == "operations" && HttpMethods.IsGet(method):
            {
                var (items, next) = _store.ListOperations(instance, q["filter"], PageSize(ctx), q["pageToken"], onlyBackup: instance + "/backups/" + s[6]);
                await HttpJson.WriteAsync(ctx, 200, PageBody("operations", items, next)).ConfigureAwait(false);
                return;
            }
            case "backups" when rest == 4 && s[7] == "operations":
            {
                var opSegment = s[8];
                if (opSegment.EndsWith(":cancel", StringComparison.Ordinal) && HttpMethods.IsPost(method))
                {
                    _store.CancelOperation(instance, $"{instance}/backups/{s[6]}/operations/{opSegment[..^7]}");
                    await HttpJson.WriteAsync(ctx, 200, new JsonObject()).ConfigureAwait(false);
                }
                else if (HttpMethods.IsGet(method) && !opSegment.Contains(':'))
                    await HttpJson.WriteAsync(ctx, 200, _store.GetOperation(instance, $"{instance}/backups/{s[6]}/operations/{opSegment}")).ConfigureAwait(false);
                else throw NotFound(ctx);
                return;
            }
            case "backupOperations" when rest == 1 && HttpMethods.IsGet(method):
            {
                var (items, next) = _store.ListOperations(instance, q["filter"], PageSize(ctx), q["pageToken"]);
                await HttpJson.WriteAsync(ctx, 200, PageBody("operations", items, next)).ConfigureAwait(false);
                return;
            }
            case "databases" when rest == 1 && HttpMethods.IsGet(method):
            {
                var (items, next) = _store.ListDatabases(instance, PageSize(ctx), q["pageToken"]);
                await HttpJson.WriteAsync(ctx, 200, PageBody("databases", items, next)).ConfigureAwait(false);
                return;
            }
            case "databases" when rest == 2 && HttpMethods.IsDelete(method) && !s[6].Contains(':'):
                _store.DropDatabase(instance, instance + "/databases/" + s[6]);
                await HttpJson.WriteAsync(ctx, 200, new JsonObject()).ConfigureAwait(false);
                return;
            case "databases" when rest == 2 && HttpMethods.IsGet(method):
                await HttpJson.WriteAsync(ctx, 200, _store.GetDatabase(instance, instance + "/databases/" + s[6])).ConfigureAwait(false);
                return;
            default:
                throw NotFound(ctx);
        }
    }

    private static JsonObject PageBody(string key, JsonArray items, string? next)
    {
        // Empty lists are omitted in proto3 JSON, exactly like the real API answers "{}".
        var o = new JsonObject();
        if (items.Count > 0) o[key] = items;
        if (next is not null) o["nextPageToken"] = next;
        return o;
    }

    private static int? PageSize(HttpContext ctx)
    {
        var text = ctx.Request.Query["pageSize"].ToString();
        if (string.IsNullOrEmpty(text)) return null;
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
            throw new SpannerError("INVALID_ARGUMENT", $"Invalid value at 'page_size' (TYPE_INT32), \"{text}\"", SpannerError.BadRequest("page_size", "Invalid value"));
        return n;
    }

    private static async Task<JsonObject?> ReadJsonAsync(HttpContext ctx)
    {
        var bytes = await HttpJson.ReadBodyAsync(ctx).ConfigureAwait(false);
        try
        {
            return HttpJson.ParseObject(bytes);
        }
        catch (JsonException e)
        {
            throw new SpannerError("INVALID_ARGUMENT", "Invalid JSON payload received. " + e.Message);
        }
    }

    private async Task CreateAsync(HttpContext ctx, string instance)
    {
        var body = await ReadJsonAsync(ctx).ConfigureAwait(false);
        var q = ctx.Request.Query;
        var request = new SpannerStore.CreateRequest(instance, q["backupId"].ToString(),
            HttpJson.GetString(body, "database"), HttpJson.GetString(body, "expireTime"), HttpJson.GetString(body, "versionTime"),
            q["encryptionConfig.encryptionType"].ToString(), q["encryptionConfig.kmsKeyName"].ToString(),
            q["encryptionConfig.kmsKeyNames"].Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).ToList());
        await HttpJson.WriteAsync(ctx, 200, _store.Create(request)).ConfigureAwait(false);
    }

    private async Task CreateScheduleAsync(HttpContext ctx, string instance, string database)
    {
        var body = await ReadJsonAsync(ctx).ConfigureAwait(false);
        await HttpJson.WriteAsync(ctx, 200, _store.CreateSchedule(instance, database, ctx.Request.Query["backupScheduleId"].ToString(), ScheduleBody(body))).ConfigureAwait(false);
    }

    /// <summary>The fields of a BackupSchedule body the service reads (name and updateTime are output only).</summary>
    private static SpannerStore.ScheduleBody ScheduleBody(JsonObject? body)
    {
        var cron = body?["spec"] is JsonObject spec && spec["cronSpec"] is JsonObject c ? HttpJson.GetString(c, "text") : null;
        var (type, key, keys) = EncryptionConfig(body);
        return new SpannerStore.ScheduleBody(cron, HttpJson.GetString(body, "retentionDuration"),
            body?["fullBackupSpec"] is JsonObject, body?["incrementalBackupSpec"] is JsonObject, type, key, keys);
    }

    private async Task CopyAsync(HttpContext ctx, string instance)
    {
        var body = await ReadJsonAsync(ctx).ConfigureAwait(false);
        var (type, key, keys) = EncryptionConfig(body);
        var request = new SpannerStore.CopyRequest(instance, HttpJson.GetString(body, "backupId"), HttpJson.GetString(body, "sourceBackup"),
            HttpJson.GetString(body, "expireTime"), type, key, keys);
        await HttpJson.WriteAsync(ctx, 200, _store.Copy(request)).ConfigureAwait(false);
    }

    private async Task RestoreAsync(HttpContext ctx, string instance)
    {
        var body = await ReadJsonAsync(ctx).ConfigureAwait(false);
        var (type, key, keys) = EncryptionConfig(body);
        var request = new SpannerStore.RestoreRequest(instance, HttpJson.GetString(body, "databaseId"), HttpJson.GetString(body, "backup"), type, key, keys);
        await HttpJson.WriteAsync(ctx, 200, _store.Restore(request)).ConfigureAwait(false);
    }

    /// <summary>Copy and restore carry their encryption in the body (create's travels in the query).</summary>
    private static (string? Type, string? Key, IReadOnlyList<string> Keys) EncryptionConfig(JsonObject? body)
    {
        if (body?["encryptionConfig"] is not JsonObject config) return (null, null, Array.Empty<string>());
        var keys = config["kmsKeyNames"] is JsonArray array
            ? array.Select(k => k is JsonValue v && v.TryGetValue<string>(out var text) ? text : null).Where(k => !string.IsNullOrEmpty(k)).Select(k => k!).ToList()
            : new List<string>();
        return (HttpJson.GetString(config, "encryptionType"), HttpJson.GetString(config, "kmsKeyName"), keys);
    }

    private async Task PatchAsync(HttpContext ctx, string instance, string name)
    {
        var body = await ReadJsonAsync(ctx).ConfigureAwait(false);
        var updated = _store.UpdateExpireTime(instance, name, ctx.Request.Query["updateMask"], HttpJson.GetString(body, "expireTime"));
        await HttpJson.WriteAsync(ctx, 200, updated).ConfigureAwait(false);
    }

    /// <summary>Spanner's own shape for an injected fault.</summary>
    public static Task WriteFaultAsync(HttpContext ctx, FaultKind kind, TimeSpan retryAfter)
    {
        var error = kind == FaultKind.Throttle429
            ? new SpannerError("RESOURCE_EXHAUSTED", "Quota exceeded for quota metric 'Administrative requests' and limit 'Administrative requests per minute per project' of service 'spanner.googleapis.com'.", SpannerError.RetryInfo(retryAfter))
            : new SpannerError("UNAVAILABLE", "The service is currently unavailable.", SpannerError.RetryInfo(retryAfter));
        return HttpJson.WriteAsync(ctx, error.HttpStatus, error.ToBody());
    }

}
