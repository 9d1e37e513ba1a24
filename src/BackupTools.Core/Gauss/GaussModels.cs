using System;
using System.Globalization;
using BackupTools.Waiting;
using Newtonsoft.Json.Linq;

namespace BackupTools.Gauss
{
    /// <summary>What New-GaussBackup asks for, already validated.</summary>
    public sealed class GaussCreateBackupRequest
    {
        public string InstanceId { get; set; } = string.Empty;

        public string Name { get; set; } = string.Empty;

        public string? Description { get; set; }

        /// <summary>en-us or zh-cn: the language of the service's messages.</summary>
        public string Language { get; set; } = "en-us";
    }

    /// <summary>
    /// A GaussDB(for MySQL) backup. New-GaussBackup emits one while it is BUILDING (with the job that
    /// builds it); Wait-BackupOperation takes it from the pipeline and follows it to COMPLETED.
    /// </summary>
    public sealed class GaussBackup : IBackupOperation, ICreateTimes
    {
        public string Id { get; set; } = string.Empty;

        public string Name { get; set; } = string.Empty;

        public string Description { get; set; } = string.Empty;

        public DateTimeOffset? BeginTime { get; set; }

        public DateTimeOffset? EndTime { get; set; }

        /// <summary>BUILDING, COMPLETED, FAILED or AVAILABLE.</summary>
        public string Status { get; set; } = string.Empty;

        /// <summary>manual or auto.</summary>
        public string Type { get; set; } = string.Empty;

        public string InstanceId { get; set; } = string.Empty;

        /// <summary>The job building the backup (known from the create answer only).</summary>
        public string? JobId { get; set; }

        public string Project { get; set; } = string.Empty;

        public string? Region { get; set; }

        public long? SizeMb { get; set; }

        /// <summary>Minutes the backup took, as the service reports it.</summary>
        public int? TakeUpTimeMinutes { get; set; }

        public string? DatastoreVersion { get; set; }

        /// <summary>The endpoint the backup was read from (where a waiter polls it).</summary>
        public string? Endpoint { get; set; }

        /// <summary>True when a lost create answer was resolved by finding the backup in the list.</summary>
        public bool ResolvedByReadBack { get; set; }

        /// <summary>
        /// When this session sent the create that answered with this backup (this machine's clock); null
        /// otherwise. The service writes times to the whole second; these date the start far closer.
        /// </summary>
        public DateTimeOffset? CreateSentAt { get; set; }

        /// <summary>When that create's answer came.</summary>
        public DateTimeOffset? CreateAnsweredAt { get; set; }

        /// <summary>Running while BUILDING, Succeeded when COMPLETED or AVAILABLE, Failed when FAILED.</summary>
        public OperationState State => StateOf(Status);

        /// <summary>The client that produced this object; lets a waiter poll without asking for credentials again.</summary>
        internal GaussClient? Client { get; set; }

        string IBackupOperation.Cloud => "Gauss";

        string IBackupOperation.DisplayName => InstanceId + "/" + Name;

        public static OperationState StateOf(string status)
        {
            switch ((status ?? string.Empty).ToUpperInvariant())
            {
                case "COMPLETED":
                case "AVAILABLE":
                    return OperationState.Succeeded;
                case "FAILED":
                    return OperationState.Failed;
                default:
                    return OperationState.Running;
            }
        }

        public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0} ({1}, {2})", Name, Id, Status);

        public static GaussBackup FromJson(JObject json, string project)
        {
            return new GaussBackup
            {
                Id = (string?)json["id"] ?? string.Empty,
                Name = (string?)json["name"] ?? string.Empty,
                Description = (string?)json["description"] ?? string.Empty,
                BeginTime = GaussTime.Parse((string?)json["begin_time"]),
                EndTime = GaussTime.Parse((string?)json["end_time"]),
                Status = (string?)json["status"] ?? string.Empty,
                Type = (string?)json["type"] ?? string.Empty,
                InstanceId = (string?)json["instance_id"] ?? string.Empty,
                Project = project,
                SizeMb = ToLong(json["size"]),
                TakeUpTimeMinutes = (int?)ToLong(json["take_up_time"]),
                DatastoreVersion = (string?)json["datastore"]?["version"],
            };
        }

        private static long? ToLong(JToken? token)
        {
            if (token == null || token.Type == JTokenType.Null)
            {
                return null;
            }

            return long.TryParse(token.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : (long?)null;
        }
    }

    /// <summary>An asynchronous job of the service (a backup being built): Pending, Running, Completed or Failed.</summary>
    public sealed class GaussJob : IBackupOperation
    {
        public string Id { get; set; } = string.Empty;

        public string Name { get; set; } = string.Empty;

        public string Status { get; set; } = string.Empty;

        public DateTimeOffset? Created { get; set; }

        public DateTimeOffset? Ended { get; set; }

        /// <summary>Progress in percent while running ("60%" on the wire), null when the service gives none.</summary>
        public int? Process { get; set; }

        public string? FailReason { get; set; }

        public string? InstanceId { get; set; }

        public string? InstanceName { get; set; }

        public string Project { get; set; } = string.Empty;

        public OperationState State =>
            string.Equals(Status, "Completed", StringComparison.OrdinalIgnoreCase) ? OperationState.Succeeded
            : string.Equals(Status, "Failed", StringComparison.OrdinalIgnoreCase) ? OperationState.Failed
            : OperationState.Running;

        internal GaussClient? Client { get; set; }

        string IBackupOperation.Cloud => "Gauss";

        string IBackupOperation.DisplayName => (InstanceName ?? InstanceId ?? Project) + "/job " + Id;

        public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0} {1} ({2})", Name, Id, Status);

        public static GaussJob FromJson(JObject json, string project)
        {
            var process = ((string?)json["process"] ?? string.Empty).Trim().TrimEnd('%');
            return new GaussJob
            {
                Id = (string?)json["id"] ?? string.Empty,
                Name = (string?)json["name"] ?? string.Empty,
                Status = (string?)json["status"] ?? string.Empty,
                Created = GaussTime.Parse((string?)json["created"]),
                Ended = GaussTime.Parse((string?)json["ended"]),
                Process = int.TryParse(process, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) ? p : (int?)null,
                FailReason = (string?)json["fail_reason"],
                InstanceId = (string?)json["instance"]?["id"],
                InstanceName = (string?)json["instance"]?["name"],
                Project = project,
            };
        }
    }

    /// <summary>Filters of Get-GaussBackup (all optional).</summary>
    public sealed class GaussBackupQuery
    {
        public string? InstanceId { get; set; }

        public string? BackupId { get; set; }

        /// <summary>auto or manual.</summary>
        public string? BackupType { get; set; }

        public DateTimeOffset? Begin { get; set; }

        public DateTimeOffset? End { get; set; }
    }
}
