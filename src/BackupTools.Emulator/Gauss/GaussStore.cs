using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading;

namespace BackupTools.Emulator.Gauss;

/// <summary>A manual backup and its job. Status and progress are derived from the clock when read.</summary>
internal sealed class GaussBackup
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Description { get; init; }
    public required GaussInstanceSeed Instance { get; init; }
    public required string JobId { get; init; }
    public required DateTimeOffset BeginTime { get; init; }
    public required TimeSpan Duration { get; init; }
    public required bool Fails { get; init; }
    /// <summary>manual (made on request), or auto (made by the instance's automated backup policy).</summary>
    public string Type { get; init; } = "manual";
    /// <summary>Size when completed; the instance's when null.</summary>
    public double? SizeMb { get; init; }
    public DateTimeOffset? DeleteTime { get; set; }

    public DateTimeOffset EndTime => BeginTime + Duration;
    public bool IsBuildingAt(DateTimeOffset now) => now < EndTime;
    public string StatusAt(DateTimeOffset now) => IsBuildingAt(now) ? "BUILDING" : Fails ? "FAILED" : "COMPLETED";
}

/// <summary>Read-only view of a Gauss backup and its job, for test assertions.</summary>
public sealed record GaussBackupView(
    string Id, string Name, string InstanceId, string ProjectId, string Status, string JobId, string JobStatus,
    DateTimeOffset BeginTime, TimeSpan Duration, DateTimeOffset? CompletedAt, DateTimeOffset JobVisibleAt, DateTimeOffset? DeleteTime);

internal sealed partial class GaussStore
{
    private readonly object _gate = new();
    private readonly EmulatorOptions _options;
    private readonly TimeProvider _clock;
    private readonly Random _random;
    private readonly List<GaussBackup> _all = new();
    private readonly Dictionary<string, GaussBackup> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GaussBackup> _byJob = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GaussBackup> _runningByInstance = new(StringComparer.Ordinal);
    private int _createsTakenEffect;

    public GaussStore(EmulatorOptions options, TimeProvider clock)
    {
        _options = options;
        _clock = clock;
        _random = options.Seed is { } s ? new Random(unchecked(s * 31 + 7)) : new Random();
        LoadSeededBackups();
    }

    /// <summary>The backups the seed says existed before the start: a history of manual and automated backups, some failed.</summary>
    private void LoadSeededBackups()
    {
        var now = Now;
        foreach (var instance in Seed.Instances)
            foreach (var seed in instance.Backups)
            {
                var backup = new GaussBackup
                {
                    Id = NewHex(16) + "br07",
                    Name = seed.Name.Length > 0 ? seed.Name : (seed.Type == "manual" ? "manual_" : "autobak_") + (now - seed.Age).ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture),
                    Description = "",
                    Instance = instance,
                    JobId = NewGuid(),
                    BeginTime = now - seed.Age,
                    Duration = seed.Duration ?? (seed.Age < TimeSpan.FromMinutes(1) ? seed.Age : TimeSpan.FromMinutes(1)),
                    Fails = seed.Failed,
                    Type = seed.Type == "manual" ? "manual" : "auto",
                    SizeMb = seed.SizeMb,
                };
                _all.Add(backup);
                _byId[backup.Id] = backup;
                _byJob[backup.JobId] = backup;
            }
    }

    public int CreatesTakenEffect => Volatile.Read(ref _createsTakenEffect);
    private GaussSeed Seed => _options.Data.Gauss;
    // Full precision inside (so delays and durations are exact); Gauss only shows whole seconds.
    private DateTimeOffset Now => _clock.GetUtcNow();
    private static DateTimeOffset TruncateToSeconds(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
    private string Time(DateTimeOffset t) => TimeFormats.Gauss(t, Seed.TimeOffset);

    public void Reset()
    {
        lock (_gate)
        {
            _all.Clear(); _byId.Clear(); _byJob.Clear(); _runningByInstance.Clear(); _restoreJobs.Clear(); _policies.Clear();
            _createdInstances.Clear(); _deletedInstances.Clear(); _instanceJobs.Clear();
            _createsTakenEffect = 0;
            LoadSeededBackups();
        }
    }

    // ---- rules ------------------------------------------------------------------------------------

    [GeneratedRegex("^[A-Za-z0-9]{32,40}$")]
    private static partial Regex InstanceIdPattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{3,63}$")]
    private static partial Regex NamePattern();

    private static void ValidateInstanceId(string? id)
    {
        if (string.IsNullOrEmpty(id) || !InstanceIdPattern().IsMatch(id))
            throw new GaussError(400, "DBS.280404", "Invalid instance ID format.");
    }

    private static void ValidateName(string? name)
    {
        if (name is null || !NamePattern().IsMatch(name))
            throw new GaussError(400, "DBS.280277", "Invalid backup name. The name must be 4 to 64 characters long, start with a letter, and contain only letters, digits, hyphens (-), and underscores (_).");
    }

    private static void ValidateDescription(string? description)
    {
        if (description is null) return;
        if (description.Length > 256 || description.IndexOfAny(new[] { '>', '!', '<', '"', '&', '\'', '=', '\r' }) >= 0)
            throw new GaussError(400, "DBS.280127", "Invalid backup description. The description can contain up to 256 characters and cannot contain >!<\"&'= or carriage returns.");
    }

    private GaussInstanceSeed RequireInstance(string projectId, string instanceId)
        => LiveInstances.FirstOrDefault(i => i.Id == instanceId && i.ProjectId == projectId)
           ?? throw new GaussError(404, "DBS.200002", "The DB instance does not exist or has been deleted.");

    private void RequireNoRunningBackup(GaussInstanceSeed instance, DateTimeOffset now)
    {
        if (_runningByInstance.TryGetValue(instance.Id, out var running) && running.IsBuildingAt(now))
            throw new GaussError(409, "DBS.201205", "A backup of this instance is being created. Try again later.");
    }

    private void RequireActive(GaussInstanceSeed instance)
    {
        if (IsBuilding(instance, Now))
            throw new GaussError(400, "DBS.200086", "The DB instance status (BUILD) does not allow this operation.");
        if (string.Equals(instance.Status, "ACTIVE", StringComparison.OrdinalIgnoreCase)) return;
        if (string.Equals(instance.Status, "FROZEN", StringComparison.OrdinalIgnoreCase))
            throw new GaussError(400, "DBS.280449", "The DB instance has been frozen. Unfreeze it and try again.");
        throw new GaussError(400, "DBS.200086", $"The DB instance status ({instance.Status}) does not allow this operation.");
    }

    // ---- operations ----------------------------------------------------------------------------------

    public JsonObject Create(string projectId, string? instanceId, string? name, string? description)
    {
        var now = Now;
        lock (_gate)
        {
            ValidateInstanceId(instanceId);
            ValidateName(name);
            ValidateDescription(description);
            var instance = RequireInstance(projectId, instanceId!);
            RequireNoRunningBackup(instance, now);
            if (IsRestoring(instance, now))
                throw new GaussError(409, "DBS.200019", "Another operation is being performed on the DB instance or the DB instance is faulty.");
            RequireActive(instance);

            var backup = new GaussBackup
            {
                Id = NewHex(16) + "br07",
                Name = name!,
                Description = description ?? "",
                Instance = instance,
                JobId = NewGuid(),
                BeginTime = now,
                Duration = DrawDuration(instance),
                Fails = instance.FailBackups,
            };
            _all.Add(backup);
            _byId[backup.Id] = backup;
            _byJob[backup.JobId] = backup;
            _runningByInstance[instance.Id] = backup;
            _createsTakenEffect++;
            return new JsonObject
            {
                ["backup"] = new JsonObject
                {
                    ["id"] = backup.Id,
                    ["name"] = backup.Name,
                    ["description"] = backup.Description,
                    ["begin_time"] = Time(backup.BeginTime),
                    ["status"] = "BUILDING",
                    ["type"] = "manual",
                    ["instance_id"] = instance.Id,
                },
                ["job_id"] = backup.JobId,
            };
        }
    }

    private TimeSpan DrawDuration(GaussInstanceSeed instance)
    {
        if (instance.BackupDuration is { } d) return d;
        var min = _options.GaussBackupDuration;
        if (_options.GaussBackupDurationMax is not { } max || max <= min) return min;
        return min + (max - min) * _random.NextDouble();
    }

    private string NewHex(int bytes)
    {
        var b = new byte[bytes];
        _random.NextBytes(b);
        return Convert.ToHexStringLower(b);
    }

    private string NewGuid()
    {
        var b = new byte[16];
        _random.NextBytes(b);
        b[7] = (byte)((b[7] & 0x0F) | 0x40); // version 4
        b[8] = (byte)((b[8] & 0x3F) | 0x80);
        return new Guid(b).ToString("D");
    }

    public JsonObject GetJob(string projectId, string? jobId)
    {
        var now = Now;
        lock (_gate)
        {
            if (!string.IsNullOrEmpty(jobId) && TryRenderRestoreJob(jobId, projectId, now, out var restoreJob)) return restoreJob!;
            if (!string.IsNullOrEmpty(jobId) && TryRenderInstanceJob(jobId, projectId, now, out var instanceJob)) return instanceJob!;
            // A new job takes a moment to become visible; until then the service says it does not exist.
            if (string.IsNullOrEmpty(jobId) || !_byJob.TryGetValue(jobId, out var b) || b.Instance.ProjectId != projectId
                || now < b.BeginTime + _options.GaussJobVisibilityDelay)
                throw new GaussError(400, "DBS.200543", "The job does not exist.");
            var building = b.IsBuildingAt(now);
            var job = new JsonObject
            {
                ["id"] = b.JobId,
                ["name"] = "CreateGaussDBforMySQLBackup",
                ["status"] = JobStatus(b, now),
                ["created"] = Time(b.BeginTime),
                ["ended"] = building ? null : Time(b.EndTime),
                ["process"] = building && _options.GaussJobProcess ? Percent(b, now) : "",
                ["instance"] = new JsonObject { ["id"] = b.Instance.Id, ["name"] = b.Instance.Name },
                ["entities"] = new JsonObject(),
                ["fail_reason"] = !building && b.Fails ? b.Instance.FailReason : null,
            };
            return new JsonObject { ["job"] = job };
        }
    }

    private static string JobStatus(GaussBackup b, DateTimeOffset now) => b.IsBuildingAt(now) ? "Running" : b.Fails ? "Failed" : "Completed";

    private static string Percent(GaussBackup b, DateTimeOffset now)
    {
        var fraction = b.Duration <= TimeSpan.Zero ? 1 : (now - b.BeginTime) / b.Duration;
        return Math.Clamp((int)(fraction * 100), 0, 99).ToString(CultureInfo.InvariantCulture) + "%";
    }

    public sealed record ListQuery(string? InstanceId, string? BackupId, string? BackupType, string? Offset, string? Limit, string? BeginTime, string? EndTime);

    public JsonObject List(string projectId, ListQuery q)
    {
        var now = Now;
        var offset = ParseInt(q.Offset, "offset", 0, int.MaxValue, 0);
        var limit = ParseInt(q.Limit, "limit", 1, 100, 100);
        if (q.BackupType is not (null or "" or "auto" or "manual" or "all"))
            throw GaussError.Param("Invalid parameter backup_type: must be auto or manual.");
        var begin = ParseTime(q.BeginTime, "begin_time");
        var end = ParseTime(q.EndTime, "end_time");
        lock (_gate)
        {
            var matching = _all.Where(b => b.DeleteTime is null && b.Instance.ProjectId == projectId
                                           && (string.IsNullOrEmpty(q.InstanceId) || b.Instance.Id == q.InstanceId)
                                           && (string.IsNullOrEmpty(q.BackupId) || b.Id == q.BackupId)
                                           && (string.IsNullOrEmpty(q.BackupType) || q.BackupType == "all" || b.Type == q.BackupType)
                                           && (begin is null || TruncateToSeconds(b.BeginTime) >= begin)
                                           && (end is null || TruncateToSeconds(b.BeginTime) <= end))
                .OrderByDescending(b => b.BeginTime).ThenBy(b => b.Id, StringComparer.Ordinal)
                .ToList();
            var arr = new JsonArray();
            foreach (var b in matching.Skip(offset).Take(limit)) arr.Add(RenderBackup(b, now));
            return new JsonObject { ["backups"] = arr, ["total_count"] = matching.Count };
        }
    }

    private static int ParseInt(string? text, string name, int min, int max, int fallback)
    {
        if (string.IsNullOrEmpty(text)) return fallback;
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) || v < min || v > max)
            throw GaussError.Param($"Invalid parameter {name}: must be an integer from {min} to {max}.");
        return v;
    }

    private static DateTimeOffset? ParseTime(string? text, string name)
    {
        if (string.IsNullOrEmpty(text)) return null;
        if (!TimeFormats.TryParseGauss(text, out var t))
            throw GaussError.Param($"Invalid parameter {name}: use the format yyyy-mm-ddThh:mm:ssZ, for example 2020-07-07T01:17:05+0800.");
        return t;
    }

    private JsonObject RenderBackup(GaussBackup b, DateTimeOffset now)
    {
        var building = b.IsBuildingAt(now);
        var o = new JsonObject
        {
            ["id"] = b.Id,
            ["name"] = b.Name,
            ["begin_time"] = Time(b.BeginTime),
            ["end_time"] = building ? null : Time(b.EndTime),
            ["status"] = b.StatusAt(now),
            ["take_up_time"] = building ? 0 : (int)Math.Ceiling(b.Duration.TotalMinutes),
            ["type"] = b.Type,
            ["size"] = building || b.Fails ? 0 : b.SizeMb ?? b.Instance.SizeMb,
            ["datastore"] = new JsonObject { ["type"] = "gaussdb-mysql", ["version"] = b.Instance.DatastoreVersion },
            ["instance_id"] = b.Instance.Id,
            ["description"] = b.Description,
        };
        return o;
    }

    public JsonObject Delete(string projectId, string backupId)
    {
        var now = Now;
        lock (_gate)
        {
            if (!_byId.TryGetValue(backupId, out var b) || b.DeleteTime is not null || b.Instance.ProjectId != projectId)
                throw new GaussError(404, "DBS.201010", "The backup does not exist.");
            if (b.IsBuildingAt(now))
                throw new GaussError(400, "DBS.201014", "The backup is being created and cannot be deleted.");
            b.DeleteTime = now;
            return new JsonObject { ["backup_id"] = b.Id, ["backup_name"] = b.Name };
        }
    }

    public JsonObject GetInstance(string projectId, string instanceId)
    {
        var now = Now;
        lock (_gate) return new JsonObject { ["instance"] = RenderInstance(RequireInstance(projectId, instanceId), now) };
    }

    /// <summary>The project's instances, a page at a time (offset from 0, limit up to 100, as the service pages them); name matches loosely, as the service's does.</summary>
    public JsonObject ListInstances(string projectId, string? offsetText = null, string? limitText = null, string? name = null)
    {
        var now = Now;
        var offset = ParseInt(offsetText, "offset", 0, int.MaxValue, 0);
        var limit = ParseInt(limitText, "limit", 1, 100, 100);
        lock (_gate)
        {
            var all = LiveInstances.Where(i => i.ProjectId == projectId && (string.IsNullOrEmpty(name) || i.Name.Contains(name, StringComparison.OrdinalIgnoreCase))).ToList();
            var arr = new JsonArray();
            foreach (var i in all.Skip(offset).Take(limit)) arr.Add(RenderInstance(i, now));
            return new JsonObject { ["instances"] = arr, ["total_count"] = all.Count };
        }
    }

    private JsonObject RenderInstance(GaussInstanceSeed i, DateTimeOffset now)
    {
        // While a manual backup runs the console shows the instance as "BACKING UP".
        var status = i.Status;
        if (string.Equals(status, "ACTIVE", StringComparison.OrdinalIgnoreCase) && _runningByInstance.TryGetValue(i.Id, out var r) && r.IsBuildingAt(now))
            status = "BACKING UP";
        if (string.Equals(status, "ACTIVE", StringComparison.OrdinalIgnoreCase) && IsRestoring(i, now))
            status = "RESTORING";
        if (IsBuilding(i, now))
            status = "BUILD";
        var nodes = new JsonArray();
        for (var n = 0; n < i.NodeCount; n++)
            nodes.Add(new JsonObject { ["id"] = i.Id[..8] + "no" + n.ToString(CultureInfo.InvariantCulture), ["type"] = n == 0 ? "master" : "slave", ["status"] = status == "BUILD" ? "BUILD" : "ACTIVE", ["flavor_ref"] = i.FlavorRef, ["az_code"] = i.MasterAvailabilityZone });
        return new JsonObject
        {
            ["id"] = i.Id,
            ["name"] = i.Name,
            ["project_id"] = i.ProjectId,
            ["status"] = status,
            ["type"] = "Cluster",
            ["region"] = Seed.Region,
            ["port"] = "3306",
            ["datastore"] = new JsonObject { ["type"] = "gaussdb-mysql", ["version"] = i.DatastoreVersion },
            ["backup_strategy"] = new JsonObject { ["start_time"] = "19:00-20:00", ["keep_days"] = "7" },
            ["node_count"] = i.NodeCount,
            ["nodes"] = nodes,
            ["vpc_id"] = i.VpcId,
            ["subnet_id"] = i.SubnetId,
            ["security_group_id"] = i.SecurityGroupId,
            ["az_mode"] = i.AvailabilityZoneMode,
            ["master_az_code"] = i.MasterAvailabilityZone,
            ["time_zone"] = i.TimeZone,
        };
    }

    public IReadOnlyList<GaussBackupView> Snapshot()
    {
        var now = Now;
        lock (_gate)
            return _all.Select(b => new GaussBackupView(b.Id, b.Name, b.Instance.Id, b.Instance.ProjectId,
                b.DeleteTime is null ? b.StatusAt(now) : "DELETED", b.JobId, JobStatus(b, now), b.BeginTime, b.Duration,
                b.IsBuildingAt(now) ? null : b.EndTime, b.BeginTime + _options.GaussJobVisibilityDelay, b.DeleteTime)).ToList();
    }
}
