using System;
using System.Globalization;
using System.Text.RegularExpressions;
using BackupTools.Validation;

namespace BackupTools.Spanner
{
    /// <summary>
    /// What Cloud Spanner accepts, checked before any request so a bad value costs no call. The
    /// emulator enforces the same rules on its side, as the service does.
    /// </summary>
    public static class SpannerRules
    {
        public static readonly TimeSpan MinimumRetention = TimeSpan.FromHours(6);
        public static readonly TimeSpan MaximumRetention = TimeSpan.FromDays(366);

        /// <summary>A backup operation's full name: projects/p/instances/i/backups/b/operations/o.</summary>
        public const string OperationNameText = "^projects/([^/]+)/instances/([^/]+)/backups/([^/]+)/operations/([^/]+)$";

        public static bool IsOperationName(string? name) => name != null && OperationNamePattern.IsMatch(name);

        /// <summary>How long New-SpannerBackup keeps a backup when neither a retention nor an expiry is given.</summary>
        public static readonly TimeSpan DefaultRetention = TimeSpan.FromDays(7);

        /// <summary>The service's own limit on how old a version time may be (databases keep at most 7 days).</summary>
        public static readonly TimeSpan MaximumVersionAge = TimeSpan.FromDays(7);

        /// <summary>
        /// A retention given as a period is turned into an expiry at the client's clock; this margin keeps
        /// the service (which checks at its own, slightly later, clock) from refusing the minimum.
        /// </summary>
        public static readonly TimeSpan RetentionGrace = TimeSpan.FromMinutes(1);

        public static readonly TextRule BackupId = new TextRule(
            "Spanner backup id",
            "^[a-z][a-z0-9_\\-]*[a-z0-9]$",
            2,
            60,
            "2 to 60 characters, a lowercase letter first, then lowercase letters, digits, '_' or '-', ending with a letter or digit");

        public static readonly TextRule ProjectId = new TextRule(
            "Google Cloud project id",
            "^([a-z][a-z0-9.\\-]*[a-z0-9]:)?[a-z][a-z0-9\\-]*[a-z0-9]$",
            2,
            94,
            "lowercase letters, digits and '-', a letter first and no '-' last (optionally prefixed by 'domain:')");

        public static readonly TextRule InstanceId = new TextRule(
            "Spanner instance id",
            "^[a-z][a-z0-9\\-]*[a-z0-9]$",
            2,
            64,
            "2 to 64 characters, a lowercase letter first, then lowercase letters, digits or '-', ending with a letter or digit");

        public static readonly TextRule DatabaseId = new TextRule(
            "Spanner database id",
            "^[a-z][a-z0-9_\\-]*[a-z0-9]$",
            2,
            30,
            "2 to 30 characters, a lowercase letter first, then lowercase letters, digits, '_' or '-', ending with a letter or digit");

        public static readonly TextRule KmsKeyName = new TextRule(
            "Cloud KMS key name",
            "^projects/[a-z0-9][a-z0-9.:\\-]*/locations/[a-z0-9\\-]+/keyRings/[A-Za-z0-9_\\-]{1,63}/cryptoKeys/[A-Za-z0-9_\\-]{1,63}$",
            1,
            1024,
            "of the form projects/{project}/locations/{location}/keyRings/{ring}/cryptoKeys/{key}, the ring and key ids 1 to 63 letters, digits, '_' or '-'");

        private static readonly Regex OperationNamePattern = new Regex(OperationNameText, RegexOptions.CultureInvariant);

        private static readonly Regex NotAllowedInId = new Regex("[^a-z0-9_\\-]", RegexOptions.CultureInvariant);

        /// <summary>
        /// A backup id for a database when none is given: the database id and the UTC time to the
        /// millisecond ("orders-20261122-101500-123"), always valid by the id rule and sorted by time.
        /// </summary>
        public static string GenerateBackupId(string database, DateTimeOffset now)
        {
            var stem = NotAllowedInId.Replace(database.ToLowerInvariant(), "-").Trim('-', '_');
            if (stem.Length == 0 || stem[0] < 'a' || stem[0] > 'z')
            {
                stem = "backup-" + stem;
            }

            var suffix = now.UtcDateTime.ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture);
            var maxStem = BackupId.MaxLength - suffix.Length - 1;
            if (stem.Length > maxStem)
            {
                stem = stem.Substring(0, maxStem).TrimEnd('-', '_');
            }

            return stem + "-" + suffix;
        }

        /// <summary>Null when the expiry lies in the service's window (6 hours to 366 days from now), else why not.</summary>
        public static string? CheckExpireTime(DateTimeOffset expireTime, DateTimeOffset now)
        {
            if (expireTime < now + MinimumRetention)
            {
                return string.Format(CultureInfo.InvariantCulture, "ExpireTime {0} is too soon: a Spanner backup must be kept at least 6 hours (until {1} or later).", Rfc3339.Format(expireTime), Rfc3339.Format(now + MinimumRetention));
            }

            if (expireTime > now + MaximumRetention)
            {
                return string.Format(CultureInfo.InvariantCulture, "ExpireTime {0} is too far: a Spanner backup can be kept at most 366 days (until {1}).", Rfc3339.Format(expireTime), Rfc3339.Format(now + MaximumRetention));
            }

            return null;
        }

        public static string? CheckRetentionPeriod(TimeSpan retention)
        {
            if (retention < MinimumRetention || retention > MaximumRetention)
            {
                return string.Format(CultureInfo.InvariantCulture, "RetentionPeriod {0} is out of range: a Spanner backup must be kept at least 6 hours and at most 366 days.", retention);
            }

            return null;
        }

        /// <summary>The expiry a retention period means now, with a small grace so the minimum is accepted.</summary>
        public static DateTimeOffset ExpireTimeFor(TimeSpan retention, DateTimeOffset now)
        {
            var expire = now + retention;
            return retention < MinimumRetention + RetentionGrace ? expire + RetentionGrace : expire;
        }

        /// <summary>Null when the version time is neither in the future nor older than the service allows.</summary>
        public static string? CheckVersionTime(DateTimeOffset versionTime, DateTimeOffset now)
        {
            if (versionTime > now)
            {
                return string.Format(CultureInfo.InvariantCulture, "VersionTime {0} is in the future: a backup can only capture data as of now or earlier.", Rfc3339.Format(versionTime));
            }

            if (versionTime < now - MaximumVersionAge)
            {
                return string.Format(CultureInfo.InvariantCulture, "VersionTime {0} is older than 7 days, the most a Spanner database keeps old versions (its own retention, 1 hour by default, may be shorter).", Rfc3339.Format(versionTime));
            }

            return null;
        }

        /// <summary>Splits an operation name into project, instance, backup id and operation id.</summary>
        public static bool TryParseOperationName(string name, out string project, out string instance, out string backupId, out string operationId)
        {
            var m = OperationNamePattern.Match(name ?? string.Empty);
            project = m.Success ? m.Groups[1].Value : string.Empty;
            instance = m.Success ? m.Groups[2].Value : string.Empty;
            backupId = m.Success ? m.Groups[3].Value : string.Empty;
            operationId = m.Success ? m.Groups[4].Value : string.Empty;
            return m.Success;
        }

        public static string InstanceName(string project, string instance) => "projects/" + project + "/instances/" + instance;

        public static string BackupName(string project, string instance, string backupId) => InstanceName(project, instance) + "/backups/" + backupId;

        public static string DatabaseName(string project, string instance, string database) => InstanceName(project, instance) + "/databases/" + database;

        /// <summary>The last segment of a resource name ("projects/p/instances/i/databases/d" -> "d").</summary>
        public static string LastSegment(string? name)
        {
            if (string.IsNullOrEmpty(name))
            {
                return string.Empty;
            }

            var slash = name!.LastIndexOf('/');
            return slash < 0 ? name : name.Substring(slash + 1);
        }
    }
}
