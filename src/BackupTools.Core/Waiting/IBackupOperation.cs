using System;
using System.Threading;
using System.Threading.Tasks;
using BackupTools.Errors;

namespace BackupTools.Waiting
{
    public enum OperationState
    {
        Running,
        Succeeded,
        Failed,
        Cancelled,
    }

    /// <summary>Anything a create cmdlet emits that Wait-BackupOperation can follow to its end, whichever the cloud.</summary>
    public interface IBackupOperation
    {
        string Cloud { get; }

        /// <summary>Short, unique name for progress and messages ("project/instance/backup").</summary>
        string DisplayName { get; }

        // No State here: PowerShell 7 shows explicitly implemented interface properties, and an enum
        // would reach ConvertTo-Json as a number. Each probe reads its operation's own state.
    }

    /// <summary>What one poll of an operation learned.</summary>
    public sealed class PollOutcome
    {
        public PollOutcome(IBackupOperation operation, OperationState state, double? progressPercent, object? result = null, string? failureReason = null, DateTimeOffset? startedAt = null, TimeSpan startResolution = default)
        {
            StartResolution = startResolution;
            Operation = operation;
            State = state;
            ProgressPercent = progressPercent;
            Result = result;
            FailureReason = failureReason;
            StartedAt = startedAt;
        }

        /// <summary>When the service says the operation started (Spanner progress.startTime, GaussDB job created), if it says.</summary>
        public DateTimeOffset? StartedAt { get; }

        /// <summary>How coarsely the service writes <see cref="StartedAt"/> (GaussDB: whole seconds).</summary>
        public TimeSpan StartResolution { get; }

        /// <summary>The operation as now known (a fresh object from the service).</summary>
        public IBackupOperation Operation { get; }

        public OperationState State { get; }

        /// <summary>Progress the service reports (0..100), or null when it reports none.</summary>
        public double? ProgressPercent { get; }

        /// <summary>The finished backup, when <see cref="State"/> is Succeeded.</summary>
        public object? Result { get; }

        /// <summary>The service's reason, when Failed or Cancelled.</summary>
        public string? FailureReason { get; }

        public bool IsFinished => State != OperationState.Running;
    }

    /// <summary>Knows how to poll one operation of one cloud. Implemented once per cloud.</summary>
    public interface IOperationProbe
    {
        IBackupOperation Operation { get; }

        /// <summary>What is known without asking (an operation already done when it reached the waiter), or null.</summary>
        PollOutcome? Known { get; }

        Task<PollOutcome> PollAsync(CancellationToken cancellationToken);

        /// <summary>Whether a poll failure means "not yet" (e.g. GaussDB's job not visible right after creation).</summary>
        bool IsNotYet(BackupToolsException error);
    }

    /// <summary>
    /// A probe that can poll more cheaply when the waiter expects the operation to be finished (GaussDB:
    /// the backup's own status gives the final state in one answer; the job's would need a read-back).
    /// </summary>
    public interface IFinishExpectingProbe
    {
        /// <summary>Called before each poll: whether the waiter expects it to find the operation finished.</summary>
        void ExpectFinish(bool expected);
    }
}
