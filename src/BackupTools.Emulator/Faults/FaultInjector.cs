using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;
using System.Threading;

namespace BackupTools.Emulator;

[JsonConverter(typeof(JsonStringEnumConverter<FaultKind>))]
public enum FaultKind
{
    Throttle429,
    Unavailable503,
    /// <summary>Abort the connection before processing: the request has no effect.</summary>
    Drop,
    /// <summary>Run the handler (the effect happens), then abort the connection so the client gets no answer.</summary>
    CutAfterProcessing,
    /// <summary>Delay the answer by SlowDelay, then answer normally.</summary>
    Slow,
}

/// <summary>Random faults: each matching request independently gets at most one fault, drawn with these probabilities.</summary>
public sealed class FaultProfile
{
    public double Throttle429Rate { get; set; }
    public double Unavailable503Rate { get; set; }
    public double DropRate { get; set; }
    public double CutAfterProcessingRate { get; set; }
    public double SlowRate { get; set; }
    /// <summary>Sent as Retry-After (whole seconds) on 429/503 and, for Spanner, as a google.rpc.RetryInfo detail.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>Added to every request (matching the filter), fault or not.</summary>
    public TimeSpan Latency { get; set; }
    public int? Seed { get; set; }
    /// <summary>Only requests with this HTTP method (null = all).</summary>
    public string? Method { get; set; }
    /// <summary>Only requests whose path+query contains this text, ordinal ignore-case (null = all).</summary>
    public string? PathContains { get; set; }

    internal FaultProfile Clone() => (FaultProfile)MemberwiseClone();

    internal bool Matches(string method, string pathAndQuery) => FaultInjector.FilterMatches(Method, PathContains, method, pathAndQuery);
}

public sealed class FaultCounters
{
    private long _throttle, _unavailable, _drop, _cut, _slow;
    public long Throttle429 => Interlocked.Read(ref _throttle);
    public long Unavailable503 => Interlocked.Read(ref _unavailable);
    public long Drop => Interlocked.Read(ref _drop);
    public long CutAfterProcessing => Interlocked.Read(ref _cut);
    public long Slow => Interlocked.Read(ref _slow);
    public long Total => Throttle429 + Unavailable503 + Drop + CutAfterProcessing + Slow;

    public long Get(FaultKind kind) => kind switch
    {
        FaultKind.Throttle429 => Throttle429,
        FaultKind.Unavailable503 => Unavailable503,
        FaultKind.Drop => Drop,
        FaultKind.CutAfterProcessing => CutAfterProcessing,
        _ => Slow,
    };

    internal void Count(FaultKind kind)
    {
        switch (kind)
        {
            case FaultKind.Throttle429: Interlocked.Increment(ref _throttle); break;
            case FaultKind.Unavailable503: Interlocked.Increment(ref _unavailable); break;
            case FaultKind.Drop: Interlocked.Increment(ref _drop); break;
            case FaultKind.CutAfterProcessing: Interlocked.Increment(ref _cut); break;
            default: Interlocked.Increment(ref _slow); break;
        }
    }

    internal void Reset()
    {
        Interlocked.Exchange(ref _throttle, 0);
        Interlocked.Exchange(ref _unavailable, 0);
        Interlocked.Exchange(ref _drop, 0);
        Interlocked.Exchange(ref _cut, 0);
        Interlocked.Exchange(ref _slow, 0);
    }
}

/// <summary>What the fault middleware should do with one request.</summary>
internal readonly record struct FaultDecision(FaultKind? Kind, TimeSpan Latency, TimeSpan RetryAfter, TimeSpan SlowDelay);

public sealed class FaultInjector
{
    private sealed record Queued(FaultKind Kind, string? Method, string? PathContains)
    {
        public int Remaining;
    }

    private readonly object _gate = new();
    private readonly List<Queued> _queue = new();
    private FaultProfile? _profile;
    private Random _random = new();
    private readonly int? _defaultSeed;

    internal FaultInjector(int? defaultSeed) => _defaultSeed = defaultSeed;

    public FaultCounters Counters { get; } = new();

    /// <summary>The active random-fault profile (a copy), or null.</summary>
    public FaultProfile? Profile
    {
        get { lock (_gate) return _profile?.Clone(); }
    }

    public void Configure(FaultProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        foreach (var rate in new[] { profile.Throttle429Rate, profile.Unavailable503Rate, profile.DropRate, profile.CutAfterProcessingRate, profile.SlowRate })
            if (rate is < 0 or > 1 || double.IsNaN(rate)) throw new ArgumentOutOfRangeException(nameof(profile), "Fault rates are probabilities between 0 and 1.");
        lock (_gate)
        {
            _profile = profile.Clone();
            var seed = profile.Seed ?? _defaultSeed;
            _random = seed is null ? new Random() : new Random(seed.Value);
        }
    }

    /// <summary>The next <paramref name="count"/> matching requests get <paramref name="kind"/> (before any random fault).</summary>
    public void Enqueue(FaultKind kind, int count = 1, string? method = null, string? pathContains = null)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count));
        lock (_gate) _queue.Add(new Queued(kind, method, pathContains) { Remaining = count });
    }

    public void Clear()
    {
        lock (_gate)
        {
            _queue.Clear();
            _profile = null;
        }
    }

    /// <summary>Number of enqueued faults not yet used.</summary>
    public int Pending
    {
        get { lock (_gate) { var n = 0; foreach (var q in _queue) n += q.Remaining; return n; } }
    }

    internal static bool FilterMatches(string? wantMethod, string? wantPath, string method, string pathAndQuery)
        => (wantMethod is null || string.Equals(wantMethod, method, StringComparison.OrdinalIgnoreCase))
           && (wantPath is null || pathAndQuery.Contains(wantPath, StringComparison.OrdinalIgnoreCase));

    internal FaultDecision Decide(string method, string pathAndQuery)
    {
        lock (_gate)
        {
            var profile = _profile;
            var matchesProfile = profile is not null && profile.Matches(method, pathAndQuery);
            var latency = matchesProfile ? profile!.Latency : TimeSpan.Zero;
            var retryAfter = profile?.RetryAfter ?? TimeSpan.FromSeconds(1);
            var slowDelay = profile?.SlowDelay ?? TimeSpan.FromSeconds(5);

            // Deterministic faults first, in the order they were enqueued.
            for (var i = 0; i < _queue.Count; i++)
            {
                var q = _queue[i];
                if (!FilterMatches(q.Method, q.PathContains, method, pathAndQuery)) continue;
                if (--q.Remaining == 0) _queue.RemoveAt(i);
                Counters.Count(q.Kind);
                return new FaultDecision(q.Kind, latency, retryAfter, slowDelay);
            }

            if (!matchesProfile) return new FaultDecision(null, latency, retryAfter, slowDelay);
            var roll = _random.NextDouble();
            FaultKind? kind = null;
            foreach (var (k, rate) in new[]
                     {
                         (FaultKind.Throttle429, profile!.Throttle429Rate), (FaultKind.Unavailable503, profile.Unavailable503Rate),
                         (FaultKind.Drop, profile.DropRate), (FaultKind.CutAfterProcessing, profile.CutAfterProcessingRate), (FaultKind.Slow, profile.SlowRate),
                     })
            {
                if (roll < rate) { kind = k; break; }
                roll -= rate;
            }
            if (kind is not null) Counters.Count(kind.Value);
            return new FaultDecision(kind, latency, retryAfter, slowDelay);
        }
    }
}
