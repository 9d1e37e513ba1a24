using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BackupTools.Errors;
using BackupTools.Gauss;
using BackupTools.Spanner;
using BackupTools.Waiting;

namespace BackupTools.Retention
{
    /// <summary>A Spanner instance's backups as retention facts, grouped per database, and their delete.</summary>
    public sealed class SpannerRetentionSource
    {
        private readonly SpannerClient _spanner;
        private readonly RateLimiter _rate;

        public SpannerRetentionSource(SpannerClient spanner, RateLimiter rate)
        {
            _spanner = spanner;
            _rate = rate;
        }

        /// <summary>Every backup of the instance (all pages), one group per database.</summary>
        public async Task<IReadOnlyList<IReadOnlyList<RetentionBackup>>> ListAsync(string project, string instance, CancellationToken cancellationToken)
        {
            var backups = new List<RetentionBackup>();
            await _rate.WaitAsync(cancellationToken).ConfigureAwait(false);
            await _spanner.ListBackupsAsync(project, instance, null, SpannerInventoryClient.PageSize, b => backups.Add(Facts(b)), cancellationToken).ConfigureAwait(false);
            return backups.GroupBy(b => b.Target, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (IReadOnlyList<RetentionBackup>)g.ToList()).ToList();
        }

        public async Task DeleteAsync(RetentionBackup backup, CancellationToken cancellationToken)
        {
            if (!SpannerRules.TryParseBackupName(backup.Id, out var project, out var instance, out var backupId))
            {
                throw new BackupToolsException(ErrorIds.InvalidParameter, ErrorKind.InvalidArgument, "Not a Spanner backup name: " + backup.Id, backup.Id);
            }

            await _rate.WaitAsync(cancellationToken).ConfigureAwait(false);
            await _spanner.DeleteBackupAsync(project, instance, backupId, cancellationToken).ConfigureAwait(false);
        }

        internal static RetentionBackup Facts(SpannerBackup b)
        {
            var dataTime = b.VersionTime ?? b.CreateTime;
            if (b.Name.Length == 0 || b.DatabaseName.Length == 0 || !dataTime.HasValue)
            {
                throw new BackupToolsException(ErrorIds.IncompleteAnswer, ErrorKind.Internal, "The service listed a backup " + (b.Name.Length == 0 ? "without its name" : b.Name + " without its database or version time") + "; nothing is removed on such an answer.", b.Name.Length == 0 ? null : b.Name);
            }

            var ready = b.State == "READY";
            string? neededBy = null;
            if (b.ReferencingDatabases.Length > 0)
            {
                neededBy = "the restore of " + string.Join(", ", b.ReferencingDatabases) + " (referencingDatabases)";
            }
            else if (b.ReferencingBackups.Length > 0)
            {
                neededBy = "the copy " + string.Join(", ", b.ReferencingBackups) + " (referencingBackups)";
            }
            else if (ready && b.IncrementalBackupChainId != null && (b.FreeableSizeBytes ?? 0) == 0)
            {
                // Proto3 JSON leaves a zero out: in a chain, no freeableSizeBytes means 0.
                neededBy = "a younger backup of incremental chain " + b.IncrementalBackupChainId + " (freeableSizeBytes 0)";
            }
            else if (ready && b.FreeableSizeBytes == 0)
            {
                neededBy = "other backups sharing its data (freeableSizeBytes 0)";
            }

            return new RetentionBackup
            {
                Cloud = "Spanner",
                Target = b.DatabaseName,
                Database = b.Database,
                Name = b.BackupId,
                Id = b.Name,
                Kind = b.BackupSchedules.Length > 0 ? "Scheduled" : "Manual",
                DataTime = dataTime!.Value,
                Good = ready,
                SizeBytes = b.SizeBytes,
                FreeableBytes = b.FreeableSizeBytes ?? (b.IncrementalBackupChainId != null ? 0 : b.SizeBytes),
                NeededBy = neededBy,
                Chain = b.IncrementalBackupChainId,
            };
        }
    }

    /// <summary>A GaussDB instance's backups as retention facts, and their delete. Automated backups are not deletable through the API.</summary>
    public sealed class GaussRetentionSource
    {
        private const long BytesPerMb = 1024L * 1024L;

        private readonly GaussClient _gauss;
        private readonly RateLimiter _rate;

        public GaussRetentionSource(GaussClient gauss, RateLimiter rate)
        {
            _gauss = gauss;
            _rate = rate;
        }

        public async Task<IReadOnlyList<RetentionBackup>> ListAsync(string instanceId, CancellationToken cancellationToken)
        {
            var backups = new List<RetentionBackup>();
            await _rate.WaitAsync(cancellationToken).ConfigureAwait(false);
            await _gauss.ListBackupsAsync(new GaussBackupQuery { InstanceId = instanceId }, b =>
            {
                if (b.Id.Length == 0 || !b.BeginTime.HasValue)
                {
                    throw new BackupToolsException(ErrorIds.IncompleteAnswer, ErrorKind.Internal, "The service listed a backup of instance " + instanceId + " without its id or begin time; nothing is removed on such an answer.", instanceId);
                }

                if (b.InstanceId.Length > 0 && b.InstanceId != instanceId)
                {
                    return;
                }

                var automated = string.Equals(b.Type, "auto", StringComparison.OrdinalIgnoreCase);
                backups.Add(new RetentionBackup
                {
                    Cloud = "Gauss",
                    Target = instanceId,
                    Database = instanceId,
                    Name = b.Name,
                    Id = b.Id,
                    Kind = automated ? "Automated" : "Manual",
                    DataTime = b.BeginTime!.Value,
                    Good = b.Outcome == OperationState.Succeeded,
                    Deletable = !automated,
                    SizeBytes = b.SizeMb.HasValue ? b.SizeMb.Value * BytesPerMb : (long?)null,
                    FreeableBytes = b.SizeMb.HasValue ? b.SizeMb.Value * BytesPerMb : (long?)null,
                });
            }, cancellationToken).ConfigureAwait(false);
            return backups;
        }

        public async Task DeleteAsync(RetentionBackup backup, CancellationToken cancellationToken)
        {
            await _rate.WaitAsync(cancellationToken).ConfigureAwait(false);
            await _gauss.DeleteBackupAsync(backup.Id, cancellationToken).ConfigureAwait(false);
        }
    }
}
