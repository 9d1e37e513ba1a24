using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security;
using BackupTools.Errors;
using BackupTools.Gauss;
using BackupTools.Spanner;
using BackupTools.Validation;
using BackupTools.Waiting;

namespace BackupTools.Infrastructure
{
    /// <summary>
    /// The fleet commands (coverage, pruning): which Spanner instances and GaussDB instances they work on,
    /// given, piped or listed, and the clients and the one rate limit they share. The Spanner side has its
    /// own endpoint and token parameters; the GaussDB side uses the Connect-GaussCloud session.
    /// </summary>
    public abstract class FleetCmdlet : CloudCmdlet
    {
        private readonly List<string> _spannerProjects = new List<string>();
        private readonly List<(string Project, string Instance)> _spannerInstances = new List<(string, string)>();
        private readonly List<string> _gaussIds = new List<string>();

        /// <summary>A Spanner project: every instance of it, or only -Instance.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Project { get; set; }

        /// <summary>
        /// Spanner instance ids of -Project. Checked in <see cref="CollectTargets"/>, not by an attribute: a piped GaussDB
        /// coverage row's Instance is its GaussDB id, which binds here too and must be let through, not refused.
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(SpannerInstanceCompleter))]
        public string[]? Instance { get; set; }

        /// <summary>GaussDB instance ids of the Connect-GaussCloud session's project.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("InstanceId")]
        [ValidateGaussInstanceId]
        [ArgumentCompleter(typeof(GaussInstanceCompleter))]
        public string[]? GaussInstanceId { get; set; }

        /// <summary>Every GaussDB instance of the Connect-GaussCloud session's project.</summary>
        [Parameter]
        public SwitchParameter Gauss { get; set; }

        /// <summary>How many instances are worked on at once (default 8).</summary>
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

        /// <summary>One limit on request rate for the whole command, whichever cloud and instance.</summary>
        internal RateLimiter Rate { get; } = new RateLimiter(new WaiterOptions().MaxRequestsPerSecond);

        /// <summary>Collects this pipeline item's targets (refusing a bad one); call from ProcessRecord.</summary>
        protected void CollectTargets()
        {
            if (GaussInstanceId != null && GaussInstanceId.Length > 0)
            {
                _gaussIds.AddRange(GaussInstanceId.Where(id => !_gaussIds.Contains(id)));
                if (MyInvocation.ExpectingInput && (Instance == null || Instance.Length == 0 || Instance.SequenceEqual(GaussInstanceId)))
                {
                    // A piped GaussDB object (a backup, a GaussDB coverage row whose Instance is the same id) names its
                    // instance; the Project it also carries is GaussDB's, not Spanner's.
                    return;
                }
            }

            foreach (var instance in Instance ?? Array.Empty<string>())
            {
                var invalid = SpannerRules.InstanceId.Check(instance);
                if (invalid != null)
                {
                    RefuseInput(ValidationError.Create(invalid, instance), instance);
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

        /// <summary>
        /// Every target collected, whole projects and -Gauss listed (-ThrottleLimit at a time): null when
        /// nothing was asked for from the pipeline; a terminating InvalidParameter when nothing was asked for at all.
        /// </summary>
        protected FleetTargets? ResolveTargets()
        {
            var anySpanner = _spannerProjects.Count > 0 || _spannerInstances.Count > 0;
            var anyGauss = Gauss.IsPresent || _gaussIds.Count > 0;
            if (!anySpanner && !anyGauss)
            {
                if (!MyInvocation.ExpectingInput)
                {
                    ThrowTerminatingError(ErrorRecords.From(ValidationError.Create("Nothing to work on: give -Project (Spanner, with or without -Instance), -GaussInstanceId, or -Gauss (every instance of the Connect-GaussCloud session)."), null));
                }

                return null;
            }

            var targets = new FleetTargets(
                anySpanner ? Precondition(() => SpannerCmdlet.CreateClient(this, SpannerEndpoint, "-SpannerEndpoint", AccessToken)) : null,
                anyGauss ? Precondition(GaussSessionClient) : null);
            targets.SpannerInstances.AddRange(_spannerInstances);
            targets.GaussInstanceIds.AddRange(_gaussIds);
            foreach (var project in _spannerProjects)
            {
                StartWork(project, async ct =>
                {
                    await Rate.WaitAsync(ct).ConfigureAwait(false);
                    var ids = await new SpannerInventoryClient(targets.Spanner!).ListInstanceIdsAsync(project, ct).ConfigureAwait(false);
                    Post(() => targets.SpannerInstances.AddRange(ids.Select(id => (project, id)).Where(p => !targets.SpannerInstances.Contains(p))));
                }, ThrottleLimit);
            }

            if (Gauss.IsPresent)
            {
                StartWork(null, async ct =>
                {
                    await Rate.WaitAsync(ct).ConfigureAwait(false);
                    var instances = await new GaussInventoryClient(targets.Gauss!).ListInstancesAsync(ct).ConfigureAwait(false);
                    Post(() => targets.GaussInstances.AddRange(instances.Where(i => !_gaussIds.Contains(i.Id))));
                }, ThrottleLimit);
            }

            CompleteAll();
            return targets;
        }

        /// <summary>The GaussDB side uses the Connect-GaussCloud session: its endpoint, project and credential.</summary>
        private GaussClient GaussSessionClient() =>
            GaussCmdlet.CurrentSession?.CreateClient(Trace, RetryPolicy)
            ?? throw new BackupToolsException(ErrorIds.NoCredentials, ErrorKind.NoCredentials, "Working on GaussDB instances needs a GaussDB session: run Connect-GaussCloud first (it holds the endpoint, project and credential).");
    }

    /// <summary>What a fleet command works on: Spanner instances, GaussDB instances named (to be read) and listed (already read).</summary>
    public sealed class FleetTargets
    {
        internal FleetTargets(SpannerClient? spanner, GaussClient? gauss)
        {
            Spanner = spanner;
            Gauss = gauss;
        }

        internal SpannerClient? Spanner { get; }

        internal GaussClient? Gauss { get; }

        internal List<(string Project, string Instance)> SpannerInstances { get; } = new List<(string, string)>();

        internal List<string> GaussInstanceIds { get; } = new List<string>();

        internal List<GaussInstance> GaussInstances { get; } = new List<GaussInstance>();

        internal int Count => SpannerInstances.Count + GaussInstanceIds.Count + GaussInstances.Count;
    }
}
