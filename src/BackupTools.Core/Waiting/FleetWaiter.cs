using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BackupTools.Errors;

namespace BackupTools.Waiting
{
    /// <summary>Receives what the waiter learns, from background threads: implementations queue, never write to a host.</summary>
    public interface IWaitObserver
    {
        /// <summary>A poll found the operation still running.</summary>
        void OnProgress(IOperationProbe probe, PollOutcome outcome);

        /// <summary>The operation ended: succeeded, failed or was cancelled.</summary>
        void OnFinished(IOperationProbe probe, PollOutcome outcome);

        /// <summary>Polling the operation kept failing; it is no longer followed.</summary>
        void OnPollFailed(IOperationProbe probe, BackupToolsException error);
    }

    /// <summary>
    /// Waits on any number of operations of any cloud at once. Each operation has its own schedule
    /// (<see cref="PollSchedule"/>); all share one bounded pool of in-flight requests and one rate
    /// limit. Operations can be added while waiting runs, so results stream out as they finish.
    /// </summary>
    public sealed class FleetWaiter : IDisposable
    {
        private readonly WaiterOptions _options;
        private readonly IWaitObserver _observer;
        private readonly SemaphoreSlim _inFlight;
        private readonly RateLimiter _rate;
        private readonly CancellationTokenSource _deadline;
        private readonly CancellationTokenSource _stop;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly ConcurrentDictionary<IOperationProbe, byte> _pending = new ConcurrentDictionary<IOperationProbe, byte>();
        private readonly List<Task> _loops = new List<Task>();

        public FleetWaiter(WaiterOptions options, IWaitObserver observer, CancellationToken cancellationToken)
        {
            _options = options;
            _observer = observer;
            _inFlight = new SemaphoreSlim(Math.Max(1, options.MaxConcurrentRequests));
            _rate = new RateLimiter(options.MaxRequestsPerSecond);
            _deadline = options.Timeout.HasValue ? new CancellationTokenSource(options.Timeout.Value) : new CancellationTokenSource();
            _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _deadline.Token);
        }

        /// <summary>Operations being followed right now.</summary>
        public int PendingCount => _pending.Count;

        public TimeSpan Elapsed => _clock.Elapsed;

        public bool TimedOut => _deadline.IsCancellationRequested;

        /// <summary>Starts following an operation at once.</summary>
        public void Add(IOperationProbe probe)
        {
            _pending[probe] = 0;
            var loop = Task.Run(() => FollowAsync(probe));
            lock (_loops)
            {
                _loops.Add(loop);
            }
        }

        /// <summary>
        /// Waits until every added operation has ended, or the timeout passed; returns those still
        /// unfinished (empty unless timed out). Throws OperationCanceledException when stopped.
        /// </summary>
        public async Task<IReadOnlyList<IOperationProbe>> WhenAllAsync(CancellationToken cancellationToken)
        {
            Task[] loops;
            lock (_loops)
            {
                loops = _loops.ToArray();
            }

            await Task.WhenAll(loops).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return _pending.Keys.ToList();
        }

        public void Dispose()
        {
            _stop.Cancel();
            _stop.Dispose();
            _deadline.Dispose();
            _inFlight.Dispose();
        }

        private async Task FollowAsync(IOperationProbe probe)
        {
            var token = _stop.Token;
            try
            {
                if (probe.Known != null && probe.Known.IsFinished)
                {
                    Finish(probe, probe.Known);
                    return;
                }

                var created = probe.Operation as ICreateTimes;
                var schedule = new PollSchedule(_options, DateTimeOffset.UtcNow, StartWindow.FromCreate(created?.CreateSentAt, created?.CreateAnsweredAt));
                var history = probe as IDurationHistorySource;
                if (history != null && history.ReadHistoryFirst)
                {
                    schedule.UseHistory(await EstimateAsync(probe, history, token).ConfigureAwait(false));
                    history = null;
                }

                var plan = schedule.Plan(DateTimeOffset.UtcNow);
                var failures = 0;
                while (true)
                {
                    Explain(probe, plan);
                    await Task.Delay(plan.Delay, token).ConfigureAwait(false);
                    (probe as IFinishExpectingProbe)?.ExpectFinish(plan.ExpectsFinish);
                    PollOutcome outcome;
                    DateTimeOffset sentAt;
                    try
                    {
                        (outcome, sentAt) = await PollOnceAsync(probe, token).ConfigureAwait(false);
                        failures = 0;
                    }
                    catch (BackupToolsException ex) when (probe.IsNotYet(ex))
                    {
                        schedule.ObserveNotYet();
                        plan = schedule.Plan(DateTimeOffset.UtcNow);
                        continue;
                    }
                    catch (BackupToolsException ex) when (!token.IsCancellationRequested)
                    {
                        // The HTTP core already retried what was transient; a few more tries at the
                        // poll level ride out a longer outage, then the operation is reported.
                        failures++;
                        if (failures >= _options.MaxConsecutivePollFailures || ex.Kind == ErrorKind.NotFound || ex.Kind == ErrorKind.Unauthenticated || ex.Kind == ErrorKind.PermissionDenied)
                        {
                            _pending.TryRemove(probe, out _);
                            _observer.OnPollFailed(probe, ex);
                            return;
                        }

                        plan = schedule.Plan(DateTimeOffset.UtcNow);
                        continue;
                    }

                    if (outcome.IsFinished)
                    {
                        Finish(probe, outcome);
                        return;
                    }

                    _observer.OnProgress(probe, outcome);
                    var answeredAt = DateTimeOffset.UtcNow;
                    schedule.Observe(new PollObservation(sentAt, answeredAt, outcome.ProgressPercent, outcome.StartedAt, outcome.StartResolution));
                    if (history != null && schedule.WantsEstimate)
                    {
                        // Read once, when first needed.
                        schedule.UseHistory(await EstimateAsync(probe, history, token).ConfigureAwait(false));
                        history = null;
                    }

                    plan = schedule.Plan(DateTimeOffset.UtcNow);
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // Stopped (Ctrl+C) or timed out: the operation stays in _pending and is reported as unfinished.
            }
        }

        /// <summary>
        /// Earlier runs, read within the shared budget. Without them the operation is still followed
        /// (on progress and elapsed time), so a failure to read them is only said at debug level.
        /// </summary>
        private async Task<DurationEstimate?> EstimateAsync(IOperationProbe probe, IDurationHistorySource source, CancellationToken token)
        {
            await _inFlight.WaitAsync(token).ConfigureAwait(false);
            try
            {
                await _rate.WaitAsync(token).ConfigureAwait(false);
                var (runs, subject) = await source.GetHistoryAsync(token).ConfigureAwait(false);
                return DurationEstimate.From(runs, subject, _options.HistorySpread);
            }
            catch (BackupToolsException ex) when (!token.IsCancellationRequested)
            {
                _options.Trace?.Debug(probe.Operation.DisplayName + ": earlier runs could not be read (" + ex.Message + "); following it without them.");
                return null;
            }
            catch (Exception ex) when (!(ex is OperationCanceledException))
            {
                // Optional knowledge: an answer the list cannot be read from must not stop the wait.
                // The server's text is not quoted (it may be anything); the kind of failure is.
                _options.Trace?.Debug(probe.Operation.DisplayName + ": earlier runs could not be read (an unreadable answer: " + ex.GetType().Name + "); following it without them.");
                return null;
            }
            finally
            {
                _inFlight.Release();
            }
        }

        private void Explain(IOperationProbe probe, PollPlan plan)
        {
            var trace = _options.Trace;
            if (trace != null && trace.DebugEnabled)
            {
                trace.Debug(probe.Operation.DisplayName + ": next poll in " + plan.Delay.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " s: " + plan.Basis + ".");
            }
        }

        /// <summary>One poll within the shared budget; also when it was sent (after the wait for a slot), on this machine's clock.</summary>
        private async Task<(PollOutcome Outcome, DateTimeOffset SentAt)> PollOnceAsync(IOperationProbe probe, CancellationToken token)
        {
            await _inFlight.WaitAsync(token).ConfigureAwait(false);
            try
            {
                await _rate.WaitAsync(token).ConfigureAwait(false);
                var sentAt = DateTimeOffset.UtcNow;
                var outcome = await probe.PollAsync(token).ConfigureAwait(false);
                return (outcome, sentAt);
            }
            finally
            {
                _inFlight.Release();
            }
        }

        private void Finish(IOperationProbe probe, PollOutcome outcome)
        {
            _pending.TryRemove(probe, out _);
            _observer.OnFinished(probe, outcome);
        }
    }
}

namespace BackupTools.Waiting
{
    using System;
    using BackupTools.Errors;

    /// <summary>
    /// An observer made of delegates, for the cmdlet assembly (see <see cref="BackupTools.Http.DelegateTrace"/>
    /// for why it does not implement core interfaces itself).
    /// </summary>
    public sealed class DelegateWaitObserver : IWaitObserver
    {
        private readonly Action<IOperationProbe, PollOutcome> _progress;
        private readonly Action<IOperationProbe, PollOutcome> _finished;
        private readonly Action<IOperationProbe, BackupToolsException> _pollFailed;

        public DelegateWaitObserver(Action<IOperationProbe, PollOutcome> progress, Action<IOperationProbe, PollOutcome> finished, Action<IOperationProbe, BackupToolsException> pollFailed)
        {
            _progress = progress;
            _finished = finished;
            _pollFailed = pollFailed;
        }

        public void OnProgress(IOperationProbe probe, PollOutcome outcome) => _progress(probe, outcome);

        public void OnFinished(IOperationProbe probe, PollOutcome outcome) => _finished(probe, outcome);

        public void OnPollFailed(IOperationProbe probe, BackupToolsException error) => _pollFailed(probe, error);
    }
}
