using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
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

        public static SpannerBackup FromJson(JObject json)
        {
            var name = (string?)json["name"] ?? string.Empty;
            var parts = name.Split('/');
            var databaseName = (string?)json["database"] ?? string.Empty;
            return new SpannerBackup
            {
                Name = name,
                Project = parts.Length > 1 ? parts[1] : string.Empty,
                Instance = parts.Length > 3 ? parts[3] : string.Empty,
                BackupId = SpannerRules.LastSegment(name),
                DatabaseName = databaseName,
                Database = SpannerRules.LastSegment(databaseName),
                State = (string?)json["state"] ?? string.Empty,
                CreateTime = Rfc3339.Parse((string?)json["createTime"]),
                ExpireTime = Rfc3339.Parse((string?)json["expireTime"]),
                VersionTime = Rfc3339.Parse((string?)json["versionTime"]),
                MaxExpireTime = Rfc3339.Parse((string?)json["maxExpireTime"]),
                SizeBytes = Int64(json["sizeBytes"]),
                EncryptionType = (string?)json["encryptionInfo"]?["encryptionType"],
                DatabaseDialect = (string?)json["databaseDialect"],
                ReferencingDatabases = Strings(json["referencingDatabases"]),
                FreeableSizeBytes = Int64(json["freeableSizeBytes"]),
                ExclusiveSizeBytes = Int64(json["exclusiveSizeBytes"]),
                IncrementalBackupChainId = (string?)json["incrementalBackupChainId"],
                OldestVersionTime = Rfc3339.Parse((string?)json["oldestVersionTime"]),
                ReferencingBackups = Strings(json["referencingBackups"]),
                BackupSchedules = Strings(json["backupSchedules"]),
            };
        }

        /// <summary>int64 travels as a JSON string.</summary>
        private static long? Int64(JToken? token) =>
            long.TryParse((string?)token, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : (long?)null;

        private static string[] Strings(JToken? token) =>
            (token as JArray)?.Select(t => (string?)t ?? string.Empty).ToArray() ?? Array.Empty<string>();
    }

    /// <summary>google.rpc.Status: why an operation failed or was cancelled.</summary>
    public sealed class SpannerStatus
    {
        public int Code { get; set; }

        /// <summary>The rpc code's name (CANCELLED, INTERNAL, ...).</summary>
        public string Status { get; set; } = string.Empty;

        public string Message { get; set; } = string.Empty;

        public override string ToString() => Status + ": " + Message;

        public static SpannerStatus FromJson(JObject json)
        {
            var code = (int?)json["code"] ?? 2;
            return new SpannerStatus { Code = code, Status = RpcCodeName(code), Message = (string?)json["message"] ?? string.Empty };
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
    public sealed class SpannerBackupOperation : IBackupOperation
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

        /// <summary>Running, Succeeded, Failed or Cancelled: derived from Done and Error.</summary>
        public OperationState State =>
            !Done ? OperationState.Running
            : Error == null ? OperationState.Succeeded
            : Error.Code == 1 ? OperationState.Cancelled
            : OperationState.Failed;

        /// <summary>The endpoint the operation was created at (where the waiter polls it).</summary>
        public string? Endpoint { get; set; }

        /// <summary>True when a lost create answer was resolved by reading the backup back.</summary>
        public bool ResolvedByReadBack { get; set; }

        /// <summary>The client that produced this object; lets a waiter poll without asking for credentials again.</summary>
        internal SpannerClient? Client { get; set; }

        string IBackupOperation.Cloud => "Spanner";

        string IBackupOperation.DisplayName => Project + "/" + Instance + "/" + BackupId;

        public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0} ({1}, {2}%)", Name, State, ProgressPercent);

        public static SpannerBackupOperation FromJson(JObject json)
        {
            var name = (string?)json["name"] ?? string.Empty;
            SpannerRules.TryParseOperationName(name, out var project, out var instance, out var backupId, out var operationId);
            var metadata = json["metadata"] as JObject;
            var progress = metadata?["progress"] as JObject;
            var op = new SpannerBackupOperation
            {
                Name = name,
                OperationId = operationId,
                Project = project,
                Instance = instance,
                BackupId = backupId.Length > 0 ? backupId : SpannerRules.LastSegment((string?)metadata?["name"]),
                Database = SpannerRules.LastSegment((string?)metadata?["database"]),
                Kind = ((string?)metadata?["@type"])?.EndsWith(".CopyBackupMetadata", StringComparison.Ordinal) == true ? "CopyBackup" : "CreateBackup",
                SourceBackup = (string?)metadata?["sourceBackup"],
                Done = (bool?)json["done"] ?? false,
                ProgressPercent = (int?)progress?["progressPercent"] ?? 0,
                StartTime = Rfc3339.Parse((string?)progress?["startTime"]),
                EndTime = Rfc3339.Parse((string?)progress?["endTime"]),
                CancelTime = Rfc3339.Parse((string?)metadata?["cancelTime"]),
            };

            if (json["error"] is JObject error)
            {
                op.Error = SpannerStatus.FromJson(error);
            }

            if (json["response"] is JObject response)
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
