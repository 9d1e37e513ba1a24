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
    /// cannot be switched off). One page of the project's list (the newest 100) serves a whole fleet;
    /// when the project has more, each instance asked about is listed alone, once. The service writes
    /// times to the whole second, so each duration is uncertain by a second.
    /// </summary>
    public static class GaussBackupHistory
    {
        /// <summary>The service's largest page: one request.</summary>
        private const int PageSize = 100;

        /// <summary>How long what was read stays good: backups finish all the time, but a session's estimates need not follow each one.</summary>
        private static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

        private static readonly ConcurrentDictionary<string, Entry> Cache = new ConcurrentDictionary<string, Entry>(StringComparer.Ordinal);

        /// <summary>The finished full backups (manual or automated) of <paramref name="instanceId"/>, newest first.</summary>
        public static async Task<IReadOnlyList<PastRun>> ForInstanceAsync(GaussClient client, string instanceId, CancellationToken cancellationToken)
        {
            var project = await client.GetProjectIdAsync(cancellationToken).ConfigureAwait(false);
            var projectKey = client.Http.Endpoint.BaseAddress.AbsoluteUri + "|" + project;
            var whole = await LoadAsync(projectKey, () => client.ListBackupsPageAsync(new GaussBackupQuery(), 0, PageSize, CancellationToken.None), cancellationToken).ConfigureAwait(false);
            if (whole.Complete)
            {
                return whole.Runs(instanceId);
            }

            var alone = await LoadAsync(projectKey + "|" + instanceId, () => client.ListBackupsPageAsync(new GaussBackupQuery { InstanceId = instanceId }, 0, PageSize, CancellationToken.None), cancellationToken).ConfigureAwait(false);
            return alone.Runs(instanceId);
        }

        /// <summary>Forgets everything read (tests; a new session).</summary>
        public static void Clear() => Cache.Clear();

        /// <summary>
        /// One shared read per key: concurrent callers wait on the same request, which runs without
        /// their tokens (one caller's Ctrl+C must not fail the others'); each caller still stops waiting
        /// on its own token. A failed read is kept too, so a fleet does not repeat it per operation.
        /// </summary>
        private static async Task<Page> LoadAsync(string key, Func<Task<(IReadOnlyList<GaussBackup> Items, int? Total)>> read, CancellationToken cancellationToken)
        {
            var entry = Cache.AddOrUpdate(
                key,
                _ => new Entry(read),
                (_, old) => DateTimeOffset.UtcNow - old.ReadAt > Lifetime ? new Entry(read) : old);
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
            public Entry(Func<Task<(IReadOnlyList<GaussBackup> Items, int? Total)>> read)
            {
                ReadAt = DateTimeOffset.UtcNow;
                Task = ReadAsync(read);
            }

            public DateTimeOffset ReadAt { get; }

            public Task<Page> Task { get; }

            private static async Task<Page> ReadAsync(Func<Task<(IReadOnlyList<GaussBackup> Items, int? Total)>> read)
            {
                var (items, total) = await read().ConfigureAwait(false);
                return new Page(items, items.Count < PageSize && (!total.HasValue || total.Value <= items.Count));
            }
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
