using System;
using BackupTools.Http;

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

        /// <summary>Longest gap while the service's progress is absent or not trusted.</summary>
        public TimeSpan MaxNoSignalInterval { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>
        /// How late, as a fraction of the operation's duration, a look may come when that saves a poll:
        /// a finish window no wider than this is polled once, at its far end.
        /// </summary>
        public double LatenessFraction { get; set; } = 0.2;

        /// <summary>The lateness budget's cap, whatever the duration.</summary>
        public TimeSpan MaxLateness { get; set; } = TimeSpan.FromSeconds(7);

        /// <summary>How much a run may differ from the earlier runs it is estimated from (each side).</summary>
        public double HistorySpread { get; set; } = 0.15;

        /// <summary>Without usable progress, past the earliest plausible finish from history: gaps as a fraction of the operation's age.</summary>
        public double EstimateGapFraction { get; set; } = 0.1;

        /// <summary>Without usable progress and without history: gaps as a fraction of the age (nothing else is known).</summary>
        public double NoHistoryGapFraction { get; set; } = 0.5;

        /// <summary>Where the waiter says, at debug level, what each poll's timing came from; null for nowhere.</summary>
        public IHttpTrace? Trace { get; set; }

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
