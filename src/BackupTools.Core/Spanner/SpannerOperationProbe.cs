using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using BackupTools.Errors;
using BackupTools.Waiting;

namespace BackupTools.Spanner
{
    /// <summary>
    /// Polls a Spanner CreateBackup operation: operations.get until done, then the backup it produced.
    /// The database's earlier backups serve the waiter when the progress cannot be trusted.
    /// </summary>
    public sealed class SpannerOperationProbe : IOperationProbe, IDurationHistorySource
    {
        private readonly SpannerClient _client;
        private SpannerBackupOperation _operation;

        public SpannerOperationProbe(SpannerClient client, SpannerBackupOperation operation)
        {
            _client = client;
            _operation = operation;
            Known = operation.Done ? Outcome(operation) : null;
        }

        public IBackupOperation Operation => _operation;

        public PollOutcome? Known { get; }

        public async Task<PollOutcome> PollAsync(CancellationToken cancellationToken)
        {
            var fresh = await _client.GetOperationAsync(_operation.Name, cancellationToken).ConfigureAwait(false);
            fresh.ResolvedByReadBack = _operation.ResolvedByReadBack;
            _operation = fresh;
            return Outcome(fresh);
        }

        public bool IsNotYet(BackupToolsException error) => false;

        /// <summary>Spanner's progress is good: its history is read only when that progress is not.</summary>
        public bool ReadHistoryFirst => false;

        public async Task<(IReadOnlyList<PastRun> Runs, string Subject)> GetHistoryAsync(CancellationToken cancellationToken)
        {
            var op = _operation;
            if (string.IsNullOrEmpty(op.Database))
            {
                return (new PastRun[0], "an unknown database");
            }

            var runs = await SpannerBackupHistory.ForDatabaseAsync(_client, op.Project, op.Instance, op.Database, cancellationToken).ConfigureAwait(false);
            return (runs, "database " + op.Database);
        }

        private static PollOutcome Outcome(SpannerBackupOperation op)
        {
            switch (op.Outcome)
            {
                case OperationState.Succeeded:
                    return new PollOutcome(op, OperationState.Succeeded, 100, op.Backup);
                case OperationState.Failed:
                case OperationState.Cancelled:
                    return new PollOutcome(op, op.Outcome, op.ProgressPercent, failureReason: op.Error?.ToString());
                default:
                    return new PollOutcome(op, OperationState.Running, op.ProgressPercent, startedAt: op.StartTime);
            }
        }
    }
}
