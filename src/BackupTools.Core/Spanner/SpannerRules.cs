using System;
using System.Globalization;
using System.Linq;
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

        /// <summary>A backup schedule id: the last segment of projects/p/instances/i/databases/d/backupSchedules/s (Discovery: a-z*[a-z0-9], 2 to 60 characters).</summary>
        public static readonly TextRule ScheduleId = new TextRule(
            "Spanner backup schedule id",
            "^[a-z][a-z0-9_\\-]*[a-z0-9]$",
            2,
            60,
            "2 to 60 characters, a lowercase letter first, then lowercase letters, digits, '_' or '-', ending with a letter or digit");

        private static readonly Regex OperationNamePattern = new Regex(OperationNameText, RegexOptions.CultureInvariant);
        /// <summary>A full backup name, each segment under its own rule (copy sources, restore sources).</summary>
        public static readonly TextRule FullBackupName = new TextRule(
            "Spanner backup name",
            "^projects/([a-z][a-z0-9.\\-]*[a-z0-9]:)?[a-z][a-z0-9\\-]*[a-z0-9]/instances/[a-z][a-z0-9\\-]*[a-z0-9]/backups/[a-z][a-z0-9_\\-]*[a-z0-9]$",
            2,
            256,
            "of the form projects/{project}/instances/{instance}/backups/{backup}, each id under its own rule");

        /// <summary>The encryption types copy and restore accept (create's default is USE_DATABASE_ENCRYPTION instead).</summary>
        public const string UseConfigDefaultOrBackupEncryption = "USE_CONFIG_DEFAULT_OR_BACKUP_ENCRYPTION";

        private static readonly Regex KmsKeyLocation = new Regex("/locations/([^/]+)/", RegexOptions.CultureInvariant);

        /// <summary>
        /// Null when the encryption options fit together, else why not: a KMS key only with
        /// CUSTOMER_MANAGED_ENCRYPTION, which needs one; several keys (multi-region) each in another location.
        /// </summary>
        public static string? CheckEncryption(string? encryptionType, string[]? kmsKeyNames)
        {
            var keys = kmsKeyNames ?? Array.Empty<string>();
            if (keys.Length > 0 && encryptionType != "CUSTOMER_MANAGED_ENCRYPTION")
            {
                return "-KmsKeyName goes only with -EncryptionType CUSTOMER_MANAGED_ENCRYPTION.";
            }

            if (encryptionType == "CUSTOMER_MANAGED_ENCRYPTION" && keys.Length == 0)
            {
                return "-EncryptionType CUSTOMER_MANAGED_ENCRYPTION needs -KmsKeyName.";
            }

            if (keys.Distinct(StringComparer.Ordinal).Count() != keys.Length)
            {
                return "-KmsKeyName names the same key twice.";
            }

            var locations = keys.Select(k => KmsKeyLocation.Match(k).Groups[1].Value).ToList();
            return locations.Distinct(StringComparer.Ordinal).Count() != locations.Count
                ? "-KmsKeyName names two keys in one location: a multi-region instance needs one key per region (kmsKeyNames), each in that region."
                : null;
        }

        /// <summary>
        /// Null when a copy's expiry fits its source: at least 6 hours and at most 366 days after the
        /// source backup was created, and not past the source's max expire time.
        /// </summary>
        public static string? CheckCopyExpireTime(DateTimeOffset expireTime, DateTimeOffset sourceCreateTime, DateTimeOffset? sourceMaxExpireTime)
        {
            var earliest = sourceCreateTime + MinimumRetention;
            var latest = sourceCreateTime + MaximumRetention;
            if (sourceMaxExpireTime.HasValue && sourceMaxExpireTime.Value < latest)
            {
                latest = sourceMaxExpireTime.Value;
            }

            if (expireTime < earliest)
            {
                return string.Format(CultureInfo.InvariantCulture, "ExpireTime {0} is too soon: a copy must expire at least 6 hours after its source backup was created ({1} or later).", Rfc3339.Format(expireTime), Rfc3339.Format(earliest));
            }

            if (expireTime > latest)
            {
                return string.Format(CultureInfo.InvariantCulture, "ExpireTime {0} is too far: a copy must expire at most 366 days after its source backup was created, and not after the source's MaxExpireTime (at the latest {1}).", Rfc3339.Format(expireTime), Rfc3339.Format(latest));
            }

            return null;
        }

        /// <summary>Splits a full backup name into project, instance and backup id; false when it is not one.</summary>
        public static bool TryParseBackupName(string? name, out string project, out string instance, out string backupId)
        {
            var parts = (name ?? string.Empty).Split('/');
            var ok = parts.Length == 6 && parts[0] == "projects" && parts[2] == "instances" && parts[4] == "backups" && parts.All(p => p.Length > 0);
            project = ok ? parts[1] : string.Empty;
            instance = ok ? parts[3] : string.Empty;
            backupId = ok ? parts[5] : string.Empty;
            return ok;
        }

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

        /// <summary>
        /// Null when a schedule's cron text is one the service accepts, else why not. The text is in UTC
        /// (no CRON_TZ/TZ prefix) with five fields, minute and hour fixed numbers, and its frequency one of:
        /// every 12 hours ("0 2/12 * * *", "0 2,14 * * *"), daily ("0 2 * * *"), weekly ("0 2 * * 0") or
        /// monthly ("0 2 8 * *"); the month field is always "*".
        /// </summary>
        public static string? CheckCronText(string? text) => CronSchedule.Check(text);

        /// <summary>Null when a schedule's retention is in the service's window (6 hours to 366 days).</summary>
        public static string? CheckScheduleRetention(TimeSpan retention)
        {
            if (retention < MinimumRetention || retention > MaximumRetention)
            {
                return string.Format(CultureInfo.InvariantCulture, "RetentionPeriod {0} is out of range: a backup schedule must keep its backups at least 6 hours and at most 366 days.", retention);
            }

            return null;
        }

        /// <summary>Null when a schedule makes exactly one kind of backup: full (fullBackupSpec) or incremental (incrementalBackupSpec).</summary>
        public static string? CheckScheduleBackupType(bool full, bool incremental) =>
            full == incremental ? "A backup schedule makes either full or incremental backups: exactly one of fullBackupSpec and incrementalBackupSpec." : null;

        public static string ScheduleName(string project, string instance, string database, string scheduleId) => DatabaseName(project, instance, database) + "/backupSchedules/" + scheduleId;

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
