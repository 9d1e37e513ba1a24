using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BackupTools.Errors;
using BackupTools.Spanner;
using BackupTools.Waiting;

namespace BackupTools.Bench
{
    /// <summary>When a poller saw each operation finish, and how many polls it took.</summary>
    public sealed class PollRecord
    {
        public string Name { get; set; } = string.Empty;

        public DateTimeOffset SeenDone { get; set; }

        public DateTimeOffset? CompletedAt { get; set; }

        public int Polls;

        /// <summary>(seconds since waiting began, progress) of each poll, for --worst.</summary>
        public System.Collections.Concurrent.ConcurrentQueue<(double At, double? Progress)> Timeline { get; } = new System.Collections.Concurrent.ConcurrentQueue<(double, double?)>();
    }

    public interface IPoller
    {
        string Name { get; }

        Task<IReadOnlyList<PollRecord>> WaitAllAsync(SpannerClient client, IReadOnlyList<SpannerBackupOperation> operations, CancellationToken ct);
    }

    /// <summary>Fixed-schedule pollers, one loop per operation, as the baselines poll: first delay, then a geometric series with a cap.</summary>
    public sealed class GeometricPoller : IPoller
    {
        private readonly TimeSpan _first;
        private readonly TimeSpan _second;
        private readonly double _multiplier;
        private readonly TimeSpan _max;

        public GeometricPoller(string name, TimeSpan first, TimeSpan second, double multiplier, TimeSpan max)
        {
            Name = name;
            _first = first;
            _second = second;
            _multiplier = multiplier;
            _max = max;
        }

        public string Name { get; }

        public async Task<IReadOnlyList<PollRecord>> WaitAllAsync(SpannerClient client, IReadOnlyList<SpannerBackupOperation> operations, CancellationToken ct)
        {
            var records = await Task.WhenAll(operations.Select(op => Task.Run(async () =>
            {
                var record = new PollRecord { Name = op.Name };
                var delay = _first;
                var next = _second;
                while (true)
                {
                    await Task.Delay(delay, ct);
                    record.Polls++;
                    var fresh = await client.GetOperationAsync(op.Name, ct);
                    if (fresh.Done)
                    {
                        record.SeenDone = DateTimeOffset.UtcNow;
                        record.CompletedAt = fresh.EndTime;
                        return record;
                    }

                    delay = next;
                    next = TimeSpan.FromTicks(Math.Min((long)(next.Ticks * _multiplier), _max.Ticks));
                }
            }, ct)));
            return records;
        }
    }

    /// <summary>Ours: the module's FleetWaiter with the Spanner probe, exactly as Wait-BackupOperation runs it.</summary>
    public sealed class FleetPoller : IPoller, IWaitObserver
    {
        private readonly WaiterOptions _options;
        private readonly ConcurrentDictionary<string, PollRecord> _records = new ConcurrentDictionary<string, PollRecord>();

        public FleetPoller(WaiterOptions options, string name = "BackupTools waiter")
        {
            _options = options;
            Name = name;
        }

        public string Name { get; }

        public async Task<IReadOnlyList<PollRecord>> WaitAllAsync(SpannerClient client, IReadOnlyList<SpannerBackupOperation> operations, CancellationToken ct)
        {
            _records.Clear();
            CountingProbe.Started = DateTimeOffset.UtcNow;
            using var waiter = new FleetWaiter(_options, this, ct);
            foreach (var op in operations)
            {
                _records[op.Name] = new PollRecord { Name = op.Name };
                waiter.Add(new CountingProbe(new SpannerOperationProbe(client, op), _records[op.Name]));
            }

            var unfinished = await waiter.WhenAllAsync(ct);
            if (unfinished.Count > 0)
            {
                throw new InvalidOperationException(unfinished.Count + " unfinished");
            }

            return _records.Values.ToList();
        }

        public void OnProgress(IOperationProbe probe, PollOutcome outcome)
        {
        }

        public void OnFinished(IOperationProbe probe, PollOutcome outcome)
        {
            var record = ((CountingProbe)probe).Record;
            record.SeenDone = DateTimeOffset.UtcNow;
            record.CompletedAt = ((SpannerBackupOperation)outcome.Operation).EndTime;
        }

        public void OnPollFailed(IOperationProbe probe, BackupToolsException error) => Console.Error.WriteLine("poll failed: " + error.Message);

        private sealed class CountingProbe : IOperationProbe
        {
            private readonly IOperationProbe _inner;

            public CountingProbe(IOperationProbe inner, PollRecord record)
            {
                _inner = inner;
                Record = record;
            }

            public PollRecord Record { get; }

            public IBackupOperation Operation => _inner.Operation;

            public PollOutcome? Known => _inner.Known;

            public async Task<PollOutcome> PollAsync(CancellationToken cancellationToken)
            {
                Interlocked.Increment(ref Record.Polls);
                var outcome = await _inner.PollAsync(cancellationToken);
                Record.Timeline.Enqueue(((DateTimeOffset.UtcNow - Started).TotalSeconds, outcome.ProgressPercent));
                return outcome;
            }

            public static DateTimeOffset Started { get; set; } = DateTimeOffset.UtcNow;

            public bool IsNotYet(BackupToolsException error) => _inner.IsNotYet(error);
        }
    }
}
