using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using BackupTools.Errors;
using BackupTools.Waiting;

namespace BackupTools.Infrastructure
{
    /// <summary>
    /// One wait on a fleet of operations for one cmdlet invocation (Wait-BackupOperation, New-* -Wait):
    /// feeds the core's <see cref="FleetWaiter"/>, streams finished backups and failures to the
    /// pipeline as they happen, and draws progress (an overall bar and a child bar per operation)
    /// from the pipeline thread at a bounded rate, so thousands of operations stay cheap.
    /// </summary>
    internal sealed class WaitSession : IDisposable
    {
        private const int OverallActivityId = 1;
        private const int MaxChildUpdatesPerFlush = 25;
        private static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(250);

        private readonly AsyncCmdlet _cmdlet;
        private readonly FleetWaiter _waiter;
        private readonly bool _passThru;
        private readonly ConcurrentDictionary<IOperationProbe, Child> _children = new ConcurrentDictionary<IOperationProbe, Child>();
        private readonly ConcurrentQueue<Child> _changed = new ConcurrentQueue<Child>();
        private readonly Stopwatch _sinceFlush = Stopwatch.StartNew();
        private int _added;
        private int _succeeded;
        private int _failed;
        private int _nextActivityId = OverallActivityId + 1;

        public WaitSession(AsyncCmdlet cmdlet, WaiterOptions options, bool passThru, CancellationToken cancellationToken)
        {
            _cmdlet = cmdlet;
            _passThru = passThru;
            // The waiter says at debug level what each poll's timing came from.
            options.Trace ??= cmdlet.Trace;
            _waiter = new FleetWaiter(options, new DelegateWaitObserver(OnProgress, OnFinished, OnPollFailed), cancellationToken);
        }

        /// <summary>Starts following an operation. Thread-safe.</summary>
        public void Add(IOperationProbe probe)
        {
            Interlocked.Increment(ref _added);
            var child = new Child(Interlocked.Increment(ref _nextActivityId), probe.Operation.DisplayName);
            _children[probe] = child;
            _waiter.Add(probe);
        }

        /// <summary>Waits for everything added; a timeout ends with a terminating error naming what is unfinished.</summary>
        public async Task CompleteAsync(CancellationToken cancellationToken)
        {
            var unfinished = await _waiter.WhenAllAsync(cancellationToken).ConfigureAwait(false);
            if (unfinished.Count > 0)
            {
                var names = unfinished.Select(p => p.Operation.DisplayName).OrderBy(n => n, StringComparer.Ordinal).ToList();
                var shown = string.Join(", ", names.Take(20)) + (names.Count > 20 ? " and " + (names.Count - 20) + " more" : string.Empty);
                throw new BackupToolsException(
                    ErrorIds.WaitTimedOut,
                    ErrorKind.WaitTimedOut,
                    string.Format(CultureInfo.InvariantCulture, "Timed out after {0:0.#} s with {1} of {2} operation(s) unfinished: {3}. They continue in the cloud; wait again to follow them.", _waiter.Elapsed.TotalSeconds, names.Count, _added, shown),
                    names.Count == 1 ? names[0] : string.Join(", ", names));
            }
        }

        /// <summary>Writes progress; call from the pipeline thread (the cmdlet's pump).</summary>
        public void FlushProgress(bool force = false)
        {
            if (!force && _sinceFlush.Elapsed < FlushInterval)
            {
                return;
            }

            _sinceFlush.Restart();
            var done = _succeeded + _failed;
            var overall = new ProgressRecord(OverallActivityId, "Waiting for backup operations", string.Format(
                CultureInfo.InvariantCulture,
                "{0} done, {1} failed, {2} pending; {3:hh\\:mm\\:ss} elapsed",
                _succeeded,
                _failed,
                _added - done,
                _waiter.Elapsed))
            {
                PercentComplete = _added == 0 ? 0 : Math.Min(100, done * 100 / _added),
            };
            _cmdlet.WriteProgress(overall);

            var seen = new HashSet<int>();
            for (var i = 0; i < MaxChildUpdatesPerFlush && _changed.TryDequeue(out var child); i++)
            {
                if (!seen.Add(child.ActivityId))
                {
                    continue;
                }

                var record = new ProgressRecord(child.ActivityId, child.Name, child.Status) { ParentActivityId = OverallActivityId, PercentComplete = child.Percent };
                if (child.Finished)
                {
                    record.RecordType = ProgressRecordType.Completed;
                }

                _cmdlet.WriteProgress(record);
            }
        }

        /// <summary>Closes every bar; call from the pipeline thread.</summary>
        public void CompleteProgress()
        {
            FlushProgress(force: true);
            _cmdlet.WriteProgress(new ProgressRecord(OverallActivityId, "Waiting for backup operations", "Done") { RecordType = ProgressRecordType.Completed });
        }

        public void OnProgress(IOperationProbe probe, PollOutcome outcome)
        {
            if (_children.TryGetValue(probe, out var child))
            {
                child.Percent = (int)Math.Max(0, Math.Min(100, outcome.ProgressPercent ?? 0));
                var phase = outcome.Operation is IPhasedOperation phased ? phased.Phase + " phase: " : string.Empty;
                child.Status = phase + (outcome.ProgressPercent.HasValue ? child.Percent + "% done" : "running");
                _changed.Enqueue(child);
            }
        }

        public void OnFinished(IOperationProbe probe, PollOutcome outcome)
        {
            MarkFinished(probe, outcome.State.ToString());
            switch (outcome.State)
            {
                case OperationState.Succeeded:
                    Interlocked.Increment(ref _succeeded);
                    _cmdlet.PostObject(_passThru || outcome.Result == null ? outcome.Operation : outcome.Result);
                    break;
                case OperationState.Cancelled:
                    Interlocked.Increment(ref _failed);
                    _cmdlet.PostError(Failure(outcome.Operation, ErrorIds.OperationCancelled, ErrorKind.Cancelled, "was cancelled", outcome.FailureReason));
                    break;
                default:
                    Interlocked.Increment(ref _failed);
                    _cmdlet.PostError(Failure(outcome.Operation, ErrorIds.OperationFailed, ErrorKind.OperationFailed, "failed", outcome.FailureReason));
                    break;
            }
        }

        public void OnPollFailed(IOperationProbe probe, BackupToolsException error)
        {
            MarkFinished(probe, "not followed");
            Interlocked.Increment(ref _failed);
            _cmdlet.PostError(ErrorRecords.From(error, probe.Operation));
        }

        public void Dispose() => _waiter.Dispose();

        private static ErrorRecord Failure(IBackupOperation operation, string id, ErrorKind kind, string what, string? reason)
        {
            var error = new BackupToolsException(id, kind, operation.Cloud + " backup operation " + operation.DisplayName + " " + what + (reason != null ? ": " + reason : "."), operation.DisplayName);
            return ErrorRecords.From(error, operation);
        }

        private void MarkFinished(IOperationProbe probe, string status)
        {
            if (_children.TryRemove(probe, out var child))
            {
                child.Finished = true;
                child.Percent = 100;
                child.Status = status;
                _changed.Enqueue(child);
            }
        }

        private sealed class Child
        {
            public Child(int activityId, string name)
            {
                ActivityId = activityId;
                Name = name;
            }

            public int ActivityId { get; }

            public string Name { get; }

            public int Percent { get; set; }

            public string Status { get; set; } = "waiting";

            public bool Finished { get; set; }
        }
    }
}
