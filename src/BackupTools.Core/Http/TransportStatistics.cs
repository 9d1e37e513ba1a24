using System.Threading;

namespace BackupTools.Http
{
    /// <summary>Process-wide counters the benchmarks and the soak read (as deltas) to report what the core did.</summary>
    public static class TransportStatistics
    {
        private static long _requests;
        private static long _retries;
        private static long _readBacks;

        public static long Requests => Interlocked.Read(ref _requests);

        public static long Retries => Interlocked.Read(ref _retries);

        public static long ReadBacks => Interlocked.Read(ref _readBacks);

        internal static void CountRequest() => Interlocked.Increment(ref _requests);

        internal static void CountRetry() => Interlocked.Increment(ref _retries);

        public static void CountReadBack() => Interlocked.Increment(ref _readBacks);
    }
}
