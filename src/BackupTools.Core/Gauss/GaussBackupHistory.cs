using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BackupTools.Waiting;

namespace BackupTools.Gauss
{
    /// <summary>
    /// The earlier backups of each GaussDB instance, read once per project and session, for the waiter's
    /// estimates when a job reports no usable progress. Every instance has some (automated backups
    /// cannot be switched off). The project's list, when it holds at most <see cref="MaxProjectPages"/>
    /// pages, serves a whole fleet at once; in a larger project each instance asked about is listed
    /// alone (its newest page), once. The service writes times to the whole second, so each duration
    /// is uncertain by a second.
    /// </summary>
    public static class GaussBackupHistory
    {
        /// <summary>The service's largest page: one request.</summary>
        private const int PageSize = 100;

        /// <summary>Pages of the project's list read at most: a few requests for a fleet, instead of one per instance.</summary>
        public const int MaxProjectPages = 5;

        /// <summary>How long what was read stays good: backups finish all the time, but a session's estimates need not follow each one.</summary>
        private static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

        private static readonly ConcurrentDictionary<string, Lazy<Entry>> Cache = new ConcurrentDictionary<string, Lazy<Entry>>(StringComparer.Ordinal);

        /// <summary>The finished full backups (manual or automated) of <paramref name="instanceId"/>, newest first.</summary>
        public static async Task<IReadOnlyList<PastRun>> ForInstanceAsync(GaussClient client, string instanceId, CancellationToken cancellationToken)
        {
            var project = await client.GetProjectIdAsync(cancellationToken).ConfigureAwait(false);
            var projectKey = client.Http.Endpoint.BaseAddress.AbsoluteUri + "|" + project;
            var whole = await LoadAsync(projectKey, () => ReadAsync(client, new GaussBackupQuery(), MaxProjectPages), cancellationToken).ConfigureAwait(false);
            if (whole.Complete)
            {
                return whole.Runs(instanceId);
            }

            var alone = await LoadAsync(projectKey + "|" + instanceId, () => ReadAsync(client, new GaussBackupQuery { InstanceId = instanceId }, 1), cancellationToken).ConfigureAwait(false);
            return alone.Runs(instanceId);
        }

        /// <summary>
        /// Up to <paramref name="maxPages"/> pages, newest first; none beyond the first when the service
        /// says the whole list is longer than that (the first page alone is then still worth keeping).
        /// Runs without the caller's token: see <see cref="LoadAsync"/>.
        /// </summary>
        private static async Task<Page> ReadAsync(GaussClient client, GaussBackupQuery query, int maxPages)
        {
            var all = new List<GaussBackup>();
            for (var page = 0; page < maxPages; page++)
            {
                var (items, total) = await client.ListBackupsPageAsync(query, all.Count, PageSize, CancellationToken.None).ConfigureAwait(false);
                all.AddRange(items);
                var complete = items.Count < PageSize || (total.HasValue && all.Count >= total.Value);
                if (complete || (total.HasValue && total.Value > maxPages * PageSize))
                {
                    return new Page(all, complete);
                }
            }

            return new Page(all, false);
        }

        /// <summary>Forgets everything read (tests; a new session).</summary>
        public static void Clear() => Cache.Clear();

        /// <summary>
        /// One shared read per key: concurrent callers wait on the same request, which runs without
        /// their tokens (one caller's Ctrl+C must not fail the others'); each caller still stops waiting
        /// on its own token. A failed read is kept too, so a fleet does not repeat it per operation.
        /// </summary>
        private static async Task<Page> LoadAsync(string key, Func<Task<Page>> read, CancellationToken cancellationToken)
        {
            // Lazy, so racing callers start one read, not one each.
            var cached = Cache.GetOrAdd(key, _ => new Lazy<Entry>(() => new Entry(read)));
            if (DateTimeOffset.UtcNow - cached.Value.ReadAt > Lifetime)
            {
                var fresh = new Lazy<Entry>(() => new Entry(read));
                cached = Cache.TryUpdate(key, fresh, cached) ? fresh : Cache.GetOrAdd(key, fresh);
            }

            var entry = cached.Value;
            var cancelled = new TaskCompletionSource<bool>();
            using (cancellationToken.Register(() => cancelled.TrySetResult(true)))
            {
                await Task.WhenAny(entry.Task, cancelled.Task).ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            return await entry.Task.ConfigureAwait(false);
        }

        private sealed class Entry
        {
            public Entry(Func<Task<Page>> read)
            {
                ReadAt = DateTimeOffset.UtcNow;
                Task = read();
            }

            public DateTimeOffset ReadAt { get; }

            public Task<Page> Task { get; }
        }

        private sealed class Page
        {
            private readonly ILookup<string, PastRun> _byInstance;

            public Page(IEnumerable<GaussBackup> backups, bool complete)
            {
                Complete = complete;
                _byInstance = backups
                    .Where(b => b.State == OperationState.Succeeded && b.BeginTime.HasValue && b.EndTime.HasValue && b.EndTime > b.BeginTime && IsFull(b.Type))
                    .OrderByDescending(b => b.EndTime)
                    .ToLookup(b => b.InstanceId, b => new PastRun(b.BeginTime!.Value, b.EndTime!.Value, b.SizeMb > 0 ? b.SizeMb : null, TimeSpan.FromSeconds(1)), StringComparer.Ordinal);
            }

            /// <summary>True when the page holds every backup of the project.</summary>
            public bool Complete { get; }

            public IReadOnlyList<PastRun> Runs(string instanceId) => _byInstance[instanceId].ToList();

            /// <summary>Manual and automated backups copy the whole instance; other kinds (incremental) say nothing of a full one's time.</summary>
            private static bool IsFull(string type) =>
                string.Equals(type, "manual", StringComparison.OrdinalIgnoreCase) || string.Equals(type, "auto", StringComparison.OrdinalIgnoreCase);
        }
    }
}
