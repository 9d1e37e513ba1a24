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
}

namespace BackupTools.Gauss
{
    using System.Security;

    /// <summary>
    /// What New-GaussInstance asks for, already validated: a new instance restored from a backup or a point in time
    /// (Huawei's "restore to a new instance"). What is not given is copied from the source instance.
    /// </summary>
    public sealed class GaussNewInstanceRequest
    {
        public string Name { get; set; } = string.Empty;

        /// <summary>The instance the backup or point in time belongs to; for a backup, found from it when null.</summary>
        public string? SourceInstanceId { get; set; }

        public string? BackupId { get; set; }

        public DateTimeOffset? RestoreTime { get; set; }

        /// <summary>The new instance's root password; it becomes text only in the request body.</summary>
        public SecureString? Password { get; set; }

        public string? FlavorRef { get; set; }

        public string? VpcId { get; set; }

        public string? SubnetId { get; set; }

        public string? SecurityGroupId { get; set; }

        /// <summary>single or multi.</summary>
        public string? AvailabilityZoneMode { get; set; }

        public string? MasterAvailabilityZone { get; set; }

        /// <summary>Read replicas (1..9); the source's count when null.</summary>
        public int? ReadReplicas { get; set; }

        public string? TimeZone { get; set; }

        /// <summary>False on Open Telekom Cloud, which has no restore-time query: a point in time is then judged by the service alone.</summary>
        public bool WindowsReadable { get; set; } = true;
    }

    /// <summary>A restore to a new instance checked against the service, with every field of the create call decided.</summary>
    public sealed class GaussNewInstancePlan
    {
        public GaussNewInstancePlan(GaussNewInstanceRequest request, GaussInstance source, GaussBackup? backup, GaussRestoreWindow? window)
        {
            Request = request;
            Source = source;
            Backup = backup;
            Window = window;
        }

        public GaussNewInstanceRequest Request { get; }

        /// <summary>The instance restored from, as read just before: its specification and network are the defaults.</summary>
        public GaussInstance Source { get; }

        public GaussBackup? Backup { get; }

        public GaussRestoreWindow? Window { get; }

        public string Region => Source.Region ?? string.Empty;

        public string FlavorRef => Request.FlavorRef ?? Source.FlavorRef ?? string.Empty;

        public string VpcId => Request.VpcId ?? Source.VpcId ?? string.Empty;

        public string SubnetId => Request.SubnetId ?? Source.SubnetId ?? string.Empty;

        public string? SecurityGroupId => Request.SecurityGroupId ?? Source.SecurityGroupId;

        public string AvailabilityZoneMode => Request.AvailabilityZoneMode ?? Source.AvailabilityZoneMode ?? "single";

        public string? MasterAvailabilityZone => Request.MasterAvailabilityZone ?? Source.MasterAvailabilityZone;

        /// <summary>The service wants 1 to 9; the source's own count of replicas by default.</summary>
        public int ReadReplicas => Request.ReadReplicas ?? Math.Max(1, Math.Min(9, (Source.NodeCount ?? 2) - 1));

        public string? TimeZone => Request.TimeZone ?? Source.TimeZone;

        /// <summary>What will be created and from what, for -WhatIf and the confirmation prompt.</summary>
        public string Description
        {
            get
            {
                var source = Source.Id + " (" + (Source.Status == GaussRestoreClient.DeletedStatus ? "deleted" : Source.Name) + ")";
                var from = Backup != null
                    ? "backup " + Backup.Name + " (" + Backup.Id + ") of instance " + source + ", taken " + Format(Backup.BeginTime)
                    : "the data of instance " + source + " as of " + Format(Request.RestoreTime) + " (restorable window " + Format(Window?.Start) + " to " + Format(Window?.End) + ")";
                return "new instance " + Request.Name + " (" + FlavorRef + ", " + ReadReplicas + " read replica" + (ReadReplicas == 1 ? string.Empty : "s") + ", VPC " + VpcId + ", subnet " + SubnetId + ") from " + from + ".";
            }
        }

        private static string Format(DateTimeOffset? time) =>
            time.HasValue ? time.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "an unknown time";
    }
}
