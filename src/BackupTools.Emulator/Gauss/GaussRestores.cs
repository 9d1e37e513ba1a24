using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;

namespace BackupTools.Emulator.Gauss;

/// <summary>A restore over an existing instance and its job. The target is RESTORING (busy) until the job ends.</summary>
internal sealed class GaussRestoreJob
{
    public required string JobId { get; init; }
    public required GaussInstanceSeed Target { get; init; }
    public required GaussInstanceSeed Source { get; init; }
    public required string Type { get; init; }
    public string? BackupId { get; init; }
    public DateTimeOffset? RestoreTime { get; init; }
    public required DateTimeOffset BeginTime { get; init; }
    public required TimeSpan Duration { get; init; }

    public DateTimeOffset EndTime => BeginTime + Duration;
    public bool IsRunningAt(DateTimeOffset now) => now < EndTime;
}

/// <summary>Read-only view of a Gauss restore job, for test assertions.</summary>
public sealed record GaussRestoreView(string JobId, string TargetInstanceId, string SourceInstanceId, string Type, string? BackupId,
    DateTimeOffset? RestoreTime, DateTimeOffset BeginTime, DateTimeOffset EndTime, bool Running);

/// <summary>
/// Restore to an existing instance (POST instances/restore) and the restorable windows (GET instances/{id}/restore-time),
/// with the rules lifecycle.md lists; neither exists on Open Telekom Cloud (the seed's cloud), where both answer 404.
/// </summary>
internal sealed partial class GaussStore
{
    public const string RestoreJobName = "RestoreGaussDBforMySQLInstance";
    private readonly Dictionary<string, GaussRestoreJob> _restoreJobs = new(StringComparer.Ordinal);

    public bool IsOpenTelekomCloud => string.Equals(Seed.Cloud, "OpenTelekomCloud", StringComparison.OrdinalIgnoreCase);

    public sealed record RestoreRequest(string? TargetInstanceId, string? SourceInstanceId, string? Type, string? BackupId, string? RestoreTime);

    public JsonObject RestoreToExisting(string projectId, RestoreRequest r)
    {
        var now = Now;
        lock (_gate)
        {
            ValidateInstanceId(r.TargetInstanceId);
            ValidateInstanceId(r.SourceInstanceId);
            if (r.Type is not ("backup" or "timestamp"))
                throw GaussError.Param("Invalid parameter type: must be backup or timestamp.");
            var target = RequireInstance(projectId, r.TargetInstanceId!);
            var source = RequireInstance(projectId, r.SourceInstanceId!);
            RequireNotBusy(target, now);
            RequireActive(target);
            if (target.DatastoreVersion != source.DatastoreVersion)
                throw GaussError.Param($"The target instance must have the same DB engine version as the source ({source.DatastoreVersion}), not {target.DatastoreVersion}.");

            var (backupId, restoreTime) = CheckRestorePoint(source, r.Type, r.BackupId, r.RestoreTime, "", now);

            var job = new GaussRestoreJob
            {
                JobId = NewGuid(),
                Target = target,
                Source = source,
                Type = r.Type,
                BackupId = backupId,
                RestoreTime = restoreTime,
                BeginTime = now,
                Duration = _options.GaussRestoreDuration,
            };
            _restoreJobs[job.JobId] = job;
            return new JsonObject { ["job_id"] = job.JobId };
        }
    }

    /// <summary>
    /// A restore point of either restore (over an instance, to a new one), as the service checks it: a backup must exist,
    /// be of the source and COMPLETED; a time (ms since the epoch) must lie in the source's window. <paramref name="field"/>
    /// prefixes the parameter names in messages ("restore_point." for the create-instance body).
    /// </summary>
    private (string? BackupId, DateTimeOffset? RestoreTime) CheckRestorePoint(GaussInstanceSeed source, string type, string? backupId, string? restoreTimeMs, string field, DateTimeOffset now)
    {
        if (type == "backup")
        {
            if (string.IsNullOrEmpty(backupId))
                throw GaussError.Param($"Invalid parameter {field}backup_id: required when type is backup.");
            if (!_byId.TryGetValue(backupId, out var backup) || backup.DeleteTime is not null || backup.Instance.Id != source.Id)
                throw new GaussError(404, "DBS.201010", "The backup does not exist.");
            if (backup.StatusAt(now) != "COMPLETED")
                throw GaussError.Param($"The backup {backup.Id} is {backup.StatusAt(now)}: only a completed backup can be restored.");
            return (backup.Id, null);
        }

        if (!long.TryParse(restoreTimeMs, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms))
            throw GaussError.Param($"Invalid parameter {field}restore_time: required when type is timestamp, in milliseconds since the epoch.");
        var t = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        if (Window(source, now) is not { } w || t < w.Start || t > w.End)
            throw GaussError.Param("The restoration time is not within the restorable time range.");
        return (null, t);
    }

    /// <summary>Restoring, or building a backup: the instance-busy code Huawei's own tools retry on.</summary>
    private void RequireNotBusy(GaussInstanceSeed instance, DateTimeOffset now)
    {
        if (_restoreJobs.Values.Any(j => j.Target.Id == instance.Id && j.IsRunningAt(now))
            || (_runningByInstance.TryGetValue(instance.Id, out var running) && running.IsBuildingAt(now)))
            throw new GaussError(409, "DBS.200019", "Another operation is being performed on the DB instance or the DB instance is faulty.");
    }

    private bool IsRestoring(GaussInstanceSeed instance, DateTimeOffset now) => _restoreJobs.Values.Any(j => j.Target.Id == instance.Id && j.IsRunningAt(now));

    /// <summary>The one window the emulator keeps: from the end of the instance's oldest completed backup (a full backup is needed) until now.</summary>
    private (DateTimeOffset Start, DateTimeOffset End)? Window(GaussInstanceSeed instance, DateTimeOffset now)
    {
        var first = _all.Where(b => b.Instance.Id == instance.Id && b.DeleteTime is null && b.StatusAt(now) == "COMPLETED").OrderBy(b => b.EndTime).FirstOrDefault();
        return first is null ? null : (TruncateToSeconds(first.EndTime), now);
    }

    public JsonObject RestoreTimes(string projectId, string instanceId, string? date, string? startMs, string? endMs)
    {
        var now = Now;
        DateTimeOffset? from = null, to = null;
        if (!string.IsNullOrEmpty(date))
        {
            if (!DateTime.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var day))
                throw GaussError.Param("Invalid parameter date: use yyyy-mm-dd.");
            from = new DateTimeOffset(day, TimeSpan.Zero);
            to = from.Value.AddDays(1);
        }
        if (!string.IsNullOrEmpty(startMs) || !string.IsNullOrEmpty(endMs))
        {
            if (!long.TryParse(startMs, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) || !long.TryParse(endMs, NumberStyles.Integer, CultureInfo.InvariantCulture, out var e) || e < s)
                throw GaussError.Param("Invalid parameters start_time and end_time: both are needed, in milliseconds since the epoch, start before end.");
            from = DateTimeOffset.FromUnixTimeMilliseconds(s);
            to = DateTimeOffset.FromUnixTimeMilliseconds(e);
        }
        lock (_gate)
        {
            ValidateInstanceId(instanceId);
            var instance = RequireInstance(projectId, instanceId);
            var arr = new JsonArray();
            if (Window(instance, now) is { } w)
            {
                var start = from is { } f && f > w.Start ? f : w.Start;
                var end = to is { } t && t < w.End ? t : w.End;
                if (start <= end)
                    arr.Add(new JsonObject { ["start_time"] = start.ToUnixTimeMilliseconds(), ["end_time"] = end.ToUnixTimeMilliseconds() });
            }
            return new JsonObject { ["restore_times"] = arr };
        }
    }

    private bool TryRenderRestoreJob(string jobId, string projectId, DateTimeOffset now, out JsonObject? answer)
    {
        answer = null;
        if (!_restoreJobs.TryGetValue(jobId, out var j) || j.Target.ProjectId != projectId) return false;
        if (now < j.BeginTime + _options.GaussJobVisibilityDelay)
            throw new GaussError(400, "DBS.200543", "The job does not exist.");
        var running = j.IsRunningAt(now);
        var fraction = j.Duration <= TimeSpan.Zero ? 1 : (now - j.BeginTime) / j.Duration;
        answer = new JsonObject
        {
            ["job"] = new JsonObject
            {
                ["id"] = j.JobId,
                ["name"] = RestoreJobName,
                ["status"] = running ? "Running" : "Completed",
                ["created"] = Time(j.BeginTime),
                ["ended"] = running ? null : Time(j.EndTime),
                ["process"] = running ? Math.Clamp((int)(fraction * 100), 0, 99).ToString(CultureInfo.InvariantCulture) + "%" : "",
                ["instance"] = new JsonObject { ["id"] = j.Target.Id, ["name"] = j.Target.Name },
                ["entities"] = new JsonObject(),
                ["fail_reason"] = null,
            },
        };
        return true;
    }

    public IReadOnlyList<GaussRestoreView> RestoreSnapshot()
    {
        var now = Now;
        lock (_gate)
            return _restoreJobs.Values.OrderBy(j => j.BeginTime).Select(j => new GaussRestoreView(j.JobId, j.Target.Id, j.Source.Id, j.Type, j.BackupId, j.RestoreTime, j.BeginTime, j.EndTime, j.IsRunningAt(now))).ToList();
    }
}
