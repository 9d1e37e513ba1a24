using System;

namespace BackupTools.Emulator.Spanner;

/// <summary>
/// One restore of a backup into a new database, and the optimize operation Spanner starts after it. Like a
/// backup, nothing here changes with time: the phases are derived from the clock when read.
/// </summary>
internal sealed class SpannerRestore
{
    public required string InstanceName { get; init; }
    public required string DatabaseName { get; init; }
    public required SpannerBackup Backup { get; init; }
    public required string OperationName { get; init; }
    public required string OptimizeOperationName { get; init; }
    public required DateTimeOffset StartTime { get; init; }
    public required TimeSpan RestoreDuration { get; init; }
    public required TimeSpan OptimizeDuration { get; init; }
    public required string EncryptionType { get; init; }
    public string? KmsKeyName { get; init; }
    public DateTimeOffset? CancelTime { get; set; }
    /// <summary>Set when the restored database was dropped (after its restore finished): it no longer holds the backup.</summary>
    public DateTimeOffset? DropTime { get; set; }

    public DateTimeOffset RestoreEnd => StartTime + RestoreDuration;
    public DateTimeOffset OptimizeEnd => RestoreEnd + OptimizeDuration;

    /// <summary>Cancelled before the restore finished: the new database was deleted.</summary>
    public bool Cancelled => CancelTime is { } c && c < RestoreEnd;

    /// <summary>Counts against "one pending restore per instance" (the next may start while this one optimizes).</summary>
    public bool RestoringAt(DateTimeOffset now) => !Cancelled && now < RestoreEnd;

    /// <summary>The backup stays in use (referencingDatabases, cannot be deleted) until optimizing ends.</summary>
    public bool HoldsBackupAt(DateTimeOffset now) => !Cancelled && DropTime is null && now < OptimizeEnd;

    public bool RestoreDoneAt(DateTimeOffset now) => Cancelled || now >= RestoreEnd;

    /// <summary>The optimize operation exists once the restore has succeeded.</summary>
    public bool OptimizeStartedAt(DateTimeOffset now) => !Cancelled && now >= RestoreEnd;

    public string DatabaseStateAt(DateTimeOffset now) => now < RestoreEnd ? "CREATING" : now < OptimizeEnd ? "READY_OPTIMIZING" : "READY";

    public int RestoreProgressAt(DateTimeOffset now) => Progress(StartTime, RestoreDuration, Cancelled ? CancelTime!.Value : now);

    public int OptimizeProgressAt(DateTimeOffset now) => Progress(RestoreEnd, OptimizeDuration, now);

    private static int Progress(DateTimeOffset start, TimeSpan duration, DateTimeOffset now)
    {
        if (duration <= TimeSpan.Zero || now >= start + duration) return 100;
        return Math.Clamp((int)Math.Floor((now - start) / duration * 100), 0, 99);
    }
}

/// <summary>Read-only view of a Spanner restore, for test assertions.</summary>
public sealed record SpannerRestoreView(
    string DatabaseName, string Backup, string DatabaseState, bool Cancelled, string OperationName, string OptimizeOperationName,
    DateTimeOffset StartTime, DateTimeOffset RestoreEnd, DateTimeOffset OptimizeEnd, DateTimeOffset? CancelTime);
