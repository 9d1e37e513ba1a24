using System;
using System.Globalization;

namespace BackupTools.Drills
{
    /// <summary>The evidence of one restore drill: which backup, where it went, how long each phase took, the check's and the cleanup's result.</summary>
    public sealed class RestoreDrillResult
    {
        /// <summary>Spanner or GaussDB.</summary>
        public string Cloud { get; set; } = string.Empty;

        /// <summary>What was drilled: a Spanner database's full name, a GaussDB instance's id.</summary>
        public string Source { get; set; } = string.Empty;

        /// <summary>The backup restored (full name), or null when none was found.</summary>
        public string? Backup { get; set; }

        /// <summary>The moment of the data in the backup (its versionTime).</summary>
        public DateTimeOffset? BackupTime { get; set; }

        /// <summary>What the backup was restored into, removed at the end: a scratch database's full name, a scratch instance's name and id.</summary>
        public string Scratch { get; set; } = string.Empty;

        /// <summary>Passed, CheckFailed, RestoreFailed, NoBackup or Stopped.</summary>
        public string Outcome { get; set; } = string.Empty;

        /// <summary>True only when the restore finished (optimize included), the check (if any) passed and the scratch target is gone.</summary>
        public bool Succeeded { get; set; }

        public DateTimeOffset StartedAt { get; set; }

        public DateTimeOffset FinishedAt { get; set; }

        /// <summary>Finding the newest good backup.</summary>
        public TimeSpan? FindTime { get; set; }

        /// <summary>From sending the restore until the database or instance was usable (restore phase).</summary>
        public TimeSpan? RestoreTime { get; set; }

        /// <summary>From usable to optimized (Spanner's optimize phase).</summary>
        public TimeSpan? OptimizeTime { get; set; }

        /// <summary>The user's check; null when none was given.</summary>
        public TimeSpan? CheckTime { get; set; }

        public TimeSpan? CleanupTime { get; set; }

        public TimeSpan TotalTime => FinishedAt - StartedAt;

        /// <summary>Null without a check; true when it ran without an error and did not return $false.</summary>
        public bool? CheckPassed { get; set; }

        /// <summary>What the check returned.</summary>
        public object[] CheckOutput { get; set; } = Array.Empty<object>();

        /// <summary>Why the check or the restore failed, or null.</summary>
        public string? Error { get; set; }

        /// <summary>True when the scratch target is confirmed gone (or was never made).</summary>
        public bool CleanedUp { get; set; }

        /// <summary>What the cleanup did: dropped, deleted, restore cancelled, nothing to clean, or why it failed.</summary>
        public string Cleanup { get; set; } = string.Empty;

        public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0} drill of {1}: {2}", Cloud, Source, Outcome);
    }
}
