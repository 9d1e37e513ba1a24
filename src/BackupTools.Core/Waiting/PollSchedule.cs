using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace BackupTools.Waiting
{
    /// <summary>What one poll of a running operation said, dated on this machine's clock.</summary>
    public readonly struct PollObservation
    {
        public PollObservation(DateTimeOffset sentAt, DateTimeOffset answeredAt, double? progressPercent, DateTimeOffset? serviceStart = null, TimeSpan serviceStartResolution = default)
        {
            SentAt = sentAt;
            AnsweredAt = answeredAt;
            ProgressPercent = progressPercent;
            ServiceStart = serviceStart;
            ServiceStartResolution = serviceStartResolution;
        }

        /// <summary>When the poll was sent: the service measured its progress no earlier.</summary>
        public DateTimeOffset SentAt { get; }

        /// <summary>When the answer came: the service measured no later.</summary>
        public DateTimeOffset AnsweredAt { get; }

        public double? ProgressPercent { get; }

        /// <summary>When the service says the operation started, on its clock.</summary>
        public DateTimeOffset? ServiceStart { get; }

        /// <summary>How coarsely the service writes that time (GaussDB: 1 s; Spanner: 0, nanoseconds).</summary>
        public TimeSpan ServiceStartResolution { get; }
    }

    /// <summary>When to poll next, and why (the -Debug text).</summary>
    public readonly struct PollPlan
    {
        public PollPlan(TimeSpan delay, string basis, bool expectsFinish = false)
        {
            Delay = delay;
            Basis = basis;
            ExpectsFinish = expectsFinish;
        }

        public TimeSpan Delay { get; }

        /// <summary>The poll goes where the operation must be finished by its progress: a probe may ask for the final state directly.</summary>
        public bool ExpectsFinish { get; }

        public string Basis { get; }
    }

    /// <summary>
    /// When to poll one operation next. Pure and clock-free (every call is given the time), so it can
    /// be tested and benchmarked alone: the waiter feeds it what each poll said and asks for a plan.
    ///
    /// With progress: the service reports whole percents p (or coarser steps q) and the operation's
    /// start lies in a known window, so one sample bounds the finish: between the latest start plus the
    /// earliest possible age over (p+q)/100, and the earliest start plus the latest possible age over
    /// p/100. When that window is no wider than the lateness budget (a fifth of the duration, at most
    /// <see cref="WaiterOptions.MaxLateness"/>) the next poll goes at its far end, where the operation
    /// must be finished; otherwise at the near end plus the budget: either the operation is finished
    /// then (seen within the budget) or the new sample, taken late, is tight.
    ///
    /// Progress that goes backwards, stays put or jumps so that the samples' windows no longer overlap,
    /// or that is still short of done several polls past its latest finish, is not trusted any more.
    /// Then, and when there is none, the estimate comes from earlier runs (<see cref="DurationEstimate"/>):
    /// a look at the earliest plausible finish plus the budget, then gaps that are a small fraction of
    /// the age, capped.
    /// Without history the gaps are a larger fraction of the age: nothing else is known.
    /// </summary>
    public sealed class PollSchedule
    {
        /// <summary>Samples' windows may miss each other by this fraction of the age (progress is not perfectly even) before they count as disagreeing.</summary>
        private const double ConsistencyTolerance = 0.05;

        /// <summary>Polls past the latest finish the progress allowed before the progress stops being trusted.</summary>
        private const int MaxOverduePolls = 4;

        /// <summary>Coarse steps a service might report in; a step is assumed only when every percent seen is a multiple of it.</summary>
        private static readonly int[] CoarseSteps = { 25, 10, 5 };

        private readonly WaiterOptions _options;
        private readonly StartWindow? _createWindow;
        private readonly DateTimeOffset _followedSince;
        private readonly List<int> _percents = new List<int>();
        private StartWindow? _start;
        private DurationEstimate? _estimate;
        private int _observations;
        private bool _lastNotYet;
        private double? _lastProgress;
        private double _highest;
        private double? _lastTrusted;
        private string? _distrust;
        private int _overduePolls;

        /// <summary>Where the finish lies by the trusted samples, or null when the last poll gave none to aim by.</summary>
        private FinishWindow? _finish;

        /// <summary>What every trusted sample allows (with steps of 10 %, each step's crossing narrows it).</summary>
        private FinishWindow? _agreed;

        /// <param name="followedSince">When waiting on this operation began: its age's lower bound when no start is known.</param>
        /// <param name="createWindow">When this session sent the create and had its answer, if it did.</param>
        public PollSchedule(WaiterOptions options, DateTimeOffset followedSince, StartWindow? createWindow = null)
        {
            _options = options;
            _followedSince = followedSince;
            _createWindow = createWindow;
            _start = createWindow;
        }

        /// <summary>Why the service's progress is no longer used, or null while it is.</summary>
        public string? ProgressDistrusted => _distrust;

        /// <summary>The start window as now known (the create's, narrowed by the service's word).</summary>
        public StartWindow? Start => _start;

        public DurationEstimate? Estimate => _estimate;

        public void UseHistory(DurationEstimate? estimate) => _estimate = estimate;

        /// <summary>True when the progress gives nothing to aim by (distrusted, or the last poll had none) and no estimate is known.</summary>
        public bool WantsEstimate => _estimate == null && _observations > 0 && (_distrust != null || (!_lastNotYet && !_lastProgress.HasValue));

        /// <summary>The service does not show the operation yet (GaussDB's job, right after the create).</summary>
        public void ObserveNotYet()
        {
            _observations++;
            _lastNotYet = true;
            _lastProgress = null;
            _finish = null;
        }

        public void Observe(PollObservation poll)
        {
            _observations++;
            _lastNotYet = false;
            if (poll.ServiceStart.HasValue)
            {
                _start = StartWindow.Combine(_createWindow, StartWindow.FromService(poll.ServiceStart.Value, poll.ServiceStartResolution));
            }

            var p = poll.ProgressPercent;
            if (!p.HasValue && _finish.HasValue)
            {
                // A poll without a percentage (GaussDB's backup read near the end) does not contradict
                // the window the last percentage gave: keep aiming by it.
                return;
            }

            _lastProgress = p;
            _finish = null;
            if (!p.HasValue || p.Value <= 0 || _distrust != null)
            {
                return;
            }

            if (p.Value < _highest)
            {
                Distrust(string.Format(CultureInfo.InvariantCulture, "progress went back from {0:0.#} % to {1:0.#} %", _highest, p.Value));
                return;
            }

            if (p.Value > _highest)
            {
                _overduePolls = 0;
            }

            _highest = p.Value;
            if (p.Value >= 100 || !_start.HasValue)
            {
                return;
            }

            var whole = Math.Floor(p.Value);
            if (whole == p.Value)
            {
                _percents.Add((int)whole);
            }

            var step = whole == p.Value ? Step() : 1;
            var window = FinishWindow.Of(_start.Value, poll.SentAt, poll.AnsweredAt, p.Value / 100, Math.Min(1, (whole + step) / 100));
            if (_agreed.HasValue)
            {
                var both = _agreed.Value.Intersect(window);
                var stuck = _lastTrusted == p.Value;

                // Uneven progress is tolerated; the same figure again where the rate says it must have moved on is not.
                var tolerance = stuck ? TimeSpan.Zero : TimeSpan.FromTicks((long)((poll.AnsweredAt - _start.Value.Earliest).Ticks * ConsistencyTolerance));
                if (both.Earliest - both.Latest > tolerance)
                {
                    Distrust(stuck
                        ? string.Format(CultureInfo.InvariantCulture, "progress stayed at {0:0.#} % for longer than its rate allows", p.Value)
                        : string.Format(CultureInfo.InvariantCulture, "progress jumped to {0:0.#} %, which does not fit the earlier samples' rate", p.Value));
                    return;
                }

                _agreed = both.Earliest <= both.Latest ? both : window;
            }
            else
            {
                _agreed = window;
            }

            _lastTrusted = p.Value;
            _finish = _agreed;
        }

        /// <summary>The next poll, given that it is now <paramref name="now"/> (this machine's clock).</summary>
        public PollPlan Plan(DateTimeOffset now)
        {
            if (_observations == 0)
            {
                return First(now);
            }

            if (_distrust == null && _lastProgress >= 100)
            {
                return Overdue(now, "the service reports 100 % but not done");
            }

            if (_distrust == null && _finish.HasValue && _start.HasValue)
            {
                return FromProgress(now, _finish.Value, _start.Value);
            }

            return FromEstimate(now);
        }

        private PollPlan First(DateTimeOffset now)
        {
            if (_estimate != null && _start.HasValue)
            {
                // As with progress: a finish before the earliest plausible one is still seen within the
                // budget, and one look is saved where the operation is almost surely still running.
                var budget = Budget(_estimate.Earliest);
                var first = _start.Value.Latest + _estimate.Earliest + budget;
                if (first - now > _options.FirstPoll)
                {
                    return new PollPlan(Clamp(first - now, _options.MaxInterval), "first look " + Seconds(budget) + " s after the earliest plausible finish (" + Seconds(_estimate.Earliest) + " s) from " + _estimate.Basis);
                }
            }

            return new PollPlan(_options.FirstPoll, "first look" + (_estimate != null ? " (" + _estimate.Basis + ")" : string.Empty));
        }

        private PollPlan FromProgress(DateTimeOffset now, FinishWindow finish, StartWindow start)
        {
            var about = string.Format(
                CultureInfo.InvariantCulture,
                "{0:0.#} % done{1}: finish between {2} and {3} s of age",
                _lastProgress,
                Step() > 1 ? " (in steps of " + Step() + " %)" : string.Empty,
                Seconds(finish.Earliest - start.Latest),
                Seconds(finish.Latest - start.Earliest));
            if (finish.Latest - now <= _options.MinInterval)
            {
                if (_overduePolls >= MaxOverduePolls)
                {
                    Distrust(string.Format(CultureInfo.InvariantCulture, "still running {0} polls after the latest finish its progress allowed", _overduePolls));
                    return FromEstimate(now);
                }

                return Overdue(now, about + ", which has passed");
            }

            // From the shortest plausible duration, so a look is never later than a fifth of the true one.
            var budget = Budget(finish.Earliest - start.Latest);
            if (finish.Latest - finish.Earliest <= budget)
            {
                return new PollPlan(Clamp(finish.Latest + _options.FinishMargin - now, _options.MaxInterval), about + "; looking just after the latest", expectsFinish: true);
            }

            return new PollPlan(Clamp(finish.Earliest + budget - now, _options.MaxInterval), about + "; looking " + Seconds(budget) + " s after the earliest");
        }

        private PollPlan FromEstimate(DateTimeOffset now)
        {
            var reason = _distrust
                ?? (_lastNotYet ? "not visible yet"
                : !_lastProgress.HasValue ? "no progress reported"
                : _lastProgress.Value <= 0 ? "0 % reported"
                : "progress but no start time");
            var start = _start.HasValue ? _start.Value.Latest : _followedSince;
            if (_estimate != null)
            {
                var budget = Budget(_estimate.Earliest);
                var earliest = start + _estimate.Earliest + budget;
                if (earliest - now > _options.MinInterval)
                {
                    return new PollPlan(Clamp(earliest - now, _options.MaxInterval), reason + "; looking " + Seconds(budget) + " s after the earliest plausible finish (" + Seconds(_estimate.Earliest) + " s) from " + _estimate.Basis);
                }
            }

            var age = now - start;
            var fraction = _estimate != null ? _options.EstimateGapFraction : _options.NoHistoryGapFraction;
            var gap = Clamp(TimeSpan.FromTicks((long)(Math.Max(0, age.Ticks) * fraction)), _options.MaxNoSignalInterval);
            return new PollPlan(gap, string.Format(
                CultureInfo.InvariantCulture,
                "{0}; looking again in {1} s ({2:0.##} of the age, {3} s){4}",
                reason,
                Seconds(gap),
                fraction,
                Seconds(age),
                _estimate != null ? ", past the earliest plausible finish from " + _estimate.Basis : ", no earlier runs known"));
        }

        private PollPlan Overdue(DateTimeOffset now, string why)
        {
            var delay = TimeSpan.FromTicks((long)(_options.MinInterval.Ticks * Math.Pow(1.5, _overduePolls)));
            _overduePolls++;
            return new PollPlan(Clamp(delay, _options.MaxInterval), why + "; looking again shortly", expectsFinish: true);
        }

        /// <summary>How late a look may be: a fifth of the duration (by default), at least the shortest gap, at most <see cref="WaiterOptions.MaxLateness"/>.</summary>
        private TimeSpan Budget(TimeSpan total)
        {
            var budget = TimeSpan.FromTicks((long)(total.Ticks * _options.LatenessFraction));
            return budget < _options.MinInterval ? _options.MinInterval : budget > _options.MaxLateness ? _options.MaxLateness : budget;
        }

        /// <summary>The coarsest step every percent seen is a multiple of (1 when any is not).</summary>
        private int Step()
        {
            foreach (var step in CoarseSteps)
            {
                if (_percents.Count > 0 && _percents.All(p => p % step == 0))
                {
                    return step;
                }
            }

            return 1;
        }

        private void Distrust(string why)
        {
            _distrust = why;
            _finish = null;
        }

        private TimeSpan Clamp(TimeSpan delay, TimeSpan cap) =>
            delay < _options.MinInterval ? _options.MinInterval : delay > cap ? cap : delay;

        private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);

        /// <summary>Between when the operation can finish at the earliest and at the latest, on this machine's clock.</summary>
        private readonly struct FinishWindow
        {
            private FinishWindow(DateTimeOffset earliest, DateTimeOffset latest)
            {
                Earliest = earliest;
                Latest = latest;
            }

            public DateTimeOffset Earliest { get; }

            public DateTimeOffset Latest { get; }

            /// <summary>
            /// A fraction done in [low, high) measured between sending and answer, of an operation that
            /// started in <paramref name="start"/>: finish = start + age / fraction. The earliest finish
            /// takes the latest start, the earliest measurement and the highest fraction; the latest the
            /// opposite. A later start means a faster rate, hence the latest start for the earliest finish.
            /// </summary>
            public static FinishWindow Of(StartWindow start, DateTimeOffset sentAt, DateTimeOffset answeredAt, double low, double high)
            {
                var shortestAge = Math.Max(0, (sentAt - start.Latest).TotalSeconds);
                var longestAge = Math.Max(0, (answeredAt - start.Earliest).TotalSeconds);
                return new FinishWindow(start.Latest + TimeSpan.FromSeconds(shortestAge / high), start.Earliest + TimeSpan.FromSeconds(longestAge / low));
            }

            /// <summary>What both allow; Earliest after Latest when they do not overlap.</summary>
            public FinishWindow Intersect(FinishWindow other) =>
                new FinishWindow(Earliest > other.Earliest ? Earliest : other.Earliest, Latest < other.Latest ? Latest : other.Latest);
        }
    }
}
