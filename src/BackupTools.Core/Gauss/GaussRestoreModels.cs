using System;
using System.Globalization;
using Newtonsoft.Json.Linq;

namespace BackupTools.Gauss
{
    /// <summary>What Restore-GaussInstance asks for, already validated: a backup, or a point in time, restored over an existing instance.</summary>
    public sealed class GaussRestoreRequest
    {
        /// <summary>The instance whose data is overwritten.</summary>
        public string TargetInstanceId { get; set; } = string.Empty;

        /// <summary>The instance the backup or the point in time belongs to; for a backup, found from it when null; for a time, the target when null.</summary>
        public string? SourceInstanceId { get; set; }

        public string? BackupId { get; set; }

        public DateTimeOffset? RestoreTime { get; set; }
    }

    /// <summary>A restore checked against the service's state, ready to send, with the exact words of what it will overwrite.</summary>
    public sealed class GaussRestorePlan
    {
        public GaussRestorePlan(GaussRestoreRequest request, GaussInstance target, string sourceInstanceId, GaussBackup? backup, GaussRestoreWindow? window)
        {
            Request = request;
            Target = target;
            SourceInstanceId = sourceInstanceId;
            Backup = backup;
            Window = window;
        }

        public GaussRestoreRequest Request { get; }

        public GaussInstance Target { get; }

        public string SourceInstanceId { get; }

        /// <summary>The backup restored (for a restore from a backup), as read just before.</summary>
        public GaussBackup? Backup { get; }

        /// <summary>The restorable window holding the time (for a point-in-time restore).</summary>
        public GaussRestoreWindow? Window { get; }

        /// <summary>What will be overwritten and with what, for -WhatIf and the confirmation prompt.</summary>
        public string Description
        {
            get
            {
                var target = "ALL data of instance " + Target.Id + (Target.Name.Length > 0 ? " (" + Target.Name + ")" : string.Empty) + " is replaced by ";
                if (Backup != null)
                {
                    return target + "backup " + Backup.Name + " (" + Backup.Id + ") of instance " + SourceInstanceId + ", taken " + Format(Backup.BeginTime) + ".";
                }

                var whose = SourceInstanceId == Target.Id ? "its own data" : "the data of instance " + SourceInstanceId;
                return target + whose + " as of " + Format(Request.RestoreTime) + " (restorable window " + Format(Window?.Start) + " to " + Format(Window?.End) + ").";
            }
        }

        private static string Format(DateTimeOffset? time) =>
            time.HasValue ? time.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "an unknown time";
    }

    /// <summary>A span of time an instance can be restored to (point-in-time recovery).</summary>
    public sealed class GaussRestoreWindow
    {
        public string InstanceId { get; set; } = string.Empty;

        public DateTimeOffset Start { get; set; }

        public DateTimeOffset End { get; set; }

        public TimeSpan Length => End - Start;

        public bool Contains(DateTimeOffset time) => time >= Start && time <= End;

        public override string ToString() =>
            string.Format(CultureInfo.InvariantCulture, "{0:yyyy-MM-dd HH:mm:ss} to {1:yyyy-MM-dd HH:mm:ss} UTC", Start.UtcDateTime, End.UtcDateTime);
    }

    /// <summary>A GaussDB(for MySQL) instance, as much of it as a restore needs.</summary>
    public sealed class GaussInstance
    {
        public string Id { get; set; } = string.Empty;

        public string Name { get; set; } = string.Empty;

        public string Status { get; set; } = string.Empty;

        public string? DatastoreVersion { get; set; }

        /// <summary>The project the instance belongs to.</summary>
        public string Project { get; set; } = string.Empty;

        /// <summary>Days an automated backup is kept (backup_strategy.keep_days), when the service says.</summary>
        public int? KeepDays { get; set; }

        public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0} ({1}, {2})", Name, Id, Status);

        public static GaussInstance FromJson(JObject? json, string project) => new GaussInstance
        {
            Id = (string?)json?["id"] ?? string.Empty,
            Name = (string?)json?["name"] ?? string.Empty,
            Status = (string?)json?["status"] ?? string.Empty,
            DatastoreVersion = (string?)json?["datastore"]?["version"],
            Project = project,
            KeepDays = int.TryParse((string?)json?["backup_strategy"]?["keep_days"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var days) ? days : (int?)null,
        };
    }
}
