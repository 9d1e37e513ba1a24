using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using BackupTools.Infrastructure;
using BackupTools.Retention;
using BackupTools.Spanner;
using BackupTools.Validation;

namespace BackupTools.Commands
{
    /// <summary>
    /// Removes the backups a retention rule lets go, across Spanner databases and GaussDB instances: older
    /// than -OlderThan, beyond the newest -KeepNewest, optionally only names matching -NamePattern; never the
    /// newest good backup, one marked to keep, or one a restore, copy or younger incremental still needs.
    /// Every backup of every target is read and planned first; then each removal is confirmed (ConfirmImpact
    /// High) or, with -WhatIf, only described with the space it frees.
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "BackupByPolicy", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(PrunedBackup))]
    public sealed class RemoveBackupByPolicyCommand : FleetCmdlet
    {
        private const int ProgressId = 12;

        private readonly List<PruneDecision> _decisions = new List<PruneDecision>();
        private int _instancesTotal;
        private int _instancesRead;
        private int _removed;

        /// <summary>Only backups whose data is older than this may go ('30d', '12h' or a TimeSpan).</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [DurationTransformation]
        public Duration OlderThan { get; set; }

        /// <summary>The newest this many considered backups of each database/instance always stay (default 1, at least 1).</summary>
        [Parameter]
        public int KeepNewest { get; set; } = 1;

        /// <summary>Only backups whose name matches this wildcard are considered.</summary>
        [Parameter]
        public string? NamePattern { get; set; }

        /// <summary>Backups whose name matches this wildcard are never removed (default '*keep*').</summary>
        [Parameter]
        public string ProtectPattern { get; set; } = RetentionRule.DefaultProtectPattern;

        /// <summary>Removes without asking for each backup.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        private RetentionRule Rule => new RetentionRule { OlderThan = OlderThan, KeepNewest = KeepNewest, NamePattern = NamePattern, ProtectPattern = ProtectPattern };

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            var problem = Rule.Check();
            if (problem != null)
            {
                ThrowTerminatingError(ErrorRecords.From(ValidationError.Create(problem), null));
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

            var rule = Rule;
            var spanner = targets.Spanner != null ? new SpannerRetentionSource(targets.Spanner, Rate) : null;
            var gauss = targets.Gauss != null ? new GaussRetentionSource(targets.Gauss, Rate) : null;

            // First read and plan everything: what -WhatIf lists is exactly what the real run then removes.
            _instancesTotal = targets.Count;
            Progress("Reading backups", 0, _instancesTotal);
            foreach (var (project, instance) in targets.SpannerInstances)
            {
                StartWork(SpannerRules.InstanceName(project, instance), async ct =>
                {
                    var groups = await spanner!.ListAsync(project, instance, ct).ConfigureAwait(false);
                    var now = DateTimeOffset.UtcNow;
                    Planned(groups.SelectMany(g => RetentionPlanner.Plan(g.ToList(), rule, now)).ToList());
                }, ThrottleLimit);
            }

            foreach (var id in targets.GaussInstanceIds.Concat(targets.GaussInstances.Select(i => i.Id)))
            {
                StartWork(id, async ct => Planned(RetentionPlanner.Plan((await gauss!.ListAsync(id, ct).ConfigureAwait(false)).ToList(), rule, DateTimeOffset.UtcNow)), ThrottleLimit);
            }

            CompleteAll();

            var planned = DateTimeOffset.UtcNow;
            var removals = _decisions.Where(d => d.Remove).ToList();
            foreach (var kept in _decisions.Where(d => !d.Remove))
            {
                WriteVerbose(kept.Backup.Cloud + " backup " + kept.Backup.Name + " of " + kept.Backup.Target + ": " + kept.Reason + ".");
            }

            var freeing = removals.Sum(d => d.Backup.FreeableBytes ?? 0);
            WriteVerbose(removals.Count + " of " + _decisions.Count + " backups go by the rule, freeing " + PruneDecision.Bytes(freeing) + ".");
            if (WhatIfWanted)
            {
                foreach (var d in removals)
                {
                    ShouldProcess(d.Describe(planned), "Remove backup");
                }

                // The total, shown as Write-Host shows text (the host's line, tagged PSHOST in the information stream).
                var total = new InformationRecord(new HostInformationMessage { Message = "What if: " + removals.Count + " backups removed, freeing " + PruneDecision.Bytes(freeing) + "." }, MyInvocation.MyCommand.Name);
                total.Tags.Add("PSHOST");
                WriteInformation(total);
                WriteProgress(new ProgressRecord(ProgressId, "Pruning backups by policy", "Done") { RecordType = ProgressRecordType.Completed });
                return;
            }

            foreach (var d in removals)
            {
                if (!ShouldChange(d.Describe(planned), "Remove backup", Force.IsPresent))
                {
                    continue;
                }

                var backup = d.Backup;
                StartWork(backup.Id, async ct =>
                {
                    if (backup.Cloud == "Spanner")
                    {
                        await spanner!.DeleteAsync(backup, ct).ConfigureAwait(false);
                    }
                    else
                    {
                        await gauss!.DeleteAsync(backup, ct).ConfigureAwait(false);
                    }

                    var removed = DateTimeOffset.UtcNow;
                    Post(() => Progress("Removing backups", ++_removed, removals.Count));
                    PostObject(new PrunedBackup
                    {
                        Cloud = backup.Cloud,
                        Target = backup.Target,
                        Database = backup.Database,
                        Name = backup.Name,
                        Id = backup.Id,
                        Kind = backup.Kind,
                        DataTime = backup.DataTime,
                        Age = removed - backup.DataTime,
                        FreedBytes = backup.FreeableBytes,
                        Reason = d.Reason,
                        RemovedAt = removed,
                    });
                }, ThrottleLimit);
            }

            CompleteAll();
            WriteProgress(new ProgressRecord(ProgressId, "Pruning backups by policy", "Done") { RecordType = ProgressRecordType.Completed });
        }

        private bool WhatIfWanted => MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w) && w is SwitchParameter s && s.IsPresent;

        private void Planned(IReadOnlyList<PruneDecision> decisions) => Post(() =>
        {
            _decisions.AddRange(decisions);
            _instancesRead++;
            Progress("Reading backups", _instancesRead, _instancesTotal);
        });

        private void Progress(string activity, int done, int total)
        {
            WriteProgress(new ProgressRecord(ProgressId, "Pruning backups by policy", string.Format(System.Globalization.CultureInfo.InvariantCulture, "{0}: {1} of {2}", activity, done, total))
            {
                PercentComplete = total == 0 ? 100 : Math.Min(100, done * 100 / total),
            });
        }
    }
}
