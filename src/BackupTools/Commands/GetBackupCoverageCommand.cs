using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using BackupTools.Coverage;
using BackupTools.Errors;
using BackupTools.Infrastructure;
using BackupTools.Spanner;
using BackupTools.Validation;

namespace BackupTools.Commands
{
    /// <summary>
    /// Rates every Spanner database and GaussDB instance it is given (or can list) against a maximum
    /// backup age: Covered, Stale, Missing or Failing. Instances are rated concurrently (-ThrottleLimit),
    /// each from paged listings, all requests within one rate limit.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "BackupCoverage")]
    [OutputType(typeof(BackupCoverage), typeof(BackupCoverageSummary))]
    public sealed class GetBackupCoverageCommand : FleetCmdlet
    {
        private const int ProgressId = 11;

        private readonly List<BackupCoverage> _rows = new List<BackupCoverage>();
        private int _unitsTotal;
        private int _unitsDone;

        /// <summary>The recovery-point objective: a backup whose data is older than this is Stale ('24h', '7d', '90m' or a TimeSpan).</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [DurationTransformation]
        public Duration MaxAge { get; set; }

        /// <summary>Emits one BackupCoverageSummary instead of a row per target.</summary>
        [Parameter]
        public SwitchParameter Summary { get; set; }

        /// <summary>Also writes an error for every target that is not Covered (ids BackupCoverageStale, -Missing, -Failing), so a runbook fails.</summary>
        [Parameter]
        public SwitchParameter FailOnUncovered { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            if (MaxAge.TimeSpan <= TimeSpan.Zero)
            {
                ThrowTerminatingError(ErrorRecords.From(ValidationError.Create("-MaxAge must be a positive duration, e.g. '24h'."), MaxAge));
            }
        }

        protected override void ProcessRecord() => CollectTargets();

        protected override void EndProcessing()
        {
            var targets = ResolveTargets();
            if (targets == null)
            {
                return;
            }

            var spanner = targets.Spanner != null ? new SpannerCoverageSource(targets.Spanner, Rate) : null;
            var gauss = targets.Gauss != null ? new GaussCoverageSource(targets.Gauss, Rate) : null;
            _unitsTotal = targets.Count;
            ShowProgress();

            foreach (var (project, instance) in targets.SpannerInstances)
            {
                StartWork(SpannerRules.InstanceName(project, instance), async ct => Rated(await spanner!.RateInstanceAsync(project, instance, MaxAge, ct).ConfigureAwait(false)), ThrottleLimit);
            }

            foreach (var id in targets.GaussInstanceIds)
            {
                StartWork(id, async ct =>
                {
                    var instance = await gauss!.GetInstanceAsync(id, ct).ConfigureAwait(false);
                    Rated(new[] { await gauss.RateInstanceAsync(instance, MaxAge, ct).ConfigureAwait(false) });
                }, ThrottleLimit);
            }

            foreach (var instance in targets.GaussInstances)
            {
                StartWork(instance.Id, async ct => Rated(new[] { await gauss!.RateInstanceAsync(instance, MaxAge, ct).ConfigureAwait(false) }), ThrottleLimit);
            }

            CompleteAll();
            WriteProgress(new ProgressRecord(ProgressId, "Rating backup coverage", "Done") { RecordType = ProgressRecordType.Completed });
            var summary = CoverageRating.Summarize(_rows, MaxAge, DateTimeOffset.UtcNow);
            WriteVerbose("Backup coverage against " + CoverageRating.Age(MaxAge) + ": " + summary + ".");
            if (Summary.IsPresent)
            {
                WriteObject(summary);
            }
        }

        /// <summary>Called on a worker thread with one instance's rows: everything is written on the pipeline thread.</summary>
        private void Rated(IReadOnlyList<BackupCoverage> rows) => Post(() =>
        {
            _rows.AddRange(rows);
            _unitsDone++;
            foreach (var row in rows)
            {
                if (!Summary.IsPresent)
                {
                    WriteObject(row);
                }

                if (FailOnUncovered.IsPresent && row.Rating != CoverageStatus.Covered)
                {
                    WriteError(ErrorRecords.From(UncoveredError(row), row));
                }
            }

            ShowProgress();
        });

        private void ShowProgress()
        {
            var status = string.Format(
                CultureInfo.InvariantCulture,
                "{0} of {1} instances; {2} rated: {3} covered, {4} stale, {5} missing, {6} failing",
                _unitsDone,
                _unitsTotal,
                _rows.Count,
                _rows.Count(r => r.Rating == CoverageStatus.Covered),
                _rows.Count(r => r.Rating == CoverageStatus.Stale),
                _rows.Count(r => r.Rating == CoverageStatus.Missing),
                _rows.Count(r => r.Rating == CoverageStatus.Failing));
            WriteProgress(new ProgressRecord(ProgressId, "Rating backup coverage", status) { PercentComplete = _unitsTotal == 0 ? 0 : Math.Min(100, _unitsDone * 100 / _unitsTotal) });
        }

        private static BackupToolsException UncoveredError(BackupCoverage row)
        {
            switch (row.Rating)
            {
                case CoverageStatus.Missing:
                    return new BackupToolsException(ErrorIds.BackupCoverageMissing, ErrorKind.NotFound, row.Cloud + " " + row.Target + " has no backup. " + row.Reason, row.Target);
                case CoverageStatus.Failing:
                    return new BackupToolsException(ErrorIds.BackupCoverageFailing, ErrorKind.OperationFailed, row.Cloud + " " + row.Target + " is failing. " + row.Reason, row.Target);
                default:
                    return new BackupToolsException(ErrorIds.BackupCoverageStale, ErrorKind.FailedPrecondition, row.Cloud + " " + row.Target + " is stale. " + row.Reason, row.Target);
            }
        }
    }
}
