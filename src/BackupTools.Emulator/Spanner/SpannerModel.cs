using System;
using System.Collections.Generic;

namespace BackupTools.Emulator.Spanner;

internal sealed class SpannerDatabase
{
    public SpannerDatabase(string instanceName, SpannerDatabaseSeed seed, DateTimeOffset createTime)
    {
        InstanceName = instanceName;
        Seed = seed;
        Name = instanceName + "/databases/" + seed.Id;
        CreateTime = createTime;
    }

    public string InstanceName { get; }
    public string Name { get; }
    public SpannerDatabaseSeed Seed { get; }
    public DateTimeOffset CreateTime { get; }
    /// <summary>Set when the database was made by a restore: its state follows the restore and optimize phases.</summary>
    public SpannerRestore? Restore { get; init; }
}

/// <summary>
/// One backup and its create operation. Nothing here changes with time: state, progress and completion are
/// derived from the clock at read time, so thousands of running backups cost nothing between reads.
/// </summary>
internal sealed class SpannerBackup
{
    public required string Name { get; init; }
    public required string BackupId { get; init; }
    public required SpannerDatabase Database { get; init; }
    public required DateTimeOffset CreateTime { get; init; }
    public required DateTimeOffset VersionTime { get; init; }
    public required TimeSpan Duration { get; init; }
    public required string EncryptionType { get; init; }
    public string? KmsKeyName { get; init; }
    public required string OperationName { get; init; }
    public required long SizeBytes { get; init; }
    public required bool Fails { get; init; }
    /// <summary>The latest expiry the service allows: 366 days after creation, or for a copy 366 days after its source's creation.</summary>
    public required DateTimeOffset MaxExpireTime { get; init; }
    /// <summary>For a copy: the full name of the backup it copies (its operation carries CopyBackupMetadata).</summary>
    public string? SourceBackup { get; init; }
    /// <summary>The full names of the backup schedules that made it (rendered in backupSchedules): several when schedules due at the same time were merged into one backup; empty for a backup made on request.</summary>
    public List<string> Schedules { get; } = new();
    /// <summary>For an incremental chain: its id, and every backup of it (this one included).</summary>
    public string? ChainId { get; init; }
    public List<SpannerBackup>? Chain { get; init; }
    /// <summary>Copies of this backup: it cannot be deleted while one still runs.</summary>
    public List<SpannerBackup> Copies { get; } = new();
    /// <summary>Restores from this backup: it cannot be deleted while one is restoring or optimizing.</summary>
    public List<SpannerRestore> Restores { get; } = new();
    public DateTimeOffset ExpireTime { get; set; }
    /// <summary>Set by cancel (or by deleting a backup still being created).</summary>
    public DateTimeOffset? CancelTime { get; set; }
    public DateTimeOffset? DeleteTime { get; set; }

    public DateTimeOffset EndTime => CreateTime + Duration;

    public bool IsDoneAt(DateTimeOffset now) => CancelTime is not null || now >= EndTime;

    /// <summary>When the operation finished (cancelled, failed or succeeded), or null while running.</summary>
    public DateTimeOffset? CompletedAt(DateTimeOffset now)
        => CancelTime is { } c && c < EndTime ? c : now >= EndTime ? EndTime : null;

    public bool Succeeded(DateTimeOffset now) => CancelTime is null && !Fails && now >= EndTime;

    /// <summary>A failed or cancelled create leaves no backup; an expired backup is deleted by the service (not while a copy of it runs).</summary>
    public bool ExistsAt(DateTimeOffset now)
        => DeleteTime is null && CancelTime is null && !(Fails && now >= EndTime) && (now < ExpireTime || Copies.Exists(c => !c.IsDoneAt(now)));

    public string StateAt(DateTimeOffset now) => now >= EndTime ? "READY" : "CREATING";

    public int ProgressAt(DateTimeOffset now)
    {
        if (now >= EndTime) return 100;
        if (Duration <= TimeSpan.Zero) return 100;
        var done = (now - CreateTime) / Duration;
        return Math.Clamp((int)Math.Floor(done * 100), 0, 99);
    }
}

/// <summary>Read-only view of a Spanner backup and its operation, for test assertions.</summary>
public sealed record SpannerBackupView(
    string Name, string Database, string State, bool Exists, string OperationName, bool OperationDone, string? OperationError,
    DateTimeOffset CreateTime, DateTimeOffset ExpireTime, DateTimeOffset VersionTime, TimeSpan Duration,
    DateTimeOffset? OperationCompletedAt, DateTimeOffset? CancelTime, DateTimeOffset? DeleteTime);
