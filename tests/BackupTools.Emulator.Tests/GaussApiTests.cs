using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using BackupTools.Emulator.Gauss;
using Xunit;
using static BackupTools.Emulator.Tests.TestHelpers;

namespace BackupTools.Emulator.Tests;

public class GaussApiTests
{
    internal static HttpRequestMessage Signed(BackupEmulator emu, HttpMethod method, string pathAndQuery, string body, string sk = "demo-secret-key", string ak = "DEMOACCESSKEY0000000")
    {
        var request = new HttpRequestMessage(method, pathAndQuery);
        var bytes = Encoding.UTF8.GetBytes(body);
        if (body.Length > 0) request.Content = new ByteArrayContent(bytes) { Headers = { { "Content-Type", "application/json;charset=UTF-8" } } };
        var date = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var host = emu.BaseAddress.Authority;
        request.Headers.Add("X-Sdk-Date", date);
        request.Headers.Add("X-Project-Id", GaussProject);
        var q = pathAndQuery.IndexOf('?');
        var path = q < 0 ? pathAndQuery : pathAndQuery[..q];
        var query = q < 0 ? "" : pathAndQuery[(q + 1)..];
        var headers = new Dictionary<string, string> { ["host"] = host, ["x-sdk-date"] = date, ["x-project-id"] = GaussProject };
        var signedHeaders = new[] { "host", "x-project-id", "x-sdk-date" };
        var signature = AkSkSigner.Sign(sk, method.Method, path, query, headers, signedHeaders, bytes);
        request.Headers.TryAddWithoutValidation("Authorization", $"SDK-HMAC-SHA256 Access={ak}, SignedHeaders={string.Join(';', signedHeaders)}, Signature={signature}");
        return request;
    }

    [Fact]
    public async Task AkSk_signed_create_then_job_and_backup_complete()
    {
        // Long enough that a loaded machine cannot cross them by itself; the test moves the clock.
        var (emu, http) = await StartAsync(o =>
        {
            o.GaussJobVisibilityDelay = TimeSpan.FromSeconds(30);
            o.GaussBackupDuration = TimeSpan.FromSeconds(120);
        });
        await using var _ = emu;
        var create = await http.SendAsync(Signed(emu, HttpMethod.Post, $"/v3/{GaussProject}/backups/create", $"{{\"instance_id\":\"{GaussInstance}\",\"name\":\"nightly-1\"}}"));
        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        Assert.True(create.Headers.Contains("X-Request-Id"));
        var body = await ReadAsync(create);
        Assert.Equal("BUILDING", (string?)body["backup"]!["status"]);
        Assert.EndsWith("+0800", (string?)body["backup"]!["begin_time"]);
        var job = (string)body["job_id"]!;

        var early = await http.SendAsync(Signed(emu, HttpMethod.Get, $"/v3/{GaussProject}/jobs?id={job}", ""));
        Assert.Equal(HttpStatusCode.BadRequest, early.StatusCode);
        Assert.Equal("DBS.200543", (string?)(await ReadAsync(early))["error_code"]);

        var second = await http.SendAsync(Signed(emu, HttpMethod.Post, $"/v3/{GaussProject}/backups/create", $"{{\"instance_id\":\"{GaussInstance}\",\"name\":\"nightly-2\"}}"));
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("DBS.201205", (string?)(await ReadAsync(second))["error_code"]);

        emu.AdvanceClock(TimeSpan.FromSeconds(30));
        var running = await ReadAsync(await http.SendAsync(Signed(emu, HttpMethod.Get, $"/v3/{GaussProject}/jobs?id={job}", "")));
        Assert.Equal("Running", (string?)running["job"]!["status"]);
        Assert.EndsWith("%", (string?)running["job"]!["process"]);

        emu.AdvanceClock(TimeSpan.FromSeconds(120));
        var completed = await ReadAsync(await http.SendAsync(Signed(emu, HttpMethod.Get, $"/v3/{GaussProject}/jobs?id={job}", "")));
        Assert.Equal("Completed", (string?)completed["job"]!["status"]);
        var list = await ReadAsync(await http.SendAsync(Signed(emu, HttpMethod.Get, $"/v3/{GaussProject}/backups?instance_id={GaussInstance}&begin_time=2020-01-01T00%3A00%3A00%2B0800", "")));
        Assert.Equal(1, (int)list["total_count"]!);
        Assert.Equal("COMPLETED", (string?)list["backups"]![0]!["status"]);
    }

    [Fact]
    public async Task Seeded_automated_backups_are_listed_and_jobs_can_omit_process()
    {
        var (emu, http) = await StartAsync(o =>
        {
            o.GaussJobProcess = false;
            o.GaussJobVisibilityDelay = TimeSpan.Zero;
            o.GaussBackupDuration = TimeSpan.FromSeconds(120);
            var instance = o.Data.Gauss.Instances.Find(i => i.Id == GaussInstance)!;
            instance.Backups.Add(new GaussBackupSeed { Age = TimeSpan.FromDays(1), Duration = TimeSpan.FromSeconds(75), SizeMb = 1500 });
            instance.Backups.Add(new GaussBackupSeed { Age = TimeSpan.FromDays(2), Duration = TimeSpan.FromSeconds(70) });
        });
        await using var _ = emu;
        var create = await ReadAsync(await http.SendAsync(Signed(emu, HttpMethod.Post, $"/v3/{GaussProject}/backups/create", $"{{\"instance_id\":\"{GaussInstance}\",\"name\":\"nightly-1\"}}")));
        var job = await ReadAsync(await http.SendAsync(Signed(emu, HttpMethod.Get, $"/v3/{GaussProject}/jobs?id={(string)create["job_id"]!}", "")));
        Assert.Equal("Running", (string?)job["job"]!["status"]);
        Assert.Equal("", (string?)job["job"]!["process"]);

        var auto = await ReadAsync(await http.SendAsync(Signed(emu, HttpMethod.Get, $"/v3/{GaussProject}/backups?instance_id={GaussInstance}&backup_type=auto", "")));
        Assert.Equal(2, (int)auto["total_count"]!);
        var newest = auto["backups"]![0]!;
        Assert.Equal("auto", (string?)newest["type"]);
        Assert.Equal("COMPLETED", (string?)newest["status"]);
        Assert.Equal(1500, (double)newest["size"]!);
        Assert.Equal(75, (DateTimeOffset.Parse((string)newest["end_time"]!, CultureInfo.InvariantCulture) - DateTimeOffset.Parse((string)newest["begin_time"]!, CultureInfo.InvariantCulture)).TotalSeconds, 0);

        var manual = await ReadAsync(await http.SendAsync(Signed(emu, HttpMethod.Get, $"/v3/{GaussProject}/backups?instance_id={GaussInstance}&backup_type=manual", "")));
        Assert.Equal("nightly-1", (string?)Assert.Single(manual["backups"]!.AsArray())!["name"]);
        var all = await ReadAsync(await http.SendAsync(Signed(emu, HttpMethod.Get, $"/v3/{GaussProject}/backups?instance_id={GaussInstance}", "")));
        Assert.Equal(3, (int)all["total_count"]!);
    }

    [Fact]
    public async Task Wrong_signature_is_rejected_with_gateway_body()
    {
        var (emu, http) = await StartAsync();
        await using var _ = emu;
        var response = await http.SendAsync(Signed(emu, HttpMethod.Get, $"/v3/{GaussProject}/backups", "", sk: "wrong"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = await ReadAsync(response);
        Assert.Equal("APIGW.0301", (string?)body["error_code"]);
        Assert.Equal("Incorrect IAM authentication information: verify aksk signature fail", (string?)body["error_msg"]);
        Assert.NotNull(body["request_id"]);
    }

    [Fact]
    public async Task Iam_token_flow_and_create_rules()
    {
        var (emu, http) = await StartAsync(o => o.Data.Gauss.Instances[1].Status = "FROZEN");
        await using var _ = emu;
        var bad = await http.PostAsync("v3/auth/tokens", Json("{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{\"name\":\"demo-user\",\"password\":\"nope\",\"domain\":{\"name\":\"demo-account\"}}}},\"scope\":{\"project\":{\"name\":\"eu-de\"}}}}"));
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        Assert.Equal("The username or password is wrong.", (string?)(await ReadAsync(bad))["error"]!["message"]);

        var ok = await http.PostAsync("v3/auth/tokens", Json("{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{\"name\":\"demo-user\",\"password\":\"demo-password\",\"domain\":{\"name\":\"demo-account\"}}}},\"scope\":{\"project\":{\"name\":\"eu-de\"}}}}"));
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        Assert.Equal(GaussProject, (string?)(await ReadAsync(ok))["token"]!["project"]!["id"]);
        http.DefaultRequestHeaders.Add("X-Auth-Token", string.Join("", ok.Headers.GetValues("X-Subject-Token")));

        async Task<string?> Code(string json) => (string?)(await ReadAsync(await http.PostAsync($"v3/{GaussProject}/backups/create", Json(json))))["error_code"];
        Assert.Equal("DBS.280277", await Code($"{{\"instance_id\":\"{GaussInstance}\",\"name\":\"1abc\"}}"));
        Assert.Equal("DBS.280127", await Code($"{{\"instance_id\":\"{GaussInstance}\",\"name\":\"abcd\",\"description\":\"a=b\"}}"));
        Assert.Equal("DBS.280404", await Code("{\"instance_id\":\"x\",\"name\":\"abcd\"}"));
        Assert.Equal("DBS.200002", await Code("{\"instance_id\":\"00000000000000000000000000000000in07\",\"name\":\"abcd\"}"));
        Assert.Equal("DBS.280449", await Code($"{{\"instance_id\":\"{emu.Options.Data.Gauss.Instances[1].Id}\",\"name\":\"abcd\"}}"));

        emu.AdvanceClock(TimeSpan.FromHours(25));
        var expired = await http.GetAsync($"v3/{GaussProject}/backups");
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Equal("APIGW.0307", (string?)(await ReadAsync(expired))["error_code"]);
    }
}
