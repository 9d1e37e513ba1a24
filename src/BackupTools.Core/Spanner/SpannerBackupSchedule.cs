using System;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using BackupTools.Http;
using BackupTools.Validation;
using Newtonsoft.Json.Linq;

namespace BackupTools.Spanner
{
    /// <summary>A Cloud Spanner backup schedule: when a database's backups are taken, of which kind, kept how long.</summary>
    public sealed class SpannerBackupSchedule
    {
        public string Name { get; set; } = string.Empty;

        public string Project { get; set; } = string.Empty;

        public string Instance { get; set; } = string.Empty;

        public string Database { get; set; } = string.Empty;

        public string ScheduleId { get; set; } = string.Empty;

        /// <summary>The cron text, in UTC ("0 2 * * *").</summary>
        public string CronText { get; set; } = string.Empty;

        /// <summary>The time zone the cron text is read in (the service answers UTC).</summary>
        public string? TimeZone { get; set; }

        /// <summary>How long after its version time a scheduled backup may start.</summary>
        public TimeSpan? CreationWindow { get; set; }

        /// <summary>How long each backup is kept.</summary>
        public TimeSpan? RetentionPeriod { get; set; }

        /// <summary>FULL, or INCREMENTAL (chains of one full backup then incrementals).</summary>
        public string BackupType { get; set; } = string.Empty;

        public string? EncryptionType { get; set; }

        public string[] KmsKeyNames { get; set; } = Array.Empty<string>();

        public DateTimeOffset? UpdateTime { get; set; }

        public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0} ({1}, {2})", Name, CronText, BackupType);

        private static readonly Regex NameForm = new Regex("^projects/[^/]+/instances/[^/]+/databases/[^/]+/backupSchedules/[^/]+$", RegexOptions.CultureInvariant);

        /// <summary>
        /// Reads a schedule from the service's JSON. Its name must be there and well formed (else
        /// <see cref="AnswerShapeException"/>, which the answer turns into InvalidAnswer); text is cleaned.
        /// </summary>
        public static SpannerBackupSchedule FromJson(JObject json)
        {
            var name = AnswerFields.Identity(json, "name", NameForm);
            var parts = name.Split('/');
            var cron = AnswerFields.Object(AnswerFields.Object(json, "spec"), "cronSpec");
            var encryption = AnswerFields.Object(json, "encryptionConfig");
            var keys = encryption?["kmsKeyNames"] is JArray many
                ? many.Select(k => ServerText.Clean(k.Type == JTokenType.String ? (string?)k : null, ServerText.FieldLength)).ToArray()
                : AnswerFields.Text(encryption, "kmsKeyName") is string one ? new[] { one } : Array.Empty<string>();
            return new SpannerBackupSchedule
            {
                Name = name,
                Project = parts[1],
                Instance = parts[3],
                Database = parts[5],
                ScheduleId = parts[7],
                CronText = AnswerFields.Text(cron, "text") ?? string.Empty,
                TimeZone = AnswerFields.Text(cron, "timeZone"),
                CreationWindow = DurationOf(AnswerFields.Text(cron, "creationWindow")),
                RetentionPeriod = DurationOf(AnswerFields.Text(json, "retentionDuration")),
                BackupType = AnswerFields.Object(json, "incrementalBackupSpec") != null ? "INCREMENTAL" : AnswerFields.Object(json, "fullBackupSpec") != null ? "FULL" : string.Empty,
                EncryptionType = AnswerFields.Text(encryption, "encryptionType"),
                KmsKeyNames = keys,
                UpdateTime = Rfc3339.Parse(AnswerFields.Text(json, "updateTime")),
            };
        }

        /// <summary>A google.protobuf.Duration in JSON ("604800s", "1.5s"); a malformed one is a wrong shape.</summary>
        internal static TimeSpan? DurationOf(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return null;
            }

            if (!text!.EndsWith("s", StringComparison.Ordinal) || !decimal.TryParse(text.Substring(0, text.Length - 1), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) || seconds > (decimal)TimeSpan.MaxValue.TotalSeconds / 2)
            {
                throw new AnswerShapeException("a duration should read like \"604800s\", not \"" + ServerText.Clean(text, 40) + "\"");
            }

            return TimeSpan.FromTicks((long)(seconds * TimeSpan.TicksPerSecond));
        }

        /// <summary>A duration as google.protobuf.Duration JSON: whole seconds ("604800s").</summary>
        internal static string DurationText(TimeSpan value) => ((long)Math.Round(value.TotalSeconds)).ToString(CultureInfo.InvariantCulture) + "s";
    }
}
