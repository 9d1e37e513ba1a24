using System;

namespace BackupTools.Waiting
{
    /// <summary>How the fleet waiter polls. The defaults suit both clouds' documented rate limits.</summary>
    public sealed class WaiterOptions
    {
        /// <summary>Delay before an operation's first poll.</summary>
        public TimeSpan FirstPoll { get; set; } = TimeSpan.FromSeconds(3);

        /// <summary>Shortest gap between two polls of one operation.</summary>
        public TimeSpan MinInterval { get; set; } = TimeSpan.FromMilliseconds(500);

        /// <summary>
        /// Longest gap between two polls of one operation, even when its finish is predicted further
        /// out: also how late, at worst, a failure or cancellation is noticed.
        /// </summary>
        public TimeSpan MaxInterval { get; set; } = TimeSpan.FromMinutes(3);

        /// <summary>Longest gap while the service reports no progress at all.</summary>
        public TimeSpan MaxNoSignalInterval { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>Growth of the gap while the service reports no progress.</summary>
        public double BackoffMultiplier { get; set; } = 2;

        /// <summary>Added to a predicted finish before polling for it.</summary>
        public TimeSpan FinishMargin { get; set; } = TimeSpan.FromMilliseconds(250);

        /// <summary>Polls in flight at once across the whole fleet.</summary>
        public int MaxConcurrentRequests { get; set; } = 16;

        /// <summary>Polls started per second across the fleet (GaussDB's gateway throttles per user).</summary>
        public double MaxRequestsPerSecond { get; set; } = 20;

        /// <summary>Consecutive failed polls of one operation before it is reported as an error.</summary>
        public int MaxConsecutivePollFailures { get; set; } = 3;

        /// <summary>The longest the whole wait may take; null for no limit.</summary>
        public TimeSpan? Timeout { get; set; }
    }
}
