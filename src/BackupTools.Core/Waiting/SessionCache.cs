using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace BackupTools.Waiting
{
    /// <summary>
    /// What was read once per key for the session (earlier runs of an instance or database), shared by
    /// every caller. Concurrent callers wait on one read, which runs without their tokens (one caller's
    /// Ctrl+C must not fail the others'); each caller still stops waiting on its own token. A failed
    /// read is kept too, so a fleet does not repeat it per operation. Entries are read again once older
    /// than the lifetime.
    /// </summary>
    public sealed class SessionCache<T>
        where T : class
    {
        private readonly ConcurrentDictionary<string, Lazy<Entry>> _entries = new ConcurrentDictionary<string, Lazy<Entry>>(StringComparer.Ordinal);
        private readonly TimeSpan _lifetime;

        public SessionCache(TimeSpan lifetime)
        {
            _lifetime = lifetime;
        }

        /// <param name="read">Reads the value; called at most once per key and lifetime, without the caller's token.</param>
        public async Task<T> GetAsync(string key, Func<Task<T>> read, CancellationToken cancellationToken)
        {
            // Lazy, so racing callers start one read, not one each.
            var cached = _entries.GetOrAdd(key, _ => new Lazy<Entry>(() => new Entry(read)));
            if (DateTimeOffset.UtcNow - cached.Value.ReadAt > _lifetime)
            {
                var fresh = new Lazy<Entry>(() => new Entry(read));
                cached = _entries.TryUpdate(key, fresh, cached) ? fresh : _entries.GetOrAdd(key, fresh);
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

        /// <summary>Forgets everything read (tests; a new session).</summary>
        public void Clear() => _entries.Clear();

        private sealed class Entry
        {
            public Entry(Func<Task<T>> read)
            {
                ReadAt = DateTimeOffset.UtcNow;
                Task = read();
            }

            public DateTimeOffset ReadAt { get; }

            public Task<T> Task { get; }
        }
    }
}
