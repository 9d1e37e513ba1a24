using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using BackupTools.Http;

namespace BackupTools.Coverage
{
    /// <summary>A backup as the rating needs it, whichever the cloud.</summary>
    public sealed class CoverageCandidate
    {
        public string ShortName { get; set; } = string.Empty;

        public string Id { get; set; } = string.Empty;

        public string Kind { get; set; } = "Manual";

        /// <summary>The moment of the data (Spanner versionTime, GaussDB begin time).</summary>
        public DateTimeOffset DataTime { get; set; }

        public long? SizeBytes { get; set; }

        public DateTimeOffset? ExpireTime { get; set; }
    }

    /// <summary>A finished backup attempt that failed.</summary>
    public sealed class FailedAttempt
    {
        public DateTimeOffset StartTime { get; set; }

        public string Reason { get; set; } = string.Empty;
    }

    /// <summary>
    /// The verdict for one target, from facts alone (no I/O, no PowerShell): Failing when the latest
    /// finished attempt failed after the newest good backup was taken; else Missing without a good backup;
    /// else Covered when its data is no older than the maximum age, Stale when it is.
    /// </summary>
    public static class CoverageRating
    {
        private const int MaxReasonLength = 300;

        /// <param name="good">Every good (finished, usable) backup of the target.</param>
        /// <param name="latestFailure">The latest finished attempt when it failed, else null (a later success or a cancel clears it).</param>
        public static BackupCoverage Rate(BackupCoverage row, IEnumerable<CoverageCandidate> good, FailedAttempt? latestFailure, TimeSpan maxAge, DateTimeOffset now)
        {
            if (maxAge <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(maxAge), "The maximum age must be positive.");
            }

            var newest = good.OrderByDescending(c => c.DataTime).FirstOrDefault();
            row.MaxAge = maxAge;
            row.CheckedAt = now;
            if (newest != null)
            {
                row.NewestBackup = newest.ShortName;
                row.NewestBackupId = newest.Id;
                row.BackupKind = newest.Kind;
                row.BackupTime = newest.DataTime;
                row.Age = now - newest.DataTime < TimeSpan.Zero ? TimeSpan.Zero : now - newest.DataTime;
                row.SizeBytes = newest.SizeBytes;
                row.BackupExpireTime = newest.ExpireTime;
            }

            if (latestFailure != null && (newest == null || latestFailure.StartTime > newest.DataTime))
            {
                row.Rating = CoverageStatus.Failing;
                row.FailedAttemptTime = latestFailure.StartTime;
                row.FailureReason = Clean(latestFailure.Reason);
                row.Reason = "The latest backup attempt (started " + Format(latestFailure.StartTime) + ") failed: " + row.FailureReason
                    + (newest == null ? "; there is no good backup." : "; the newest good backup is " + Age(row.Age!.Value) + " old.");
            }
            else if (newest == null)
            {
                row.Rating = CoverageStatus.Missing;
                row.Reason = "No good backup.";
            }
            else if (row.Age!.Value <= maxAge)
            {
                row.Rating = CoverageStatus.Covered;
                row.Reason = "Newest good backup " + newest.ShortName + " is " + Age(row.Age.Value) + " old (at most " + Age(maxAge) + ").";
            }
            else
            {
                row.Rating = CoverageStatus.Stale;
                row.Reason = "Newest good backup " + newest.ShortName + " is " + Age(row.Age.Value) + " old, older than " + Age(maxAge) + ".";
            }

            return row;
        }

        /// <summary>Counts and the uncovered targets of a whole report.</summary>
        public static BackupCoverageSummary Summarize(IReadOnlyCollection<BackupCoverage> rows, TimeSpan maxAge, DateTimeOffset now)
        {
            var ages = rows.Where(r => r.Age.HasValue).Select(r => r.Age!.Value).ToList();
            return new BackupCoverageSummary
            {
                MaxAge = maxAge,
                Total = rows.Count,
                Covered = rows.Count(r => r.Rating == CoverageStatus.Covered),
                Stale = rows.Count(r => r.Rating == CoverageStatus.Stale),
                Missing = rows.Count(r => r.Rating == CoverageStatus.Missing),
                Failing = rows.Count(r => r.Rating == CoverageStatus.Failing),
                WorstAge = ages.Count == 0 ? (TimeSpan?)null : ages.Max(),
                Uncovered = rows.Where(r => r.Rating != CoverageStatus.Covered).OrderBy(r => r.Rating).ThenBy(r => r.Target, StringComparer.Ordinal).Select(r => r.Status + ": " + r.Target).ToArray(),
                CheckedAt = now,
            };
        }

        /// <summary>A duration as an operator reads it: 3d 4h, 5h 12m, 42m, 30s.</summary>
        public static string Age(TimeSpan age)
        {
            if (age.TotalDays >= 1)
            {
                return string.Format(CultureInfo.InvariantCulture, "{0}d {1}h", (int)age.TotalDays, age.Hours);
            }

            if (age.TotalHours >= 1)
            {
                return string.Format(CultureInfo.InvariantCulture, "{0}h {1}m", (int)age.TotalHours, age.Minutes);
            }

            return age.TotalMinutes >= 1
                ? string.Format(CultureInfo.InvariantCulture, "{0}m", (int)age.TotalMinutes)
                : string.Format(CultureInfo.InvariantCulture, "{0}s", (int)Math.Max(0, age.TotalSeconds));
        }

        private static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        private static string Clean(string text) => ServerText.Clean(text, MaxReasonLength);
    }
}
