using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BackupTools.Errors;
using BackupTools.Gauss;
using BackupTools.Waiting;

namespace BackupTools.Coverage
{
    /// <summary>
    /// Rates GaussDB instances: each instance's backups of every kind (manual and automated) are listed
    /// (paged), the newest COMPLETED/AVAILABLE one is its recovery point, a FAILED latest attempt makes it Failing.
    /// </summary>
    public sealed class GaussCoverageSource
    {
        private const long BytesPerMb = 1024L * 1024L;

        private readonly GaussClient _gauss;
        private readonly RateLimiter _rate;

        public GaussCoverageSource(GaussClient gauss, RateLimiter rate)
        {
            _gauss = gauss;
            _rate = rate;
        }

        public async Task<GaussInstance> GetInstanceAsync(string instanceId, CancellationToken cancellationToken)
        {
            await _rate.WaitAsync(cancellationToken).ConfigureAwait(false);
            return await new GaussRestoreClient(_gauss).GetInstanceAsync(instanceId, cancellationToken).ConfigureAwait(false);
        }

        public async Task<BackupCoverage> RateInstanceAsync(GaussInstance instance, TimeSpan maxAge, CancellationToken cancellationToken)
        {
            var backups = new List<GaussBackup>();
            await _rate.WaitAsync(cancellationToken).ConfigureAwait(false);
            await _gauss.ListBackupsAsync(new GaussBackupQuery { InstanceId = instance.Id }, backups.Add, cancellationToken).ConfigureAwait(false);

            var good = new List<CoverageCandidate>();
            GaussBackup? latestFinished = null;
            foreach (var b in backups.Where(b => b.InstanceId.Length == 0 || b.InstanceId == instance.Id))
            {
                if (b.Id.Length == 0 || !b.BeginTime.HasValue)
                {
                    throw new BackupToolsException(ErrorIds.IncompleteAnswer, ErrorKind.Internal, "The service listed a backup of instance " + instance.Id + " without its " + (b.Id.Length == 0 ? "id" : "begin time") + ", so the instance cannot be rated.", instance.Id);
                }

                if (b.Outcome == OperationState.Running)
                {
                    continue;
                }

                if (latestFinished == null || b.BeginTime > latestFinished.BeginTime)
                {
                    latestFinished = b;
                }

                if (b.Outcome == OperationState.Succeeded)
                {
                    var automated = string.Equals(b.Type, "auto", StringComparison.OrdinalIgnoreCase);
                    good.Add(new CoverageCandidate
                    {
                        ShortName = b.Name,
                        Id = b.Id,
                        Kind = automated ? "Automated" : "Manual",
                        DataTime = b.BeginTime!.Value,
                        SizeBytes = b.SizeMb.HasValue ? b.SizeMb.Value * BytesPerMb : (long?)null,

                        // Manual backups never expire; automated ones are kept the instance's keep_days.
                        ExpireTime = automated && instance.KeepDays.HasValue ? b.BeginTime.Value.AddDays(instance.KeepDays.Value) : (DateTimeOffset?)null,
                    });
                }
            }

            var failure = latestFinished != null && latestFinished.Outcome == OperationState.Failed
                ? new FailedAttempt { StartTime = latestFinished.BeginTime!.Value, Reason = (latestFinished.Type == "auto" ? "automated" : "manual") + " backup " + latestFinished.Name + " (" + latestFinished.Id + ") ended " + latestFinished.Status }
                : null;
            var row = new BackupCoverage { Cloud = "Gauss", Project = instance.Project, Instance = instance.Id, InstanceId = instance.Id, Database = instance.Name, Target = instance.Id };
            return CoverageRating.Rate(row, good, failure, maxAge, DateTimeOffset.UtcNow);
        }
    }
}
