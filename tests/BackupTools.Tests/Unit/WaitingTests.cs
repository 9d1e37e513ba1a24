using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using BackupTools.Errors;
using BackupTools.Waiting;
using Xunit;

namespace BackupTools.Tests.Unit
{
    public sealed class WaitingTests
    {
        [Fact]
        public async Task RateLimiter_SpacesRequests()
        {
            var limiter = new RateLimiter(50, burst: 1);
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < 11; i++)
            {
                await limiter.WaitAsync(CancellationToken.None);
            }

            Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(180), clock.Elapsed.ToString());
        }

        [Fact]
        public async Task FleetWaiter_StreamsResultsAsTheyFinish_AndBoundsConcurrency()
        {
            var observer = new Recorder();
            var options = new WaiterOptions { FirstPoll = TimeSpan.FromMilliseconds(10), MinInterval = TimeSpan.FromMilliseconds(10), MaxInterval = TimeSpan.FromMilliseconds(50), MaxConcurrentRequests = 2, MaxRequestsPerSecond = 1000 };
            using var waiter = new FleetWaiter(options, observer, CancellationToken.None);
            var slow = new FakeProbe("slow", TimeSpan.FromMilliseconds(600));
            var fast = new FakeProbe("fast", TimeSpan.FromMilliseconds(100));
            var failing = new FakeProbe("failing", TimeSpan.FromMilliseconds(200), fail: true);
            waiter.Add(slow);
            waiter.Add(fast);
            waiter.Add(failing);

            var unfinished = await waiter.WhenAllAsync(CancellationToken.None);

            Assert.Empty(unfinished);
            Assert.Equal(new[] { "fast", "failing", "slow" }, observer.Finished.ToArray());
            Assert.True(FakeProbe.MaxConcurrent <= 2);
        }

        [Fact]
        public async Task FleetWaiter_Timeout_LeavesTheUnfinishedToReport()
        {
            var observer = new Recorder();
            var options = new WaiterOptions { FirstPoll = TimeSpan.FromMilliseconds(10), MinInterval = TimeSpan.FromMilliseconds(10), MaxInterval = TimeSpan.FromMilliseconds(20), Timeout = TimeSpan.FromMilliseconds(1500) };
            using var waiter = new FleetWaiter(options, observer, CancellationToken.None);
            waiter.Add(new FakeProbe("never", TimeSpan.FromHours(1)));
            waiter.Add(new FakeProbe("quick", TimeSpan.FromMilliseconds(50)));

            var unfinished = await waiter.WhenAllAsync(CancellationToken.None);

            Assert.Equal("never", Assert.Single(unfinished).Operation.DisplayName);
            Assert.True(waiter.TimedOut);
            Assert.Equal(new[] { "quick" }, observer.Finished.ToArray());
        }

        [Fact]
        public async Task FleetWaiter_NotYetAnswers_AreNotFailures()
        {
            var observer = new Recorder();
            var options = new WaiterOptions { FirstPoll = TimeSpan.FromMilliseconds(10), MinInterval = TimeSpan.FromMilliseconds(10), MaxInterval = TimeSpan.FromMilliseconds(20), MaxConsecutivePollFailures = 1 };
            using var waiter = new FleetWaiter(options, observer, CancellationToken.None);
            waiter.Add(new FakeProbe("late-job", TimeSpan.FromMilliseconds(150), notYetFor: TimeSpan.FromMilliseconds(100)));

            await waiter.WhenAllAsync(CancellationToken.None);

            Assert.Empty(observer.PollFailures);
            Assert.Equal(new[] { "late-job" }, observer.Finished.ToArray());
        }

        [Fact]
        public async Task FleetWaiter_ReadsHistoryOnce_WhenProgressGoesBack_AndSaysSoAtDebugLevel()
        {
            var observer = new Recorder();
            var trace = new ListTrace();
            var options = new WaiterOptions { FirstPoll = TimeSpan.FromMilliseconds(10), MinInterval = TimeSpan.FromMilliseconds(10), MaxInterval = TimeSpan.FromMilliseconds(50), MaxNoSignalInterval = TimeSpan.FromMilliseconds(50), Trace = trace };
            using var waiter = new FleetWaiter(options, observer, CancellationToken.None);
            var probe = new ScriptedProbe(40, 30, 35, null);
            waiter.Add(probe);

            await waiter.WhenAllAsync(CancellationToken.None);

            Assert.Equal(new[] { "scripted" }, observer.Finished.ToArray());
            Assert.Equal(1, probe.HistoryReads);
            Assert.Contains(trace.Debug, d => d.Contains("progress went back from 40 % to 30 %", StringComparison.Ordinal));
            Assert.Contains(trace.Debug, d => d.Contains("1 earlier backup(s) of database scripted", StringComparison.Ordinal));
        }

        private sealed class ListTrace : BackupTools.Http.IHttpTrace
        {
            public ConcurrentQueue<string> Debug { get; } = new ConcurrentQueue<string>();

            public bool DebugEnabled => true;

            public void Verbose(string message)
            {
            }

            void BackupTools.Http.IHttpTrace.Debug(string message) => Debug.Enqueue(message);
        }

        /// <summary>Answers a fixed sequence of progress figures (then done), whenever polled; has one earlier run.</summary>
        private sealed class ScriptedProbe : IOperationProbe, IBackupOperation, IDurationHistorySource
        {
            private readonly Queue<double?> _answers;
            private readonly DateTimeOffset _start = DateTimeOffset.UtcNow;

            public ScriptedProbe(params double?[] answers)
            {
                _answers = new Queue<double?>(answers);
            }

            public int HistoryReads { get; private set; }

            public string Cloud => "Fake";

            public string DisplayName => "scripted";

            public OperationState State => OperationState.Running;

            public IBackupOperation Operation => this;

            public PollOutcome? Known => null;

            public bool ReadHistoryFirst => false;

            public Task<PollOutcome> PollAsync(CancellationToken cancellationToken) =>
                Task.FromResult(_answers.Count > 0
                    ? new PollOutcome(this, OperationState.Running, _answers.Dequeue(), startedAt: _start)
                    : new PollOutcome(this, OperationState.Succeeded, 100, "result"));

            public bool IsNotYet(BackupToolsException error) => false;

            public Task<(IReadOnlyList<PastRun> Runs, string Subject)> GetHistoryAsync(CancellationToken cancellationToken)
            {
                HistoryReads++;
                IReadOnlyList<PastRun> runs = new[] { new PastRun(_start.AddDays(-1), _start.AddDays(-1).AddMilliseconds(100)) };
                return Task.FromResult((runs, "database scripted"));
            }
        }

        private sealed class Recorder : IWaitObserver
        {
            public ConcurrentQueue<string> Finished { get; } = new ConcurrentQueue<string>();

            public ConcurrentQueue<string> PollFailures { get; } = new ConcurrentQueue<string>();

            public void OnProgress(IOperationProbe probe, PollOutcome outcome)
            {
            }

            public void OnFinished(IOperationProbe probe, PollOutcome outcome) => Finished.Enqueue(probe.Operation.DisplayName);

            public void OnPollFailed(IOperationProbe probe, BackupToolsException error) => PollFailures.Enqueue(probe.Operation.DisplayName);
        }

        private sealed class FakeProbe : IOperationProbe, IBackupOperation
        {
            private static int _concurrent;
            private readonly Stopwatch _clock = Stopwatch.StartNew();
            private readonly TimeSpan _duration;
            private readonly bool _fail;
            private readonly TimeSpan _notYetFor;

            public FakeProbe(string name, TimeSpan duration, bool fail = false, TimeSpan notYetFor = default)
            {
                DisplayName = name;
                _duration = duration;
                _fail = fail;
                _notYetFor = notYetFor;
            }

            public static int MaxConcurrent { get; private set; }

            public string Cloud => "Fake";

            public string DisplayName { get; }

            public OperationState State => OperationState.Running;

            public IBackupOperation Operation => this;

            public PollOutcome? Known => null;

            public async Task<PollOutcome> PollAsync(CancellationToken cancellationToken)
            {
                var now = Interlocked.Increment(ref _concurrent);
                MaxConcurrent = Math.Max(MaxConcurrent, now);
                try
                {
                    await Task.Delay(5, cancellationToken);
                    if (_clock.Elapsed < _notYetFor)
                    {
                        throw new BackupToolsException("JobNotFound", ErrorKind.NotFound, "not yet");
                    }

                    var progress = Math.Min(100, _clock.Elapsed.TotalMilliseconds * 100 / _duration.TotalMilliseconds);
                    if (progress < 100)
                    {
                        return new PollOutcome(this, OperationState.Running, progress);
                    }

                    return _fail ? new PollOutcome(this, OperationState.Failed, 100, failureReason: "boom") : new PollOutcome(this, OperationState.Succeeded, 100, "result");
                }
                finally
                {
                    Interlocked.Decrement(ref _concurrent);
                }
            }

            public bool IsNotYet(BackupToolsException error) => error.ErrorId == "JobNotFound";
        }
    }
}
