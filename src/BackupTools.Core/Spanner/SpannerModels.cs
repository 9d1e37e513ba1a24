using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using BackupTools.Http;
using BackupTools.Validation;
using BackupTools.Waiting;
using Newtonsoft.Json.Linq;

namespace BackupTools.Spanner
{
    /// <summary>A Cloud Spanner backup, as the service describes it.</summary>
    public sealed class SpannerBackup
    {
        public string Name { get; set; } = string.Empty;

        public string Project { get; set; } = string.Empty;

        public string Instance { get; set; } = string.Empty;

        public string BackupId { get; set; } = string.Empty;

        /// <summary>The database id ("orders"); <see cref="DatabaseName"/> holds the full name.</summary>
        public string Database { get; set; } = string.Empty;

        public string DatabaseName { get; set; } = string.Empty;

        /// <summary>CREATING or READY.</summary>
        public string State { get; set; } = string.Empty;

        public DateTimeOffset? CreateTime { get; set; }

        public DateTimeOffset? ExpireTime { get; set; }

        public DateTimeOffset? VersionTime { get; set; }

        public DateTimeOffset? MaxExpireTime { get; set; }

        public long? SizeBytes { get; set; }

        public string? EncryptionType { get; set; }

        public string? DatabaseDialect { get; set; }

        public string[] ReferencingDatabases { get; set; } = Array.Empty<string>();

        /// <summary>Bytes deleting this backup would free (0 while younger incremental backups still need its data).</summary>
        public long? FreeableSizeBytes { get; set; }

        /// <summary>Bytes only this backup holds: over a chain, their sum is the real storage.</summary>
        public long? ExclusiveSizeBytes { get; set; }

        /// <summary>For backups made by an incremental schedule: the chain (one full backup, then incrementals) it belongs to.</summary>
        public string? IncrementalBackupChainId { get; set; }

        /// <summary>The oldest version time any backup of its chain still covers.</summary>
        public DateTimeOffset? OldestVersionTime { get; set; }

        /// <summary>The copies being made of this backup (destination backups' full names): the service refuses its delete while any runs (Discovery: referencingBackups).</summary>
        public string[] ReferencingBackups { get; set; } = Array.Empty<string>();

        /// <summary>The backup schedules that made this backup (several may be merged into one backup).</summary>
        public string[] BackupSchedules { get; set; } = Array.Empty<string>();

        public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0} ({1})", Name, State);

        private static readonly Regex NameForm = new Regex("^projects/[^/]+/instances/[^/]+/backups/[^/]+$", RegexOptions.CultureInvariant);

        /// <summary>
        /// Reads a backup from the service's JSON. Its name (the identity a script acts on) must be there
        /// and well formed; other text is cleaned of control characters; a wrong shape throws
        /// <see cref="AnswerShapeException"/>, which the answer turns into InvalidAnswer.
        /// </summary>
        public static SpannerBackup FromJson(JObject json)
        {
            var name = AnswerFields.Identity(json, "name", NameForm);
            var parts = name.Split('/');
            var databaseName = AnswerFields.Text(json, "database") ?? string.Empty;
            return new SpannerBackup
            {
                Name = name,
                Project = parts[1],
                Instance = parts[3],
                BackupId = parts[5],
                DatabaseName = databaseName,
                Database = SpannerRules.LastSegment(databaseName),
                State = AnswerFields.Text(json, "state") ?? string.Empty,
                CreateTime = Rfc3339.Parse(AnswerFields.Text(json, "createTime")),
                ExpireTime = Rfc3339.Parse(AnswerFields.Text(json, "expireTime")),
                VersionTime = Rfc3339.Parse(AnswerFields.Text(json, "versionTime")),
                MaxExpireTime = Rfc3339.Parse(AnswerFields.Text(json, "maxExpireTime")),
                SizeBytes = AnswerFields.Long(json["sizeBytes"]),
                EncryptionType = AnswerFields.Text(AnswerFields.Object(json, "encryptionInfo"), "encryptionType"),
                DatabaseDialect = AnswerFields.Text(json, "databaseDialect"),
                ReferencingDatabases = Strings(json["referencingDatabases"]),
                FreeableSizeBytes = AnswerFields.Long(json["freeableSizeBytes"]),
                ExclusiveSizeBytes = AnswerFields.Long(json["exclusiveSizeBytes"]),
                IncrementalBackupChainId = AnswerFields.Text(json, "incrementalBackupChainId"),
                OldestVersionTime = Rfc3339.Parse(AnswerFields.Text(json, "oldestVersionTime")),
                ReferencingBackups = Strings(json["referencingBackups"]),
                BackupSchedules = Strings(json["backupSchedules"]),
            };
        }

        /// <summary>A list of names, each cleaned as server text (an item that is not text reads as empty).</summary>
        private static string[] Strings(JToken? token) =>
            (token as JArray)?.Select(t => ServerText.Clean(t.Type == JTokenType.String ? (string?)t : null, ServerText.FieldLength)).ToArray() ?? Array.Empty<string>();
    }

    /// <summary>google.rpc.Status: why an operation failed or was cancelled.</summary>
    public sealed class SpannerStatus
    {
        public int Code { get; set; }

        /// <summary>The rpc code's name (CANCELLED, INTERNAL, ...).</summary>
        public string Status { get; set; } = string.Empty;

        public string Message { get; set; } = string.Empty;

        public override string ToString() => Status + ": " + Message;

        /// <summary>What a long-running operation's done flag and error mean: running, succeeded, cancelled (code 1) or failed.</summary>
        internal static OperationState OutcomeOf(bool done, SpannerStatus? error) =>
            !done ? OperationState.Running
            : error == null ? OperationState.Succeeded
            : error.Code == 1 ? OperationState.Cancelled
            : OperationState.Failed;

        public static SpannerStatus FromJson(JObject json)
        {
            var code = AnswerFields.Long(json["code"]) is long c && c >= 0 && c <= 16 ? (int)c : 2;
            return new SpannerStatus { Code = code, Status = RpcCodeName(code), Message = AnswerFields.Text(json, "message") ?? string.Empty };
        }

        public static string RpcCodeName(int code)
        {
            string[] names =
            {
                "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED",
                "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
            };
            return code >= 0 && code < names.Length ? names[code] : code.ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>
    /// A CreateBackup long-running operation. New-SpannerBackup emits one at once;
    /// Wait-BackupOperation takes it from the pipeline and follows it to the finished backup.
    /// </summary>
    public sealed class SpannerBackupOperation : IBackupOperation, ICreateTimes
    {
        public string Name { get; set; } = string.Empty;

        public string OperationId { get; set; } = string.Empty;

        public string Project { get; set; } = string.Empty;

        public string Instance { get; set; } = string.Empty;

        public string BackupId { get; set; } = string.Empty;

        public string Database { get; set; } = string.Empty;

        /// <summary>CreateBackup, or CopyBackup for an operation Copy-SpannerBackup started (from the metadata's type).</summary>
        public string Kind { get; set; } = "CreateBackup";

        /// <summary>For a copy: the full name of the backup being copied.</summary>
        public string? SourceBackup { get; set; }

        public bool Done { get; set; }

        public int ProgressPercent { get; set; }

        public DateTimeOffset? StartTime { get; set; }

        public DateTimeOffset? EndTime { get; set; }

        public DateTimeOffset? CancelTime { get; set; }

        public SpannerStatus? Error { get; set; }

        /// <summary>The backup, once the operation has finished successfully.</summary>
        public SpannerBackup? Backup { get; set; }

        /// <summary>Running, Succeeded, Failed or Cancelled: derived from Done and Error (as text, so JSON and CSV exports read well).</summary>
        public string State => Outcome.ToString();


        internal OperationState Outcome => SpannerStatus.OutcomeOf(Done, Error);

        /// <summary>The endpoint the operation was created at (where the waiter polls it).</summary>
        public string? Endpoint { get; set; }

        /// <summary>True when a lost create answer was resolved by reading the backup back.</summary>
        public bool ResolvedByReadBack { get; set; }

        /// <summary>When this session sent the create that answered with this operation (this machine's clock); null otherwise.</summary>
        public DateTimeOffset? CreateSentAt { get; set; }

        /// <summary>When that create's answer came; the service started the operation in between.</summary>
        public DateTimeOffset? CreateAnsweredAt { get; set; }

        /// <summary>The client that produced this object; lets a waiter poll without asking for credentials again.</summary>
        internal SpannerClient? Client { get; set; }

        string IBackupOperation.Cloud => "Spanner";

        string IBackupOperation.DisplayName => Project + "/" + Instance + "/" + BackupId;

        public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0} ({1}, {2}%)", Name, State, ProgressPercent);

        private static readonly Regex NameForm = new Regex("^projects/[^/]+/instances/[^/]+/backups/[^/]+/operations/[^/]+$", RegexOptions.CultureInvariant);

        /// <summary>
        /// Reads an operation from the service's JSON. Its name (what a waiter polls) must be there and
        /// well formed; progress outside 0..100 is clamped; a wrong shape throws <see cref="AnswerShapeException"/>.
        /// </summary>
        public static SpannerBackupOperation FromJson(JObject json)
        {
            var name = AnswerFields.Identity(json, "name", NameForm);
            SpannerRules.TryParseOperationName(name, out var project, out var instance, out var backupId, out var operationId);
            var metadata = AnswerFields.Object(json, "metadata");
            var progress = AnswerFields.Object(metadata, "progress");
            var op = new SpannerBackupOperation
            {
                Name = name,
                OperationId = operationId,
                Project = project,
                Instance = instance,
                BackupId = backupId.Length > 0 ? backupId : SpannerRules.LastSegment(AnswerFields.Text(metadata, "name")),
                Database = SpannerRules.LastSegment(AnswerFields.Text(metadata, "database")),
                Kind = AnswerFields.Text(metadata, "@type")?.EndsWith(".CopyBackupMetadata", StringComparison.Ordinal) == true ? "CopyBackup" : "CreateBackup",
                SourceBackup = AnswerFields.Text(metadata, "sourceBackup"),
                Done = AnswerFields.Bool(json, "done") ?? false,
                ProgressPercent = AnswerFields.Percent(progress?["progressPercent"]) ?? 0,
                StartTime = Rfc3339.Parse(AnswerFields.Text(progress, "startTime")),
                EndTime = Rfc3339.Parse(AnswerFields.Text(progress, "endTime")),
                CancelTime = Rfc3339.Parse(AnswerFields.Text(metadata, "cancelTime")),
            };

            if (AnswerFields.Object(json, "error") is JObject error)
            {
                op.Error = SpannerStatus.FromJson(error);
            }

            if (AnswerFields.Object(json, "response") is JObject response)
            {
                op.Backup = SpannerBackup.FromJson(response);
                if (op.Database.Length == 0)
                {
                    // A copy's metadata names no database; the copied backup does.
                    op.Database = op.Backup.Database;
                }
            }

            return op;
        }
    }
}
