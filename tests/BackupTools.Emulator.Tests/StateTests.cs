using System;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Xunit;
using static BackupTools.Emulator.Tests.TestHelpers;

namespace BackupTools.Emulator.Tests;

public class StateTests
{
    [Fact]
    public async Task Gauss_seeded_failure_and_delete_rules()
    {
        var (emu, http) = await StartAsync(o =>
        {
            o.GaussRequireAuth = false;
            o.Data.Gauss.Instances[2].FailBackups = true;
            o.Data.Gauss.Instances[2].FailReason = "disk error";
            o.GaussBackupDuration = TimeSpan.FromSeconds(60);
        });
        await using var _ = emu;
        var instance = emu.Options.Data.Gauss.Instances[2].Id;
        var created = await ReadAsync(await http.PostAsync($"v3/{GaussProject}/backups/create", Json($"{{\"instance_id\":\"{instance}\",\"name\":\"will-fail\"}}")));
        var id = (string)created["backup"]!["id"]!;
        var building = await http.DeleteAsync($"v3/{GaussProject}/backups/{id}");
        Assert.Equal(HttpStatusCode.BadRequest, building.StatusCode);

        emu.AdvanceClock(TimeSpan.FromSeconds(61));
        var job = await ReadAsync(await http.GetAsync($"v3/{GaussProject}/jobs?id={(string)created["job_id"]!}"));
        Assert.Equal("Failed", (string?)job["job"]!["status"]);
        Assert.Equal("disk error", (string?)job["job"]!["fail_reason"]);
        var list = await ReadAsync(await http.GetAsync($"v3/{GaussProject}/backups?backup_id={id}"));
        Assert.Equal("FAILED", (string?)list["backups"]![0]!["status"]);
        var deleted = await ReadAsync(await http.DeleteAsync($"v3/{GaussProject}/backups/{id}"));
        Assert.Equal("will-fail", (string?)deleted["backup_name"]);
        Assert.Equal("Failed", emu.State.GaussJobs.Single().JobStatus);
    }

    [Fact]
    public async Task Concurrent_creates_on_many_databases_all_take_effect()
    {
        var (emu, http) = await StartAsync(o =>
        {
            var databases = o.Data.Spanner.Projects[0].Instances[0].Databases;
            for (var i = 0; i < 200; i++) databases.Add(new SpannerDatabaseSeed { Id = $"db{i}" });
        });
        await using var _ = emu;
        var responses = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => CreateSpannerBackup(http, $"c{i}", $"db{i}")));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(200, emu.State.SpannerCreatesTakenEffect);
        Assert.Equal(200, emu.State.CountRequests("POST", "/backups?backupId="));
        Assert.Equal(200, emu.State.SpannerBackups.Select(b => b.OperationName).Distinct().Count());
    }
}
