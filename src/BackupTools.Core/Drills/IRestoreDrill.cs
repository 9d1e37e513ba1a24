using System;
using System.Threading;
using System.Threading.Tasks;
using BackupTools.Errors;
using BackupTools.Http;
using BackupTools.Waiting;

namespace BackupTools.Drills
{
    /// <summary>The backup a drill restores: its name, the moment of its data, and the cloud's own object.</summary>
    public sealed class DrillBackup
    {
        public DrillBackup(string name, DateTimeOffset? time, object backup)
        {
            Name = name;
            Time = time;
            Backup = backup;
        }

        public string Name { get; }

        public DateTimeOffset? Time { get; }

        public object Backup { get; }
    }

    /// <summary>
    /// The cloud-specific steps of one restore drill; the order, the user's check, the evidence and the promise that
    /// the scratch target is cleaned up whatever happens are the cmdlets' shared runner's.
    /// </summary>
    public interface IRestoreDrill
    {
        string Cloud { get; }

        /// <summary>What is drilled (a database's full name, an instance id).</summary>
        string Source { get; }

        /// <summary>Where it is restored to (a scratch database's full name, a scratch instance's name).</summary>
        string Scratch { get; }

        /// <summary>The newest good backup, or null when there is none.</summary>
        Task<DrillBackup?> FindNewestAsync(CancellationToken cancellationToken);

        /// <summary>Restores the backup into the scratch target and waits until it is usable (calling <paramref name="optimizing"/> when a later phase begins); returns what the check receives.</summary>
        Task<object> RestoreAsync(DrillBackup backup, TimeSpan timeout, Action optimizing, CancellationToken cancellationToken);

        /// <summary>Removes the scratch target (stopping a restore still running), confirms it is gone, and says what it did.</summary>
        Task<string> CleanUpAsync(CancellationToken cancellationToken);
    }

    /// <summary>Follows one operation to its end with the module's waiter, as a drill needs it.</summary>
    public static class DrillWait
    {
        /// <summary>
        /// Waits for the probe's operation; <paramref name="seen"/> gets every outcome polled. Returns the last outcome
        /// when it succeeded; a failure, a cancellation or the timeout is an error that says which.
        /// </summary>
        public static async Task<PollOutcome> UntilDoneAsync(IOperationProbe probe, string what, TimeSpan timeout, Action<PollOutcome> seen, CancellationToken cancellationToken)
        {
            PollOutcome? last = null;
            BackupToolsException? pollFailure = null;
            using (var waiter = new FleetWaiter(new WaiterOptions { Timeout = timeout }, new DelegateWaitObserver((p, o) => seen(o), (p, o) => { seen(o); last = o; }, (p, e) => pollFailure = e), cancellationToken))
            {
                waiter.Add(probe);
                var unfinished = await waiter.WhenAllAsync(cancellationToken).ConfigureAwait(false);
                if (unfinished.Count > 0 || last == null)
                {
                    throw pollFailure ?? new BackupToolsException(ErrorIds.WaitTimedOut, ErrorKind.Timeout, what + " did not finish within " + timeout + ".", probe.Operation.DisplayName);
                }
            }

            if (last.State != OperationState.Succeeded)
            {
                throw new BackupToolsException(ErrorIds.OperationFailed, ErrorKind.OperationFailed, what + " " + (last.State == OperationState.Cancelled ? "was cancelled" : "failed") + ": " + ServerText.Clean(last.FailureReason, 300), probe.Operation.DisplayName);
            }

            return last;
        }
    }
}
