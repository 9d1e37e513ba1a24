using System;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using BackupTools.Drills;
using BackupTools.Tests.Infrastructure;
using Xunit;

namespace BackupTools.Tests.Fleet
{
    /// <summary>Test-SpannerBackupRestore against the emulator: evidence, and no scratch database left behind whatever happens.</summary>
    public sealed class RestoreDrillCmdletTests
    {
        private static async Task<EmulatorSession> StartAsync(TimeSpan restore)
        {
            var s = await EmulatorSession.StartAsync(o =>
            {
                o.SpannerRestoreDuration = restore;
                o.SpannerOptimizeDuration = TimeSpan.FromSeconds(2);
            });
            var made = s.Run("New-SpannerBackup demo-project demo-instance orders -BackupId orders-old -Wait; New-SpannerBackup demo-project demo-instance orders -BackupId orders-drill -Wait");
            Assert.Empty(made.AllErrors);
            return s;
        }

        [Fact]
        public async Task Drill_RestoresTheNewestBackup_ThroughOptimize_RunsTheCheck_AndDropsTheScratchDatabase()
        {
            await using var s = await StartAsync(TimeSpan.FromSeconds(2));
            var r = s.Run("Test-SpannerBackupRestore demo-project demo-instance orders -Check { param($db) $db.State -eq 'READY'; $_.DatabaseId }");

            Assert.Empty(r.AllErrors);
            var result = Assert.Single(r.Objects<RestoreDrillResult>());
            Assert.Equal("Passed", result.Outcome);
            Assert.True(result.Succeeded);
            Assert.Equal("projects/demo-project/instances/demo-instance/backups/orders-drill", result.Backup);
            Assert.Equal("projects/demo-project/instances/demo-instance/databases/orders", result.Source);
            Assert.StartsWith("projects/demo-project/instances/demo-instance/databases/drill-", result.Scratch);
            Assert.True(result.CheckPassed);
            Assert.Equal(true, result.CheckOutput[0]);
            Assert.StartsWith("drill-", (string)result.CheckOutput[1]);
            Assert.NotNull(result.OptimizeTime);
            Assert.True(result.RestoreTime >= TimeSpan.FromSeconds(1.5), "restore " + result.RestoreTime);
            Assert.True(result.CleanedUp);
            Assert.StartsWith("dropped ", result.Cleanup);
            var restore = Assert.Single(s.Emulator.State.SpannerRestores);
            Assert.Equal(result.Scratch, restore.DatabaseName);
            Assert.Equal("DELETED", restore.DatabaseState);
        }

        [Fact]
        public async Task ACheckThatThrows_FailsTheDrill_AndTheScratchDatabaseIsStillDropped()
        {
            await using var s = await StartAsync(TimeSpan.FromSeconds(1));
            var r = s.Run("Test-SpannerBackupRestore demo-project demo-instance orders -Check { throw 'row count is 0' }");

            var result = Assert.Single(r.Objects<RestoreDrillResult>());
            Assert.Equal("CheckFailed", result.Outcome);
            Assert.False(result.Succeeded);
            Assert.False(result.CheckPassed);
            Assert.Contains("row count is 0", result.Error);
            Assert.True(result.CleanedUp);
            var error = Assert.Single(r.Errors);
            Assert.StartsWith("RestoreDrillCheckFailed", error.FullyQualifiedErrorId);
            Assert.Equal("DELETED", Assert.Single(s.Emulator.State.SpannerRestores).DatabaseState);

            var falseCheck = s.Run("Test-SpannerBackupRestore demo-project demo-instance orders -Check { $false }");
            Assert.Equal("CheckFailed", Assert.Single(falseCheck.Objects<RestoreDrillResult>()).Outcome);
            Assert.All(s.Emulator.State.SpannerRestores, x => Assert.Equal("DELETED", x.DatabaseState));
        }

        [Fact]
        public async Task CtrlC_DuringTheRestore_CancelsIt_AndLeavesNoScratchDatabase()
        {
            await using var s = await StartAsync(TimeSpan.FromMinutes(5));
            var (ps, handle) = s.Shell.Start("Test-SpannerBackupRestore demo-project demo-instance orders");
            try
            {
                var deadline = Stopwatch.StartNew();
                while (s.Emulator.State.SpannerRestores.Count == 0 && deadline.Elapsed < TimeSpan.FromSeconds(20))
                {
                    await Task.Delay(50);
                }

                Assert.Single(s.Emulator.State.SpannerRestores);
                var clock = Stopwatch.StartNew();
                ps.Stop();
                Assert.Throws<PipelineStoppedException>(() => ps.EndInvoke(handle));
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), "Stop took " + clock.Elapsed);
            }
            finally
            {
                ps.Dispose();
            }

            var restore = Assert.Single(s.Emulator.State.SpannerRestores);
            Assert.True(restore.Cancelled);
            Assert.Equal("DELETED", restore.DatabaseState);
        }

        [Fact]
        public async Task CtrlC_DuringTheCheck_StillDropsTheScratchDatabase()
        {
            await using var s = await StartAsync(TimeSpan.FromSeconds(1));
            var (ps, handle) = s.Shell.Start("Test-SpannerBackupRestore demo-project demo-instance orders -Check { try { Get-SpannerBackup demo-project demo-instance -BackupId check-started -ErrorAction Stop } catch { }; while ($true) { [System.Threading.Thread]::Sleep(50) } }");
            try
            {
                var deadline = Stopwatch.StartNew();
                // The check says it has started by a request the emulator logs.
                while (s.Emulator.State.CountRequests("GET", "/backups/check-started") == 0 && deadline.Elapsed < TimeSpan.FromSeconds(30))
                {
                    await Task.Delay(50);
                }

                Assert.Equal("READY", Assert.Single(s.Emulator.State.SpannerRestores).DatabaseState);
                ps.Stop();
                Assert.Throws<PipelineStoppedException>(() => ps.EndInvoke(handle));
            }
            finally
            {
                ps.Dispose();
            }

            var restore = Assert.Single(s.Emulator.State.SpannerRestores);
            Assert.False(restore.Cancelled);
            Assert.Equal("DELETED", restore.DatabaseState);
        }

        [Fact]
        public async Task ADatabaseWithoutBackups_IsAnError_AndNothingIsRestored()
        {
            await using var s = await StartAsync(TimeSpan.FromSeconds(1));
            var r = s.Run("Test-SpannerBackupRestore demo-project demo-instance billing");

            var result = Assert.Single(r.Objects<RestoreDrillResult>());
            Assert.Equal("NoBackup", result.Outcome);
            Assert.Null(result.Backup);
            Assert.True(result.CleanedUp);
            Assert.StartsWith("RestoreDrillNoBackup", Assert.Single(r.Errors).FullyQualifiedErrorId);
            Assert.Empty(s.Emulator.State.SpannerRestores);
        }
    }
}
