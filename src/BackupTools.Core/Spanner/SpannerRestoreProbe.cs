using System.Threading;
using System.Threading.Tasks;
using BackupTools.Errors;
using BackupTools.Waiting;

namespace BackupTools.Spanner
{
    /// <summary>
    /// Polls a Spanner restore: the restore operation until done, then (unless told not to) the optimize
    /// operation Spanner starts after it, then reads the database back. The operation object says which
    /// phase it is in; the progress reported is the current phase's, with that phase's start time, so the
    /// schedule estimates each phase on its own.
    /// </summary>
    public sealed class SpannerRestoreProbe : IOperationProbe
    {
        private readonly SpannerDatabaseClient _client;
        private readonly bool _followOptimize;
        private SpannerRestoreOperation _operation;

        public SpannerRestoreProbe(SpannerDatabaseClient client, SpannerRestoreOperation operation, bool followOptimize)
        {
            _client = client;
            _operation = operation;
            _followOptimize = followOptimize;
            Known = operation.Done && operation.Outcome != OperationState.Succeeded
                ? new PollOutcome(operation, operation.Outcome, operation.ProgressPercent, failureReason: operation.Error?.ToString())
                : null;
        }

        public IBackupOperation Operation => _operation;

        public PollOutcome? Known { get; }

        public async Task<PollOutcome> PollAsync(CancellationToken cancellationToken)
        {
            if (_operation.Phase == SpannerRestoreOperation.RestorePhase)
            {
                var fresh = await _client.GetOperationAsync(_operation.Name, cancellationToken).ConfigureAwait(false);
                fresh.ResolvedByReadBack = _operation.ResolvedByReadBack;
                _operation = fresh;
                switch (fresh.Outcome)
                {
                    case OperationState.Running:
                        return new PollOutcome(fresh, OperationState.Running, fresh.ProgressPercent, startedAt: fresh.StartTime);
                    case OperationState.Failed:
                    case OperationState.Cancelled:
                        return new PollOutcome(fresh, fresh.Outcome, fresh.ProgressPercent, failureReason: fresh.Error?.ToString());
                }

                if (!_followOptimize || string.IsNullOrEmpty(fresh.OptimizeOperationName))
                {
                    return await FinishedAsync(cancellationToken).ConfigureAwait(false);
                }

                _operation.Phase = SpannerRestoreOperation.OptimizePhase;
                _operation.ProgressPercent = 0;
            }

            // The optimize phase: its operation carries only progress; the restore's fields stay as they were.
            SpannerRestoreOperation optimize;
            try
            {
                optimize = await _client.GetOperationAsync(_operation.OptimizeOperationName!, cancellationToken).ConfigureAwait(false);
            }
            catch (ServiceException ex) when (ex.Kind == ErrorKind.NotFound)
            {
                // Operations are listed for 7 days only: an optimize that old has long ended.
                _operation.OptimizeDone = true;
                return await FinishedAsync(cancellationToken).ConfigureAwait(false);
            }

            _operation.ProgressPercent = optimize.ProgressPercent;
            if (optimize.Done)
            {
                _operation.OptimizeDone = true;
                if (optimize.Error != null)
                {
                    return new PollOutcome(_operation, OperationState.Failed, optimize.ProgressPercent, failureReason: "optimize step: " + optimize.Error);
                }

                return await FinishedAsync(cancellationToken).ConfigureAwait(false);
            }

            return new PollOutcome(_operation, OperationState.Running, optimize.ProgressPercent, startedAt: optimize.StartTime);
        }

        public bool IsNotYet(BackupToolsException error) => false;

        /// <summary>The restore (and optimize) ended: read the database back, so what is emitted is its state now.</summary>
        private async Task<PollOutcome> FinishedAsync(CancellationToken cancellationToken)
        {
            var database = await _client.GetDatabaseAsync(_operation.Project, _operation.Instance, _operation.DatabaseId, cancellationToken).ConfigureAwait(false);
            _operation.Database = database;
            return new PollOutcome(_operation, OperationState.Succeeded, 100, database);
        }
    }
}
