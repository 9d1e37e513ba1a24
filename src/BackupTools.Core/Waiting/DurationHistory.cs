using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace BackupTools.Waiting
{
    /// <summary>One earlier backup of the same instance or database: how long it took and how big it was.</summary>
    public readonly struct PastRun
    {
        public PastRun(DateTimeOffset began, DateTimeOffset ended, long? sizeMb = null, TimeSpan resolution = default)
        {
            Began = began;
            Ended = ended;
            SizeMb = sizeMb;
            Resolution = resolution;
        }

        public DateTimeOffset Began { get; }

        public DateTimeOffset Ended { get; }

        public long? SizeMb { get; }

        /// <summary>How coarse the service wrote both times (GaussDB: 1 s): the duration is uncertain by as much.</summary>
        public TimeSpan Resolution { get; }

        public TimeSpan Duration => Ended - Began;
    }

    /// <summary>
    /// How long an operation should take, from the earlier runs of the same instance or database. The
    /// most recent runs count; when sizes are known each duration is scaled to the latest size (the
    /// data grows between backups, and a backup's time follows its size). The plausible range is that
    /// of the scaled durations, widened by <see cref="WaiterOptions.HistorySpread"/> on each side
    /// (runs of the same data still vary) and by the times' resolution.
    /// </summary>
    public sealed class DurationEstimate
    {
        /// <summary>Runs older than the most recent few say little about today's data.</summary>
        public const int MaxRuns = 5;

        private DurationEstimate(TimeSpan earliest, TimeSpan latest, string basis)
        {
            Earliest = earliest;
            Latest = latest;
            Basis = basis;
        }

        /// <summary>The shortest plausible duration: the first look goes there.</summary>
        public TimeSpan Earliest { get; }

        /// <summary>The longest plausible duration.</summary>
        public TimeSpan Latest { get; }

        /// <summary>What the estimate came from, for -Debug.</summary>
        public string Basis { get; }

        /// <summary>An estimate from <paramref name="runs"/> of <paramref name="subject"/> (e.g. "instance X"), or null when none is usable.</summary>
        public static DurationEstimate? From(IEnumerable<PastRun> runs, string subject, double spread)
        {
            var recent = runs.Where(r => r.Duration > TimeSpan.Zero).OrderByDescending(r => r.Ended).Take(MaxRuns).ToList();
            if (recent.Count == 0)
            {
                return null;
            }

            var latestSize = recent[0].SizeMb;
            var scaled = recent.Select(r => r.SizeMb > 0 && latestSize > 0 ? r.Duration.TotalSeconds * latestSize.Value / r.SizeMb.Value : r.Duration.TotalSeconds).ToList();
            var resolution = recent.Max(r => r.Resolution).TotalSeconds;
            var earliest = Math.Max(0, (scaled.Min() * (1 - spread)) - resolution);
            var latest = (scaled.Max() * (1 + spread)) + resolution;
            var sizes = recent.Where(r => r.SizeMb > 0).Select(r => r.SizeMb!.Value).ToList();
            var basis = string.Format(
                CultureInfo.InvariantCulture,
                "{0} earlier backup(s) of {1}: {2} s{3}",
                recent.Count,
                subject,
                Range(recent.Min(r => r.Duration.TotalSeconds), recent.Max(r => r.Duration.TotalSeconds)),
                sizes.Count == 0 ? string.Empty
                : sizes.Min() == sizes.Max() ? ", " + Range(sizes.Min(), sizes.Max()) + " MB"
                : ", " + Range(sizes.Min(), sizes.Max()) + " MB, scaled to the latest size");
            return new DurationEstimate(TimeSpan.FromSeconds(earliest), TimeSpan.FromSeconds(latest), basis);
        }

        private static string Range(double low, double high)
        {
            var from = low.ToString("0", CultureInfo.InvariantCulture);
            var to = high.ToString("0", CultureInfo.InvariantCulture);
            return from == to ? from : from + "-" + to;
        }
    }

    /// <summary>
    /// A probe that can say how long earlier runs of the same kind took (GaussDB: the instance's
    /// backups). Optional: probes without it are followed on their progress and elapsed time alone.
    /// </summary>
    public interface IDurationHistorySource
    {
        /// <summary>
        /// True to read the history before the first poll (GaussDB: its progress is often missing, and
        /// the history places the first look); false to read it only once the progress is missing or
        /// not trusted (Spanner: its progress is good, so a read would mostly be wasted).
        /// </summary>
        bool ReadHistoryFirst { get; }

        /// <summary>The earlier runs (may be empty) and what they are of ("instance X"); sources cache them for the session.</summary>
        Task<(IReadOnlyList<PastRun> Runs, string Subject)> GetHistoryAsync(CancellationToken cancellationToken);
    }
}
