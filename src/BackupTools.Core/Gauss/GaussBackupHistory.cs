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
    /// estimates. Every instance has some (automated backups cannot be switched off). The project's
    /// newest page is read first; the rest of the project's list only when that costs no more requests
    /// than listing each instance asked about so far would (a fleet), or at most
    /// <see cref="MaxProjectPages"/> pages; otherwise each instance missing from the first page is
    /// listed alone (its newest page), once. The service writes times to the whole second, so each
    /// duration is uncertain by a second.
    /// </summary>
    public static class GaussBackupHistory
    {
        /// <summary>The service's largest page: one request.</summary>
        private const int PageSize = 100;

        /// <summary>Pages of a project's list always worth reading, even for one operation.</summary>
        public const int MaxProjectPages = 5;

        /// <summary>How long what was read stays good: backups finish all the time, but a session's estimates need not follow each one.</summary>
        private static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

        private static readonly SessionCache<Page> Cache = new SessionCache<Page>(Lifetime);

        /// <summary>Instances asked about per project: how many single-instance lists a whole-project read would save.</summary>
        private static readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> Asked = new ConcurrentDictionary<string, ConcurrentDictionary<string, byte>>(StringComparer.Ordinal);

        /// <summary>The finished full backups (manual or automated) of <paramref name="instanceId"/>, newest first.</summary>
        public static async Task<IReadOnlyList<PastRun>> ForInstanceAsync(GaussClient client, string instanceId, CancellationToken cancellationToken)
        {
            var project = await client.GetProjectIdAsync(cancellationToken).ConfigureAwait(false);
            var projectKey = client.Http.Endpoint.BaseAddress.AbsoluteUri + "|" + project;
            var asked = Asked.GetOrAdd(projectKey, _ => new ConcurrentDictionary<string, byte>(StringComparer.Ordinal));
            asked[instanceId] = 0;
            var whole = await Cache.GetAsync(projectKey, () => ReadAsync(client, new GaussBackupQuery(), () => Math.Max(MaxProjectPages, asked.Count)), cancellationToken).ConfigureAwait(false);
            if (whole.Complete || whole.Has(instanceId))
            {
                return whole.Runs(instanceId);
            }

            var alone = await Cache.GetAsync(projectKey + "|" + instanceId, () => ReadAsync(client, new GaussBackupQuery { InstanceId = instanceId }, () => 1), cancellationToken).ConfigureAwait(false);
            return alone.Runs(instanceId);
        }

        /// <summary>
        /// The newest pages, newest first: all of them when the service's total says they are no more
        /// than <paramref name="maxPages"/> (asked after the first page, by when a fleet's operations
        /// have all asked), else the first alone. Runs without the caller's token (see <see cref="SessionCache{T}"/>).
        /// </summary>
        private static async Task<Page> ReadAsync(GaussClient client, GaussBackupQuery query, Func<int> maxPages)
        {
            var all = new List<GaussBackup>();
            var (first, total) = await client.ListBackupsPageAsync(query, 0, PageSize, CancellationToken.None).ConfigureAwait(false);
            all.AddRange(first);
            if (first.Count < PageSize || (total.HasValue && total.Value <= all.Count))
            {
                return new Page(all, true);
            }

            var pages = total.HasValue ? (total.Value + PageSize - 1) / PageSize : int.MaxValue;
            if (pages > maxPages())
            {
                return new Page(all, false);
            }

            for (var page = 1; page < pages; page++)
            {
                var (items, _) = await client.ListBackupsPageAsync(query, all.Count, PageSize, CancellationToken.None).ConfigureAwait(false);
                all.AddRange(items);
                if (items.Count < PageSize)
                {
                    break;
                }
            }

            return new Page(all, true);
        }

        /// <summary>Forgets everything read (tests; a new session).</summary>
        public static void Clear()
        {
            Cache.Clear();
            Asked.Clear();
        }

        private sealed class Page
        {
            private readonly ILookup<string, PastRun> _byInstance;

            public Page(IEnumerable<GaussBackup> backups, bool complete)
            {
                Complete = complete;
                _byInstance = backups
                    .Where(b => b.Outcome == OperationState.Succeeded && b.BeginTime.HasValue && b.EndTime.HasValue && b.EndTime > b.BeginTime && IsFull(b.Type))
                    .OrderByDescending(b => b.EndTime)
                    .ToLookup(b => b.InstanceId, b => new PastRun(b.BeginTime!.Value, b.EndTime!.Value, b.SizeMb > 0 ? b.SizeMb : null, TimeSpan.FromSeconds(1)), StringComparer.Ordinal);
            }

            /// <summary>True when the page holds every backup of the project.</summary>
            public bool Complete { get; }

            public IReadOnlyList<PastRun> Runs(string instanceId) => _byInstance[instanceId].ToList();

            /// <summary>Whether the page holds finished backups of the instance (a partial page then still serves it).</summary>
            public bool Has(string instanceId) => _byInstance.Contains(instanceId);

            /// <summary>Manual and automated backups copy the whole instance; other kinds (incremental) say nothing of a full one's time.</summary>
            private static bool IsFull(string type) =>
                string.Equals(type, "manual", StringComparison.OrdinalIgnoreCase) || string.Equals(type, "auto", StringComparison.OrdinalIgnoreCase);
        }
    }
}
