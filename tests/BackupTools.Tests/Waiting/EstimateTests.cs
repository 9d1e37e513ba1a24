using System;
using System.Linq;
using System.Threading.Tasks;
using BackupTools.Emulator;
using BackupTools.Gauss;
using BackupTools.Tests.Infrastructure;
using Xunit;

namespace BackupTools.Tests.Waiting
{
    /// <summary>
    /// Wait-BackupOperation on GaussDB jobs that report no progress: the estimate comes from the
    /// instance's automated backups, read once, and -Debug says so. Against the emulator, no timing.
    /// </summary>
    public sealed class EstimateTests
    {
        private const string GaussOrders = "07033b125fd94a8a96896f8bcfee6ddain07";

        [Fact]
        public async Task WithoutProcess_TheInstancesEarlierBackupsSetTheFirstLook_AndDebugSaysSo()
        {
            await using var s = await EmulatorSession.StartAsync(o =>
            {
                o.GaussJobProcess = false;
                var orders = o.Data.Gauss.Instances.First(i => i.Id == GaussOrders);
                // Longer than its history, so the first look (at about 5 s) finds it running even on a loaded machine.
                orders.BackupDuration = TimeSpan.FromSeconds(9);
                for (var day = 1; day <= 3; day++)
                {
                    orders.Backups.Add(new GaussBackupSeed { Age = TimeSpan.FromDays(day), Duration = TimeSpan.FromSeconds(6) });
                }
            });
            s.SignGaussWithDemoKey();

            var r = s.Run("New-GaussBackup -InstanceId $args[0] -Name estimate-1 | Wait-BackupOperation -Debug", GaussOrders);

            Assert.Null(r.Terminating);
            Assert.Empty(r.Errors);
            var backup = Assert.Single(r.Objects<GaussBackup>());
            Assert.Equal("COMPLETED", backup.Status);

            // The first look comes from the three automated backups (6 s each: earliest plausible
            // 6 x 0.85 - 1 = 4.1 s), not from a fixed first delay; later looks say there is no progress.
            var first = Assert.Single(r.Debug, d => d.Contains("first look", StringComparison.Ordinal));
            Assert.Contains("after the earliest plausible finish (4.1 s) from 3 earlier backup(s) of instance " + GaussOrders, first);
            Assert.Contains(r.Debug, d => d.Contains("no progress reported; looking again", StringComparison.Ordinal));

            // One list of the project's backups served the history; once the job showed no percentage
            // the backup itself was read (its final state in one answer), so the job was asked once.
            Assert.Equal(1, s.Emulator.State.CountRequests("GET", "/jobs"));
            Assert.Equal(1, s.Emulator.State.Requests.Count(q => q.Method == "GET" && q.PathAndQuery.Contains("/backups?", StringComparison.Ordinal) && !q.PathAndQuery.Contains("backup_id=", StringComparison.Ordinal) && !q.PathAndQuery.Contains("instance_id=", StringComparison.Ordinal)));
        }

        [Fact]
        public async Task WithProcess_AndNoHistory_TheJobsPercentageSetsTheLooks()
        {
            await using var s = await EmulatorSession.StartAsync(o => o.Data.Gauss.Instances.First(i => i.Id == GaussOrders).BackupDuration = TimeSpan.FromSeconds(8));
            s.SignGaussWithDemoKey();

            var r = s.Run("New-GaussBackup -InstanceId $args[0] -Name estimate-2 | Wait-BackupOperation -Debug", GaussOrders);

            Assert.Null(r.Terminating);
            Assert.Equal("COMPLETED", Assert.Single(r.Objects<GaussBackup>()).Status);
            Assert.Contains(r.Debug, d => d.Contains("first look.", StringComparison.Ordinal));
            Assert.Contains(r.Debug, d => d.Contains("% done", StringComparison.Ordinal) && d.Contains("finish between", StringComparison.Ordinal));
        }
    }
}
