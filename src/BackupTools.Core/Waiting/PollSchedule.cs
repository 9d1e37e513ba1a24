using System;

namespace BackupTools.Waiting
{
    /// <summary>
    /// When to poll one operation next. Pure and clock-free, so it can be tested and benchmarked alone.
    ///
    /// With a progress signal and the operation's age (both services report when it started), one
    /// sample gives a rate. Services report whole percents, so p% at age a bounds the total duration
    /// between a*100/(p+1) and a*100/p. While that window is wide (small p) the next poll goes at its
    /// optimistic end: the operation is then at least p/(p+1) done, so that poll's sample is tight.
    /// Once the window is tight the poll goes at its pessimistic end plus a margin, where the
    /// operation must be finished. Typically: one or two polls to see progress, then two.
    /// Without a signal it backs off exponentially; past a certain finish it polls at short, slowly
    /// growing intervals. Without an age it falls back to the rate between two samples.
    /// </summary>
    public sealed class PollSchedule
    {
        /// <summary>
        /// A window narrower than this fraction of the (longest) total duration counts as tight: polling
        /// at its far end is then at most that late. Whole percents make p% tight only from p = 49 on,
        /// so an early sample always leads to one look at the optimistic end first.
        /// </summary>
        private const double TightWindow = 0.02;

        private readonly WaiterOptions _options;
        private double? _firstProgress;
        private TimeSpan _firstProgressAt;
        private TimeSpan _noSignalDelay;
        private int _overduePolls;

        public PollSchedule(WaiterOptions options)
        {
            _options = options;
            _noSignalDelay = options.FirstPoll;
        }

        /// <summary>
        /// The delay before the next poll, given the progress just observed at <paramref name="elapsed"/>
        /// since waiting began, and the operation's age (time since the service started it) if known,
        /// taken when the answer arrived. <paramref name="roundTrip"/> is how long the poll took: the
        /// service measured its progress somewhere in that span, so the age then is uncertain by as much.
        /// </summary>
        public TimeSpan Next(TimeSpan elapsed, double? progressPercent, TimeSpan? age = null, TimeSpan roundTrip = default)
        {
            var p = progressPercent ?? 0;
            if (p > 0 && p < 100 && age.HasValue && age.Value > roundTrip)
            {
                return FromAge(age.Value.TotalSeconds, (age.Value - roundTrip).TotalSeconds, p);
            }

            if (p > 0 && p < 100)
            {
                var fromRate = FromTwoSamples(elapsed, p);
                if (fromRate.HasValue)
                {
                    return fromRate.Value;
                }
            }
            else if (p >= 100)
            {
                return Overdue();
            }

            // No usable signal yet: exponential backoff from the first poll's delay.
            var delay = _noSignalDelay;
            _noSignalDelay = TimeSpan.FromTicks(Math.Min((long)(_noSignalDelay.Ticks * _options.BackoffMultiplier), _options.MaxNoSignalInterval.Ticks));
            return Clamp(delay);
        }

        /// <param name="ageSeconds">The age when the answer arrived: the latest the service can have measured.</param>
        /// <param name="earliestAgeSeconds">The age when the poll was sent: the earliest.</param>
        private TimeSpan FromAge(double ageSeconds, double earliestAgeSeconds, double p)
        {
            var floor = Math.Floor(p);
            var shortestTotal = earliestAgeSeconds * 100 / (floor + 1);
            var longestTotal = ageSeconds * 100 / Math.Max(floor, p);
            var shortest = shortestTotal - ageSeconds;
            var longest = longestTotal - ageSeconds;
            if (longest <= _options.MinInterval.TotalSeconds)
            {
                return Overdue();
            }

            _overduePolls = 0;
            var tight = longestTotal - shortestTotal <= Math.Max(_options.MinInterval.TotalSeconds, TightWindow * longestTotal);
            var aim = tight ? TimeSpan.FromSeconds(longest) + _options.FinishMargin : TimeSpan.FromSeconds(Math.Max(shortest, 0));
            return Clamp(aim);
        }

        private TimeSpan? FromTwoSamples(TimeSpan elapsed, double p)
        {
            if (!_firstProgress.HasValue)
            {
                _firstProgress = p;
                _firstProgressAt = elapsed;
                return null;
            }

            if (p <= _firstProgress.Value || elapsed <= _firstProgressAt)
            {
                return null;
            }

            var rate = (p - _firstProgress.Value) / (elapsed - _firstProgressAt).TotalSeconds;
            var remaining = TimeSpan.FromSeconds((100 - p) / rate);
            var aim = TimeSpan.FromTicks((long)(remaining.Ticks * 1.03)) + _options.FinishMargin;
            if (aim <= _options.MinInterval)
            {
                return Overdue();
            }

            _overduePolls = 0;
            return Clamp(aim);
        }

        private TimeSpan Overdue()
        {
            var delay = TimeSpan.FromTicks((long)(_options.MinInterval.Ticks * Math.Pow(1.5, _overduePolls)));
            _overduePolls++;
            return Clamp(delay);
        }

        private TimeSpan Clamp(TimeSpan delay) =>
            delay < _options.MinInterval ? _options.MinInterval : delay > _options.MaxInterval ? _options.MaxInterval : delay;
    }
}
