using System;
using System.Linq;
using System.Threading.Tasks;
using BackupTools.Emulator;
using BackupTools.Gauss;
using BackupTools.Spanner;
using BackupTools.Tests.Infrastructure;
using Xunit;

namespace BackupTools.Tests.Waiting
{
    /// <summary>Every new operation kind in one mixed fleet wait, and injected faults on the new calls.</summary>
    public sealed class LifecycleFleetTests
    {
        private const string Orders = "07033b125fd94a8a96896f8bcfee6ddain07";
        private const string Billing = "9f8e7d6c5b4a43210fedcba987654321in07";

        [Fact]
        public async Task OneWait_FollowsBackupCopyRestoreAndGaussRestore_Together()
        {
            await using var s = await EmulatorSession.StartAsync(o =>
            {
                o.SpannerRestoreDuration = TimeSpan.FromSeconds(3);
                o.SpannerOptimizeDuration = TimeSpan.FromSeconds(3);
                o.GaussRestoreDuration = TimeSpan.FromSeconds(3);
            });
            s.SignGaussWithDemoKey();
            s.Shell.SetVariable("pw", BackupTools.Auth.SecretText.Protect("Fleet-2026-pw"));
            var r = s.Run(@"
                $src = New-SpannerBackup demo-project demo-instance orders -BackupId fleet-src -Wait
                $gb = New-GaussBackup -InstanceId $args[0] -Name fleet-gauss -Wait
                $ops = @(
                    New-SpannerBackup demo-project demo-instance billing -BackupId fleet-new
                    $src | Copy-SpannerBackup -DestinationInstance dr-instance
                    $src | Restore-SpannerDatabase -DatabaseId fleet-restored
                    $gb | Restore-GaussInstance -InstanceId $args[1] -Force
                    $gb | New-GaussInstance fleet-new-instance -Password $pw
                    New-GaussBackup -InstanceId $args[0] -Name fleet-gauss-2
                )
                $ops | Wait-BackupOperation", Orders, Billing);

            Assert.Empty(r.AllErrors);
            var results = r.Output.Select(o => o.BaseObject).ToList();
            Assert.Equal(6, results.Count);
            Assert.Equal("ACTIVE", Assert.Single(results.OfType<GaussInstance>()).Status);
            Assert.Equal(2, results.OfType<SpannerBackup>().Count(b => b.BackupId.StartsWith("fleet-", StringComparison.Ordinal) && b.State == "READY"));
            Assert.Equal("READY", Assert.Single(results.OfType<SpannerDatabase>()).State);
            Assert.Equal("Completed", Assert.Single(results.OfType<GaussJob>()).Status);
            Assert.Equal("COMPLETED", Assert.Single(results.OfType<GaussBackup>()).Status);
            Assert.Contains(r.Progress, p => p.StatusDescription.StartsWith("Optimize phase:", StringComparison.Ordinal));
        }

        [Fact]
        public async Task InjectedFaults_OnTheNewCalls_AreRetried_AndNothingIsDoneTwice()
        {
            await using var s = await EmulatorSession.StartAsync(o =>
            {
                o.SpannerRestoreDuration = TimeSpan.FromSeconds(2);
                o.SpannerOptimizeDuration = TimeSpan.FromSeconds(2);
            });
            s.SignGaussWithDemoKey();
            Assert.Empty(s.Run("New-SpannerBackup demo-project demo-instance orders -BackupId faulty-src -Wait; New-GaussBackup -InstanceId $args[0] -Name faulty-gauss -Wait", Orders).AllErrors);

            s.Emulator.Faults.Enqueue(FaultKind.Unavailable503, 1, "POST", "/backups:copy");
            s.Emulator.Faults.Enqueue(FaultKind.Throttle429, 1, "POST", "/databases:restore");
            s.Emulator.Faults.Enqueue(FaultKind.Unavailable503, 2, "GET", "/databases/faulty-restored/operations/");
            s.Emulator.Faults.Enqueue(FaultKind.Unavailable503, 1, "GET", "/restore-time");
            s.Emulator.Faults.Enqueue(FaultKind.Throttle429, 1, "GET", "/backups/policy");
            s.Emulator.Faults.Enqueue(FaultKind.Throttle429, 1, "POST", "/instances");
            s.Emulator.Faults.Enqueue(FaultKind.Unavailable503, 1, "DELETE", "/instances/");
            s.Shell.SetVariable("pw", BackupTools.Auth.SecretText.Protect("Fleet-2026-pw"));
            var r = s.Run(@"
                $src = Get-SpannerBackup demo-project demo-instance -BackupId faulty-src
                $src | Copy-SpannerBackup -DestinationInstance dr-instance -Wait
                $src | Restore-SpannerDatabase -DatabaseId faulty-restored -Wait
                Get-GaussRestoreWindow -InstanceId $args[0]
                Get-GaussBackupPolicy $args[0]
                Get-GaussBackup -InstanceId $args[0] -BackupType manual | New-GaussInstance faulty-new -Password $pw -Wait | Remove-GaussInstance -Force -Wait", Orders);

            Assert.Empty(r.AllErrors);
            Assert.Equal("DELETED", Assert.Single(s.Emulator.State.GaussInstances).Status);
            Assert.Single(r.Objects<SpannerBackup>(), b => b.Instance == "dr-instance");
            Assert.Equal("READY", Assert.Single(r.Objects<SpannerDatabase>()).State);
            Assert.Single(r.Objects<GaussRestoreWindow>());
            Assert.Single(r.Objects<GaussBackupPolicy>());
            Assert.True(s.Emulator.State.CountFaulted() >= 8);
            Assert.Equal(2, s.Emulator.State.SpannerBackups.Count); // the source and one copy
            Assert.Single(s.Emulator.State.SpannerRestores);
        }
    }
}
