using System;
using System.Threading;

namespace BackupTools.Emulator;

/// <summary>
/// Wraps the configured clock and adds an offset that tests (and POST /_emulator/clock/advance) can move forward,
/// so long backups can be finished instantly: all state is derived from this clock at read time.
/// </summary>
internal sealed class ShiftableClock : TimeProvider
{
    private readonly TimeProvider _inner;
    private long _offsetTicks;

    public ShiftableClock(TimeProvider inner) => _inner = inner;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(by), "The clock only moves forward.");
        Interlocked.Add(ref _offsetTicks, by.Ticks);
    }

    public override DateTimeOffset GetUtcNow() => _inner.GetUtcNow() + Offset;
    public override long GetTimestamp() => _inner.GetTimestamp();
    public override long TimestampFrequency => _inner.TimestampFrequency;
}
