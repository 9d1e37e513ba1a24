using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using BackupTools.Drills;
using BackupTools.Errors;
using BackupTools.Infrastructure;
using BackupTools.Spanner;
using BackupTools.Validation;

namespace BackupTools.Commands
{
    /// <summary>
    /// A restore drill: restores a database's newest READY backup into a scratch database, waits through
    /// optimize, runs the user's check on it, and drops the scratch database whatever happened (a failed
    /// check, an error, Ctrl+C). Emits the evidence; a drill that did not pass is also an error.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "SpannerBackupRestore")]
    [OutputType(typeof(RestoreDrillResult))]
    public sealed class TestSpannerBackupRestoreCommand : SpannerInstanceCmdlet
    {
        /// <summary>How long the cleanup may take once started; it does not stop for Ctrl+C.</summary>
        private static readonly TimeSpan CleanupBudget = TimeSpan.FromMinutes(5);

        [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true)]
        [Alias("DatabaseId")]
        [ValidateSpannerDatabaseId]
        [ArgumentCompleter(typeof(SpannerDatabaseCompleter))]
        public string Database { get; set; } = string.Empty;

        /// <summary>The instance the scratch database is restored into (same instance configuration); default: the database's own.</summary>
        [Parameter]
        [ValidateSpannerInstanceId]
        [ArgumentCompleter(typeof(SpannerInstanceCompleter))]
        public string? ScratchInstance { get; set; }

        /// <summary>Run against the restored database ($_ and $args[0]); a terminating error or a $false result fails the drill.</summary>
        [Parameter]
        public ScriptBlock? Check { get; set; }

        /// <summary>How long the restore (optimize included) may take, and how long to wait for another restore in the instance.</summary>
        [Parameter]
        [DurationTransformation]
        public Duration Timeout { get; set; } = TimeSpan.FromHours(2);

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            if (Timeout.TimeSpan <= TimeSpan.Zero)
            {
                ThrowTerminatingError(ErrorRecords.From(ValidationError.Create("-Timeout must be a positive duration, e.g. '2h'."), Timeout));
            }
        }

        protected override void ProcessRecord()
        {
            var drill = new SpannerRestoreDrill(Client);
            var started = DateTimeOffset.UtcNow;
            var scratchInstance = ScratchInstance ?? Instance;
            var scratchId = SpannerRestoreDrill.ScratchId(started);
            var result = new RestoreDrillResult
            {
                Source = SpannerRules.DatabaseName(Project, Instance, Database),
                ScratchDatabase = SpannerRules.DatabaseName(Project, scratchInstance, scratchId),
                StartedAt = started,
            };
            SpannerRestoreOperation? operation = null;
            var restoreSent = false;
            try
            {
                Progress(result, "finding the newest READY backup");
                SpannerBackup? backup = null;
                Exception? failure = null;
                RunWork(result.Source, async ct => backup = await Captured<SpannerBackup>(() => drill.FindNewestAsync(Project, Instance, Database, ct), e => failure = e).ConfigureAwait(false));
                result.FindTime = DateTimeOffset.UtcNow - started;
                if (Stopped(result) || Failed(result, failure, "RestoreFailed"))
                {
                    return;
                }

                if (backup == null)
                {
                    result.Outcome = "NoBackup";
                    result.Error = result.Source + " has no READY backup to restore.";
                    return;
                }

                result.Backup = backup.Name;
                result.BackupTime = backup.VersionTime ?? backup.CreateTime;
                Progress(result, "restoring " + backup.BackupId + " into " + scratchId);
                var restoreStarted = DateTimeOffset.UtcNow;
                DateTimeOffset? optimizing = null;
                SpannerDatabase? restored = null;
                restoreSent = true;
                RunWork(result.ScratchDatabase, async ct => await Captured<SpannerDatabase>(
                    async () =>
                    {
                        operation = await drill.StartRestoreAsync(backup, scratchInstance, scratchId, Timeout, ct).ConfigureAwait(false);
                        restored = await drill.WaitAsync(operation, Timeout, () => optimizing = DateTimeOffset.UtcNow, ct).ConfigureAwait(false);
                        return (SpannerDatabase?)restored;
                    },
                    e => failure = e).ConfigureAwait(false));
                var waited = DateTimeOffset.UtcNow;
                result.RestoreTime = (optimizing ?? waited) - restoreStarted;
                result.OptimizeTime = optimizing.HasValue ? waited - optimizing.Value : (TimeSpan?)null;
                if (Stopped(result) || Failed(result, failure, "RestoreFailed"))
                {
                    return;
                }

                if (Check == null)
                {
                    result.Outcome = "Passed";
                    return;
                }

                Progress(result, "running the check on " + scratchId);
                var checkStarted = DateTimeOffset.UtcNow;
                try
                {
                    var output = Check.InvokeWithContext(null, new List<PSVariable> { new PSVariable("_", restored) }, restored);
                    result.CheckOutput = output.Select(o => o?.BaseObject).Where(o => o != null).ToArray()!;
                    result.CheckPassed = !result.CheckOutput.Any(o => o is bool b && !b);
                    result.Error = result.CheckPassed.Value ? null : "The check returned $false.";
                }
                catch (RuntimeException ex) when (!(ex is PipelineStoppedException))
                {
                    result.CheckPassed = false;
                    result.Error = "The check failed: " + ex.Message;
                }

                result.CheckTime = DateTimeOffset.UtcNow - checkStarted;
                result.Outcome = result.CheckPassed.Value ? "Passed" : "CheckFailed";
            }
            finally
            {
                // Whatever happened (an error, a failed check, Ctrl+C), the scratch database goes. Its own token:
                // a stopped pipeline has cancelled StopToken, and the cleanup must still run to its end.
                CleanUp(drill, result, scratchInstance, scratchId, restoreSent ? operation : null, restoreSent);
                result.FinishedAt = DateTimeOffset.UtcNow;
                result.Succeeded = result.Outcome == "Passed" && result.CleanedUp;
                if (!StopToken.IsCancellationRequested)
                {
                    WriteProgress(new ProgressRecord(1, "Restore drill of " + result.Source, "Done") { RecordType = ProgressRecordType.Completed });
                    WriteObject(result);
                    if (!result.Succeeded)
                    {
                        WriteError(ErrorRecords.From(DrillError(result), result));
                    }
                }
            }
        }

        private void CleanUp(SpannerRestoreDrill drill, RestoreDrillResult result, string scratchInstance, string scratchId, SpannerRestoreOperation? operation, bool restoreSent)
        {
            if (!restoreSent)
            {
                result.CleanedUp = true;
                result.Cleanup = "nothing to clean up: no restore was started";
                return;
            }

            var cleanupStarted = DateTimeOffset.UtcNow;
            using (var budget = new CancellationTokenSource(CleanupBudget))
            {
                try
                {
                    result.Cleanup = Task.Run(() => drill.CleanUpAsync(Project, scratchInstance, scratchId, operation, budget.Token)).GetAwaiter().GetResult();
                    result.CleanedUp = true;
                }
                catch (Exception ex) when (ex is BackupToolsException || ex is OperationCanceledException)
                {
                    result.CleanedUp = false;
                    result.Cleanup = "failed: " + ex.Message + " Drop " + result.ScratchDatabase + " by hand.";
                }
            }

            result.CleanupTime = DateTimeOffset.UtcNow - cleanupStarted;
        }

        private bool Stopped(RestoreDrillResult result)
        {
            if (!StopToken.IsCancellationRequested)
            {
                return false;
            }

            result.Outcome = "Stopped";
            return true;
        }

        private static bool Failed(RestoreDrillResult result, Exception? failure, string outcome)
        {
            if (failure == null)
            {
                return false;
            }

            result.Outcome = outcome;
            result.Error = failure.Message;
            return true;
        }

        /// <summary>Runs a step, handing its failure (not a stop) to <paramref name="onFailure"/> so it becomes evidence instead of a bare error.</summary>
        private static async Task<T?> Captured<T>(Func<Task<T?>> step, Action<Exception> onFailure)
            where T : class
        {
            try
            {
                return await step().ConfigureAwait(false);
            }
            catch (Exception ex) when (!(ex is OperationCanceledException))
            {
                onFailure(ex);
                return null;
            }
        }

        private void Progress(RestoreDrillResult result, string phase) =>
            WriteProgress(new ProgressRecord(1, "Restore drill of " + result.Source, phase));

        private static BackupToolsException DrillError(RestoreDrillResult result)
        {
            var text = "Restore drill of " + result.Source + " " + result.Outcome + ": " + (result.Error ?? string.Empty) + " Cleanup: " + result.Cleanup + ".";
            switch (result.Outcome)
            {
                case "NoBackup":
                    return new BackupToolsException(ErrorIds.RestoreDrillNoBackup, ErrorKind.NotFound, text, result.Source);
                case "CheckFailed":
                    return new BackupToolsException(ErrorIds.RestoreDrillCheckFailed, ErrorKind.OperationFailed, text, result.Source);
                default:
                    return result.CleanedUp
                        ? new BackupToolsException(ErrorIds.OperationFailed, ErrorKind.OperationFailed, text, result.Source)
                        : new BackupToolsException(ErrorIds.RestoreDrillCleanupFailed, ErrorKind.Internal, text, result.ScratchDatabase);
            }
        }
    }
}
