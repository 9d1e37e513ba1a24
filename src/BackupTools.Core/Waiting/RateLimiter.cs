using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace BackupTools.Waiting
{
    /// <summary>
    /// Spaces requests to at most N a second across all callers, allowing a small burst. Each caller
    /// reserves the next free slot under a lock and sleeps until it, so waiting costs no thread.
    /// </summary>
    public sealed class RateLimiter
    {
        private readonly object _gate = new object();
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly double _interval;
        private readonly double _burst;
        private double _nextFree;

        public RateLimiter(double perSecond, int burst = 5)
        {
            _interval = perSecond > 0 ? 1.0 / perSecond : 0;
            _burst = Math.Max(0, burst - 1) * _interval;
        }

        public Task WaitAsync(CancellationToken cancellationToken)
        {
            if (_interval <= 0)
            {
                return Task.CompletedTask;
            }

            double wait;
            lock (_gate)
            {
                var now = _clock.Elapsed.TotalSeconds;
                var slot = Math.Max(_nextFree, now - _burst);
                _nextFree = slot + _interval;
                wait = slot - now;
            }

            return wait <= 0.001 ? Task.CompletedTask : Task.Delay(TimeSpan.FromSeconds(wait), cancellationToken);
        }
    }
}
