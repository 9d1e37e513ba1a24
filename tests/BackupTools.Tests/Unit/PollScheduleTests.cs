using System;
using System.Collections.Generic;
using System.Linq;
using BackupTools.Waiting;
using Xunit;

namespace BackupTools.Tests.Unit
{
    /// <summary>
    /// The poll schedule driven on a fake clock: an operation with a known true start and duration is
    /// polled wherever the schedule says, and each poll answers what the service would. No timing.
    /// </summary>
    public sealed class PollScheduleTests
    {
        private static readonly DateTimeOffset T0 = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
        private static readonly TimeSpan RoundTrip = TimeSpan.FromMilliseconds(20);

        [Fact]
        public void WholePercents_PollAtTheEarliestPlusTheBudget_ThenJustAfterTheLatest()
        {
            var options = new WaiterOptions();
            var start = T0;
            var schedule = new PollSchedule(options, start, new StartWindow(start, start));
            Assert.Equal(options.FirstPoll, schedule.Plan(start).Delay);

            // 3 % after 3 s: the finish lies between 3/0.04 = 75 s and 3/0.03 = 100 s; wider than the
            // budget (a fifth of 75 s, at most 7 s), so look at 75 + 7 s.
            schedule.Observe(new PollObservation(start.AddSeconds(3), start.AddSeconds(3), 3, start));
            var plan = schedule.Plan(start.AddSeconds(3));
            Assert.Equal(75 + 7 - 3, plan.Delay.TotalSeconds, 3);
            Assert.Contains("finish between 75 and 100 s of age", plan.Basis);
            Assert.False(plan.ExpectsFinish);

            // 84 % at 82 s: between 82/0.85 = 96.5 s and 82/0.84 = 97.6 s; tight, so just after the latest.
            schedule.Observe(new PollObservation(start.AddSeconds(82), start.AddSeconds(82), 84, start));
            plan = schedule.Plan(start.AddSeconds(82));
            Assert.Equal((82 / 0.84) + 0.25 - 82, plan.Delay.TotalSeconds, 3);
            Assert.True(plan.ExpectsFinish);

            // A narrow window from the first sample is polled once, at its far end: 7 % after 3 s is 37.5-42.9 s.
            var quick = new PollSchedule(options, start, new StartWindow(start, start));
            quick.Observe(new PollObservation(start.AddSeconds(3), start.AddSeconds(3), 7, start));
            Assert.Equal((3 / 0.07) + 0.25 - 3, quick.Plan(start.AddSeconds(3)).Delay.TotalSeconds, 3);

            // A very long operation is still looked at every MaxInterval.
            var slow = new PollSchedule(options, start, new StartWindow(start, start));
            slow.Observe(new PollObservation(start.AddSeconds(600), start.AddSeconds(600), 1, start));
            Assert.Equal(options.MaxInterval, slow.Plan(start.AddSeconds(600)).Delay);
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void CoarseStart_NeverMakesTheEstimateOvershoot(bool createTimesKnown)
        {
            // GaussDB writes the start to the whole second; the true start falls anywhere within it.
            var options = new WaiterOptions();
            foreach (var (duration, offset) in Cases())
            {
                var run = Follow(options, duration, offset, age => Math.Floor(age * 100 / duration), TimeSpan.FromSeconds(1), createTimesKnown, null);
                Assert.True(run.Late.TotalSeconds <= Allowed(options, duration), Describe(run, duration, offset));
            }
        }

        [Fact]
        public void CoarseStart_WithCreateTimes_CostsAboutAsManyPollsAsAPreciseStart()
        {
            var options = new WaiterOptions();
            var cases = Cases().ToList();
            var coarse = cases.Sum(c => Follow(options, c.Duration, c.Offset, age => Math.Floor(age * 100 / c.Duration), TimeSpan.FromSeconds(1), true, null).Polls);
            var precise = cases.Sum(c => Follow(options, c.Duration, c.Offset, age => Math.Floor(age * 100 / c.Duration), TimeSpan.Zero, true, null).Polls);
            Assert.True(coarse <= precise * 1.01, coarse + " polls with whole-second starts, " + precise + " with exact ones");
        }

        [Fact]
        public void CoarseProgressSteps_NeverMakeTheEstimateOvershoot()
        {
            // Progress in steps of 10 % (10, 20, ...): one sample of 10 % may mean anything up to 19 %.
            var options = new WaiterOptions();
            foreach (var (duration, offset) in Cases())
            {
                var run = Follow(options, duration, offset, age => Math.Floor(age * 10 / duration) * 10, TimeSpan.FromSeconds(1), true, null);
                Assert.True(run.Late.TotalSeconds <= Allowed(options, duration), Describe(run, duration, offset));
            }
        }

        [Fact]
        public void AbsentProgress_WithHistory_LooksAtTheEarliestPlausibleFinish_ThenAtSmallGaps()
        {
            var options = new WaiterOptions();
            var estimate = History(40, 42, 44);
            var run = Follow(options, 43, 0.4, _ => null, TimeSpan.FromSeconds(1), true, estimate);

            // The earliest plausible finish is the shortest earlier run less the spread and the times'
            // second: 40 x 0.85 - 1 = 33 s; the first look goes the lateness budget (a fifth) after it.
            Assert.Equal(33 * 1.2, run.PollAges[0], 1);
            Assert.Contains("after the earliest plausible finish (33 s)", run.Plans[0].Basis);
            Assert.Contains("3 earlier backup(s) of instance X: 40-44 s", run.Plans[0].Basis);
            for (var i = 1; i < run.PollAges.Count; i++)
            {
                var gap = run.PollAges[i] - run.PollAges[i - 1];
                Assert.True(gap <= (options.EstimateGapFraction * run.PollAges[i - 1]) + 0.1, "gap " + gap + " after " + run.PollAges[i - 1]);
            }

            Assert.True(run.Late.TotalSeconds <= options.EstimateGapFraction * 43 + 0.1, run.Late.ToString());
            Assert.Contains("no progress reported", run.Plans.Last().Basis);
        }

        [Fact]
        public void AbsentProgress_WithoutHistory_GapsAreAFractionOfTheAge_NeverMoreThanTheCap()
        {
            var options = new WaiterOptions();
            var run = Follow(options, 900, 0, _ => null, TimeSpan.FromSeconds(1), true, null);
            Assert.Equal(options.FirstPoll.TotalSeconds, run.PollAges[0], 1);
            for (var i = 1; i < run.PollAges.Count; i++)
            {
                var gap = run.PollAges[i] - run.PollAges[i - 1];
                var expected = Math.Min(options.MaxNoSignalInterval.TotalSeconds, Math.Max(options.MinInterval.TotalSeconds, options.NoHistoryGapFraction * run.PollAges[i - 1]));
                Assert.Equal(expected, gap, 0);
            }

            Assert.Contains("no earlier runs known", run.Plans.Last().Basis);
        }

        [Fact]
        public void ProgressGoingBackwards_IsNotTrusted_AndHistoryTakesOver()
        {
            var options = new WaiterOptions();
            var schedule = new PollSchedule(options, T0, new StartWindow(T0, T0));
            schedule.UseHistory(History(100, 110));
            schedule.Observe(new PollObservation(T0.AddSeconds(3), T0.AddSeconds(3), 40, T0));
            schedule.Observe(new PollObservation(T0.AddSeconds(10), T0.AddSeconds(10), 30, T0));

            Assert.Contains("went back from 40 % to 30 %", schedule.ProgressDistrusted);
            var plan = schedule.Plan(T0.AddSeconds(10));
            Assert.Contains("earliest plausible finish", plan.Basis);
            Assert.Equal((100 * 0.85) - 1 + 7 - 10, plan.Delay.TotalSeconds, 3);

            // Later progress, however good it looks, is not used again.
            schedule.Observe(new PollObservation(T0.AddSeconds(84), T0.AddSeconds(84), 95, T0));
            Assert.Contains("went back", schedule.Plan(T0.AddSeconds(84)).Basis);
        }

        [Fact]
        public void StuckProgress_IsNotTrusted_AndTheOperationIsStillSeenFinishing()
        {
            // Progress runs evenly to 50 % at 20 s, then stays there; the backup ends at 70 s.
            var options = new WaiterOptions();
            Func<double, double?> stuck = age => Math.Min(50, Math.Floor(age * 100 / 40));
            var run = Follow(options, 70, 0.3, stuck, TimeSpan.FromSeconds(1), true, History(38, 40, 41));

            Assert.Contains(run.Plans, p => p.Basis.StartsWith("progress stayed at 50 %", StringComparison.Ordinal) || p.Basis.StartsWith("still running", StringComparison.Ordinal));
            Assert.True(run.Late.TotalSeconds <= options.EstimateGapFraction * 70 + 0.1, run.Late.ToString());
            Assert.True(run.Polls < 30, run.Polls.ToString());
        }

        [Fact]
        public void JumpingProgress_IsNotTrusted()
        {
            var options = new WaiterOptions();
            var schedule = new PollSchedule(options, T0, new StartWindow(T0, T0));
            schedule.Observe(new PollObservation(T0.AddSeconds(10), T0.AddSeconds(10), 10, T0));
            schedule.Observe(new PollObservation(T0.AddSeconds(12), T0.AddSeconds(12), 90, T0));

            Assert.Contains("jumped to 90 %", schedule.ProgressDistrusted);
            Assert.Contains("no earlier runs known", schedule.Plan(T0.AddSeconds(12)).Basis);
        }

        [Fact]
        public void ZeroPercent_IsNoSignal_NotADistrust()
        {
            var schedule = new PollSchedule(new WaiterOptions(), T0, new StartWindow(T0, T0));
            schedule.Observe(new PollObservation(T0.AddSeconds(3), T0.AddSeconds(3), 0, T0));
            Assert.Null(schedule.ProgressDistrusted);
            Assert.StartsWith("0 % reported", schedule.Plan(T0.AddSeconds(3)).Basis);
        }

        [Fact]
        public void StartWindow_TheCreateNarrowsTheServiceSecond_AndWinsWhenTheClocksDisagree()
        {
            var create = StartWindow.FromCreate(T0.AddMilliseconds(400), T0.AddMilliseconds(450));
            var service = StartWindow.FromService(T0, TimeSpan.FromSeconds(1));
            Assert.Equal(T0.AddMilliseconds(-500), service.Earliest);
            Assert.Equal(T0.AddSeconds(1), service.Latest);

            var both = StartWindow.Combine(create, service)!.Value;
            Assert.Equal(T0.AddMilliseconds(400), both.Earliest);
            Assert.Equal(T0.AddMilliseconds(450), both.Latest);

            // The service's clock is 10 s ahead: the create's own window is kept.
            var skewed = StartWindow.Combine(create, StartWindow.FromService(T0.AddSeconds(10), TimeSpan.FromSeconds(1)))!.Value;
            Assert.Equal(create!.Value.Latest, skewed.Latest);
            Assert.Null(StartWindow.FromCreate(null, T0));
        }

        [Fact]
        public void DurationEstimate_ScalesEarlierRunsToTheLatestSize()
        {
            var runs = new[]
            {
                new PastRun(T0, T0.AddSeconds(40), 1000, TimeSpan.FromSeconds(1)),
                new PastRun(T0.AddDays(1), T0.AddDays(1).AddSeconds(80), 2000, TimeSpan.FromSeconds(1)),
            };
            var estimate = DurationEstimate.From(runs, "instance X", 0.15)!;

            // Both runs say 80 s at today's 2000 MB.
            Assert.Equal((80 * 0.85) - 1, estimate.Earliest.TotalSeconds, 3);
            Assert.Equal((80 * 1.15) + 1, estimate.Latest.TotalSeconds, 3);
            Assert.Contains("1000-2000 MB", estimate.Basis);
            Assert.Null(DurationEstimate.From(new PastRun[0], "instance X", 0.15));
        }

        /// <summary>Durations from 20 s to 6 min, and where in its second the operation started.</summary>
        private static IEnumerable<(double Duration, double Offset)> Cases()
        {
            for (var d = 20.0; d <= 360; d += 7.3)
            {
                foreach (var offset in new[] { 0.0, 0.31, 0.77, 0.99 })
                {
                    yield return (d, offset);
                }
            }
        }

        /// <summary>How late a look may come: the lateness budget, the margin, and the round trip.</summary>
        private static double Allowed(WaiterOptions o, double duration) =>
            Math.Min(o.MaxLateness.TotalSeconds, Math.Max(o.MinInterval.TotalSeconds, o.LatenessFraction * duration)) + o.FinishMargin.TotalSeconds + 0.1;

        private static DurationEstimate History(params double[] seconds) =>
            DurationEstimate.From(seconds.Select((s, i) => new PastRun(T0.AddDays(-1 - i), T0.AddDays(-1 - i).AddSeconds(s), null, TimeSpan.FromSeconds(1))), "instance X", 0.15)!;

        private static string Describe(Run run, double duration, double offset) =>
            $"duration {duration} s, start offset {offset} s: {run.Late.TotalSeconds:0.00} s late after polls at {string.Join(", ", run.PollAges.Select(a => a.ToString("0.00")))}; {string.Join(" | ", run.Plans.Select(p => p.Basis))}";

        /// <summary>
        /// Follows an operation that truly started at T0 + <paramref name="offset"/> and takes
        /// <paramref name="duration"/> s. The service answers half way through each round trip with
        /// <paramref name="progressAt"/>(age) and its start cut to <paramref name="resolution"/>.
        /// </summary>
        private static Run Follow(WaiterOptions options, double duration, double offset, Func<double, double?> progressAt, TimeSpan resolution, bool createTimesKnown, DurationEstimate? estimate)
        {
            var start = T0.AddSeconds(offset);
            var serviceStart = resolution > TimeSpan.Zero ? new DateTimeOffset(start.UtcTicks - (start.UtcTicks % resolution.Ticks), TimeSpan.Zero) : start;
            var now = start.AddMilliseconds(30);
            var schedule = new PollSchedule(options, now, createTimesKnown ? new StartWindow(start.AddMilliseconds(-25), start.AddMilliseconds(30)) : (StartWindow?)null);
            schedule.UseHistory(estimate);
            var run = new Run();
            for (var i = 0; i < 1000; i++)
            {
                var plan = schedule.Plan(now);
                run.Plans.Add(plan);
                now += plan.Delay;
                var measured = now + TimeSpan.FromTicks(RoundTrip.Ticks / 2);
                var age = (measured - start).TotalSeconds;
                run.PollAges.Add((now - start).TotalSeconds);
                run.Polls++;
                if (age >= duration)
                {
                    run.Late = measured - start.AddSeconds(duration);
                    return run;
                }

                var answered = now + RoundTrip;
                schedule.Observe(new PollObservation(now, answered, progressAt(age), serviceStart, resolution));
                now = answered;
            }

            throw new InvalidOperationException("not finished after 1000 polls");
        }

        private sealed class Run
        {
            public int Polls { get; set; }

            public TimeSpan Late { get; set; }

            public List<double> PollAges { get; } = new List<double>();

            public List<PollPlan> Plans { get; } = new List<PollPlan>();
        }
    }
}
