using System;
using System.Collections.Generic;
using System.Linq;

namespace BackupTools.Retention
{
    /// <summary>
    /// Decides, from facts alone, which backups of one database/instance a retention rule removes. Kept, in
    /// this order: the newest good backup of any kind; backups still being made; what the service cannot
    /// delete (GaussDB automated); names outside -NamePattern; the newest N considered; names marked to keep;
    /// backups a restore, a copy or a younger incremental still needs; backups not older than the rule.
    /// </summary>
    public static class RetentionPlanner
    {
        public static IReadOnlyList<PruneDecision> Plan(IReadOnlyCollection<RetentionBackup> backups, RetentionRule rule, DateTimeOffset now)
        {
            var problem = rule.Check();
            if (problem != null)
            {
                throw new ArgumentException(problem, nameof(rule));
            }

            var decisions = new List<PruneDecision>();
            var newestGood = backups.Where(b => b.Good).OrderByDescending(b => b.DataTime).FirstOrDefault();

            // The newest N the rule considers (good, deletable, name matching) stay; the newest good backup counts among them when it is one.
            var newestConsidered = new HashSet<RetentionBackup>(backups
                .Where(b => b.Good && b.Deletable && (rule.NamePattern == null || RetentionRule.Matches(b.Name, rule.NamePattern)))
                .OrderByDescending(b => b.DataTime)
                .Take(rule.KeepNewest));
            foreach (var b in backups.OrderByDescending(b => b.DataTime).ThenBy(b => b.Id, StringComparer.Ordinal))
            {
                string? keep;
                if (b == newestGood)
                {
                    keep = "the newest good backup of " + b.Target;
                }
                else if (!b.Good)
                {
                    keep = "not a finished, good backup";
                }
                else if (!b.Deletable)
                {
                    keep = "the service does not delete " + b.Kind.ToLowerInvariant() + " backups";
                }
                else if (rule.NamePattern != null && !RetentionRule.Matches(b.Name, rule.NamePattern))
                {
                    keep = "its name does not match " + rule.NamePattern;
                }
                else if (newestConsidered.Contains(b))
                {
                    keep = "one of the newest " + rule.KeepNewest + " considered";
                }
                else if (RetentionRule.Matches(b.Name, rule.ProtectPattern))
                {
                    keep = "marked to keep (name matches " + rule.ProtectPattern + ")";
                }
                else if (b.NeededBy != null)
                {
                    keep = "still needed by " + b.NeededBy;
                }
                else if (b.Chain != null && backups.Any(o => o != b && o.Chain == b.Chain && o.DataTime > b.DataTime))
                {
                    keep = "still needed by a younger backup of incremental chain " + b.Chain;
                }
                else if (now - b.DataTime <= rule.OlderThan)
                {
                    keep = "not older than " + Coverage.CoverageRating.Age(rule.OlderThan);
                }
                else
                {
                    keep = null;
                }

                decisions.Add(new PruneDecision
                {
                    Backup = b,
                    Remove = keep == null,
                    Reason = keep == null ? "older than " + Coverage.CoverageRating.Age(rule.OlderThan) + ", beyond the newest " + rule.KeepNewest : "kept: " + keep,
                });
            }

            return decisions;
        }
    }
}
