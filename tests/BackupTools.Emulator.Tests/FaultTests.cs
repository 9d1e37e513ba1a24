using System;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Xunit;
using static BackupTools.Emulator.Tests.TestHelpers;

namespace BackupTools.Emulator.Tests;

public class FaultTests
{
    [Fact]
    public async Task Enqueued_faults_shape_and_effect()
    {
        var (emu, http) = await StartAsync(o => o.GaussRequireAuth = false);
        await using var _ = emu;

        emu.Faults.Enqueue(FaultKind.Unavailable503, method: "GET", pathContains: "/v1/");
        var unavailable = await http.GetAsync($"v1/{Instance}/backups");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.StatusCode);
        Assert.True(unavailable.Headers.Contains("Retry-After"));
        Assert.Equal("UNAVAILABLE", (string?)(await ReadAsync(unavailable))["error"]!["status"]);

        emu.Faults.Enqueue(FaultKind.Throttle429, pathContains: "/v3/");
        var throttled = await http.GetAsync($"v3/{GaussProject}/backups");
        Assert.Equal((HttpStatusCode)429, throttled.StatusCode);
        Assert.Equal("APIGW.0308", (string?)(await ReadAsync(throttled))["error_code"]);

        emu.Faults.Enqueue(FaultKind.Drop, method: "POST");
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => CreateSpannerBackup(http, "dropped"));
        Assert.Equal(0, emu.State.SpannerCreatesTakenEffect);

        emu.Faults.Enqueue(FaultKind.CutAfterProcessing, method: "POST");
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => CreateSpannerBackup(http, "cut"));
        Assert.Equal(1, emu.State.SpannerCreatesTakenEffect);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"v1/{Instance}/backups/cut")).StatusCode);

        Assert.Equal(1, emu.Faults.Counters.Drop);
        Assert.Equal(4, emu.Faults.Counters.Total);
        Assert.Equal(4, emu.State.CountFaulted());
        Assert.Equal(200, (int)(await http.GetAsync("_emulator/state")).StatusCode);
    }

    [Fact]
    public void FromArgs_parses_the_command_line()
    {
        var o = EmulatorOptions.FromArgs(new[] { "--port", "9020", "--spanner-duration", "5s", "--require-auth", "--accept-token", "t1", "--fault-rate-503", "0.1", "--latency", "20ms" });
        Assert.Equal(9020, o.Port);
        Assert.Equal(TimeSpan.FromSeconds(5), o.SpannerBackupDuration);
        Assert.True(o.RequireAuth);
        Assert.Contains("t1", o.AcceptedSpannerTokens);
        Assert.Equal(0.1, o.Faults!.Unavailable503Rate);
        Assert.Equal(TimeSpan.FromMilliseconds(20), o.Faults.Latency);
    }

    [Fact]
    public void Seed_json_round_trips()
    {
        var seed = EmulatorSeed.FromJson(EmulatorSeed.CreateDefault().ToJson());
        Assert.Equal(5, seed.Spanner.Projects[0].Instances[0].Databases.Count);
        Assert.Equal(TimeSpan.FromHours(1), seed.Spanner.Projects[0].Instances[0].Databases[0].VersionRetention);
        Assert.Equal(3, seed.Gauss.Instances.Count);
    }

    [Fact]
    public async Task Non_loopback_host_is_refused()
        => await Assert.ThrowsAsync<ArgumentException>(() => BackupEmulator.StartAsync(new EmulatorOptions { Host = "0.0.0.0" }));
}
