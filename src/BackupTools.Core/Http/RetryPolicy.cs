using System;
using System.Threading;

namespace BackupTools.Http
{
    /// <summary>
    /// Bounds and shape of retries: exponential backoff with jitter, bounded in attempts and in total
    /// time, and overridden by the server's own hint (Retry-After, google.rpc.RetryInfo) when it gives one.
    /// </summary>
    public sealed class RetryPolicy
    {
        private static int _seed = Environment.TickCount;

        [ThreadStatic]
        private static Random? _random;

        public static RetryPolicy Default => new RetryPolicy();

        public int MaxAttempts { get; set; } = 6;

        public TimeSpan InitialDelay { get; set; } = TimeSpan.FromSeconds(1);

        public double Multiplier { get; set; } = 2.0;

        public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>No retry is started once this much time has passed since the first attempt.</summary>
        public TimeSpan MaxElapsed { get; set; } = TimeSpan.FromMinutes(2);

        /// <summary>Time allowed for one attempt, from sending to the last byte of the answer.</summary>
        public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>
        /// Delay before attempt number <paramref name="attempt"/> + 1 (attempt counts from 1). A server
        /// hint wins over the computed backoff; the computed one is jittered to between half and all of
        /// the exponential step, so a fleet of clients throttled together does not come back together.
        /// </summary>
        public TimeSpan DelayBefore(int attempt, TimeSpan? serverHint)
        {
            if (serverHint.HasValue && serverHint.Value > TimeSpan.Zero)
            {
                return serverHint.Value;
            }

            var step = InitialDelay.TotalMilliseconds * Math.Pow(Multiplier, Math.Max(0, attempt - 1));
            step = Math.Min(step, MaxDelay.TotalMilliseconds);
            var jittered = step * (0.5 + (0.5 * NextDouble()));
            return TimeSpan.FromMilliseconds(jittered);
        }

        /// <summary>Whether another attempt fits: attempts left, and the delay ends inside the time budget.</summary>
        public bool AllowsAnother(int attemptsMade, TimeSpan elapsed, TimeSpan nextDelay) =>
            attemptsMade < MaxAttempts && elapsed + nextDelay <= MaxElapsed;

        private static double NextDouble()
        {
            _random ??= new Random(Interlocked.Increment(ref _seed));
            return _random.NextDouble();
        }
    }
}
