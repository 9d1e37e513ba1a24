using System;
using System.Globalization;
using BackupTools.Validation;
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

        public static SpannerDatabase FromJson(JObject json)
        {
            var name = (string?)json["name"] ?? string.Empty;
            var parts = name.Split('/');
            var backupInfo = json["restoreInfo"]?["backupInfo"] as JObject;
            return new SpannerDatabase
            {
                Name = name,
                Project = parts.Length > 1 ? parts[1] : string.Empty,
                Instance = parts.Length > 3 ? parts[3] : string.Empty,
                DatabaseId = SpannerRules.LastSegment(name),
                State = (string?)json["state"] ?? string.Empty,
                CreateTime = Rfc3339.Parse((string?)json["createTime"]),
                DatabaseDialect = (string?)json["databaseDialect"],
                RestoredFromBackup = (string?)backupInfo?["backup"],
                RestoreSourceDatabase = (string?)backupInfo?["sourceDatabase"],
                RestoreVersionTime = Rfc3339.Parse((string?)backupInfo?["versionTime"]),
            };
        }
    }
}
