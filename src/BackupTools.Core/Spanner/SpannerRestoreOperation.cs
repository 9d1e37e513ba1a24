using System;
using System.Globalization;
using BackupTools.Http;
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

        /// <summary>Running, Succeeded, Failed or Cancelled (as text, so JSON and CSV exports read well).</summary>
        public string State => Outcome.ToString();

        internal OperationState Outcome => SpannerStatus.OutcomeOf(Done, Error);

        public string? Endpoint { get; set; }

        public bool ResolvedByReadBack { get; set; }

        internal SpannerDatabaseClient? Client { get; set; }

        string IBackupOperation.Cloud => "Spanner";

        string IBackupOperation.DisplayName => Project + "/" + Instance + "/" + DatabaseId + " (restore)";

        public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0} ({1}, {2} {3}%)", Name, State, Phase, ProgressPercent);

        private static readonly System.Text.RegularExpressions.Regex NameForm = new System.Text.RegularExpressions.Regex("^projects/[^/]+/instances/[^/]+/databases/[^/]+/operations/[^/]+$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        /// <summary>
        /// Reads a restore operation from the service's JSON. Its name (what a waiter polls) must be there
        /// and well formed; progress is clamped; text is cleaned; a wrong shape throws AnswerShapeException.
        /// </summary>
        public static SpannerRestoreOperation FromJson(JObject json)
        {
            var name = AnswerFields.Identity(json, "name", NameForm);
            var metadata = AnswerFields.Object(json, "metadata");
            var progress = AnswerFields.Object(metadata, "progress");
            var databaseName = AnswerFields.Text(metadata, "name") ?? string.Empty;
            var parts = databaseName.Split('/');
            var op = new SpannerRestoreOperation
            {
                Name = name,
                OperationId = SpannerRules.LastSegment(name),
                Project = parts.Length > 1 ? parts[1] : string.Empty,
                Instance = parts.Length > 3 ? parts[3] : string.Empty,
                DatabaseId = SpannerRules.LastSegment(databaseName),
                Backup = AnswerFields.Text(AnswerFields.Object(metadata, "backupInfo"), "backup") ?? string.Empty,
                Done = AnswerFields.Bool(json, "done") ?? false,
                ProgressPercent = AnswerFields.Percent(progress?["progressPercent"]) ?? 0,
                StartTime = Rfc3339.Parse(AnswerFields.Text(progress, "startTime")),
                EndTime = Rfc3339.Parse(AnswerFields.Text(progress, "endTime")),
                CancelTime = Rfc3339.Parse(AnswerFields.Text(metadata, "cancelTime")),
                OptimizeOperationName = AnswerFields.Text(metadata, "optimizeDatabaseOperationName"),
            };

            if (AnswerFields.Object(json, "error") is JObject error)
            {
                op.Error = SpannerStatus.FromJson(error);
            }

            if (AnswerFields.Object(json, "response") is JObject response)
            {
                op.Database = SpannerDatabase.FromJson(response);
            }

            return op;
        }
    }
}
