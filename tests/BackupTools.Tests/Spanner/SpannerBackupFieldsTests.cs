using System;
using System.Linq;
using System.Threading.Tasks;
using BackupTools.Spanner;
using BackupTools.Tests.Infrastructure;
using Xunit;

namespace BackupTools.Tests.Spanner
{
    /// <summary>The storage and incremental-chain fields of a backup, and list filters on them.</summary>
    public sealed class SpannerBackupFieldsTests
    {
        [Fact]
        public async Task StorageAndChainFields_AreRead_AndTheListFiltersOnThem()
        {
            await using var s = await EmulatorSession.StartAsync(o =>
            {
                o.SpannerRestoreDuration = TimeSpan.FromSeconds(1);
                o.SpannerOptimizeDuration = TimeSpan.FromMinutes(10);
            });
            var r = s.Run(@"
                $b = New-SpannerBackup demo-project demo-instance orders -BackupId orders-fields -Wait
                $null = New-SpannerBackup demo-project demo-instance audit -BackupId audit-fields -Wait
                $null = $b | Restore-SpannerDatabase -DatabaseId orders-held -Wait -SkipOptimize
                Get-SpannerBackup demo-project demo-instance -Filter 'referencing_databases:orders-held'
                Get-SpannerBackup demo-project demo-instance -Filter 'exclusive_size_bytes > 0 AND freeable_size_bytes > 0'
                Get-SpannerBackup demo-project demo-instance -Filter 'incremental_backup_chain_id:*'");

            Assert.Empty(r.AllErrors);
            var backups = r.Objects<SpannerBackup>().ToList();
            Assert.Equal(3, backups.Count); // one held by the restore, two with storage, none in an incremental chain
            var held = backups[0];
            Assert.Equal("orders-fields", held.BackupId);
            Assert.Equal(new[] { "projects/demo-project/instances/demo-instance/databases/orders-held" }, held.ReferencingDatabases);
            Assert.True(held.FreeableSizeBytes > 0);
            Assert.Equal(held.SizeBytes, held.ExclusiveSizeBytes);
            Assert.Equal(held.VersionTime, held.OldestVersionTime);
            Assert.Null(held.IncrementalBackupChainId);
            Assert.Empty(held.BackupSchedules);
            Assert.Equal(new[] { "audit-fields", "orders-fields" }, backups.Skip(1).Select(b => b.BackupId).OrderBy(x => x));
        }
    }
}
