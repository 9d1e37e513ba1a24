using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BackupTools.Errors;
using BackupTools.Spanner;
using BackupTools.Waiting;

namespace BackupTools.Coverage
{
    /// <summary>
    /// Rates every database of one Spanner instance from three listings (databases, READY backups, backup
    /// create operations of the last 7 days), each paged, however many databases the instance has.
    /// </summary>
    public sealed class SpannerCoverageSource
    {
        private readonly SpannerClient _spanner;
        private readonly SpannerInventoryClient _inventory;
        private readonly RateLimiter _rate;

        public SpannerCoverageSource(SpannerClient spanner, RateLimiter rate)
        {
            _spanner = spanner;
            _inventory = new SpannerInventoryClient(spanner);
            _rate = rate;
        }

        /// <summary>One row per database of the instance, ordered by database id.</summary>
        public async Task<IReadOnlyList<BackupCoverage>> RateInstanceAsync(string project, string instance, TimeSpan maxAge, CancellationToken cancellationToken)
        {
            var databases = new List<SpannerDatabase>();
            var good = new Dictionary<string, List<CoverageCandidate>>(StringComparer.Ordinal);
            var attempts = new Dictionary<string, SpannerBackupOperation>(StringComparer.Ordinal);

            await Task.WhenAll(
                Limited(ct => _inventory.ListDatabasesAsync(project, instance, databases.Add, ct), cancellationToken),
                Limited(ct => _spanner.ListBackupsAsync(project, instance, "state:READY", SpannerInventoryClient.PageSize, b => AddGood(good, b), ct), cancellationToken),
                Limited(ct => _spanner.ListBackupOperationsAsync(project, instance, "metadata.@type:" + SpannerClient.CreateBackupMetadataType, SpannerInventoryClient.PageSize, op => KeepLatestFinished(attempts, op), ct), cancellationToken)).ConfigureAwait(false);

            var now = DateTimeOffset.UtcNow;
            return databases
                .OrderBy(d => d.DatabaseId, StringComparer.Ordinal)
                .Select(d =>
                {
                    var row = new BackupCoverage { Cloud = "Spanner", Project = project, Instance = instance, Database = d.DatabaseId, Target = d.Name };
                    good.TryGetValue(d.DatabaseId, out var candidates);
                    attempts.TryGetValue(d.DatabaseId, out var latest);
                    var failure = latest != null && latest.Outcome == OperationState.Failed
                        ? new FailedAttempt { StartTime = latest.StartTime!.Value, Reason = latest.Error?.ToString() ?? "failed" }
                        : null;
                    return CoverageRating.Rate(row, candidates ?? new List<CoverageCandidate>(), failure, maxAge, now);
                })
                .ToList();
        }

        private async Task Limited(Func<CancellationToken, Task> list, CancellationToken cancellationToken)
        {
            await _rate.WaitAsync(cancellationToken).ConfigureAwait(false);
            await list(cancellationToken).ConfigureAwait(false);
        }

        private static void AddGood(Dictionary<string, List<CoverageCandidate>> good, SpannerBackup backup)
        {
            var dataTime = backup.VersionTime ?? backup.CreateTime;
            if (backup.Name.Length == 0 || backup.Database.Length == 0 || !dataTime.HasValue)
            {
                throw new BackupToolsException(ErrorIds.IncompleteAnswer, ErrorKind.Internal, "The service listed a backup " + (backup.Name.Length == 0 ? "without its name" : backup.Name + " without its database or version time") + ", so it cannot be rated.", backup.Name.Length == 0 ? null : backup.Name);
            }

            if (backup.State != "READY")
            {
                return;
            }

            lock (good)
            {
                if (!good.TryGetValue(backup.Database, out var list))
                {
                    good[backup.Database] = list = new List<CoverageCandidate>();
                }

                list.Add(new CoverageCandidate
                {
                    ShortName = backup.BackupId,
                    Id = backup.Name,
                    Kind = backup.BackupSchedules.Length > 0 ? "Scheduled" : "Manual",
                    DataTime = dataTime!.Value,
                    SizeBytes = backup.SizeBytes,
                    ExpireTime = backup.ExpireTime,
                });
            }
        }

        /// <summary>Keeps, per database, the latest finished attempt that was not cancelled (a cancel says nothing about the backups' health).</summary>
        private static void KeepLatestFinished(Dictionary<string, SpannerBackupOperation> attempts, SpannerBackupOperation op)
        {
            if (!op.Done || op.Outcome == OperationState.Cancelled || op.Database.Length == 0 || !op.StartTime.HasValue)
            {
                return;
            }

            lock (attempts)
            {
                if (!attempts.TryGetValue(op.Database, out var known) || known.StartTime < op.StartTime)
                {
                    attempts[op.Database] = op;
                }
            }
        }
    }
}
