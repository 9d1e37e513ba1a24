using System;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Xunit;
using static BackupTools.Emulator.Tests.TestHelpers;

namespace BackupTools.Emulator.Tests;

/// <summary>The emulator's create-instance (restore to a new instance) and delete-instance calls, with the service's rules.</summary>
public class GaussInstanceApiTests
{
    private static string CreateBody(string name, string restorePoint, string password = "Drill-2026-pw", string extra = "") =>
        "{\"region\":\"eu-de\",\"name\":\"" + name + "\",\"datastore\":{\"type\":\"gaussdb-mysql\",\"version\":\"8.0\"},\"mode\":\"Cluster\",\"flavor_ref\":\"gaussdb.mysql.xlarge.x86.4\","
        + "\"vpc_id\":\"v1\",\"subnet_id\":\"s1\",\"password\":\"" + password + "\",\"availability_zone_mode\":\"single\",\"slave_count\":1" + extra
        + (restorePoint.Length > 0 ? ",\"restore_point\":" + restorePoint : "") + "}";

    private static async Task<string> CompletedBackupAsync(BackupEmulator emu, HttpClient http)
    {
        var create = await ReadAsync(await http.SendAsync(GaussApiTests.Signed(emu, HttpMethod.Post, $"/v3/{GaussProject}/backups/create", $"{{\"instance_id\":\"{GaussInstance}\",\"name\":\"for-new\"}}")));
        emu.AdvanceClock(TimeSpan.FromMinutes(5));
        return (string)create["backup"]!["id"]!;
    }

    [Fact]
    public async Task Restore_to_a_new_instance_builds_it_then_delete_removes_it_and_its_automated_backups()
    {
        var (emu, http) = await StartAsync(o =>
        {
            o.GaussJobVisibilityDelay = TimeSpan.Zero;
            o.GaussRestoreDuration = TimeSpan.FromSeconds(60);
        });
        await using var _ = emu;
        var backupId = await CompletedBackupAsync(emu, http);

        var create = await http.SendAsync(GaussApiTests.Signed(emu, HttpMethod.Post, $"/v3/{GaussProject}/instances",
            CreateBody("orders-new", $"{{\"source_instance_id\":\"{GaussInstance}\",\"type\":\"backup\",\"backup_id\":\"{backupId}\"}}")));
        Assert.Equal(HttpStatusCode.Accepted, create.StatusCode);
        var made = await ReadAsync(create);
        var id = (string)made["instance"]!["id"]!;
        Assert.Equal("BUILD", (string?)made["instance"]!["status"]);
        var job = (string)made["job_id"]!;
        var running = await ReadAsync(await http.SendAsync(GaussApiTests.Signed(emu, HttpMethod.Get, $"/v3/{GaussProject}/jobs?id={job}", "")));
        Assert.Equal("RestoreGaussDBforMySQLNewInstance", (string?)running["job"]!["name"]);
        Assert.Equal("Running", (string?)running["job"]!["status"]);

        // Busy while built: no backup of it yet.
        var backupOfNew = await http.SendAsync(GaussApiTests.Signed(emu, HttpMethod.Post, $"/v3/{GaussProject}/backups/create", $"{{\"instance_id\":\"{id}\",\"name\":\"too-early\"}}"));
        Assert.Equal(HttpStatusCode.BadRequest, backupOfNew.StatusCode);

        emu.AdvanceClock(TimeSpan.FromSeconds(61));
        var active = await ReadAsync(await http.SendAsync(GaussApiTests.Signed(emu, HttpMethod.Get, $"/v3/{GaussProject}/instances/{id}", "")));
        Assert.Equal("ACTIVE", (string?)active["instance"]!["status"]);
        Assert.Equal("gaussdb.mysql.xlarge.x86.4", (string?)active["instance"]!["nodes"]![0]!["flavor_ref"]);
        Assert.Equal(2, (int)active["instance"]!["node_count"]!);

        var delete = await http.SendAsync(GaussApiTests.Signed(emu, HttpMethod.Delete, $"/v3/{GaussProject}/instances/{id}", ""));
        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        Assert.False(string.IsNullOrEmpty((string?)(await ReadAsync(delete))["job_id"]));
        var gone = await http.SendAsync(GaussApiTests.Signed(emu, HttpMethod.Get, $"/v3/{GaussProject}/instances/{id}", ""));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal("DELETED", Assert.Single(emu.State.GaussInstances).Status);
    }

    [Theory]
    [InlineData("weak", "password")]
    [InlineData("alllowercase1", "password")]
    [InlineData("Has space 1!", "password")]
    public async Task A_password_that_breaks_the_rule_is_refused(string password, string named)
    {
        var (emu, http) = await StartAsync();
        await using var _ = emu;
        var r = await http.SendAsync(GaussApiTests.Signed(emu, HttpMethod.Post, $"/v3/{GaussProject}/instances", CreateBody("orders-new", "", password)));
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Contains(named, (string?)(await ReadAsync(r))["error_msg"]);
        Assert.Empty(emu.State.GaussInstances);
    }

    [Fact]
    public async Task A_restore_point_must_name_a_completed_backup_of_the_source_or_a_time_in_its_window()
    {
        var (emu, http) = await StartAsync(o => o.GaussBackupDuration = TimeSpan.FromMinutes(10));
        await using var _ = emu;
        var building = await ReadAsync(await http.SendAsync(GaussApiTests.Signed(emu, HttpMethod.Post, $"/v3/{GaussProject}/backups/create", $"{{\"instance_id\":\"{GaussInstance}\",\"name\":\"building\"}}")));
        var buildingId = (string)building["backup"]!["id"]!;

        var notDone = await http.SendAsync(GaussApiTests.Signed(emu, HttpMethod.Post, $"/v3/{GaussProject}/instances",
            CreateBody("orders-new", $"{{\"source_instance_id\":\"{GaussInstance}\",\"type\":\"backup\",\"backup_id\":\"{buildingId}\"}}")));
        Assert.Equal(HttpStatusCode.BadRequest, notDone.StatusCode);
        var noWindow = await http.SendAsync(GaussApiTests.Signed(emu, HttpMethod.Post, $"/v3/{GaussProject}/instances",
            CreateBody("orders-new", $"{{\"source_instance_id\":\"{GaussInstance}\",\"type\":\"timestamp\",\"restore_time\":{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}}")));
        Assert.Equal(HttpStatusCode.BadRequest, noWindow.StatusCode);
        Assert.Contains("restorable time range", (string?)(await ReadAsync(noWindow))["error_msg"]);
        var otherVersion = await http.SendAsync(GaussApiTests.Signed(emu, HttpMethod.Post, $"/v3/{GaussProject}/instances",
            CreateBody("orders-new", $"{{\"source_instance_id\":\"{GaussInstance}\",\"type\":\"backup\",\"backup_id\":\"{buildingId}\"}}").Replace("\"8.0\"", "\"5.7\"")));
        Assert.Equal(HttpStatusCode.BadRequest, otherVersion.StatusCode);
        Assert.Empty(emu.State.GaussInstances);
    }

    [Fact]
    public async Task Deleting_an_instance_being_built_fails_its_job()
    {
        var (emu, http) = await StartAsync(o =>
        {
            o.GaussJobVisibilityDelay = TimeSpan.Zero;
            o.GaussRestoreDuration = TimeSpan.FromMinutes(10);
        });
        await using var _ = emu;
        var backupId = await CompletedBackupAsync(emu, http);
        var made = await ReadAsync(await http.SendAsync(GaussApiTests.Signed(emu, HttpMethod.Post, $"/v3/{GaussProject}/instances",
            CreateBody("orders-new", $"{{\"source_instance_id\":\"{GaussInstance}\",\"backup_id\":\"{backupId}\"}}"))));
        var id = (string)made["instance"]!["id"]!;

        Assert.Equal(HttpStatusCode.Accepted, (await http.SendAsync(GaussApiTests.Signed(emu, HttpMethod.Delete, $"/v3/{GaussProject}/instances/{id}", ""))).StatusCode);
        var job = await ReadAsync(await http.SendAsync(GaussApiTests.Signed(emu, HttpMethod.Get, $"/v3/{GaussProject}/jobs?id={(string)made["job_id"]!}", "")));
        Assert.Equal("Failed", (string?)job["job"]!["status"]);
        Assert.Contains("deleted", (string?)job["job"]!["fail_reason"]);
    }
}
