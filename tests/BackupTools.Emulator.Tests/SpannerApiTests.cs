using System;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading.Tasks;
using Xunit;
using static BackupTools.Emulator.Tests.TestHelpers;

namespace BackupTools.Emulator.Tests;

public class SpannerApiTests
{
    [Fact]
    public async Task Create_then_operation_finishes_and_backup_is_ready()
    {
        // Long enough that a loaded machine cannot finish it by itself; the test moves the clock.
        var (emu, http) = await StartAsync(o => o.SpannerBackupDuration = TimeSpan.FromSeconds(60));
        await using var _ = emu;
        var created = await CreateSpannerBackup(http, "b1");
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var op = await ReadAsync(created);
        Assert.Null(op["done"]);
        Assert.Equal("type.googleapis.com/google.spanner.admin.database.v1.CreateBackupMetadata", (string?)op["metadata"]!["@type"]);

        Assert.Equal("CREATING", (string?)(await ReadAsync(await http.GetAsync($"v1/{Instance}/backups/b1")))["state"]);
        emu.AdvanceClock(TimeSpan.FromSeconds(61));
        var done = await ReadAsync(await http.GetAsync("v1/" + (string)op["name"]!));
        Assert.True((bool)done["done"]!);
        Assert.Equal(100, (int)done["metadata"]!["progress"]!["progressPercent"]!);
        Assert.Equal("READY", (string?)done["response"]!["state"]);
        Assert.Equal("1073741824", (string?)done["response"]!["sizeBytes"]);
        Assert.Equal(1, emu.State.SpannerCreatesTakenEffect);
        Assert.NotNull(emu.State.SpannerOperations[0].OperationCompletedAt);
    }

    [Fact]
    public async Task Create_rules()
    {
        var (emu, http) = await StartAsync(o => o.SpannerBackupDuration = TimeSpan.FromMinutes(5));
        await using var _ = emu;
        Assert.Equal(HttpStatusCode.OK, (await CreateSpannerBackup(http, "first")).StatusCode);

        var dup = await CreateSpannerBackup(http, "first", "customers");
        Assert.Equal(HttpStatusCode.Conflict, dup.StatusCode);
        var dupBody = await ReadAsync(dup);
        Assert.Equal("ALREADY_EXISTS", (string?)dupBody["error"]!["status"]);
        Assert.Equal("type.googleapis.com/google.rpc.ResourceInfo", (string?)dupBody["error"]!["details"]![0]!["@type"]);

        var pending = await ReadAsync(await CreateSpannerBackup(http, "second"));
        Assert.Equal("FAILED_PRECONDITION", (string?)pending["error"]!["status"]);
        Assert.Contains("maximum number of pending backups (1) for the database has been reached", (string?)pending["error"]!["message"]);

        var shortExpiry = await CreateSpannerBackup(http, "third", "customers", DateTimeOffset.UtcNow.AddHours(1));
        Assert.Equal(HttpStatusCode.BadRequest, shortExpiry.StatusCode);
        Assert.Equal("INVALID_ARGUMENT", (string?)(await ReadAsync(shortExpiry))["error"]!["status"]);

        Assert.Equal(HttpStatusCode.BadRequest, (await CreateSpannerBackup(http, "Bad_Id", "customers")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await CreateSpannerBackup(http, "fourth", "nope")).StatusCode);

        var kms = await http.PostAsync($"v1/{Instance}/backups?backupId=kms1&encryptionConfig.encryptionType=GOOGLE_DEFAULT_ENCRYPTION&encryptionConfig.kmsKeyName=k",
            Json($"{{\"database\":\"{Instance}/databases/billing\",\"expireTime\":\"{Rfc3339(DateTimeOffset.UtcNow.AddDays(1))}\"}}"));
        Assert.Equal(HttpStatusCode.BadRequest, kms.StatusCode);

        // Different databases run concurrently.
        Assert.Equal(HttpStatusCode.OK, (await CreateSpannerBackup(http, "fifth", "customers")).StatusCode);
        Assert.Equal(2, emu.State.SpannerCreatesTakenEffect);
    }

    [Fact]
    public async Task Cancel_ends_operation_cancelled_and_deletes_backup()
    {
        var (emu, http) = await StartAsync(o => o.SpannerBackupDuration = TimeSpan.FromMinutes(5));
        await using var _ = emu;
        var op = await ReadAsync(await CreateSpannerBackup(http, "c1"));
        var name = (string)op["name"]!;
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync("v1/" + name + ":cancel", null)).StatusCode);
        var after = await ReadAsync(await http.GetAsync("v1/" + name));
        Assert.True((bool)after["done"]!);
        Assert.Equal(1, (int)after["error"]!["code"]!);
        Assert.NotNull(after["metadata"]!["cancelTime"]);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"v1/{Instance}/backups/c1")).StatusCode);
        var list = await ReadAsync(await http.GetAsync($"v1/{Instance}/backupOperations?filter=(metadata.name:c1)%20AND%20(done:true)"));
        Assert.Single(list["operations"]!.AsArray());
    }

    [Fact]
    public async Task Seeded_failure_ends_with_internal_error()
    {
        var (emu, http) = await StartAsync(o => o.Data.Spanner.Projects[0].Instances[0].Databases[4].FailBackups = true);
        await using var _ = emu;
        var op = await ReadAsync(await CreateSpannerBackup(http, "f1", "audit"));
        emu.AdvanceClock(TimeSpan.FromSeconds(1));
        var done = await ReadAsync(await http.GetAsync("v1/" + (string)op["name"]!));
        Assert.Equal(13, (int)done["error"]!["code"]!);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"v1/{Instance}/backups/f1")).StatusCode);
    }

    [Fact]
    public async Task List_pages_newest_first()
    {
        var (emu, http) = await StartAsync();
        await using var _ = emu;
        foreach (var (id, db) in new[] { ("p1", "orders"), ("p2", "customers"), ("p3", "inventory") })
        {
            Assert.Equal(HttpStatusCode.OK, (await CreateSpannerBackup(http, id, db)).StatusCode);
            emu.AdvanceClock(TimeSpan.FromSeconds(1));
        }
        var page1 = await ReadAsync(await http.GetAsync($"v1/{Instance}/backups?pageSize=2"));
        Assert.EndsWith("/p3", (string?)page1["backups"]![0]!["name"]);
        var token = (string)page1["nextPageToken"]!;
        var page2 = await ReadAsync(await http.GetAsync($"v1/{Instance}/backups?pageSize=2&pageToken={Uri.EscapeDataString(token)}"));
        Assert.Single(page2["backups"]!.AsArray());
        Assert.Null(page2["nextPageToken"]);
        var filtered = await ReadAsync(await http.GetAsync($"v1/{Instance}/backups?filter=database:customers"));
        Assert.Single(filtered["backups"]!.AsArray());
    }

    [Fact]
    public async Task Auth_required_accepts_oauth_issued_tokens()
    {
        var (emu, http) = await StartAsync(o => o.RequireAuth = true);
        await using var _ = emu;
        var denied = await http.GetAsync($"v1/{Instance}/backups");
        Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
        Assert.Equal("UNAUTHENTICATED", (string?)(await ReadAsync(denied))["error"]!["status"]);

        static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var jwt = B64("{\"alg\":\"RS256\"}") + "." + B64("{\"iss\":\"sa@demo-project.iam.gserviceaccount.com\",\"scope\":\"https://www.googleapis.com/auth/spanner.admin\"}") + ".c2ln";
        var tokenResponse = await http.PostAsync("oauth2/token", new FormUrlEncodedContent(new System.Collections.Generic.Dictionary<string, string>
        {
            ["grant_type"] = "urn:ietf:params:oauth:grant-type:jwt-bearer",
            ["assertion"] = jwt,
        }));
        var token = await ReadAsync(tokenResponse);
        Assert.Equal(3600, (int)token["expires_in"]!);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v1/{Instance}/backups");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", (string)token["access_token"]!);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(request)).StatusCode);
    }

    [Fact]
    public void Filter_grammar()
    {
        var f = Spanner.ListFilter.Parse("(metadata.@type:type.googleapis.com/google.spanner.admin.database.v1.CreateBackupMetadata) AND (metadata.database:orders) AND NOT done:true");
        Assert.True(f.Matches(field => field switch
        {
            "metadata.@type" => "type.googleapis.com/google.spanner.admin.database.v1.CreateBackupMetadata",
            "metadata.database" => "projects/p/instances/i/databases/orders",
            "done" => "false",
            _ => null,
        }));
        var t = Spanner.ListFilter.Parse("expire_time < \"2030-01-01T00:00:00Z\" AND (state:READY OR state:CREATING)");
        Assert.True(t.Matches(field => field == "expire_time" ? "2029-01-01T00:00:00Z" : field == "state" ? "CREATING" : null));
        Assert.False(t.Matches(field => field == "expire_time" ? "2031-01-01T00:00:00Z" : field == "state" ? "CREATING" : null));
    }
}
