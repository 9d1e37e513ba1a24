using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Security;
using BackupTools.Coverage;
using BackupTools.Errors;
using BackupTools.Gauss;
using BackupTools.Infrastructure;
using BackupTools.Spanner;
using BackupTools.Validation;
using BackupTools.Waiting;

namespace BackupTools.Commands
{
    /// <summary>
    /// Rates every Spanner database and GaussDB instance it is given (or can list) against a maximum
    /// backup age: Covered, Stale, Missing or Failing. Instances are rated concurrently (-ThrottleLimit),
    /// each from paged listings, all requests within one rate limit.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "BackupCoverage")]
    [OutputType(typeof(BackupCoverage), typeof(BackupCoverageSummary))]
    public sealed class GetBackupCoverageCommand : CloudCmdlet
    {
        private const int ProgressId = 11;

        private readonly List<(string Project, string Instance)> _spannerInstances = new List<(string, string)>();
        private readonly List<string> _spannerProjects = new List<string>();
        private readonly List<string> _gaussIds = new List<string>();
        private readonly List<BackupCoverage> _rows = new List<BackupCoverage>();
        private readonly RateLimiter _rate = new RateLimiter(new WaiterOptions().MaxRequestsPerSecond);
        private int _unitsTotal;
        private int _unitsDone;

        /// <summary>The recovery-point objective: a backup whose data is older than this is Stale ('24h', '7d', '90m' or a TimeSpan).</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [DurationTransformation]
        public TimeSpan MaxAge { get; set; }

        /// <summary>A Spanner project: every instance of it is rated, or only -Instance.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Project { get; set; }

        /// <summary>Spanner instance ids of -Project; every database of each is rated.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateSpannerInstanceId]
        public string[]? Instance { get; set; }

        /// <summary>GaussDB instance ids (of the Connect-GaussCloud session's project) to rate.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("InstanceId")]
        [ValidateGaussInstanceId]
        [ArgumentCompleter(typeof(GaussInstanceCompleter))]
        public string[]? GaussInstanceId { get; set; }

        /// <summary>Rates every GaussDB instance of the Connect-GaussCloud session's project.</summary>
        [Parameter]
        public SwitchParameter Gauss { get; set; }

        /// <summary>Emits one BackupCoverageSummary instead of a row per target.</summary>
        [Parameter]
        public SwitchParameter Summary { get; set; }

        /// <summary>Also writes an error for every target that is not Covered (ids BackupCoverageStale, -Missing, -Failing), so a runbook fails.</summary>
        [Parameter]
        public SwitchParameter FailOnUncovered { get; set; }

        /// <summary>How many instances are read at once (default 8).</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 8;

        /// <summary>Base URL of the Spanner REST API (else $env:BACKUPTOOLS_SPANNER_ENDPOINT, else the public service).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? SpannerEndpoint { get; set; }

        /// <summary>An OAuth 2.0 access token for Spanner; overrides Application Default Credentials.</summary>
        [Parameter]
        public SecureString? AccessToken { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            if (MaxAge <= TimeSpan.Zero)
            {
                ThrowTerminatingError(ErrorRecords.From(ValidationError.Create("-MaxAge must be a positive duration, e.g. '24h'."), MaxAge));
            }
        }

        protected override void ProcessRecord()
        {
            if (GaussInstanceId != null && GaussInstanceId.Length > 0)
            {
                _gaussIds.AddRange(GaussInstanceId.Where(id => !_gaussIds.Contains(id)));
                if (MyInvocation.ExpectingInput && (Instance == null || Instance.Length == 0))
                {
                    // A piped GaussDB object (a backup, say) names its instance; the Project it also carries is GaussDB's, not Spanner's.
                    return;
                }
            }

            if (string.IsNullOrEmpty(Project))
            {
                if (Instance != null && Instance.Length > 0)
                {
                    RefuseInput(ValidationError.Create("-Instance names Spanner instances of a project: give -Project as well."), Instance);
                }

                return;
            }

            var problem = SpannerRules.ProjectId.Check(Project);
            if (problem != null)
            {
                RefuseInput(ValidationError.Create(problem, Project), Project);
                return;
            }

            if (Instance == null || Instance.Length == 0)
            {
                if (!_spannerProjects.Contains(Project!))
                {
                    _spannerProjects.Add(Project!);
                }

                return;
            }

            foreach (var instance in Instance.Where(i => !_spannerInstances.Contains((Project!, i))))
            {
                _spannerInstances.Add((Project!, instance));
            }
        }

        protected override void EndProcessing()
        {
            var anySpanner = _spannerProjects.Count > 0 || _spannerInstances.Count > 0;
            var anyGauss = Gauss.IsPresent || _gaussIds.Count > 0;
            if (!anySpanner && !anyGauss)
            {
                if (!MyInvocation.ExpectingInput)
                {
                    ThrowTerminatingError(ErrorRecords.From(ValidationError.Create("Nothing to rate: give -Project (Spanner, with or without -Instance), -GaussInstanceId, or -Gauss (every instance of the Connect-GaussCloud session)."), null));
                }

                return;
            }

            var spanner = anySpanner ? new SpannerCoverageSource(Precondition(() => SpannerCmdlet.CreateClient(this, SpannerEndpoint, "-SpannerEndpoint", AccessToken)), _rate) : null;
            var gauss = anyGauss ? new GaussCoverageSource(Precondition(GaussSessionClient), _rate) : null;

            // First what to rate: the instances of whole projects (listed), then every instance at once, -ThrottleLimit at a time.
            var listedGauss = new List<GaussInstance>();
            foreach (var project in _spannerProjects)
            {
                StartWork(project, async ct =>
                {
                    var ids = await spanner!.ListInstanceIdsAsync(project, ct).ConfigureAwait(false);
                    Post(() => _spannerInstances.AddRange(ids.Select(id => (project, id)).Where(p => !_spannerInstances.Contains(p))));
                }, ThrottleLimit);
            }

            if (Gauss.IsPresent)
            {
                StartWork(null, async ct =>
                {
                    var instances = await gauss!.ListInstancesAsync(ct).ConfigureAwait(false);
                    Post(() => listedGauss.AddRange(instances.Where(i => !_gaussIds.Contains(i.Id))));
                }, ThrottleLimit);
            }

            CompleteAll();
            _unitsTotal = _spannerInstances.Count + _gaussIds.Count + listedGauss.Count;
            ShowProgress();

            foreach (var (project, instance) in _spannerInstances)
            {
                StartWork(SpannerRules.InstanceName(project, instance), async ct => Rated(await spanner!.RateInstanceAsync(project, instance, MaxAge, ct).ConfigureAwait(false)), ThrottleLimit);
            }

            foreach (var id in _gaussIds)
            {
                StartWork(id, async ct =>
                {
                    var instance = await gauss!.GetInstanceAsync(id, ct).ConfigureAwait(false);
                    Rated(new[] { await gauss.RateInstanceAsync(instance, MaxAge, ct).ConfigureAwait(false) });
                }, ThrottleLimit);
            }

            foreach (var instance in listedGauss)
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

                if (FailOnUncovered.IsPresent && row.Status != CoverageStatus.Covered)
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
                _rows.Count(r => r.Status == CoverageStatus.Covered),
                _rows.Count(r => r.Status == CoverageStatus.Stale),
                _rows.Count(r => r.Status == CoverageStatus.Missing),
                _rows.Count(r => r.Status == CoverageStatus.Failing));
            WriteProgress(new ProgressRecord(ProgressId, "Rating backup coverage", status) { PercentComplete = _unitsTotal == 0 ? 0 : Math.Min(100, _unitsDone * 100 / _unitsTotal) });
        }

        private static BackupToolsException UncoveredError(BackupCoverage row)
        {
            switch (row.Status)
            {
                case CoverageStatus.Missing:
                    return new BackupToolsException(ErrorIds.BackupCoverageMissing, ErrorKind.NotFound, row.Cloud + " " + row.Target + " has no backup. " + row.Reason, row.Target);
                case CoverageStatus.Failing:
                    return new BackupToolsException(ErrorIds.BackupCoverageFailing, ErrorKind.OperationFailed, row.Cloud + " " + row.Target + " is failing. " + row.Reason, row.Target);
                default:
                    return new BackupToolsException(ErrorIds.BackupCoverageStale, ErrorKind.FailedPrecondition, row.Cloud + " " + row.Target + " is stale. " + row.Reason, row.Target);
            }
        }

        /// <summary>The GaussDB side uses the Connect-GaussCloud session: its endpoint, project and credential.</summary>
        private GaussClient GaussSessionClient() =>
            GaussCmdlet.CurrentSession?.CreateClient(Trace, RetryPolicy)
            ?? throw new BackupToolsException(ErrorIds.NoCredentials, ErrorKind.NoCredentials, "Rating GaussDB instances needs a GaussDB session: run Connect-GaussCloud first (it holds the endpoint, project and credential).");
    }
}
