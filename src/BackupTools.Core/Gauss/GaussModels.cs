using System;
using System.Globalization;
using System.Text.RegularExpressions;
using BackupTools.Http;
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

        /// <summary>
        /// Running while BUILDING, Succeeded when COMPLETED or AVAILABLE, Failed when FAILED. Not a public
        /// property: Status says it already, and an enum would reach ConvertTo-Json as a number.
        /// </summary>
        internal OperationState Outcome => StateOf(Status);


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

        /// <summary>
        /// Reads a backup from the service's JSON. Its id (what a script removes or waits on) and name
        /// must be there and well formed; other text is cleaned of control characters; a wrong shape
        /// throws <see cref="AnswerShapeException"/>, which the answer turns into InvalidAnswer.
        /// </summary>
        public static GaussBackup FromJson(JObject json, string project)
        {
            var takeUp = AnswerFields.Long(json["take_up_time"]);
            return new GaussBackup
            {
                Id = AnswerFields.Identity(json, "id", IdForm),
                Name = AnswerFields.Identity(json, "name"),
                Description = AnswerFields.Text(json, "description") ?? string.Empty,
                BeginTime = GaussTime.Parse(AnswerFields.Text(json, "begin_time")),
                EndTime = GaussTime.Parse(AnswerFields.Text(json, "end_time")),
                Status = AnswerFields.Text(json, "status") ?? string.Empty,
                Type = AnswerFields.Text(json, "type") ?? string.Empty,
                InstanceId = AnswerFields.Text(json, "instance_id") ?? string.Empty,
                Project = project,
                SizeMb = AnswerFields.Long(json["size"]),
                TakeUpTimeMinutes = takeUp.HasValue && takeUp.Value >= 0 && takeUp.Value <= int.MaxValue ? (int)takeUp.Value : (int?)null,
                DatastoreVersion = AnswerFields.Text(AnswerFields.Object(json, "datastore"), "version"),
            };
        }

        /// <summary>Ids as the service makes them (a UUID, or hex with a suffix): what GaussRules.BackupId and JobId accept.</summary>
        internal static readonly Regex IdForm = new Regex("^[A-Za-z0-9\\-]{1,64}$", RegexOptions.CultureInvariant);
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

        /// <summary>The backup the job builds, when the job's entities name it (else found by instance and time).</summary>
        public string? BackupId { get; set; }

        /// <summary>True for a job that creates a backup (its name says so), which Wait-BackupOperation follows to that backup.</summary>
        internal bool CreatesBackup =>
            Name.IndexOf("Backup", StringComparison.OrdinalIgnoreCase) >= 0 && Name.IndexOf("Restore", StringComparison.OrdinalIgnoreCase) < 0;

        public string Project { get; set; } = string.Empty;

        /// <summary>What Status means for a waiter (not public: Status says it, and an enum would reach ConvertTo-Json as a number).</summary>
        internal OperationState Outcome =>
            string.Equals(Status, "Completed", StringComparison.OrdinalIgnoreCase) ? OperationState.Succeeded
            : string.Equals(Status, "Failed", StringComparison.OrdinalIgnoreCase) ? OperationState.Failed
            : OperationState.Running;


        internal GaussClient? Client { get; set; }

        string IBackupOperation.Cloud => "Gauss";

        string IBackupOperation.DisplayName => (InstanceName ?? InstanceId ?? Project) + "/job " + Id;

        public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0} {1} ({2})", Name, Id, Status);

        /// <summary>
        /// Reads a job from the service's JSON: its id and status must be there (a job without a status
        /// cannot be followed); progress ("60%") outside 0..100 is clamped; text is cleaned.
        /// </summary>
        public static GaussJob FromJson(JObject json, string project)
        {
            var instance = AnswerFields.Object(json, "instance");
            return new GaussJob
            {
                Id = AnswerFields.Identity(json, "id", GaussBackup.IdForm),
                Name = AnswerFields.Text(json, "name") ?? string.Empty,
                Status = AnswerFields.Identity(json, "status"),
                Created = GaussTime.Parse(AnswerFields.Text(json, "created")),
                Ended = GaussTime.Parse(AnswerFields.Text(json, "ended")),
                Process = AnswerFields.Percent(json["process"]),
                FailReason = AnswerFields.Text(json, "fail_reason"),
                InstanceId = AnswerFields.Text(instance, "id"),
                InstanceName = AnswerFields.Text(instance, "name"),
                BackupId = AnswerFields.Text(AnswerFields.Object(json, "entities"), "backup_id") ?? AnswerFields.Text(AnswerFields.Object(AnswerFields.Object(json, "entities"), "backup"), "id"),
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
