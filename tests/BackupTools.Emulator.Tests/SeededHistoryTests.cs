using System;
using System.Linq;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;
using static BackupTools.Emulator.Tests.TestHelpers;

namespace BackupTools.Emulator.Tests;

/// <summary>What the fleet commands read: seeded histories (Spanner and GaussDB), chains, instance and database listings, dropDatabase.</summary>
public class SeededHistoryTests
{
    private static EmulatorSeed Seed()
    {
        var seed = EmulatorSeed.FromJson("""
        {
          "spanner": { "projects": [ { "id": "demo-project", "instances": [ { "id": "demo-instance", "databases": [
            { "id": "orders", "backups": [
              { "id": "nightly-1", "age": "26h", "expiresIn": "6d", "schedule": "daily" },
              { "id": "try-2", "age": "2h", "failed": true },
              { "id": "full-1", "age": "3d", "chain": "c1" },
              { "id": "inc-1", "age": "2d", "chain": "c1" } ] },
            { "id": "customers" }, { "id": "audit" } ] },
            { "id": "second" }, { "id": "third" } ] } ] },
          "gauss": { "projects": [ { "id": "0b5c7f3a9d2e4f6a8b1c3d5e7f9a0b2c", "name": "eu-de" } ],
            "instances": [ { "id": "07033b125fd94a8a96896f8bcfee6ddain07", "name": "gauss-orders", "projectId": "0b5c7f3a9d2e4f6a8b1c3d5e7f9a0b2c",
              "backups": [ { "name": "auto-1", "age": "20h" }, { "name": "before-upgrade", "type": "manual", "age": "40d" },
                           { "name": "auto-2", "age": "1h", "failed": true } ] } ],
            "accessKeys": [ { "accessKey": "DEMOACCESSKEY0000000", "secretKey": "demo-secret-key" } ] }
        }
        """);
        return seed;
    }

    [Fact]
    public async Task Spanner_history_chains_and_listings()
    {
        var (emu, http) = await StartAsync(o => o.Data = Seed());
        await using var _ = emu;

        var backups = (await ReadAsync(await http.GetAsync($"v1/{Instance}/backups"))) ["backups"]!.AsArray().Select(b => b!.AsObject()).ToDictionary(b => ((string)b["name"]!).Split('/').Last());
        Assert.Equal(new[] { "full-1", "inc-1", "nightly-1" }, backups.Keys.OrderBy(k => k));
        Assert.Equal($"{Instance}/databases/orders/backupSchedules/daily", (string?)backups["nightly-1"]["backupSchedules"]![0]);
        Assert.Null(backups["full-1"]["freeableSizeBytes"]); // inc-1 still needs it: 0, left out
        Assert.Equal("1073741824", (string?)backups["inc-1"]["freeableSizeBytes"]);
        Assert.Equal("c1", (string?)backups["full-1"]["incrementalBackupChainId"]);
        Assert.Equal((string?)backups["full-1"]["versionTime"], (string?)backups["inc-1"]["oldestVersionTime"]);

        var failed = await ReadAsync(await http.GetAsync($"v1/{Instance}/backupOperations?filter=" + Uri.EscapeDataString("metadata.name:try-2")));
        var op = failed["operations"]!.AsArray().Single()!;
        Assert.Equal(13, (int)op["error"]!["code"]!);

        var page1 = await ReadAsync(await http.GetAsync("v1/projects/demo-project/instances?pageSize=2"));
        Assert.Equal(2, page1["instances"]!.AsArray().Count);
        var page2 = await ReadAsync(await http.GetAsync("v1/projects/demo-project/instances?pageSize=2&pageToken=" + Uri.EscapeDataString((string)page1["nextPageToken"]!)));
        Assert.Equal("projects/demo-project/instances/third", (string?)page2["instances"]![0]!["name"]);
        Assert.Null(page2["nextPageToken"]);

        var dbs = await ReadAsync(await http.GetAsync($"v1/{Instance}/databases?pageSize=2"));
        Assert.Equal(2, dbs["databases"]!.AsArray().Count);
        Assert.NotNull(dbs["nextPageToken"]);

        // dropDatabase: the database goes, its backups stay.
        Assert.Equal(HttpStatusCode.OK, (await http.DeleteAsync($"v1/{Instance}/databases/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"v1/{Instance}/databases/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.DeleteAsync($"v1/{Instance}/databases/audit")).StatusCode);

        // Back to the seed, history included.
        emu.Reset();
        Assert.Equal(3, (await ReadAsync(await http.GetAsync($"v1/{Instance}/backups")))["backups"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_database_being_restored_cannot_be_dropped()
    {
        var (emu, http) = await StartAsync(o => { o.Data = Seed(); o.SpannerRestoreDuration = TimeSpan.FromMinutes(5); });
        await using var _ = emu;
        var restore = await http.PostAsync($"v1/{Instance}/databases:restore", Json($$"""{"databaseId":"scratch","backup":"{{Instance}}/backups/nightly-1"}"""));
        Assert.Equal(HttpStatusCode.OK, restore.StatusCode);
        var refused = await http.DeleteAsync($"v1/{Instance}/databases/scratch");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Cancel the restore operation", (string?)(await ReadAsync(refused))["error"]!["message"]);
        emu.AdvanceClock(TimeSpan.FromMinutes(6));
        Assert.Equal(HttpStatusCode.OK, (await http.DeleteAsync($"v1/{Instance}/databases/scratch")).StatusCode);
        Assert.Equal("DELETED", emu.State.SpannerRestores.Single().DatabaseState);
        Assert.Null((await ReadAsync(await http.GetAsync($"v1/{Instance}/backups/nightly-1")))["referencingDatabases"]);
    }

    [Fact]
    public async Task Gauss_history_types_and_paged_instances()
    {
        var (emu, http) = await StartAsync(o => { o.Data = Seed(); o.GaussRequireAuth = false; });
        await using var _ = emu;
        var all = await ReadAsync(await http.GetAsync($"v3/{GaussProject}/backups"));
        Assert.Equal(3, (int)all["total_count"]!);
        var auto = await ReadAsync(await http.GetAsync($"v3/{GaussProject}/backups?backup_type=auto"));
        Assert.Equal(new[] { "auto-1", "auto-2" }, auto["backups"]!.AsArray().Select(b => (string)b!["name"]!).OrderBy(n => n));
        Assert.Equal("FAILED", (string?)auto["backups"]!.AsArray().Single(b => (string)b!["name"]! == "auto-2")!["status"]);
        var manual = await ReadAsync(await http.GetAsync($"v3/{GaussProject}/backups?backup_type=manual"));
        Assert.Equal("before-upgrade", (string?)manual["backups"]![0]!["name"]);

        var beyond = await ReadAsync(await http.GetAsync($"v3/{GaussProject}/instances?offset=1&limit=100"));
        Assert.Empty(beyond["instances"]!.AsArray());
        Assert.Equal(1, (int)beyond["total_count"]!);
    }
}
