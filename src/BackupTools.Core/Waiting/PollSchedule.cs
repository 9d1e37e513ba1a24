using System;

namespace BackupTools.Waiting
{
    /// <summary>
    /// When to poll one operation next. With a progress signal it predicts the finish from the rate of
    /// progress and polls just after it (few requests, prompt detection); without one it backs off
    /// exponentially; once past a predicted finish it polls at short, slowly growing intervals.
    /// Pure and clock-free so it can be tested and benchmarked on its own.
    /// </summary>
    public sealed class PollSchedule
    {
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

        /// <summary>The delay before the next poll, given the progress just observed at <paramref name="elapsed"/> since waiting began.</summary>
        public TimeSpan Next(TimeSpan elapsed, double? progressPercent)
        {
            if (progressPercent.HasValue && progressPercent.Value > 0 && progressPercent.Value < 100)
            {
                if (!_firstProgress.HasValue)
                {
                    _firstProgress = progressPercent;
                    _firstProgressAt = elapsed;
                }
                else if (progressPercent.Value > _firstProgress.Value && elapsed > _firstProgressAt)
                {
                    var rate = (progressPercent.Value - _firstProgress.Value) / (elapsed - _firstProgressAt).TotalSeconds;
                    var remaining = TimeSpan.FromSeconds((100 - progressPercent.Value) / rate);

                    // Aim a little past the predicted finish: progress is reported in whole percents.
                    var aim = TimeSpan.FromTicks((long)(remaining.Ticks * 1.03)) + _options.FinishMargin;
                    if (aim > _options.MinInterval)
                    {
                        _overduePolls = 0;
                        return Clamp(aim);
                    }

                    return Overdue();
                }
            }

            if (_firstProgress.HasValue && progressPercent.HasValue && progressPercent.Value >= 100)
            {
                return Overdue();
            }

            // No usable signal yet: exponential backoff from the first poll's delay.
            var delay = _noSignalDelay;
            _noSignalDelay = TimeSpan.FromTicks(Math.Min((long)(_noSignalDelay.Ticks * _options.BackoffMultiplier), _options.MaxInterval.Ticks));
            return Clamp(delay);
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
