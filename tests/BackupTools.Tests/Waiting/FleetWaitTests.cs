using System;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using BackupTools.Auth;
using BackupTools.Emulator;
using BackupTools.Gauss;
using BackupTools.Spanner;
using BackupTools.Tests.Infrastructure;
using Xunit;

namespace BackupTools.Tests.Waiting
{
    /// <summary>Wait-BackupOperation on fleets: both clouds in one pipeline, failures, cancellation, streaming, progress.</summary>
    public sealed class FleetWaitTests
    {
        private const string P = EmulatorSession.Project;
        private const string I = EmulatorSession.Instance;
        private const string GaussOrders = "07033b125fd94a8a96896f8bcfee6ddain07";
        private const string GaussBilling = "9f8e7d6c5b4a43210fedcba987654321in07";

        private static async Task<EmulatorSession> StartAsync(Action<EmulatorOptions> configure)
        {
            var s = await EmulatorSession.StartAsync(configure);
            s.SignGaussWithDemoKey();
            return s;
        }

        private static void Durations(EmulatorOptions o, params (string Database, double Seconds)[] spanner)
        {
            foreach (var (database, seconds) in spanner)
            {
                o.Data.Spanner.Projects[0].Instances[0].Databases.First(d => d.Id == database).BackupDuration = TimeSpan.FromSeconds(seconds);
            }
        }

        [Fact]
        public async Task MixedFleet_WithFailuresAndACancellation_GivesTheRightObjectsAndErrors()
        {
            await using var s = await StartAsync(o =>
            {
                Durations(o, ("orders", 2), ("customers", 1), ("billing", 1), ("audit", 60));
                o.Data.Spanner.Projects[0].Instances[0].Databases.First(d => d.Id == "billing").FailBackups = true;
                o.Data.Gauss.Instances.First(i => i.Id == GaussBilling).FailBackups = true;
                o.GaussBackupDuration = TimeSpan.FromSeconds(2);
            });

            var r = s.Run(@"
                $p, $i, $g1, $g2 = $args
                $ops = @('orders', 'customers', 'billing', 'audit' | ForEach-Object { New-SpannerBackup $p $i $_ })
                $ops += @($g1, $g2 | ForEach-Object { New-GaussBackup -InstanceId $_ })
                Stop-SpannerBackupOperation -Name ($ops | Where-Object Database -eq 'audit').Name -Force
                $ops | Wait-BackupOperation", P, I, GaussOrders, GaussBilling);

            Assert.Null(r.Terminating);
            Assert.Equal(new[] { "customers", "orders" }, r.Objects<SpannerBackup>().Select(b => b.Database).OrderBy(d => d));
            Assert.All(r.Objects<SpannerBackup>(), b => Assert.Equal("READY", b.State));
            var gauss = Assert.Single(r.Objects<GaussBackup>());
            Assert.Equal(GaussOrders, gauss.InstanceId);
            Assert.Equal("COMPLETED", gauss.Status);

            Assert.Equal(3, r.Errors.Count);
            var spannerFailure = Assert.Single(r.Errors, e => e.TargetObject is SpannerBackupOperation op && op.Database == "billing");
            Assert.StartsWith("BackupOperationFailed,", spannerFailure.FullyQualifiedErrorId);
            Assert.Contains("simulated failure", spannerFailure.Exception.Message);
            var cancelled = Assert.Single(r.Errors, e => e.TargetObject is SpannerBackupOperation op && op.Database == "audit");
            Assert.StartsWith("BackupOperationCancelled,", cancelled.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.OperationStopped, cancelled.CategoryInfo.Category);
            var gaussFailure = Assert.Single(r.Errors, e => e.TargetObject is GaussBackup b && b.InstanceId == GaussBilling);
            Assert.StartsWith("BackupOperationFailed,", gaussFailure.FullyQualifiedErrorId);
            Assert.Contains("simulated failure", gaussFailure.Exception.Message);
        }

        [Fact]
        public async Task EarlyFinishers_StreamOutFirst()
        {
            await using var s = await StartAsync(o => Durations(o, ("orders", 8), ("customers", 1), ("billing", 4)));
            var r = s.Run(@"
                $p, $i = $args
                'orders', 'billing', 'customers' | ForEach-Object { New-SpannerBackup $p $i $_ } |
                    Wait-BackupOperation |
                    ForEach-Object { [pscustomobject]@{ Database = $_.Database; SeenAt = [DateTimeOffset]::UtcNow } }", P, I);

            Assert.Empty(r.AllErrors);
            var seen = r.Output.Select(o => (Database: (string)o.Properties["Database"].Value, At: (DateTimeOffset)o.Properties["SeenAt"].Value)).ToList();
            Assert.Equal(new[] { "customers", "billing", "orders" }, seen.Select(x => x.Database));

            // Streaming: the first result reached the next command seconds before the last backup finished.
            Assert.True(seen[2].At - seen[0].At > TimeSpan.FromSeconds(4), string.Join(", ", seen));
        }

        [Fact]
        public async Task Progress_HasAnOverallBar_AndAChildBarPerOperation()
        {
            await using var s = await StartAsync(o => Durations(o, ("orders", 5), ("customers", 5)));
            var r = s.Run("$p, $i = $args; 'orders', 'customers' | ForEach-Object { New-SpannerBackup $p $i $_ } | Wait-BackupOperation", P, I);

            Assert.Empty(r.AllErrors);
            var overall = r.Progress.Where(p => p.ActivityId == 1 && p.ParentActivityId < 0).ToList();
            Assert.NotEmpty(overall);
            Assert.Contains(overall, p => p.StatusDescription.Contains("2 done, 0 failed, 0 pending"));
            Assert.Equal(ProgressRecordType.Completed, overall.Last().RecordType);
            var children = r.Progress.Where(p => p.ParentActivityId == 1).ToList();
            Assert.Equal(2, children.Select(c => c.ActivityId).Distinct().Count());
            Assert.Contains(children, c => c.Activity.StartsWith(P + "/" + I + "/orders-", StringComparison.Ordinal));
            Assert.Contains(children, c => c.RecordType == ProgressRecordType.Processing && c.PercentComplete > 0 && c.PercentComplete < 100);
            Assert.Equal(2, children.Count(c => c.RecordType == ProgressRecordType.Completed));
        }

        [Fact]
        public async Task PassThru_EmitsTheFinalOperations()
        {
            await using var s = await StartAsync(o => Durations(o, ("orders", 1)));
            var r = s.Run("New-SpannerBackup $args[0] $args[1] orders | Wait-BackupOperation -PassThru", P, I);

            Assert.Empty(r.AllErrors);
            var op = Assert.Single(r.Objects<SpannerBackupOperation>());
            Assert.True(op.Done);
            Assert.Equal(100, op.ProgressPercent);
            Assert.Equal("READY", op.Backup!.State);
        }

        [Fact]
        public async Task AGaussBackupBuiltByHand_IsFollowedWithTheConnectSessionsCredential()
        {
            await using var s = await EmulatorSession.StartAsync(o => o.GaussBackupDuration = TimeSpan.FromSeconds(1));
            s.Shell.SetVariable("sk", SecretText.Protect(EmulatorSession.GaussSecretKey));
            var r = s.Run(@"
                Connect-GaussCloud -Endpoint $args[0] -AccessKey $args[1] -SecretKey $sk -ProjectId $args[2] | Out-Null
                $made = New-GaussBackup -InstanceId $args[3] -Name by-hand-1
                $byHand = [BackupTools.Gauss.GaussBackup]@{ Id = $made.Id; Name = $made.Name; InstanceId = $made.InstanceId; JobId = $made.JobId }
                $byHand | Wait-BackupOperation", s.Endpoint, EmulatorSession.GaussAccessKey, EmulatorSession.GaussProjectId, GaussOrders);

            Assert.Empty(r.AllErrors);
            var done = Assert.Single(r.Objects<GaussBackup>());
            Assert.Equal("COMPLETED", done.Status);
            Assert.Equal("by-hand-1", done.Name);
        }

        [Fact]
        public async Task SomethingThatIsNotAnOperation_IsANonTerminatingError()
        {
            await using var s = await StartAsync(o => Durations(o, ("orders", 1)));
            var r = s.Run("'not an operation', (New-SpannerBackup $args[0] $args[1] orders) | Wait-BackupOperation", P, I);

            Assert.Null(r.Terminating);
            var error = Assert.Single(r.Errors);
            Assert.StartsWith("NotWaitable,", error.FullyQualifiedErrorId);
            Assert.Single(r.Objects<SpannerBackup>());
        }
    }
}
