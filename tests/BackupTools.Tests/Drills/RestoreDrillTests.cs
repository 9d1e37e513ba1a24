using System;
using System.Linq;
using System.Threading.Tasks;
using BackupTools.Spanner;
using BackupTools.Tests.Infrastructure;
using Xunit;

namespace BackupTools.Tests.Drills
{
    /// <summary>
    /// Restore drills end to end against the emulator, as an operator's runbook would run them: back up,
    /// copy to another instance, restore into something new, wait through optimize, read back, clean up (backups, then the
    /// restored database with Remove-SpannerDatabase, read back as gone).
    /// </summary>
    public sealed class RestoreDrillTests
    {
        [Fact]
        public async Task SpannerDrill_BackUp_CopyToDr_Restore_WaitThroughOptimize_ReadBack_CleanUp_DropTheRestoredDatabase()
        {
            await using var s = await EmulatorSession.StartAsync(o =>
            {
                o.SpannerRestoreDuration = TimeSpan.FromSeconds(2);
                o.SpannerOptimizeDuration = TimeSpan.FromSeconds(2);
            });
            var r = s.Run(@"
                $p = 'demo-project'
                $backup = New-SpannerBackup $p demo-instance orders -BackupId orders-drill -RetentionPeriod '2d' -Wait
                $copy = $backup | Copy-SpannerBackup -DestinationInstance dr-instance -Wait
                $database = $copy | Restore-SpannerDatabase -DatabaseId orders-drill -Wait
                $copyAfter = Get-SpannerBackup $p dr-instance -BackupId orders-drill
                [pscustomobject]@{ Backup = $backup; Copy = $copy; Database = $database; CopyAfter = $copyAfter }
                Remove-SpannerBackup $p dr-instance orders-drill -Force
                Remove-SpannerBackup $p demo-instance orders-drill -Force
                @(Get-SpannerBackup $p dr-instance).Count + @(Get-SpannerBackup $p demo-instance).Count
                $database | Remove-SpannerDatabase -Force
                @(Get-BackupCoverage '1d' -Project $p -Instance dr-instance | Where-Object Database -eq orders-drill).Count
                Remove-SpannerDatabase $p dr-instance orders-drill -Force -ErrorAction SilentlyContinue -ErrorVariable gone
                $gone.FullyQualifiedErrorId");

            Assert.Empty(r.AllErrors);
            var evidence = r.Output[0];
            var backup = Unwrap<SpannerBackup>(evidence.Properties["Backup"].Value);
            var copy = Unwrap<SpannerBackup>(evidence.Properties["Copy"].Value);
            var database = Unwrap<SpannerDatabase>(evidence.Properties["Database"].Value);
            var copyAfter = Unwrap<SpannerBackup>(evidence.Properties["CopyAfter"].Value);

            Assert.Equal("READY", backup.State);
            Assert.Equal("dr-instance", copy.Instance);
            Assert.Equal("READY", copy.State);
            Assert.Equal(backup.ExpireTime, copy.ExpireTime);
            Assert.Equal(backup.VersionTime, copy.VersionTime);
            Assert.Equal("projects/demo-project/instances/dr-instance/databases/orders-drill", database.Name);
            Assert.Equal("READY", database.State);
            Assert.Equal(copy.Name, database.RestoredFromBackup);
            Assert.Equal("projects/demo-project/instances/demo-instance/databases/orders", database.RestoreSourceDatabase);
            Assert.Equal(backup.VersionTime, database.RestoreVersionTime);
            Assert.Empty(copyAfter.ReferencingDatabases); // optimize ended: the copy is free to delete
            Assert.Equal(0, Convert.ToInt32(r.Output[1].BaseObject, System.Globalization.CultureInfo.InvariantCulture));
            Assert.All(s.Emulator.State.SpannerBackups, b => Assert.False(b.Exists));

            // The restored database is dropped last, and read back: no longer listed, and a second drop finds nothing.
            Assert.Equal(0, Convert.ToInt32(r.Output[2].BaseObject, System.Globalization.CultureInfo.InvariantCulture));
            Assert.StartsWith("SpannerNotFound,", r.Output[3].BaseObject.ToString());
            Assert.Equal(4, r.Output.Count);
            Assert.Equal("DELETED", Assert.Single(s.Emulator.State.SpannerRestores).DatabaseState);
        }

        [Fact]
        public async Task GaussDrill_BackUp_RestoreOntoAScratchInstance_ThenToAPointInTime_ReadBack_CleanUp()
        {
            const string source = "07033b125fd94a8a96896f8bcfee6ddain07";   // gauss-orders
            const string scratch = "9f8e7d6c5b4a43210fedcba987654321in07";  // gauss-billing, the drill's throw-away target
            await using var s = await EmulatorSession.StartAsync(o => o.GaussRestoreDuration = TimeSpan.FromSeconds(2));
            s.SignGaussWithDemoKey();
            var r = s.Run(@"
                $backup = New-GaussBackup -InstanceId $args[0] -Name orders-drill -Wait
                $fromBackup = $backup | Restore-GaussInstance -InstanceId $args[1] -Force -Wait
                $window = @(Get-GaussRestoreWindow -InstanceId $args[0])[-1]
                $toTime = Restore-GaussInstance -InstanceId $args[1] -SourceInstanceId $args[0] -RestoreTime $window.End.UtcDateTime -Force -Wait
                $jobAgain = Get-GaussBackupJob -JobId $toTime.Id
                [pscustomobject]@{ Backup = $backup; FromBackup = $fromBackup; Window = $window; ToTime = $toTime; JobAgain = $jobAgain }
                Remove-GaussBackup -BackupId $backup.Id -Force
                @(Get-GaussBackup -InstanceId $args[0]).Count", source, scratch);

            Assert.Empty(r.AllErrors);
            var evidence = r.Output[0];
            var backup = Unwrap<BackupTools.Gauss.GaussBackup>(evidence.Properties["Backup"].Value);
            var fromBackup = Unwrap<BackupTools.Gauss.GaussJob>(evidence.Properties["FromBackup"].Value);
            var window = Unwrap<BackupTools.Gauss.GaussRestoreWindow>(evidence.Properties["Window"].Value);
            var toTime = Unwrap<BackupTools.Gauss.GaussJob>(evidence.Properties["ToTime"].Value);
            var jobAgain = Unwrap<BackupTools.Gauss.GaussJob>(evidence.Properties["JobAgain"].Value);

            Assert.Equal("COMPLETED", backup.Status);
            Assert.Equal("Completed", fromBackup.Status);
            Assert.Equal(scratch, fromBackup.InstanceId);
            Assert.True(window.Start >= backup.EndTime!.Value.AddSeconds(-1));
            Assert.Equal("Completed", toTime.Status);
            Assert.Equal("Completed", jobAgain.Status);
            Assert.Equal(scratch, jobAgain.InstanceId);
            Assert.Equal(0, Convert.ToInt32(r.Output[1].BaseObject, System.Globalization.CultureInfo.InvariantCulture));

            var restores = s.Emulator.State.GaussRestores;
            Assert.Equal(2, restores.Count);
            Assert.All(restores, x => Assert.Equal(scratch, x.TargetInstanceId));
            Assert.All(restores, x => Assert.Equal(source, x.SourceInstanceId));
            Assert.Equal(new[] { "backup", "timestamp" }, restores.Select(x => x.Type));
            Assert.All(restores, x => Assert.False(x.Running));
            Assert.Equal("DELETED", Assert.Single(s.Emulator.State.GaussBackups).Status);
        }

        [Fact]
        public async Task GaussDrill_BackUp_RestoreToANewInstance_ReadBack_CleanUp()
        {
            const string source = "07033b125fd94a8a96896f8bcfee6ddain07";   // gauss-orders
            await using var s = await EmulatorSession.StartAsync(o => o.GaussRestoreDuration = TimeSpan.FromSeconds(2));
            s.SignGaussWithDemoKey();
            s.Shell.SetVariable("pw", BackupTools.Auth.SecretText.Protect("Drill-2026-pw"));
            var r = s.Run(@"
                $backup = New-GaussBackup -InstanceId $args[0] -Name orders-drill -Wait
                $restored = $backup | New-GaussInstance orders-drill-restored -Password $pw -Wait
                $readBack = Get-GaussInstance $restored.Id
                [pscustomobject]@{ Backup = $backup; Restored = $restored; ReadBack = $readBack }
                $restored | Remove-GaussInstance -Force -Wait
                Remove-GaussBackup -BackupId $backup.Id -Force
                @(Get-GaussInstance -Name 'orders-drill-*').Count + @(Get-GaussBackup -InstanceId $args[0]).Count", source);

            Assert.Empty(r.AllErrors);
            var evidence = r.Output[0];
            var backup = Unwrap<BackupTools.Gauss.GaussBackup>(evidence.Properties["Backup"].Value);
            var restored = Unwrap<BackupTools.Gauss.GaussInstance>(evidence.Properties["Restored"].Value);
            var readBack = Unwrap<BackupTools.Gauss.GaussInstance>(evidence.Properties["ReadBack"].Value);
            Assert.Equal("COMPLETED", backup.Status);
            Assert.Equal("ACTIVE", restored.Status);
            Assert.Equal(restored.Id, readBack.Id);
            Assert.Equal("ACTIVE", readBack.Status);
            Assert.Equal(0, Convert.ToInt32(r.Output[1].BaseObject, System.Globalization.CultureInfo.InvariantCulture));
            var made = Assert.Single(s.Emulator.State.GaussInstances);
            Assert.Equal(source, made.SourceInstanceId);
            Assert.Equal(backup.Id, made.BackupId);
            Assert.Equal("DELETED", made.Status);
        }

        private static T Unwrap<T>(object value) => (T)(value is System.Management.Automation.PSObject pso ? pso.BaseObject : value);
    }
}
