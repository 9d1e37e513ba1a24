using System;
using System.Globalization;
using BackupTools.Validation;
using BackupTools.Waiting;
using Newtonsoft.Json.Linq;

namespace BackupTools.Spanner
{
    /// <summary>
    /// A RestoreDatabase long-running operation, and after it the optimize operation Spanner starts by
    /// itself. Restore-SpannerDatabase emits one at once; Wait-BackupOperation follows it through both
    /// phases (unless told to stop after the restore) to the restored database.
    /// </summary>
    public sealed class SpannerRestoreOperation : IPhasedOperation
    {
        public const string RestorePhase = "Restore";
        public const string OptimizePhase = "Optimize";

        /// <summary>The restore operation's full name: projects/p/instances/i/databases/d/operations/o.</summary>
        public string Name { get; set; } = string.Empty;

        public string OperationId { get; set; } = string.Empty;

        public string Project { get; set; } = string.Empty;

        public string Instance { get; set; } = string.Empty;

        /// <summary>The id of the new database.</summary>
        public string DatabaseId { get; set; } = string.Empty;

        /// <summary>The backup being restored (full name).</summary>
        public string Backup { get; set; } = string.Empty;

        /// <summary>Restore while the data comes back; Optimize once the database is usable and Spanner optimizes it.</summary>
        public string Phase { get; set; } = RestorePhase;

        /// <summary>Whether the restore operation itself has ended.</summary>
        public bool Done { get; set; }

        /// <summary>Progress of the current phase, 0..100.</summary>
        public int ProgressPercent { get; set; }

        public DateTimeOffset? StartTime { get; set; }

        public DateTimeOffset? EndTime { get; set; }

        public DateTimeOffset? CancelTime { get; set; }

        public SpannerStatus? Error { get; set; }

        /// <summary>The optimize operation's full name, once the restore has succeeded.</summary>
        public string? OptimizeOperationName { get; set; }

        /// <summary>Whether the optimize operation has ended (the database is READY).</summary>
        public bool OptimizeDone { get; set; }

        /// <summary>The restored database, once the restore has succeeded.</summary>
        public SpannerDatabase? Database { get; set; }

        public OperationState State =>
            !Done ? OperationState.Running
            : Error == null ? OperationState.Succeeded
            : Error.Code == 1 ? OperationState.Cancelled
            : OperationState.Failed;

        public string? Endpoint { get; set; }

        public bool ResolvedByReadBack { get; set; }

        internal SpannerDatabaseClient? Client { get; set; }

        string IBackupOperation.Cloud => "Spanner";

        string IBackupOperation.DisplayName => Project + "/" + Instance + "/" + DatabaseId + " (restore)";

        public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0} ({1}, {2} {3}%)", Name, State, Phase, ProgressPercent);

        public static SpannerRestoreOperation FromJson(JObject json)
        {
            var name = (string?)json["name"] ?? string.Empty;
            var metadata = json["metadata"] as JObject;
            var progress = metadata?["progress"] as JObject;
            var databaseName = (string?)metadata?["name"] ?? string.Empty;
            var parts = databaseName.Split('/');
            var op = new SpannerRestoreOperation
            {
                Name = name,
                OperationId = SpannerRules.LastSegment(name),
                Project = parts.Length > 1 ? parts[1] : string.Empty,
                Instance = parts.Length > 3 ? parts[3] : string.Empty,
                DatabaseId = SpannerRules.LastSegment(databaseName),
                Backup = (string?)metadata?["backupInfo"]?["backup"] ?? string.Empty,
                Done = (bool?)json["done"] ?? false,
                ProgressPercent = (int?)progress?["progressPercent"] ?? 0,
                StartTime = Rfc3339.Parse((string?)progress?["startTime"]),
                EndTime = Rfc3339.Parse((string?)progress?["endTime"]),
                CancelTime = Rfc3339.Parse((string?)metadata?["cancelTime"]),
                OptimizeOperationName = (string?)metadata?["optimizeDatabaseOperationName"],
            };

            if (json["error"] is JObject error)
            {
                op.Error = SpannerStatus.FromJson(error);
            }

            if (json["response"] is JObject response)
            {
                op.Database = SpannerDatabase.FromJson(response);
            }

            return op;
        }
    }
}
