using System;
using System.Globalization;
using BackupTools.Validation;
using BackupTools.Http;
using Newtonsoft.Json.Linq;

namespace BackupTools.Spanner
{
    /// <summary>A Cloud Spanner database, as the service describes it (what a restore produces).</summary>
    public sealed class SpannerDatabase
    {
        public string Name { get; set; } = string.Empty;

        public string Project { get; set; } = string.Empty;

        public string Instance { get; set; } = string.Empty;

        public string DatabaseId { get; set; } = string.Empty;

        /// <summary>CREATING, READY_OPTIMIZING (restored, usable, still optimizing) or READY.</summary>
        public string State { get; set; } = string.Empty;

        public DateTimeOffset? CreateTime { get; set; }

        public string? DatabaseDialect { get; set; }

        /// <summary>For a restored database: the backup it was restored from (full name).</summary>
        public string? RestoredFromBackup { get; set; }

        /// <summary>For a restored database: the database the backup was taken of (full name).</summary>
        public string? RestoreSourceDatabase { get; set; }

        /// <summary>For a restored database: the moment of the data it holds (the backup's version time).</summary>
        public DateTimeOffset? RestoreVersionTime { get; set; }

        public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0} ({1})", Name, State);

        private static readonly System.Text.RegularExpressions.Regex NameForm = new System.Text.RegularExpressions.Regex("^projects/[^/]+/instances/[^/]+/databases/[^/]+$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        /// <summary>Reads a database from the service's JSON: its name must be there and well formed; text is cleaned.</summary>
        public static SpannerDatabase FromJson(JObject json)
        {
            var name = AnswerFields.Identity(json, "name", NameForm);
            var parts = name.Split('/');
            var backupInfo = AnswerFields.Object(AnswerFields.Object(json, "restoreInfo"), "backupInfo");
            return new SpannerDatabase
            {
                Name = name,
                Project = parts.Length > 1 ? parts[1] : string.Empty,
                Instance = parts.Length > 3 ? parts[3] : string.Empty,
                DatabaseId = SpannerRules.LastSegment(name),
                State = AnswerFields.Text(json, "state") ?? string.Empty,
                CreateTime = Rfc3339.Parse(AnswerFields.Text(json, "createTime")),
                DatabaseDialect = AnswerFields.Text(json, "databaseDialect"),
                RestoredFromBackup = AnswerFields.Text(backupInfo, "backup"),
                RestoreSourceDatabase = AnswerFields.Text(backupInfo, "sourceDatabase"),
                RestoreVersionTime = Rfc3339.Parse(AnswerFields.Text(backupInfo, "versionTime")),
            };
        }
    }
}
