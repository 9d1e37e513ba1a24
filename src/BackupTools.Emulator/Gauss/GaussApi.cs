using System;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace BackupTools.Emulator.Gauss;

/// <summary>HTTP surface of GaussDB(for MySQL) backups and the emulator's IAM (everything under /v3/).</summary>
internal sealed class GaussApi
{
    private readonly GaussStore _store;
    private readonly IamService _iam;
    private readonly EmulatorOptions _options;
    private readonly TimeProvider _clock;

    public GaussApi(GaussStore store, IamService iam, EmulatorOptions options, TimeProvider clock)
    {
        _store = store;
        _iam = iam;
        _options = options;
        _clock = clock;
    }

    public async Task HandleAsync(HttpContext ctx)
    {
        try
        {
            await DispatchAsync(ctx).ConfigureAwait(false);
        }
        catch (GaussError e)
        {
            await HttpJson.WriteAsync(ctx, e.HttpStatus, e.ToBody(RequestId(ctx))).ConfigureAwait(false);
        }
        catch (IamError e)
        {
            await HttpJson.WriteAsync(ctx, e.HttpStatus, e.ToBody()).ConfigureAwait(false);
        }
    }

    public static string RequestId(HttpContext ctx) => ctx.Response.Headers["X-Request-Id"].ToString();

    private static GaussError NoSuchApi() => new(404, "APIGW.0101", "The API does not exist or has not been published in the environment.");

    private async Task DispatchAsync(HttpContext ctx)
    {
        var s = (ctx.Request.Path.Value ?? "").Trim('/').Split('/');
        var method = ctx.Request.Method;
        var q = ctx.Request.Query;
        if (s.Length < 2) throw NoSuchApi();

        // IAM lives on its own host in the real clouds; here it shares the port.
        if (s.Length == 3 && s[1] == "auth" && s[2] == "tokens" && HttpMethods.IsPost(method))
        {
            await IssueTokenAsync(ctx).ConfigureAwait(false);
            return;
        }
        if (s.Length == 2 && s[1] == "projects" && HttpMethods.IsGet(method))
        {
            await AuthenticateAsync(ctx, projectId: null).ConfigureAwait(false);
            var name = q["name"].ToString();
            await HttpJson.WriteAsync(ctx, 200, _iam.RenderProjects(string.IsNullOrEmpty(name) ? null : name, BaseUrl(ctx))).ConfigureAwait(false);
            return;
        }

        var project = s[1];
        var rest = s.Length - 2;
        if (rest < 1) throw NoSuchApi();
        JsonObject? answer = null;
        var status = 200;
        switch (s[2])
        {
            case "backups" when rest == 2 && s[3] == "create" && HttpMethods.IsPost(method):
            {
                await AuthenticateAsync(ctx, project).ConfigureAwait(false);
                var body = await ReadJsonAsync(ctx).ConfigureAwait(false);
                answer = _store.Create(project, HttpJson.GetString(body, "instance_id"), HttpJson.GetString(body, "name"), HttpJson.GetString(body, "description"));
                status = 201;
                break;
            }
            case "backups" when rest == 1 && HttpMethods.IsGet(method):
                await AuthenticateAsync(ctx, project).ConfigureAwait(false);
                answer = _store.List(project, new GaussStore.ListQuery(q["instance_id"], q["backup_id"], q["backup_type"], q["offset"], q["limit"], q["begin_time"], q["end_time"]));
                break;
            case "backups" when rest == 1 && HttpMethods.IsDelete(method) && !_store.IsOpenTelekomCloud:
            {
                await AuthenticateAsync(ctx, project).ConfigureAwait(false);
                answer = _store.BatchDelete(project, await ReadJsonAsync(ctx).ConfigureAwait(false));
                break;
            }
            case "instances" when rest == 4 && s[4] == "backups" && s[5] == "policy" && HttpMethods.IsGet(method):
                await AuthenticateAsync(ctx, project).ConfigureAwait(false);
                answer = _store.GetPolicy(project, s[3]);
                break;
            case "instances" when rest == 5 && s[4] == "backups" && s[5] == "policy" && s[6] == "update" && HttpMethods.IsPut(method):
            {
                await AuthenticateAsync(ctx, project).ConfigureAwait(false);
                answer = _store.UpdatePolicy(project, s[3], await ReadJsonAsync(ctx).ConfigureAwait(false));
                break;
            }
            case "backups" when rest == 2 && HttpMethods.IsDelete(method):
                await AuthenticateAsync(ctx, project).ConfigureAwait(false);
                answer = _store.Delete(project, s[3]);
                break;
            case "jobs" when rest == 1 && HttpMethods.IsGet(method):
                await AuthenticateAsync(ctx, project).ConfigureAwait(false);
                answer = _store.GetJob(project, q["id"]);
                break;
            case "instances" when rest == 2 && s[3] == "restore" && HttpMethods.IsPost(method) && !_store.IsOpenTelekomCloud:
            {
                await AuthenticateAsync(ctx, project).ConfigureAwait(false);
                var body = await ReadJsonAsync(ctx).ConfigureAwait(false);
                answer = _store.RestoreToExisting(project, new GaussStore.RestoreRequest(HttpJson.GetString(body, "target_instance_id"), HttpJson.GetString(body, "source_instance_id"),
                    HttpJson.GetString(body, "type"), HttpJson.GetString(body, "backup_id"), body?["restore_time"]?.ToString()));
                break;
            }
            case "instances" when rest == 3 && s[4] == "restore-time" && HttpMethods.IsGet(method) && !_store.IsOpenTelekomCloud:
                await AuthenticateAsync(ctx, project).ConfigureAwait(false);
                answer = _store.RestoreTimes(project, s[3], q["date"], q["start_time"], q["end_time"]);
                break;
            case "instances" when rest == 1 && HttpMethods.IsPost(method):
            {
                await AuthenticateAsync(ctx, project).ConfigureAwait(false);
                answer = _store.CreateInstance(project, await ReadJsonAsync(ctx).ConfigureAwait(false));
                status = 202;
                break;
            }
            case "instances" when rest == 2 && HttpMethods.IsDelete(method):
                await AuthenticateAsync(ctx, project).ConfigureAwait(false);
                answer = _store.DeleteInstance(project, s[3]);
                status = 202;
                break;
            case "instances" when rest == 2 && HttpMethods.IsGet(method):
                await AuthenticateAsync(ctx, project).ConfigureAwait(false);
                answer = _store.GetInstance(project, s[3]);
                break;
            case "instances" when rest == 1 && HttpMethods.IsGet(method):
                await AuthenticateAsync(ctx, project).ConfigureAwait(false);
                answer = _store.ListInstances(project, q["offset"], q["limit"], q["name"]);
                break;
            default:
                throw NoSuchApi();
        }
        await HttpJson.WriteAsync(ctx, status, answer).ConfigureAwait(false);
    }

    private static string BaseUrl(HttpContext ctx) => $"{ctx.Request.Scheme}://{ctx.Request.Host}/";

    private static async Task<JsonObject?> ReadJsonAsync(HttpContext ctx)
    {
        var bytes = await HttpJson.ReadBodyAsync(ctx).ConfigureAwait(false);
        try
        {
            return HttpJson.ParseObject(bytes);
        }
        catch (JsonException)
        {
            throw GaussError.Param("Invalid request body: the body must be a JSON object.");
        }
    }

    private async Task IssueTokenAsync(HttpContext ctx)
    {
        JsonObject? body;
        try
        {
            body = HttpJson.ParseObject(await HttpJson.ReadBodyAsync(ctx).ConfigureAwait(false));
        }
        catch (JsonException)
        {
            throw new IamError(400, "Bad Request", "The request body is not valid JSON.");
        }
        var (token, info) = _iam.IssuePasswordToken(body);
        ctx.Response.Headers["X-Subject-Token"] = token;
        await HttpJson.WriteAsync(ctx, 201, _iam.RenderToken(info)).ConfigureAwait(false);
    }

    // ---- authentication ------------------------------------------------------------------------------

    /// <summary>Token or AK/SK, as the API gateway checks them. projectId null = not project-scoped (IAM calls).</summary>
    private async Task AuthenticateAsync(HttpContext ctx, string? projectId)
    {
        if (!_options.GaussRequireAuth) return;
        var token = ctx.Request.Headers["X-Auth-Token"].ToString();
        if (!string.IsNullOrEmpty(token))
        {
            switch (_iam.CheckToken(token, out var info))
            {
                case IamService.TokenCheck.Unknown:
                    throw new GaussError(401, "APIGW.0301", "Incorrect IAM authentication information: decrypt token fail");
                case IamService.TokenCheck.Expired:
                    throw new GaussError(401, "APIGW.0307", "The token must be updated.");
            }
            if (projectId is not null && info!.ProjectId != projectId)
                throw new GaussError(403, "APIGW.0302", "The IAM user is not authorized to access the API: the token is scoped to another project.");
            return;
        }
        var authorization = ctx.Request.Headers.Authorization.ToString();
        if (authorization.StartsWith(Gauss.AkSkSigner.Algorithm, StringComparison.Ordinal))
        {
            await VerifyAkSkAsync(ctx, authorization, projectId).ConfigureAwait(false);
            return;
        }
        throw new GaussError(401, "APIGW.0301", "Incorrect IAM authentication information: Authorization header or X-Auth-Token not found");
    }

    private async Task VerifyAkSkAsync(HttpContext ctx, string authorization, string? projectId)
    {
        if (!AkSkSigner.TryParseAuthorization(authorization, out var ak, out var signedHeaders, out var signature))
            throw new GaussError(401, "APIGW.0301", "Incorrect IAM authentication information: Authorization header is malformed");
        var sk = _iam.SecretKeyOf(ak);
        if (sk is null) throw GaussError.AkSkFail();
        if (_iam.IsLocked(ak))
            throw new GaussError(401, "APIGW.0301", "Incorrect IAM authentication information: the access key is locked after too many failed attempts; retry in 5 minutes");

        var sdkDate = ctx.Request.Headers["X-Sdk-Date"].ToString();
        if (!DateTimeOffset.TryParseExact(sdkDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var signedAt)
            || (signedAt - _clock.GetUtcNow()).Duration() > _options.AkSkClockSkew)
        {
            _iam.RecordAkFailure(ak);
            throw new GaussError(401, "APIGW.0301", "Incorrect IAM authentication information: X-Sdk-Date is missing or more than 15 minutes away from the server time");
        }
        if (Array.IndexOf(signedHeaders, "host") < 0 || Array.IndexOf(signedHeaders, "x-sdk-date") < 0)
        {
            _iam.RecordAkFailure(ak);
            throw GaussError.AkSkFail();
        }

        var body = await HttpJson.ReadBodyAsync(ctx).ConfigureAwait(false);
        var raw = HttpJson.RawTarget(ctx);
        var qIndex = raw.IndexOf('?');
        var rawPath = qIndex < 0 ? raw : raw[..qIndex];
        var rawQuery = qIndex < 0 ? "" : raw[(qIndex + 1)..];
        var headers = ctx.Request.Headers;
        var canonical = AkSkSigner.CanonicalRequest(ctx.Request.Method, rawPath, rawQuery, name => headers[name].ToString(), signedHeaders, body);
        var expected = AkSkSigner.Signature(sk, AkSkSigner.StringToSign(sdkDate, canonical));
        if (!System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.ASCII.GetBytes(expected), System.Text.Encoding.ASCII.GetBytes(signature.ToLowerInvariant())))
        {
            _iam.RecordAkFailure(ak);
            throw GaussError.AkSkFail();
        }
        _iam.RecordAkSuccess(ak);

        if (projectId is not null)
        {
            var headerProject = ctx.Request.Headers["X-Project-Id"].ToString();
            if (headerProject != projectId)
                throw new GaussError(403, "APIGW.0310", string.IsNullOrEmpty(headerProject)
                    ? "The project is unavailable: X-Project-Id is required with AK/SK authentication."
                    : "The project is unavailable: X-Project-Id does not match the project in the URL.");
            if (_iam.FindProject(projectId, null) is null)
                throw new GaussError(403, "APIGW.0310", "The project is unavailable.");
        }
    }

    /// <summary>Gauss's shapes for injected faults: the gateway throttles, the backend is unavailable.</summary>
    public static Task WriteFaultAsync(HttpContext ctx, FaultKind kind)
    {
        var error = kind == FaultKind.Throttle429
            ? new GaussError(429, "APIGW.0308", "The throttling threshold has been reached: policy user over ratelimit,limit:100,time:1 minute")
            : new GaussError(503, "APIGW.0203", "Backend unavailable");
        return HttpJson.WriteAsync(ctx, error.HttpStatus, error.ToBody(RequestId(ctx)));
    }
}
