using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using BackupTools.Gauss;
using BackupTools.Waiting;

namespace BackupTools.Bench
{
    /// <summary>
    /// dotnet run -c Release --project bench/BackupTools.Bench -- schedules [--ops 200] [--seed 42]
    ///
    /// Every poller on the same operations, on simulated time, so whole seconds, minutes-long backups
    /// and many conditions cost milliseconds and nothing is compressed. Our waiter is the module's own
    /// <see cref="PollSchedule"/> and <see cref="DurationEstimate"/>, fed the way FleetWaiter feeds them
    /// (create dated on this machine's clock, history read first, then plan/poll/observe); the services
    /// are modelled as the emulator serves them: Spanner's progress in whole percents with a precise
    /// start; GaussDB's job invisible for its first second, its start written to the whole second, its
    /// process in whole percents, in 10 % steps or absent, and GaussBackupProbe's requests: the job while
    /// its percentage is low, then the backup itself (its final state in one answer), and a read-back of
    /// the backup when it was the job that completed (one more request). Each request takes a 20 ms round trip, the service answering half
    /// way. Baselines poll on fixed schedules and count one request per poll (no read-back: in their
    /// favour). Fleets: each condition is 200 operations on as many instances (GaussDB) sharing one
    /// project, whose list (3 automated backups per instance with history) is read once and shared.
    /// </summary>
    public static class ScheduleSim
    {
        private const int HistoryRuns = 3;

        /// <summary>How much one backup of an instance differs from another (each side, uniform).</summary>
        private const double RunJitter = 0.10;

        private static readonly TimeSpan RoundTrip = TimeSpan.FromMilliseconds(20);
        private static readonly TimeSpan JobVisibleAfter = TimeSpan.FromSeconds(1);
        private static readonly DateTimeOffset Epoch = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

        public enum Progress
        {
            WholePercent,
            TenPercentSteps,
            Absent,
        }

        /// <summary>BT_SIM_TRACE=1: our waiter's plans for every operation, on stderr.</summary>
        private static readonly bool Trace = Environment.GetEnvironmentVariable("BT_SIM_TRACE") == "1";

        public static void Run(int ops, int seed, WaiterOptions? options = null)
        {
            options ??= new WaiterOptions();
            var conditions = new[]
            {
                new Condition("Spanner", false, Progress.WholePercent, false, true),
                new Condition("GaussDB", true, Progress.WholePercent, true, true),
                new Condition("GaussDB", true, Progress.WholePercent, false, true),
                new Condition("GaussDB", true, Progress.WholePercent, false, false),
                new Condition("GaussDB", true, Progress.TenPercentSteps, true, true),
                new Condition("GaussDB", true, Progress.Absent, true, true),
                new Condition("GaussDB", true, Progress.Absent, false, true),
            };
            var pollers = new (string Name, Func<IEnumerable<double>> Schedule)[]
            {
                ("gcloud (1 s, then 2 s x1.4, max 180 s)", () => Geometric(1, 2, 1.4, 180)),
                ("Google client (20 s, 30 s x1.5, max 45 s)", () => Geometric(20, 30, 1.5, 45)),
                ("Huawei Terraform (every 10 s)", () => Geometric(10, 10, 1, 10)),
            };

            Console.WriteLine($"## Waiting, simulated time: {ops} operations per condition (seed {seed}), 20 ms round trip");
            Console.WriteLine();
            Console.WriteLine("| durations | cloud | start dated by | progress | history | poller | requests / op | delay p50 (s) | p95 (s) | max (s) | requests vs gcloud (target <= 0.33) | p95 vs Google client (target <= 0.20) |");
            Console.WriteLine("|---|---|---|---|---|---|---:|---:|---:|---:|---:|---:|");
            foreach (var (label, min, max) in new[] { ("short (20-60 s)", 20.0, 60.0), ("long (2-6 min)", 120.0, 360.0) })
            {
                var random = new Random(seed);
                var fleet = Enumerable.Range(0, ops).Select(_ => Operation.Draw(random, min, max)).ToList();
                foreach (var condition in conditions)
                {
                    var baseline = pollers.Select(p => Measure(fleet.Select(op => Baseline(op, condition, p.Schedule())))).ToList();
                    var ours = Measure(fleet.Select(op => Ours(op, condition, options, HistoryShare(condition, ops))));
                    var gcloud = baseline[0];
                    var google = baseline[1];
                    Row(label, condition, "**BackupTools waiter**", ours, gcloud, google);
                    for (var i = 0; i < pollers.Length; i++)
                    {
                        Row(label, condition, pollers[i].Name, baseline[i], gcloud, google);
                    }
                }
            }

            Console.WriteLine();
            Console.WriteLine("Delay: when the poller had the final answer minus when the backup finished. Requests: every request made for the operation, including GaussDB's not-yet answers, its share of the history list and the read-back.");
            Console.WriteLine();
        }

        /// <summary>
        /// Where a condition leaves no setting that meets both targets: GaussDB without process, with and
        /// without history, for a range of gap fractions (requests fall as gaps grow, delay rises).
        /// </summary>
        public static void Sweep(int ops, int seed)
        {
            Console.WriteLine("## No progress: the gap fraction's trade-off (simulated, GaussDB, same fleets)");
            Console.WriteLine();
            Console.WriteLine("| durations | history | gaps (fraction of the age) | requests / op | delay p95 (s) | requests vs gcloud (target <= 0.33) | p95 vs Google client (target <= 0.20) |");
            Console.WriteLine("|---|---|---:|---:|---:|---:|---:|");
            foreach (var (label, min, max) in new[] { ("short (20-60 s)", 20.0, 60.0), ("long (2-6 min)", 120.0, 360.0) })
            {
                var random = new Random(seed);
                var fleet = Enumerable.Range(0, ops).Select(_ => Operation.Draw(random, min, max)).ToList();
                foreach (var history in new[] { true, false })
                {
                    var condition = new Condition("GaussDB", true, Progress.Absent, history, true);
                    var gcloud = Measure(fleet.Select(op => Baseline(op, condition, Geometric(1, 2, 1.4, 180))));
                    var google = Measure(fleet.Select(op => Baseline(op, condition, Geometric(20, 30, 1.5, 45))));
                    foreach (var fraction in history ? new[] { 0.02, 0.05, 0.1, 0.2, 0.4 } : new[] { 0.05, 0.1, 0.25, 0.5, 1.0, 2.0 })
                    {
                        var options = history ? new WaiterOptions { EstimateGapFraction = fraction } : new WaiterOptions { NoHistoryGapFraction = fraction };
                        var ours = Measure(fleet.Select(op => Ours(op, condition, options, HistoryShare(condition, ops))));
                        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "| {0} | {1} | {2:0.##} | {3:0.00} | {4:0.0} | {5:0.00} | {6:0.00} |", label, history ? HistoryRuns + " runs" : "none", fraction, ours.Requests, ours.P95, ours.Requests / gcloud.Requests, ours.P95 / google.P95));
                    }
                }
            }

            Console.WriteLine();
        }

        private static void Row(string label, Condition c, string poller, Result r, Result gcloud, Result google)
        {
            var requestRatio = r.Requests / gcloud.Requests;
            var delayRatio = google.P95 > 0 ? r.P95 / google.P95 : 0;
            var ours = poller.StartsWith("**", StringComparison.Ordinal);
            string Mark(double ratio, double target) => ours ? string.Format(CultureInfo.InvariantCulture, "**{0:0.00}** {1}", ratio, ratio <= target ? "yes" : "no") : ratio.ToString("0.00", CultureInfo.InvariantCulture);
            Console.WriteLine(string.Format(
                CultureInfo.InvariantCulture,
                "| {0} | {1} | {2} | {3} | {4} | {5} | {6:0.00} | {7:0.0} | {8:0.0} | {9:0.0} | {10} | {11} |",
                label,
                c.Cloud,
                c.CreateTimes ? "create round trip" + (c.WholeSeconds ? " + whole s" : " + exact") : "whole s only",
                c.Progress == Progress.WholePercent ? "whole %" : c.Progress == Progress.TenPercentSteps ? "10 % steps" : "absent",
                c.Cloud == "Spanner" ? "-" : c.History ? HistoryRuns + " runs" : "none",
                poller,
                r.Requests,
                r.P50,
                r.P95,
                r.Max,
                Mark(requestRatio, 1.0 / 3),
                Mark(delayRatio, 0.2)));
        }

        /// <summary>The history list's requests, shared by the condition's fleet: every instance's backups (history and the running one) in pages of 100.</summary>
        private static double HistoryShare(Condition c, int ops)
        {
            if (!c.WholeSeconds)
            {
                return 0;
            }

            var backups = ops * ((c.History ? HistoryRuns : 0) + 1);
            var pages = (int)Math.Ceiling(backups / 100.0);
            // The whole project when that costs no more than one list per instance; else the first page and one list per instance.
            return pages <= Math.Max(GaussBackupHistory.MaxProjectPages, ops) ? pages / (double)ops : 1 + (1.0 / ops);
        }

        /// <summary>Our waiter on one operation: what FleetWaiter does, on a simulated clock.</summary>
        private static (int Requests, double Delay) Ours(Operation op, Condition c, WaiterOptions options, double historyShare)
        {
            var sent = Epoch + TimeSpan.FromSeconds(op.SentWithinSecond);
            var start = sent + TimeSpan.FromTicks((long)(RoundTrip.Ticks * op.StartWithinRoundTrip));
            var answered = sent + RoundTrip;
            var finish = start + TimeSpan.FromSeconds(op.Duration);
            var serviceStart = c.WholeSeconds ? new DateTimeOffset(start.UtcTicks - (start.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero) : start;
            var resolution = c.WholeSeconds ? GaussBackupProbe.TimeResolution : TimeSpan.Zero;
            var now = answered;
            var schedule = new PollSchedule(options, now, c.CreateTimes ? StartWindow.FromCreate(sent, answered) : null);
            double requests = 0;
            var jobSaysNothingMore = false;
            if (c.WholeSeconds)
            {
                // The history is read first (shared by the fleet); then the first poll is planned.
                requests += historyShare;
                now += RoundTrip;
                var runs = c.History ? op.History.Select(d => Run(d.Began, d.Duration)).ToList() : new List<PastRun>();
                schedule.UseHistory(DurationEstimate.From(runs, "instance", options.HistorySpread));
            }

            for (var i = 0; i < 100000; i++)
            {
                var plan = schedule.Plan(now);
                if (Trace)
                {
                    Console.Error.WriteLine($"  {(now - start).TotalSeconds:0.00}s (T={op.Duration:0.0}): +{plan.Delay.TotalSeconds:0.00}s {plan.Basis}");
                }

                now += plan.Delay;
                requests++;
                var readBackup = c.WholeSeconds && (jobSaysNothingMore || plan.ExpectsFinish);
                var measured = now + TimeSpan.FromTicks(RoundTrip.Ticks / 2);
                if (c.WholeSeconds && measured - start < JobVisibleAfter)
                {
                    now += RoundTrip;
                    schedule.ObserveNotYet();
                    continue;
                }

                if (measured >= finish)
                {
                    var seen = now + RoundTrip;
                    if (c.WholeSeconds && !readBackup)
                    {
                        // The job completed: the backup is read back for its final state.
                        requests++;
                        seen += RoundTrip;
                    }

                    return ((int)Math.Round(requests * 100), (seen - finish).TotalSeconds);
                }

                var fraction = (measured - start).TotalSeconds / op.Duration;
                double? progress = c.Progress == Progress.WholePercent ? Math.Floor(fraction * 100)
                    : c.Progress == Progress.TenPercentSteps ? Math.Floor(fraction * 10) * 10
                    : (double?)null;
                if (readBackup)
                {
                    // GaussBackupProbe read the backup itself: no percentage in that answer.
                    progress = null;
                }
                else if (c.WholeSeconds)
                {
                    jobSaysNothingMore |= !progress.HasValue;
                }

                schedule.Observe(new PollObservation(now, now + RoundTrip, progress, serviceStart, resolution));
                now += RoundTrip;
            }

            throw new InvalidOperationException("never finished");
        }

        private static PastRun Run(DateTimeOffset began, double duration)
        {
            // Written to the whole second, as GaussDB lists them.
            var ended = began + TimeSpan.FromSeconds(duration);
            return new PastRun(Truncate(began), Truncate(ended), 2048, GaussBackupProbe.TimeResolution);
        }

        private static DateTimeOffset Truncate(DateTimeOffset t) => new DateTimeOffset(t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

        /// <summary>A fixed schedule: polls at these times after the create's answer; one request each (plus GaussDB's not-yet answers, which are polls too).</summary>
        private static (int Requests, double Delay) Baseline(Operation op, Condition c, IEnumerable<double> schedule)
        {
            var start = op.StartWithinRoundTrip * RoundTrip.TotalSeconds;
            var answered = RoundTrip.TotalSeconds;
            var requests = 0;
            foreach (var at in schedule)
            {
                requests++;
                var measured = answered + at + (RoundTrip.TotalSeconds / 2);
                if (measured - start >= op.Duration)
                {
                    return (requests * 100, measured + (RoundTrip.TotalSeconds / 2) - start - op.Duration);
                }
            }

            throw new InvalidOperationException("never finished");
        }

        /// <summary>Poll times: first, then gaps from second growing by multiplier up to max.</summary>
        private static IEnumerable<double> Geometric(double first, double second, double multiplier, double max)
        {
            var at = first;
            var gap = second;
            while (true)
            {
                yield return at;
                at += gap;
                gap = Math.Min(gap * multiplier, max);
            }
        }

        private static Result Measure(IEnumerable<(int Requests, double Delay)> runs)
        {
            var list = runs.ToList();
            var delays = list.Select(r => r.Delay).OrderBy(d => d).ToArray();
            double At(double p) => delays[Math.Min(delays.Length - 1, (int)Math.Ceiling(p * delays.Length) - 1)];
            return new Result(list.Average(r => r.Requests / 100.0), At(0.5), At(0.95), delays.Last());
        }

        private sealed class Condition
        {
            public Condition(string cloud, bool wholeSeconds, Progress progress, bool history, bool createTimes)
            {
                Cloud = cloud;
                WholeSeconds = wholeSeconds;
                Progress = progress;
                History = history;
                CreateTimes = createTimes;
            }

            public string Cloud { get; }

            /// <summary>GaussDB: times to the whole second, a job that appears after a second, history, a read-back.</summary>
            public bool WholeSeconds { get; }

            public Progress Progress { get; }

            public bool History { get; }

            /// <summary>The operation came from a create in this session (not a hand-built or listed object).</summary>
            public bool CreateTimes { get; }
        }

        private sealed class Operation
        {
            public double Duration { get; private set; }

            /// <summary>Where in a second the create was sent: GaussDB cuts the start to that second.</summary>
            public double SentWithinSecond { get; private set; }

            /// <summary>Where in the create's round trip the service started it (0..1).</summary>
            public double StartWithinRoundTrip { get; private set; }

            public List<(DateTimeOffset Began, double Duration)> History { get; } = new List<(DateTimeOffset, double)>();

            /// <summary>An instance's typical duration, this run's and its earlier runs' (each within ±10 % of it), and where its start falls in a second.</summary>
            public static Operation Draw(Random random, double min, double max)
            {
                var typical = min + (random.NextDouble() * (max - min));
                double Jittered() => typical * (1 - RunJitter + (2 * RunJitter * random.NextDouble()));
                var op = new Operation { Duration = Jittered(), StartWithinRoundTrip = random.NextDouble(), SentWithinSecond = random.NextDouble() };
                for (var i = 1; i <= HistoryRuns; i++)
                {
                    op.History.Add((Epoch.AddDays(-i).AddSeconds(random.NextDouble() * 3600), Jittered()));
                }

                return op;
            }
        }

        private sealed class Result
        {
            public Result(double requests, double p50, double p95, double max)
            {
                Requests = requests;
                P50 = p50;
                P95 = p95;
                Max = max;
            }

            public double Requests { get; }

            public double P50 { get; }

            public double P95 { get; }

            public double Max { get; }
        }
    }
}
