using System;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using BackupTools.Spanner;
using BackupTools.Tests.Infrastructure;
using Xunit;

namespace BackupTools.Tests.Spanner
{
    /// <summary>Restore-SpannerDatabase and the restore's two phases, driven as a user would against the emulator over HTTP.</summary>
    public sealed class SpannerRestoreTests
    {
        private const string P = EmulatorSession.Project;
        private const string I = EmulatorSession.Instance;
        private const string Dr = "dr-instance";

        private static Task<EmulatorSession> StartAsync(Action<BackupTools.Emulator.EmulatorOptions>? configure = null) =>
            EmulatorSession.StartAsync(o =>
            {
                o.SpannerRestoreDuration = TimeSpan.FromSeconds(2);
                o.SpannerOptimizeDuration = TimeSpan.FromSeconds(2);
                configure?.Invoke(o);
            });

        [Fact]
        public async Task Restore_EmitsAnOperation_ThatWaitFollowsThroughRestoreAndOptimize_ToAReadyDatabase()
        {
            // Long enough phases that the first poll (after 3 s) finds the restore running, a later one the optimize step.
            await using var s = await StartAsync(o =>
            {
                o.SpannerRestoreDuration = TimeSpan.FromSeconds(5);
                o.SpannerOptimizeDuration = TimeSpan.FromSeconds(5);
            });
            var r = s.Run(@"
                $op = New-SpannerBackup $args[0] $args[1] orders -BackupId orders-r1 -Wait | Restore-SpannerDatabase -DatabaseId orders-restored
                $op
                $op | Wait-BackupOperation", P, I);

            Assert.Empty(r.AllErrors);
            var op = Assert.Single(r.Objects<SpannerRestoreOperation>());
            Assert.Equal("Restore", op.Phase);
            Assert.False(op.Done);
            Assert.Equal("orders-restored", op.DatabaseId);
            Assert.Equal(I, op.Instance);
            Assert.Equal($"projects/{P}/instances/{I}/backups/orders-r1", op.Backup);
            Assert.StartsWith($"projects/{P}/instances/{I}/databases/orders-restored/operations/", op.Name);

            var database = Assert.Single(r.Objects<SpannerDatabase>());
            Assert.Equal("READY", database.State);
            Assert.Equal($"projects/{P}/instances/{I}/databases/orders-restored", database.Name);
            Assert.Equal($"projects/{P}/instances/{I}/backups/orders-r1", database.RestoredFromBackup);
            Assert.Equal($"projects/{P}/instances/{I}/databases/orders", database.RestoreSourceDatabase);

            // The wait said which phase it was in, and polled the optimize operation.
            var statuses = r.Progress.Select(p => p.StatusDescription).ToList();
            Assert.Contains(statuses, t => t.StartsWith("Restore phase:", StringComparison.Ordinal));
            Assert.Contains(statuses, t => t.StartsWith("Optimize phase:", StringComparison.Ordinal));
            var restore = Assert.Single(s.Emulator.State.SpannerRestores);
            Assert.True(s.Emulator.State.CountRequests("GET", restore.OptimizeOperationName) >= 1);
            Assert.Equal("READY", restore.DatabaseState);
        }

        [Fact]
        public async Task SkipOptimize_StopsWhenTheRestoreEnds_WithTheDatabaseStillOptimizing()
        {
            await using var s = await StartAsync(o => o.SpannerOptimizeDuration = TimeSpan.FromMinutes(10));
            var r = s.Run(@"
                $null = New-SpannerBackup $args[0] $args[1] billing -BackupId billing-r1 -Wait
                Restore-SpannerDatabase ('projects/' + $args[0] + '/instances/' + $args[1] + '/backups/billing-r1') billing-restored -Wait -SkipOptimize", P, I);

            Assert.Empty(r.AllErrors);
            var database = Assert.Single(r.Objects<SpannerDatabase>());
            Assert.Equal("READY_OPTIMIZING", database.State);
            Assert.DoesNotContain(r.Progress, p => p.StatusDescription.StartsWith("Optimize", StringComparison.Ordinal));
        }

        [Fact]
        public async Task TheBackupIsInUse_UntilOptimizingEnds()
        {
            await using var s = await StartAsync(o => o.SpannerOptimizeDuration = TimeSpan.FromSeconds(4));
            var r = s.Run(@"
                $b = New-SpannerBackup $args[0] $args[1] audit -BackupId audit-r1 -Wait
                $db = $b | Restore-SpannerDatabase -DatabaseId audit-restored -Wait -SkipOptimize
                (Get-SpannerBackup $args[0] $args[1] -BackupId audit-r1).ReferencingDatabases
                Remove-SpannerBackup $args[0] $args[1] audit-r1 -Force
                [System.Threading.Thread]::Sleep(5000)
                Remove-SpannerBackup $args[0] $args[1] audit-r1 -Force", P, I);

            Assert.Null(r.Terminating);
            Assert.Contains($"projects/{P}/instances/{I}/databases/audit-restored", r.Output.Select(o => o.BaseObject).OfType<string>());
            var error = Assert.Single(r.Errors);
            Assert.StartsWith("SpannerFailedPrecondition,", error.FullyQualifiedErrorId);
            Assert.Contains("still in use by 1 databases for pending restore activity", error.Exception.Message);
            Assert.False(s.Emulator.State.SpannerBackups.Single().Exists);
        }

        [Fact]
        public async Task OneRestoreAtATimePerInstance_IsAClearError_AndWaitForInstanceWaitsForIt()
        {
            await using var s = await StartAsync(o => o.SpannerRestoreDuration = TimeSpan.FromSeconds(3));
            var r = s.Run(@"
                $b = New-SpannerBackup $args[0] $args[1] customers -BackupId cust-r1 -Wait
                $first = $b | Restore-SpannerDatabase -DatabaseId cust-a
                $b | Restore-SpannerDatabase -DatabaseId cust-b
                $b | Restore-SpannerDatabase -DatabaseId cust-c -WaitForInstance -Timeout '2m' -Wait -SkipOptimize", P, I);

            Assert.Null(r.Terminating);
            var error = Assert.Single(r.Errors);
            Assert.StartsWith("SpannerRestorePending,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
            Assert.Equal($"projects/{P}/instances/{I}/databases/cust-b", error.TargetObject);
            Assert.Contains("one restore at a time per instance", error.Exception.Message);
            Assert.Contains("-WaitForInstance", error.Exception.Message);
            Assert.Equal("cust-c", Assert.Single(r.Objects<SpannerDatabase>()).DatabaseId);
            Assert.Equal(new[] { "cust-a", "cust-c" }, s.Emulator.State.SpannerRestores.Select(x => x.DatabaseName.Split('/').Last()).OrderBy(x => x));
        }

        [Fact]
        public async Task ServiceRefusals_HaveStableIds()
        {
            await using var s = await StartAsync(o =>
            {
                o.SpannerBackupDuration = TimeSpan.FromSeconds(60);
                o.Data.Spanner.Projects[0].Instances.Add(new BackupTools.Emulator.SpannerInstanceSeed { Id = "us-instance", Config = "regional-us-central1" });
            });
            var r = s.Run(@"
                $null = New-SpannerBackup $args[0] $args[1] orders -BackupId creating-r1
                Restore-SpannerDatabase ('projects/' + $args[0] + '/instances/' + $args[1] + '/backups/creating-r1') from-creating
                Restore-SpannerDatabase ('projects/' + $args[0] + '/instances/' + $args[1] + '/backups/never-made') from-missing
                Restore-SpannerDatabase ('projects/' + $args[0] + '/instances/' + $args[1] + '/backups/creating-r1') orders -Instance $args[1]", P, I);

            Assert.Null(r.Terminating);
            Assert.Equal(3, r.Errors.Count);
            Assert.StartsWith("SpannerBackupNotReady,", r.Errors[0].FullyQualifiedErrorId);
            Assert.StartsWith("SpannerNotFound,", r.Errors[1].FullyQualifiedErrorId);
            Assert.Equal($"projects/{P}/instances/{I}/databases/from-missing", r.Errors[1].TargetObject);
            Assert.True(r.Errors[2].FullyQualifiedErrorId.StartsWith("SpannerAlreadyExists,", StringComparison.Ordinal) || r.Errors[2].FullyQualifiedErrorId.StartsWith("SpannerBackupNotReady,", StringComparison.Ordinal));
            Assert.Empty(s.Emulator.State.SpannerRestores);
        }

        [Fact]
        public async Task RestoreIntoAnotherInstanceConfiguration_IsRefusedByTheService()
        {
            await using var s = await StartAsync(o => o.Data.Spanner.Projects[0].Instances.Add(new BackupTools.Emulator.SpannerInstanceSeed { Id = "us-instance", Config = "regional-us-central1" }));
            var r = s.Run(@"
                New-SpannerBackup $args[0] $args[1] orders -BackupId orders-cfg -Wait | Restore-SpannerDatabase -DatabaseId orders-us -Instance us-instance", P, I);

            var error = Assert.Single(r.Errors);
            Assert.StartsWith("SpannerInvalidArgument,", error.FullyQualifiedErrorId);
            Assert.Contains("instance configurations must be the same", error.Exception.Message);
        }

        [Theory]
        [InlineData("projects/demo-project/instances/demo-instance/backups/b1 Bad_Db", "ParameterArgumentValidationError", "Spanner database id")]
        [InlineData("b1 orders-restored", "ParameterArgumentValidationError", "Spanner backup name")]
        [InlineData("projects/demo-project/instances/demo-instance/backups/b1 orders-restored -Instance Bad_Instance", "ParameterArgumentValidationError", "Spanner instance id")]
        [InlineData("projects/demo-project/instances/demo-instance/backups/b1 orders-restored -KmsKeyName projects/k/locations/eu/keyRings/r/cryptoKeys/a", "InvalidParameter", "CUSTOMER_MANAGED_ENCRYPTION")]
        [InlineData("projects/demo-project/instances/demo-instance/backups/b1 orders-restored -EncryptionType USE_DATABASE_ENCRYPTION", "ParameterArgumentValidationError", "USE_CONFIG_DEFAULT_OR_BACKUP_ENCRYPTION")]
        public async Task BadInput_IsRefusedBeforeAnyRequest(string parameters, string errorId, string messagePart)
        {
            await using var s = await StartAsync();
            var r = s.Run("Restore-SpannerDatabase " + parameters);

            var error = Assert.Single(r.AllErrors);
            Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
            Assert.Contains(messagePart, error.Exception.Message);
            Assert.NotNull(r.Terminating);
            Assert.Empty(s.Emulator.State.Requests);
        }

        [Fact]
        public async Task WhatIf_SaysWhatWouldBeRestoredAndCopied_AndSendsNothing()
        {
            await using var s = await StartAsync();
            var host = new RecordingHost();
            using var shell = new PsSession(host: host);
            var r = shell.Run(
                "Restore-SpannerDatabase projects/demo-project/instances/demo-instance/backups/b1 orders-restored -Instance dr-instance -Endpoint $args[0] -WhatIf; " +
                "Copy-SpannerBackup projects/demo-project/instances/demo-instance/backups/b1 dr-instance -RetentionPeriod '30d' -Endpoint $args[0] -WhatIf",
                s.Endpoint);

            Assert.Empty(r.AllErrors);
            Assert.Empty(r.Output);
            var whatIf = host.Lines.Where(l => l.StartsWith("What if:", StringComparison.Ordinal)).ToList();
            Assert.Equal(2, whatIf.Count);
            Assert.Contains("Restore backup projects/demo-project/instances/demo-instance/backups/b1 into the new database projects/demo-project/instances/dr-instance/databases/orders-restored", whatIf[0]);
            Assert.Contains("Copy Spanner backup projects/demo-project/instances/demo-instance/backups/b1 (the copy expires ", whatIf[1]);
            Assert.Contains("projects/demo-project/instances/dr-instance/backups/b1", whatIf[1]);
            Assert.Empty(s.Emulator.State.Requests);
        }

        [Fact]
        public async Task RestoreWhoseAnswerIsLost_IsResolvedByReadBack_WithoutASecondRestore()
        {
            await using var s = await StartAsync();
            Assert.Empty(s.Run("New-SpannerBackup $args[0] $args[1] inventory -BackupId inv-r1 -Wait", P, I).AllErrors);
            s.Emulator.Faults.Enqueue(BackupTools.Emulator.FaultKind.CutAfterProcessing, 1, "POST", "/databases:restore");
            var r = s.Run("Restore-SpannerDatabase ('projects/' + $args[0] + '/instances/' + $args[1] + '/backups/inv-r1') inv-restored | Wait-BackupOperation -PassThru", P, I);

            Assert.Empty(r.AllErrors);
            var op = Assert.Single(r.Objects<SpannerRestoreOperation>());
            Assert.True(op.ResolvedByReadBack);
            Assert.Equal("READY", op.Database!.State);
            Assert.Equal(1, s.Emulator.State.CountRequests("POST", "/databases:restore"));
            Assert.Single(s.Emulator.State.SpannerRestores);
        }

        [Fact]
        public async Task CancelledRestore_IsReportedByTheWait_AndTheDatabaseIsGone()
        {
            await using var s = await StartAsync(o => o.SpannerRestoreDuration = TimeSpan.FromSeconds(30));
            var r = s.Run(@"
                $op = New-SpannerBackup $args[0] $args[1] orders -BackupId orders-c1 -Wait | Restore-SpannerDatabase -DatabaseId orders-cancel
                $op | Stop-SpannerBackupOperation -Force -PassThru
                $op | Wait-BackupOperation", P, I);

            var stopped = Assert.Single(r.Objects<SpannerRestoreOperation>());
            Assert.True(stopped.Done);
            Assert.NotNull(stopped.CancelTime);
            var error = Assert.Single(r.Errors);
            Assert.StartsWith("BackupOperationCancelled,", error.FullyQualifiedErrorId);
            Assert.Equal("DELETED", Assert.Single(s.Emulator.State.SpannerRestores).DatabaseState);
        }
    }
}
