using System;
using System.Globalization;

namespace BackupTools.Coverage
{
    /// <summary>How well one database (Spanner) or instance (GaussDB) is protected, measured against a maximum backup age.</summary>
    public enum CoverageStatus
    {
        /// <summary>The newest good backup is younger than the maximum age.</summary>
        Covered,

        /// <summary>There is a good backup, but it is older than the maximum age.</summary>
        Stale,

        /// <summary>No good backup at all, and no failed attempt either.</summary>
        Missing,

        /// <summary>The latest finished backup attempt failed (after the newest good backup, if any).</summary>
        Failing,
    }

    /// <summary>One row of the coverage report: a database (Spanner) or an instance (GaussDB), its newest good backup and the verdict.</summary>
    public sealed class BackupCoverage
    {
        /// <summary>Spanner or Gauss.</summary>
        public string Cloud { get; set; } = string.Empty;

        /// <summary>Spanner project id, or GaussDB project id.</summary>
        public string Project { get; set; } = string.Empty;

        /// <summary>Spanner instance id, or GaussDB instance id.</summary>
        public string Instance { get; set; } = string.Empty;

        /// <summary>What is protected: the Spanner database id, or the GaussDB instance name.</summary>
        public string Database { get; set; } = string.Empty;

        /// <summary>The full resource: projects/p/instances/i/databases/d, or the GaussDB instance id.</summary>
        public string Target { get; set; } = string.Empty;

        /// <summary>
        /// GaussDB rows only: the instance id, by which a row piped to New-GaussBackup (or another GaussDB cmdlet) binds.
        /// Null on Spanner rows, so a Spanner row piped there is refused for that item instead of naming a wrong target.
        /// </summary>
        public string? InstanceId { get; set; }

        /// <summary>Covered, Stale, Missing or Failing (as text, so JSON and CSV exports read well; <see cref="Rating"/> is the value).</summary>
        public string Status => Rating.ToString();

        internal CoverageStatus Rating { get; set; }

        /// <summary>The newest good backup's short name (Spanner backup id, GaussDB backup name), or null.</summary>
        public string? NewestBackup { get; set; }

        /// <summary>The newest good backup's identity: the Spanner backup's full name, or the GaussDB backup id.</summary>
        public string? NewestBackupId { get; set; }

        /// <summary>Manual, Scheduled (a Spanner backup schedule) or Automated (GaussDB's backup policy).</summary>
        public string? BackupKind { get; set; }

        /// <summary>The moment of the data the backup holds: Spanner's versionTime, GaussDB's begin time.</summary>
        public DateTimeOffset? BackupTime { get; set; }

        /// <summary>How old the data in the newest good backup is when checked.</summary>
        public TimeSpan? Age { get; set; }

        public long? SizeBytes { get; set; }

        /// <summary>
        /// When the newest good backup goes away by itself; null when it never expires (GaussDB manual backups).
        /// Not "ExpireTime": a row piped to New-SpannerBackup would pass it as the new backup's expiry.
        /// </summary>
        public DateTimeOffset? BackupExpireTime { get; set; }

        /// <summary>When the failed attempt that makes this Failing started.</summary>
        public DateTimeOffset? FailedAttemptTime { get; set; }

        /// <summary>Why that attempt failed, as the service says it (control characters removed, cut to 300 characters).</summary>
        public string? FailureReason { get; set; }

        /// <summary>The maximum age the backup was rated against.</summary>
        public TimeSpan MaxAge { get; set; }

        public DateTimeOffset CheckedAt { get; set; }

        /// <summary>True only for Covered.</summary>
        public bool IsCovered => Rating == CoverageStatus.Covered;

        /// <summary>The verdict in one sentence (what an error or a report line says).</summary>
        public string Reason { get; set; } = string.Empty;

        public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0} {1}: {2}", Cloud, Target, Status);
    }

    /// <summary>The whole report in one object: counts per status and the targets that are not covered.</summary>
    public sealed class BackupCoverageSummary
    {
        public TimeSpan MaxAge { get; set; }

        public int Total { get; set; }

        public int Covered { get; set; }

        public int Stale { get; set; }

        public int Missing { get; set; }

        public int Failing { get; set; }

        /// <summary>The oldest newest-good-backup age among the rated targets (the worst recovery point), or null when none has one.</summary>
        public TimeSpan? WorstAge { get; set; }

        /// <summary>Targets that are not Covered, "Status: target" each.</summary>
        public string[] Uncovered { get; set; } = Array.Empty<string>();

        public DateTimeOffset CheckedAt { get; set; }

        public bool AllCovered => Total > 0 && Covered == Total;

        public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0} of {1} covered ({2} stale, {3} missing, {4} failing)", Covered, Total, Stale, Missing, Failing);
    }
}
