using System;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using BackupTools.Drills;
using BackupTools.Emulator;
using BackupTools.Emulator.Faults;
using BackupTools.Gauss;
using BackupTools.Tests.Infrastructure;
using Xunit;

namespace BackupTools.Tests.Gauss
{
    /// <summary>
    /// Restore to a new instance (New-GaussInstance), deleting it (Remove-GaussInstance) and the GaussDB restore drill
    /// (Test-GaussBackupRestore), driven as a user would against the emulator over HTTP.
    /// </summary>
    public sealed class GaussNewInstanceTests
    {
        private const string Orders = "07033b125fd94a8a96896f8bcfee6ddain07";
        private const string Password = "Drill-2026-pw";

        private static async Task<EmulatorSession> StartSignedAsync(Action<EmulatorOptions>? configure = null)
        {
            var s = await EmulatorSession.StartAsync(o =>
            {
                o.GaussRestoreDuration = TimeSpan.FromSeconds(2);
                configure?.Invoke(o);
            });
            s.SignGaussWithDemoKey();
            s.Shell.SetVariable("pw", BackupTools.Auth.SecretText.Protect(Password));
            return s;
        }

        [Fact]
        public async Task PipedBackup_BecomesANewInstance_LikeItsSource_ThenIsRemoved()
        {
            await using var s = await StartSignedAsync();
            var r = s.Run(@"
                $backup = New-GaussBackup -InstanceId $args[0] -Name orders-to-new -Wait
                $building = $backup | New-GaussInstance orders-restored -Password $pw -Debug -Verbose
                $building
                $active = $building | Wait-BackupOperation
                $active
                $backup | Remove-GaussInstance -Force
                $active | Remove-GaussInstance -Force -Wait -PassThru", Orders);

            var building = r.Objects<GaussInstance>().First();
            Assert.Equal("orders-restored", building.Name);
            Assert.Equal("BUILD", building.Status);
            Assert.False(string.IsNullOrEmpty(building.JobId));
            var active = r.Objects<GaussInstance>().Last();
            Assert.Equal("ACTIVE", active.Status);
            Assert.Equal(building.Id, active.Id);
            // The source's specification and network, since nothing else was asked for.
            Assert.Equal("gaussdb.mysql.xlarge.x86.4", active.FlavorRef);
            Assert.Equal("3ec6c2a6-3d59-4b67-9d6e-6e4a3b0c1f21", active.VpcId);
            Assert.Equal(2, active.NodeCount);
            Assert.Equal("8.0", active.DatastoreVersion);

            // A piped backup is not an instance to delete: refused for that item, nothing deleted by it.
            var refused = Assert.Single(r.Errors);
            Assert.StartsWith("InvalidParameter,", refused.FullyQualifiedErrorId);
            Assert.Contains("takes instances", refused.Exception.Message);
            var deleteJob = Assert.Single(r.Objects<GaussJob>());
            Assert.Equal(active.Id, deleteJob.InstanceId);

            var made = Assert.Single(s.Emulator.State.GaussInstances);
            Assert.Equal(Orders, made.SourceInstanceId);
            Assert.Equal("DELETED", made.Status);
            Assert.Equal(1, s.Emulator.State.CountRequests("DELETE", "/instances/"));

            // The password is in no stream.
            Assert.DoesNotContain(Password, r.AllText());
            Assert.Contains(r.Debug, d => d.Contains("\"password\"", StringComparison.Ordinal) || d.Contains("POST", StringComparison.Ordinal));
        }

        [Fact]
        public async Task PointInTime_ToANewInstance_IsCheckedAgainstTheWindow_AndWhatIfSendsNothing()
        {
            await using var s = await StartSignedAsync();
            var r = s.Run(@"
                $null = New-GaussBackup -InstanceId $args[0] -Name orders-pitr -Wait
                $window = @(Get-GaussRestoreWindow -InstanceId $args[0])[-1]
                New-GaussInstance orders-too-early -SourceInstanceId $args[0] -RestoreTime ([datetime]::UtcNow.AddDays(-3)) -Password $pw
                New-GaussInstance orders-whatif -SourceInstanceId $args[0] -RestoreTime $window.End.UtcDateTime -Password $pw -ReadReplicas 3 -WhatIf
                New-GaussInstance orders-pitr -SourceInstanceId $args[0] -RestoreTime $window.End.UtcDateTime -Password $pw -FlavorRef gaussdb.mysql.2xlarge.x86.4 -Wait", Orders);

            var error = Assert.Single(r.Errors);
            Assert.StartsWith("InvalidParameter,", error.FullyQualifiedErrorId);
            Assert.Contains("outside the restorable windows", error.Exception.Message);
            var instance = Assert.Single(r.Objects<GaussInstance>());
            Assert.Equal("ACTIVE", instance.Status);
            Assert.Equal("gaussdb.mysql.2xlarge.x86.4", instance.FlavorRef);
            var made = Assert.Single(s.Emulator.State.GaussInstances);
            Assert.Equal("orders-pitr", made.Name);
            Assert.NotNull(made.RestoreTime);
            Assert.Equal(1, s.Emulator.State.CountRequests("POST", "/instances"));
        }

        [Fact]
        public async Task WhatIf_NamesTheNewInstance_ItsSpecification_AndTheBackup()
        {
            await using var s = await StartSignedAsync();
            var backup = Assert.Single(s.Run("New-GaussBackup -InstanceId $args[0] -Name orders-whatif -Wait", Orders).Objects<GaussBackup>());
            var host = new RecordingHost();
            using var shell = new PsSession(host: host);
            shell.SetVariable("gaussSk", BackupTools.Auth.SecretText.Protect(EmulatorSession.GaussSecretKey));
            shell.SetVariable("pw", BackupTools.Auth.SecretText.Protect(Password));
            var r = shell.Run(
                "New-GaussInstance orders-copy -BackupId $args[3] -Password $pw -ReadReplicas 3 -Endpoint $args[0] -AccessKey $args[1] -SecretKey $gaussSk -ProjectId $args[2] -WhatIf",
                s.Endpoint, EmulatorSession.GaussAccessKey, EmulatorSession.GaussProjectId, backup.Id);

            Assert.Empty(r.AllErrors);
            var whatIf = Assert.Single(host.Lines, l => l.StartsWith("What if:", StringComparison.Ordinal));
            Assert.Contains("new instance orders-copy (gaussdb.mysql.xlarge.x86.4, 3 read replicas, VPC 3ec6c2a6-3d59-4b67-9d6e-6e4a3b0c1f21", whatIf);
            Assert.Contains("from backup orders-whatif (" + backup.Id + ") of instance " + Orders + " (gauss-orders)", whatIf);
            Assert.Equal(0, s.Emulator.State.CountRequests("POST", "/instances"));
        }

        [Theory]
        [InlineData("New-GaussInstance orders-x -BackupId b1 -Password (ConvertTo-SecureString 'short' -AsPlainText -Force)", "InvalidParameter", "root password")]
        [InlineData("New-GaussInstance orders-x -BackupId b1 -Password (ConvertTo-SecureString 'alllowercase1' -AsPlainText -Force)", "InvalidParameter", "at least three")]
        [InlineData("New-GaussInstance 9lives -BackupId b1 -Password $pw", "ParameterArgumentValidationError", "GaussDB instance name")]
        [InlineData("New-GaussInstance orders-x -BackupId b1 -Password $pw -AvailabilityZoneMode multi", "InvalidParameter", "MasterAvailabilityZone")]
        [InlineData("New-GaussInstance orders-x -BackupId b1 -Password $pw -ReadReplicas 10", "ParameterArgumentValidationError", "10")]
        [InlineData("New-GaussInstance orders-x -SourceInstanceId 07033b125fd94a8a96896f8bcfee6ddain07 -RestoreTime ([datetime]::UtcNow.AddHours(1)) -Password $pw", "InvalidParameter", "future")]
        [InlineData("Remove-GaussInstance bad!", "ParameterArgumentValidationError", "GaussDB instance id")]
        public async Task BadInput_IsRefusedBeforeAnyRequest_NamingTheRule(string command, string errorId, string named)
        {
            await using var s = await StartSignedAsync();
            var r = s.Run(command);

            var error = Assert.Single(r.AllErrors);
            Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
            Assert.Contains(named, error.Exception.Message);
            Assert.DoesNotContain(Password, error.Exception.Message);
            Assert.Empty(s.Emulator.State.Requests);
        }

        [Fact]
        public async Task ANameAlreadyTaken_OrABackupNotCompleted_IsRefusedBeforeTheCreate()
        {
            await using var s = await StartSignedAsync(o =>
            {
                o.GaussBackupDuration = TimeSpan.FromSeconds(60);
                o.Data.Gauss.Instances.First(i => i.Id == Orders).Backups.Add(new GaussBackupSeed { Age = TimeSpan.FromHours(2) });
            });
            var r = s.Run(@"
                $building = New-GaussBackup -InstanceId $args[0] -Name orders-building
                $building | New-GaussInstance orders-new -Password $pw
                Get-GaussBackup -InstanceId $args[0] -BackupType auto | New-GaussInstance gauss-customers -Password $pw", Orders);

            Assert.Null(r.Terminating);
            Assert.Equal(2, r.Errors.Count);
            Assert.StartsWith("GaussBackupNotCompleted,", r.Errors[0].FullyQualifiedErrorId);
            Assert.StartsWith("InvalidParameter,", r.Errors[1].FullyQualifiedErrorId);
            Assert.Contains("An instance named gauss-customers already exists", r.Errors[1].Exception.Message);
            Assert.Equal(0, s.Emulator.State.CountRequests("POST", "/instances"));
        }

        [Fact]
        public async Task ACreateWhoseAnswerIsLost_IsReadBackByName_NotSentTwice()
        {
            await using var s = await StartSignedAsync();
            var made = s.Run("New-GaussBackup -InstanceId $args[0] -Name orders-lost -Wait", Orders);
            Assert.Empty(made.AllErrors);
            s.Emulator.Faults.Enqueue(FaultKind.CutAfterProcessing, 1, "POST", "/instances");
            var r = s.Run("Get-GaussBackup -InstanceId $args[0] -BackupType manual | New-GaussInstance orders-adopted -Password $pw -Wait", Orders);

            Assert.Empty(r.Errors);
            var instance = Assert.Single(r.Objects<GaussInstance>());
            Assert.True(instance.ResolvedByReadBack);
            Assert.Equal("ACTIVE", instance.Status);
            Assert.Contains(r.Warnings, w => w.Contains("adopted", StringComparison.Ordinal));
            Assert.Single(s.Emulator.State.GaussInstances);
        }

        [Fact]
        public async Task ABackupOfADeletedInstance_IsRestoredToANewInstance_WithTheSpecificationGiven()
        {
            const string billing = "9f8e7d6c5b4a43210fedcba987654321in07";
            await using var s = await StartSignedAsync();
            var r = s.Run(@"
                $backup = New-GaussBackup -InstanceId $args[0] -Name billing-last -Wait
                Remove-GaussInstance $args[0] -Force -Wait
                $backup | New-GaussInstance billing-back -Password $pw
                $backup | New-GaussInstance billing-back -Password $pw -Region eu-de -FlavorRef gaussdb.mysql.xlarge.x86.4 -VpcId vpc-1 -SubnetId subnet-1 -WhatIf
                $backup | New-GaussInstance billing-back -Password $pw -Region eu-de -FlavorRef gaussdb.mysql.xlarge.x86.4 -VpcId vpc-1 -SubnetId subnet-1 -Wait", billing);

            var refused = Assert.Single(r.Errors);
            Assert.StartsWith("InvalidParameter,", refused.FullyQualifiedErrorId);
            Assert.Contains("no longer exists", refused.Exception.Message);
            Assert.Contains("-FlavorRef, -VpcId, -SubnetId", refused.Exception.Message);
            var instance = Assert.Single(r.Objects<GaussInstance>());
            Assert.Equal("ACTIVE", instance.Status);
            Assert.Equal("vpc-1", instance.VpcId);
            var made = Assert.Single(s.Emulator.State.GaussInstances, i => i.Name == "billing-back");
            Assert.Equal(billing, made.SourceInstanceId);
            Assert.Equal(1, s.Emulator.State.CountRequests("POST", "/instances"));
        }

        [Fact]
        public async Task OpenTelekomCloud_RestoresToANewInstance_TheOneRestoreItOffers()
        {
            await using var s = await StartSignedAsync(o => o.Data.Gauss.Cloud = "OpenTelekomCloud");
            var r = s.Run(@"
                $backup = New-GaussBackup -InstanceId $args[0] -Name orders-otc -Wait
                $backup | New-GaussInstance -Cloud OpenTelekomCloud orders-otc-restored -Password $pw -Wait", Orders);

            Assert.Empty(r.AllErrors);
            Assert.Equal("ACTIVE", Assert.Single(r.Objects<GaussInstance>()).Status);
            Assert.Equal(0, s.Emulator.State.CountRequests("GET", "/restore-time"));
        }

        [Fact]
        public async Task ABusyInstance_IsDeletedOnceFree_WithWaitForInstance_AndALostDeleteAnswerIsNoError()
        {
            await using var s = await StartSignedAsync();
            var r = s.Run(@"
                $backup = New-GaussBackup -InstanceId $args[0] -Name orders-busy -Wait
                $a = $backup | New-GaussInstance orders-busy-a -Password $pw -Wait
                $b = $backup | New-GaussInstance orders-busy-b -Password $pw -Wait
                $null = New-GaussBackup -InstanceId $a.Id -Name busy-a
                $a | Remove-GaussInstance -Force
                $a | Remove-GaussInstance -Force -WaitForInstance -Wait -Timeout '2m'", Orders);
            s.Emulator.Faults.Enqueue(FaultKind.CutAfterProcessing, 1, "DELETE", "/instances/");
            var lost = s.Run("Get-GaussInstance -Name orders-busy-b | Remove-GaussInstance -Force");

            var busy = Assert.Single(r.Errors);
            Assert.StartsWith("GaussInstanceBusy,", busy.FullyQualifiedErrorId);
            Assert.Null(r.Terminating);
            Assert.Empty(lost.AllErrors);
            Assert.Contains(lost.Warnings, w => w.Contains("already gone", StringComparison.Ordinal));
            Assert.All(s.Emulator.State.GaussInstances, i => Assert.Equal("DELETED", i.Status));
        }

        [Fact]
        public async Task APrepaidInstance_IsDeletedThroughAnOrder_WhichTheWarningNames()
        {
            const string billing = "9f8e7d6c5b4a43210fedcba987654321in07";
            await using var s = await StartSignedAsync(o => o.Data.Gauss.Instances.First(i => i.Id == billing).Prepaid = true);
            var r = s.Run("Remove-GaussInstance $args[0] -Force -Wait -PassThru", billing);

            Assert.Empty(r.AllErrors);
            Assert.Empty(r.Output);
            Assert.Contains(r.Warnings, w => w.Contains("deleted through order CS", StringComparison.Ordinal));
            Assert.Equal("DELETED", Assert.Single(s.Emulator.State.GaussInstances).Status);
        }

        [Fact]
        public async Task Drill_WhoseScratchInstanceIsBusy_WaitsItOut_AndStillDeletesIt()
        {
            await using var s = await StartSignedAsync();
            var r = s.Run(@"
                $null = New-GaussBackup -InstanceId $args[0] -Name orders-drill -Wait
                Test-GaussBackupRestore $args[0] -Check { $null = New-GaussBackup -InstanceId $_.Id -Name busy-scratch; throw 'checked while a backup runs' }", Orders);

            var result = Assert.Single(r.Objects<RestoreDrillResult>());
            Assert.Equal("CheckFailed", result.Outcome);
            Assert.True(result.CleanedUp, result.Cleanup);
            Assert.StartsWith("deleted scratch instance", result.Cleanup);
            Assert.Equal("DELETED", Assert.Single(s.Emulator.State.GaussInstances).Status);
        }

        [Fact]
        public async Task Drill_RestoresTheNewestBackup_IntoAScratchInstance_RunsTheCheck_AndDeletesIt()
        {
            await using var s = await StartSignedAsync();
            var r = s.Run(@"
                $null = New-GaussBackup -InstanceId $args[0] -Name orders-old -Wait
                $null = New-GaussBackup -InstanceId $args[0] -Name orders-newest -Wait
                Test-GaussBackupRestore $args[0] -Check { param($instance) $instance.Status -eq 'ACTIVE'; $_.Name }", Orders);

            Assert.Empty(r.AllErrors);
            var result = Assert.Single(r.Objects<RestoreDrillResult>());
            Assert.Equal("GaussDB", result.Cloud);
            Assert.Equal("Passed", result.Outcome);
            Assert.True(result.Succeeded);
            Assert.Equal(Orders, result.Source);
            Assert.StartsWith("orders-newest (", result.Backup);
            Assert.StartsWith("drill-07033b12-", result.Scratch);
            Assert.Equal(true, result.CheckOutput[0]);
            Assert.StartsWith("drill-", (string)result.CheckOutput[1]);
            Assert.True(result.CleanedUp);
            Assert.StartsWith("deleted scratch instance drill-", result.Cleanup);
            var scratch = Assert.Single(s.Emulator.State.GaussInstances);
            Assert.Equal("DELETED", scratch.Status);
            Assert.Equal(Orders, scratch.SourceInstanceId);
        }

        [Fact]
        public async Task Drill_WithoutABackup_OrWithACheckThatThrows_FailsWithItsOwnId_AndLeavesNoScratchInstance()
        {
            await using var s = await StartSignedAsync();
            var none = s.Run("Test-GaussBackupRestore $args[0]", Orders);
            Assert.Equal("NoBackup", Assert.Single(none.Objects<RestoreDrillResult>()).Outcome);
            Assert.StartsWith("RestoreDrillNoBackup,", Assert.Single(none.Errors).FullyQualifiedErrorId);

            var r = s.Run(@"
                $null = New-GaussBackup -InstanceId $args[0] -Name orders-drill -Wait
                Test-GaussBackupRestore $args[0] -Check { throw 'no rows in orders' }", Orders);
            var result = Assert.Single(r.Objects<RestoreDrillResult>());
            Assert.Equal("CheckFailed", result.Outcome);
            Assert.Contains("no rows in orders", result.Error);
            Assert.True(result.CleanedUp);
            Assert.StartsWith("RestoreDrillCheckFailed,", Assert.Single(r.Errors).FullyQualifiedErrorId);
            Assert.All(s.Emulator.State.GaussInstances, i => Assert.Equal("DELETED", i.Status));
        }

        [Fact]
        public async Task Drill_StoppedWithCtrlC_WhileTheScratchInstanceIsBuilt_StillDeletesIt()
        {
            await using var s = await StartSignedAsync(o => o.GaussRestoreDuration = TimeSpan.FromMinutes(5));
            Assert.Empty(s.Run("New-GaussBackup -InstanceId $args[0] -Name orders-drill -Wait", Orders).AllErrors);
            var (ps, handle) = s.Shell.Start("Test-GaussBackupRestore $args[0]", Orders);
            try
            {
                var deadline = Stopwatch.StartNew();
                while (s.Emulator.State.GaussInstances.Count == 0 && deadline.Elapsed < TimeSpan.FromSeconds(20))
                {
                    await Task.Delay(50);
                }

                Assert.Equal("BUILD", Assert.Single(s.Emulator.State.GaussInstances).Status);
                var clock = Stopwatch.StartNew();
                ps.Stop();
                Assert.Throws<PipelineStoppedException>(() => ps.EndInvoke(handle));
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "Stop took " + clock.Elapsed);
            }
            finally
            {
                ps.Dispose();
            }

            Assert.Equal("DELETED", Assert.Single(s.Emulator.State.GaussInstances).Status);
        }
    }
}
