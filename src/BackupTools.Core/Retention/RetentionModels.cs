using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace BackupTools.Retention
{
    /// <summary>What may go: older than <see cref="OlderThan"/>, beyond the newest <see cref="KeepNewest"/>, optionally only names matching <see cref="NamePattern"/>, never names matching <see cref="ProtectPattern"/>.</summary>
    public sealed class RetentionRule
    {
        /// <summary>The marker a user puts in a backup's name to keep it (Spanner backups have no labels or description).</summary>
        public const string DefaultProtectPattern = "*keep*";

        public TimeSpan OlderThan { get; set; }

        /// <summary>The newest this many removable backups of each database/instance stay (at least 1).</summary>
        public int KeepNewest { get; set; } = 1;

        /// <summary>A wildcard (* and ?) on the backup's name: only matching backups are considered. Null: all.</summary>
        public string? NamePattern { get; set; }

        /// <summary>A wildcard on the backup's name: matching backups are never removed.</summary>
        public string ProtectPattern { get; set; } = DefaultProtectPattern;

        /// <summary>The rule's problem in one sentence, or null when it is valid.</summary>
        public string? Check()
        {
            if (OlderThan <= TimeSpan.Zero)
            {
                return "-OlderThan must be a positive duration, e.g. '30d'.";
            }

            if (KeepNewest < 1)
            {
                return "-KeepNewest must be at least 1: the newest good backup of every database is never removed.";
            }

            if (NamePattern != null && NamePattern.Trim().Length == 0)
            {
                return "-NamePattern must not be empty.";
            }

            return string.IsNullOrWhiteSpace(ProtectPattern) ? "-ProtectPattern must not be empty." : null;
        }

        /// <summary>A case-insensitive match of a whole name against a wildcard with * and ?.</summary>
        public static bool Matches(string name, string pattern) =>
            Regex.IsMatch(name, "^" + Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }

    /// <summary>A backup as the retention rule sees it, whichever the cloud.</summary>
    public sealed class RetentionBackup
    {
        public string Cloud { get; set; } = string.Empty;

        /// <summary>The database's full name (Spanner) or the instance id (GaussDB).</summary>
        public string Target { get; set; } = string.Empty;

        /// <summary>The Spanner database id, or the GaussDB instance id.</summary>
        public string Database { get; set; } = string.Empty;

        /// <summary>The backup's short name: Spanner backup id, GaussDB backup name.</summary>
        public string Name { get; set; } = string.Empty;

        /// <summary>The backup's identity for the delete: Spanner full name, GaussDB backup id.</summary>
        public string Id { get; set; } = string.Empty;

        /// <summary>Manual, Scheduled, Automated.</summary>
        public string Kind { get; set; } = "Manual";

        public DateTimeOffset DataTime { get; set; }

        /// <summary>Finished and usable (Spanner READY, GaussDB COMPLETED/AVAILABLE).</summary>
        public bool Good { get; set; }

        /// <summary>The service lets this kind be deleted (GaussDB automated backups cannot be).</summary>
        public bool Deletable { get; set; } = true;

        public long? SizeBytes { get; set; }

        /// <summary>What deleting it frees; the size when the service does not say.</summary>
        public long? FreeableBytes { get; set; }

        /// <summary>Why the service still needs it (a restore, a copy, a younger incremental), or null.</summary>
        public string? NeededBy { get; set; }

        /// <summary>An incremental chain id, or null.</summary>
        public string? Chain { get; set; }
    }

    /// <summary>The rule's verdict on one backup: removed, or kept and why.</summary>
    public sealed class PruneDecision
    {
        public RetentionBackup Backup { get; set; } = new RetentionBackup();

        public bool Remove { get; set; }

        public string Reason { get; set; } = string.Empty;

        /// <summary>What -WhatIf and the confirmation say: the backup, its database, age and the space it frees.</summary>
        public string Describe(DateTimeOffset now) => string.Format(
            CultureInfo.InvariantCulture,
            "{0} backup {1} of {2} ({3}, data from {4:yyyy-MM-dd HH:mm} UTC, {5} old; frees {6})",
            Backup.Cloud,
            Backup.Name,
            Backup.Target,
            Backup.Kind.ToLowerInvariant(),
            Backup.DataTime.UtcDateTime,
            Coverage.CoverageRating.Age(now - Backup.DataTime),
            Bytes(Backup.FreeableBytes ?? Backup.SizeBytes));

        /// <summary>Bytes in the unit an operator reads: 1.5 GB.</summary>
        public static string Bytes(long? bytes)
        {
            if (!bytes.HasValue)
            {
                return "an unknown size";
            }

            string[] units = { "B", "KB", "MB", "GB", "TB", "PB" };
            double value = bytes.Value;
            var unit = 0;
            while (value >= 1024 && unit < units.Length - 1)
            {
                value /= 1024;
                unit++;
            }

            return unit == 0 ? bytes.Value.ToString(CultureInfo.InvariantCulture) + " B" : value.ToString("0.0", CultureInfo.InvariantCulture) + " " + units[unit];
        }
    }

    /// <summary>One backup a prune removed (emitted by Remove-BackupByPolicy).</summary>
    public sealed class PrunedBackup
    {
        public string Cloud { get; set; } = string.Empty;

        public string Target { get; set; } = string.Empty;

        public string Database { get; set; } = string.Empty;

        public string Name { get; set; } = string.Empty;

        public string Id { get; set; } = string.Empty;

        public string Kind { get; set; } = string.Empty;

        public DateTimeOffset DataTime { get; set; }

        public TimeSpan Age { get; set; }

        public long? FreedBytes { get; set; }

        public string Reason { get; set; } = string.Empty;

        public DateTimeOffset RemovedAt { get; set; }

        public override string ToString() => Cloud + " " + Id;
    }
}
