using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using BackupTools.Emulator.Gauss;
using BackupTools.Emulator.Spanner;

namespace BackupTools.Emulator;

/// <summary>One request as the emulator saw it. Credentials (Authorization, X-Auth-Token) are never recorded.</summary>
public sealed record RequestLogEntry(long Sequence, DateTimeOffset Time, string Method, string PathAndQuery, int Status, FaultKind? Fault, TimeSpan Elapsed);

/// <summary>Read-only views of everything the emulator did, for assertions (also served by GET /_emulator/state).</summary>
public sealed class EmulatorState
{
    private readonly ConcurrentQueue<RequestLogEntry> _log = new();
    private readonly int _capacity;
    private long _sequence;
    private readonly SpannerStore _spanner;
    private readonly GaussStore _gauss;
    private readonly TimeProvider _clock;

    internal EmulatorState(SpannerStore spanner, GaussStore gauss, TimeProvider clock, int capacity)
    {
        _spanner = spanner;
        _gauss = gauss;
        _clock = clock;
        _capacity = Math.Max(1, capacity);
    }

    /// <summary>The emulator's current time (including any AdvanceClock shift).</summary>
    public DateTimeOffset Now => _clock.GetUtcNow();

    public IReadOnlyList<RequestLogEntry> Requests => _log.ToArray();

    /// <summary>Requests whose method matches (null/empty = any) and whose path+query contains the text (ordinal, ignore case).</summary>
    public int CountRequests(string? method, string pathContains)
        => _log.Count(e => (string.IsNullOrEmpty(method) || string.Equals(e.Method, method, StringComparison.OrdinalIgnoreCase))
                           && e.PathAndQuery.Contains(pathContains ?? "", StringComparison.OrdinalIgnoreCase));

    public int CountFaulted(FaultKind? kind = null) => _log.Count(e => e.Fault is not null && (kind is null || e.Fault == kind));

    /// <summary>Every Spanner backup ever created, with its operation (they are 1:1), including cancelled, failed and deleted ones.</summary>
    public IReadOnlyList<SpannerBackupView> SpannerBackups => _spanner.Snapshot();

    /// <summary>Same records seen as operations; OperationCompletedAt is when each finished (for measuring detection delay).</summary>
    public IReadOnlyList<SpannerBackupView> SpannerOperations => _spanner.Snapshot();

    /// <summary>Every Spanner restore ever started (copies are among <see cref="SpannerBackups"/>), with its database's state now.</summary>
    public IReadOnlyList<SpannerRestoreView> SpannerRestores => _spanner.RestoreSnapshot();

    /// <summary>Every Gauss backup ever created, with its job (1:1).</summary>
    public IReadOnlyList<GaussBackupView> GaussBackups => _gauss.Snapshot();

    public IReadOnlyList<GaussBackupView> GaussJobs => _gauss.Snapshot();

    /// <summary>Every GaussDB restore over an existing instance, with its job.</summary>
    public IReadOnlyList<GaussRestoreView> GaussRestores => _gauss.RestoreSnapshot();

    /// <summary>Every GaussDB instance created or deleted through the API (restores to a new instance among them).</summary>
    public IReadOnlyList<GaussInstanceView> GaussInstances => _gauss.InstanceSnapshot();

    /// <summary>Spanner create calls that took effect (passed every rule and made a backup).</summary>
    public int SpannerCreatesTakenEffect => _spanner.CreatesTakenEffect;

    public int GaussCreatesTakenEffect => _gauss.CreatesTakenEffect;

    internal void Record(DateTimeOffset time, string method, string pathAndQuery, int status, FaultKind? fault, TimeSpan elapsed)
    {
        _log.Enqueue(new RequestLogEntry(Interlocked.Increment(ref _sequence), time, method, pathAndQuery, status, fault, elapsed));
        while (_log.Count > _capacity && _log.TryDequeue(out _)) { }
    }

    internal void ClearLog() => _log.Clear();
}
