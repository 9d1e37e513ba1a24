using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using BackupTools.Drills;
using BackupTools.Errors;

namespace BackupTools.Infrastructure
{
    /// <summary>
    /// Runs one restore drill for a drill cmdlet, whichever the cloud: finds the newest good backup, restores and
    /// waits (work items), runs the user's check on the pipeline thread (script blocks must), and cleans up in
    /// <c>finally</c> with its own token and budget, so a failed check, an error or Ctrl+C (which cancels StopToken)
    /// still removes the scratch target. Emits the evidence; a drill that did not pass is also an error.
    /// </summary>
    internal sealed class RestoreDrillRunner
    {
        /// <summary>How long the cleanup may take once started; it does not stop for Ctrl+C.</summary>
        private static readonly TimeSpan CleanupBudget = TimeSpan.FromMinutes(5);

        private readonly AsyncCmdlet _cmdlet;

        public RestoreDrillRunner(AsyncCmdlet cmdlet)
        {
            _cmdlet = cmdlet;
        }

        /// <summary>A drill's -Timeout must be positive: checked once, before any drill (terminating).</summary>
        public static void RequirePositive(AsyncCmdlet cmdlet, Duration timeout)
        {
            if (timeout.TimeSpan <= TimeSpan.Zero)
            {
                cmdlet.ThrowTerminatingError(ErrorRecords.From(Validation.ValidationError.Create("-Timeout must be a positive duration, e.g. '2h'."), timeout));
            }
        }

        public void Run(IRestoreDrill drill, ScriptBlock? check, TimeSpan timeout)
        {
            var started = DateTimeOffset.UtcNow;
            var result = new RestoreDrillResult { Cloud = drill.Cloud, Source = drill.Source, Scratch = drill.Scratch, StartedAt = started };
            try
            {
                Progress(result, "finding the newest good backup");
                DrillBackup? backup = null;
                Exception? failure = null;
                _cmdlet.RunWork(result.Source, async ct => backup = await Captured(() => drill.FindNewestAsync(ct), e => failure = e).ConfigureAwait(false));
                result.FindTime = DateTimeOffset.UtcNow - started;
                if (Stopped(result) || Failed(result, failure, "RestoreFailed"))
                {
                    return;
                }

                if (backup == null)
                {
                    result.Outcome = "NoBackup";
                    result.Error = result.Source + " has no good backup to restore.";
                    return;
                }

                result.Backup = backup.Name;
                result.BackupTime = backup.Time;
                Progress(result, "restoring " + backup.Name + " into " + drill.Scratch);
                var restoreStarted = DateTimeOffset.UtcNow;
                DateTimeOffset? optimizing = null;
                object? restored = null;
                _cmdlet.RunWork(result.Scratch, async ct => restored = await Captured<object>(async () => await drill.RestoreAsync(backup, timeout, () => optimizing = DateTimeOffset.UtcNow, ct).ConfigureAwait(false), e => failure = e).ConfigureAwait(false));
                var waited = DateTimeOffset.UtcNow;
                result.Scratch = drill.Scratch;
                result.RestoreTime = (optimizing ?? waited) - restoreStarted;
                result.OptimizeTime = optimizing.HasValue ? waited - optimizing.Value : (TimeSpan?)null;
                if (Stopped(result) || Failed(result, failure, "RestoreFailed"))
                {
                    return;
                }

                if (check == null)
                {
                    result.Outcome = "Passed";
                    return;
                }

                Progress(result, "running the check on " + drill.Scratch);
                var checkStarted = DateTimeOffset.UtcNow;
                try
                {
                    var output = check.InvokeWithContext(null, new List<PSVariable> { new PSVariable("_", restored) }, restored);
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
                // Whatever happened (an error, a failed check, Ctrl+C), the scratch target goes. Its own token:
                // a stopped pipeline has cancelled StopToken, and the cleanup must still run to its end.
                CleanUp(drill, result);
                result.FinishedAt = DateTimeOffset.UtcNow;
                result.Succeeded = result.Outcome == "Passed" && result.CleanedUp;
                if (!_cmdlet.StopToken.IsCancellationRequested)
                {
                    _cmdlet.WriteProgress(new ProgressRecord(1, "Restore drill of " + result.Source, "Done") { RecordType = ProgressRecordType.Completed });
                    _cmdlet.WriteObject(result);
                    if (!result.Succeeded)
                    {
                        _cmdlet.WriteError(ErrorRecords.From(DrillError(result), result));
                    }
                }
            }
        }

        private static void CleanUp(IRestoreDrill drill, RestoreDrillResult result)
        {
            var cleanupStarted = DateTimeOffset.UtcNow;
            using (var budget = new CancellationTokenSource(CleanupBudget))
            {
                try
                {
                    result.Cleanup = Task.Run(() => drill.CleanUpAsync(budget.Token)).GetAwaiter().GetResult();
                    result.CleanedUp = true;
                }
                catch (Exception ex) when (ex is BackupToolsException || ex is OperationCanceledException)
                {
                    result.CleanedUp = false;
                    result.Cleanup = "failed: " + ex.Message + " Remove " + drill.Scratch + " by hand.";
                }
            }

            result.Scratch = drill.Scratch;
            result.CleanupTime = DateTimeOffset.UtcNow - cleanupStarted;
        }

        private bool Stopped(RestoreDrillResult result)
        {
            if (!_cmdlet.StopToken.IsCancellationRequested)
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
            _cmdlet.WriteProgress(new ProgressRecord(1, "Restore drill of " + result.Source, phase));

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
                        : new BackupToolsException(ErrorIds.RestoreDrillCleanupFailed, ErrorKind.Internal, text, result.Scratch);
            }
        }
    }
}
