using System;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using BackupTools.Emulator;
using BackupTools.Gauss;
using BackupTools.Tests.Infrastructure;
using Xunit;

namespace BackupTools.Tests.Gauss
{
    /// <summary>Restore-GaussInstance and Get-GaussRestoreWindow driven as a user would, against the emulator over HTTP.</summary>
    public sealed class GaussRestoreTests
    {
        private const string Orders = "07033b125fd94a8a96896f8bcfee6ddain07";
        private const string Customers = "1a2b3c4d5e6f40718293a4b5c6d7e8f9in07";

        private static async Task<EmulatorSession> StartSignedAsync(Action<EmulatorOptions>? configure = null)
        {
            var s = await EmulatorSession.StartAsync(o =>
            {
                o.GaussRestoreDuration = TimeSpan.FromSeconds(2);
                configure?.Invoke(o);
            });
            s.SignGaussWithDemoKey();
            return s;
        }

        [Fact]
        public async Task RestoreFromABackup_OverAnotherInstance_EmitsTheJob_ThatWaitFollows()
        {
            await using var s = await StartSignedAsync();
            var r = s.Run(@"
                $backup = New-GaussBackup -InstanceId $args[0] -Name orders-for-restore -Wait
                $job = $backup | Restore-GaussInstance -InstanceId $args[1] -Force
                $job
                $job | Wait-BackupOperation", Orders, Customers);

            Assert.Empty(r.AllErrors);
            var jobs = r.Objects<GaussJob>().ToList();
            Assert.Equal(2, jobs.Count);
            Assert.Equal(Customers, jobs[0].InstanceId);
            Assert.False(string.IsNullOrEmpty(jobs[0].Id));
            Assert.Equal("Completed", jobs[1].Status);
            Assert.Equal(jobs[0].Id, jobs[1].Id);
            var restore = Assert.Single(s.Emulator.State.GaussRestores);
            Assert.Equal(Customers, restore.TargetInstanceId);
            Assert.Equal(Orders, restore.SourceInstanceId);
            Assert.Equal("backup", restore.Type);
        }

        [Fact]
        public async Task WhatIf_SaysExactlyWhatWouldBeOverwritten_AndSendsNoRestore()
        {
            await using var s = await StartSignedAsync();
            var made = s.Run("New-GaussBackup -InstanceId $args[0] -Name orders-whatif -Wait", Orders);
            var backup = Assert.Single(made.Objects<GaussBackup>());
            var host = new RecordingHost();
            using var shell = new PsSession(host: host);
            shell.SetVariable("gaussSk", BackupTools.Auth.SecretText.Protect(EmulatorSession.GaussSecretKey));
            var r = shell.Run(
                "Restore-GaussInstance -Endpoint $args[0] -AccessKey $args[1] -SecretKey $gaussSk -ProjectId $args[2] -InstanceId $args[3] -BackupId $args[4] -WhatIf",
                s.Endpoint, EmulatorSession.GaussAccessKey, EmulatorSession.GaussProjectId, Customers, backup.Id);

            Assert.Empty(r.AllErrors);
            Assert.Empty(r.Output);
            var whatIf = Assert.Single(host.Lines, l => l.StartsWith("What if:", StringComparison.Ordinal));
            Assert.Contains("ALL data of instance " + Customers + " (gauss-customers) is replaced by backup orders-whatif (" + backup.Id + ") of instance " + Orders + ", taken ", whatIf);
            Assert.Equal(0, s.Emulator.State.CountRequests("POST", "/instances/restore"));
            Assert.Empty(s.Emulator.State.GaussRestores);
        }

        [Fact]
        public async Task PointInTime_IsCheckedAgainstTheRestorableWindow_BeforeSending()
        {
            await using var s = await StartSignedAsync();
            var r = s.Run(@"
                $null = New-GaussBackup -InstanceId $args[0] -Name orders-pitr -Wait
                $window = Get-GaussRestoreWindow -InstanceId $args[0]
                $window
                Restore-GaussInstance -InstanceId $args[0] -RestoreTime ([datetime]::UtcNow.AddDays(-3)) -Force
                Restore-GaussInstance -InstanceId $args[0] -RestoreTime $window.End.UtcDateTime -Force -Wait", Orders);

            var window = Assert.Single(r.Objects<GaussRestoreWindow>());
            Assert.Equal(Orders, window.InstanceId);
            Assert.True(window.End > window.Start);
            var error = Assert.Single(r.Errors);
            Assert.StartsWith("InvalidParameter,", error.FullyQualifiedErrorId);
            Assert.Contains("outside the restorable windows", error.Exception.Message);
            Assert.Equal("Completed", Assert.Single(r.Objects<GaussJob>()).Status);
            var restore = Assert.Single(s.Emulator.State.GaussRestores);
            Assert.Equal("timestamp", restore.Type);
            Assert.Equal(1, s.Emulator.State.CountRequests("POST", "/instances/restore"));
        }

        [Fact]
        public async Task BusyInstance_IsAStableError_AndWaitForInstanceWaitsItOut()
        {
            await using var s = await StartSignedAsync(o => o.GaussRestoreDuration = TimeSpan.FromSeconds(3));
            var r = s.Run(@"
                $backup = New-GaussBackup -InstanceId $args[0] -Name orders-busy -Wait
                $first = $backup | Restore-GaussInstance -InstanceId $args[1] -Force
                $backup | Restore-GaussInstance -InstanceId $args[1] -Force
                $backup | Restore-GaussInstance -InstanceId $args[1] -Force -WaitForInstance -Timeout '2m' -Wait", Orders, Customers);

            Assert.Null(r.Terminating);
            var error = Assert.Single(r.Errors);
            Assert.StartsWith("GaussInstanceBusy,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ResourceExists, error.CategoryInfo.Category);
            Assert.Equal(2, s.Emulator.State.GaussRestores.Count);
            Assert.Contains(r.Objects<GaussJob>(), j => j.Status == "Completed");
        }

        [Fact]
        public async Task BackupNotCompleted_OrMissing_IsRefusedBeforeTheRestore()
        {
            await using var s = await StartSignedAsync(o => o.GaussBackupDuration = TimeSpan.FromSeconds(60));
            var r = s.Run(@"
                $building = New-GaussBackup -InstanceId $args[0] -Name orders-building
                $building | Restore-GaussInstance -InstanceId $args[1] -Force
                Restore-GaussInstance -InstanceId $args[1] -BackupId 0123456789abcdef0123456789abcdefbr07 -Force", Orders, Customers);

            Assert.Null(r.Terminating);
            Assert.Equal(2, r.Errors.Count);
            Assert.StartsWith("GaussBackupNotCompleted,", r.Errors[0].FullyQualifiedErrorId);
            Assert.Contains("BUILDING", r.Errors[0].Exception.Message);
            Assert.StartsWith("GaussBackupNotFound,", r.Errors[1].FullyQualifiedErrorId);
            Assert.Equal(0, s.Emulator.State.CountRequests("POST", "/instances/restore"));
        }

        [Fact]
        public async Task OpenTelekomCloud_RefusesRestoreAndWindows_BeforeAnyRequest()
        {
            await using var s = await StartSignedAsync(o => o.Data.Gauss.Cloud = "OpenTelekomCloud");
            var r1 = s.Run("Restore-GaussInstance -Cloud OpenTelekomCloud -InstanceId $args[0] -BackupId 0123456789abcdef0123456789abcdefbr07 -Force", Orders);
            var r2 = s.Run("Get-GaussRestoreWindow -Cloud OpenTelekomCloud -InstanceId $args[0]", Orders);

            foreach (var r in new[] { r1, r2 })
            {
                var error = Assert.Single(r.AllErrors);
                Assert.StartsWith("NotOfferedByCloud,", error.FullyQualifiedErrorId);
                Assert.Contains("Open Telekom Cloud", error.Exception.Message);
                Assert.NotNull(r.Terminating);
            }

            Assert.Empty(s.Emulator.State.Requests);
        }

        [Theory]
        [InlineData("-InstanceId bad! -BackupId b1 -Force", "ParameterArgumentValidationError")]
        [InlineData("-InstanceId 07033b125fd94a8a96896f8bcfee6ddain07 -RestoreTime ([datetime]::UtcNow.AddHours(1)) -Force", "InvalidParameter")]
        [InlineData("-InstanceId 07033b125fd94a8a96896f8bcfee6ddain07 -BackupId b1 -RestoreTime ([datetime]::UtcNow) -Force", "AmbiguousParameterSet")]
        public async Task BadInput_IsRefusedBeforeAnyRequest(string parameters, string errorId)
        {
            await using var s = await StartSignedAsync();
            var r = s.Run("Restore-GaussInstance " + parameters);

            var error = Assert.Single(r.AllErrors);
            Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
            Assert.NotNull(r.Terminating);
            Assert.Empty(s.Emulator.State.Requests);
        }
    }
}
