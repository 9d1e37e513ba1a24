using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace BackupTools.Emulator.Gauss;

/// <summary>A job on a whole instance: its creation (restored from a backup or a point in time, or empty) or its deletion.</summary>
internal sealed class GaussInstanceJob
{
    public required string JobId { get; init; }
    public required string Name { get; init; }
    public required GaussInstanceSeed Instance { get; init; }
    public required DateTimeOffset BeginTime { get; init; }
    public required TimeSpan Duration { get; init; }
    /// <summary>For a create: what it restores ("backup", "timestamp"), or null for an empty instance.</summary>
    public string? RestoreType { get; init; }
    public string? SourceInstanceId { get; init; }
    public string? BackupId { get; init; }
    public DateTimeOffset? RestoreTime { get; init; }

    public DateTimeOffset EndTime => BeginTime + Duration;
    public bool IsRunningAt(DateTimeOffset now) => now < EndTime;
}

/// <summary>Read-only view of an instance the API created or deleted, for test assertions.</summary>
public sealed record GaussInstanceView(string Id, string Name, string ProjectId, string Status, string? SourceInstanceId, string? BackupId,
    DateTimeOffset? RestoreTime, DateTimeOffset CreatedAt, DateTimeOffset? DeletedAt);

/// <summary>
/// Instances created through the API (POST instances, with restore_point: a restore to a new instance, the only restore
/// Open Telekom Cloud offers) and deleted (DELETE instances/{id}). A new instance is BUILD until its job ends; a deleted
/// one is gone at once (404), its automated backups with it, its manual backups kept; deleting an instance still being
/// built fails its job.
/// </summary>
internal sealed partial class GaussStore
{
    public const string RestoreNewInstanceJobName = "RestoreGaussDBforMySQLNewInstance";
    public const string CreateInstanceJobName = "CreateGaussDBforMySQLInstance";
    public const string DeleteInstanceJobName = "DeleteGaussDBforMySQLInstance";

    private readonly List<GaussInstanceSeed> _createdInstances = new();
    private readonly Dictionary<string, DateTimeOffset> _deletedInstances = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GaussInstanceJob> _instanceJobs = new(StringComparer.Ordinal);

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{3,63}$")]
    private static partial Regex InstanceNamePattern();

    /// <summary>Every instance there ever was: the seed's and the created ones, the deleted among them.</summary>
    private IEnumerable<GaussInstanceSeed> AllInstances => Seed.Instances.Concat(_createdInstances);

    /// <summary>Every instance that exists now.</summary>
    private IEnumerable<GaussInstanceSeed> LiveInstances => AllInstances.Where(i => !_deletedInstances.ContainsKey(i.Id));

    private GaussInstanceJob? CreateJobOf(GaussInstanceSeed instance) =>
        _instanceJobs.Values.FirstOrDefault(j => j.Instance.Id == instance.Id && j.Name != DeleteInstanceJobName);

    /// <summary>Still being created (and restored): BUILD.</summary>
    private bool IsBuilding(GaussInstanceSeed instance, DateTimeOffset now) => CreateJobOf(instance) is { } job && job.IsRunningAt(now);

    public JsonObject CreateInstance(string projectId, JsonObject? body)
    {
        var now = Now;
        var name = HttpJson.GetString(body, "name");
        if (name is null || !InstanceNamePattern().IsMatch(name))
            throw GaussError.Param("Invalid parameter name: 4 to 64 characters, a letter first, then letters, digits, '-' or '_'.");
        var datastore = body?["datastore"] as JsonObject;
        if (HttpJson.GetString(datastore, "type") is not { } engine || !string.Equals(engine, "gaussdb-mysql", StringComparison.OrdinalIgnoreCase))
            throw GaussError.Param("Invalid parameter datastore.type: must be gaussdb-mysql.");
        var version = HttpJson.GetString(datastore, "version");
        if (string.IsNullOrEmpty(version))
            throw GaussError.Param("Invalid parameter datastore.version: required.");
        if (HttpJson.GetString(body, "mode") != "Cluster")
            throw GaussError.Param("Invalid parameter mode: only Cluster is supported.");
        foreach (var required in new[] { "flavor_ref", "vpc_id", "subnet_id", "region" })
            if (string.IsNullOrEmpty(HttpJson.GetString(body, required)))
                throw GaussError.Param($"Invalid parameter {required}: required.");
        if (HttpJson.GetString(body, "region") != Seed.Region)
            throw GaussError.Param($"Invalid parameter region: this endpoint serves {Seed.Region}.");
        CheckPassword(HttpJson.GetString(body, "password"));
        var azMode = HttpJson.GetString(body, "availability_zone_mode");
        if (azMode is not ("single" or "multi"))
            throw GaussError.Param("Invalid parameter availability_zone_mode: must be single or multi.");
        if (azMode == "multi" && string.IsNullOrEmpty(HttpJson.GetString(body, "master_availability_zone")))
            throw GaussError.Param("Invalid parameter master_availability_zone: required when availability_zone_mode is multi.");
        if (!int.TryParse(body?["slave_count"]?.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var replicas) || replicas < 1 || replicas > 9)
            throw GaussError.Param("Invalid parameter slave_count: 1 to 9 read replicas per call.");

        lock (_gate)
        {
            string? type = null, backupId = null, sourceId = null;
            DateTimeOffset? restoreTime = null;
            if (body?["restore_point"] is JsonObject point)
            {
                sourceId = HttpJson.GetString(point, "source_instance_id");
                ValidateInstanceId(sourceId);
                type = HttpJson.GetString(point, "type") ?? "backup";
                // A backup outlives its instance (manual backups are kept): its deleted source still names the restore point.
                var source = type == "backup"
                    ? AllInstances.FirstOrDefault(i => i.Id == sourceId && i.ProjectId == projectId) ?? RequireInstance(projectId, sourceId!)
                    : RequireInstance(projectId, sourceId!);
                if (type is not ("backup" or "timestamp"))
                    throw GaussError.Param("Invalid parameter restore_point.type: must be backup or timestamp.");
                if (source.DatastoreVersion != version)
                    throw GaussError.Param($"The new instance must have the DB engine version of the source ({source.DatastoreVersion}), not {version}.");
                (backupId, restoreTime) = CheckRestorePoint(source, type, HttpJson.GetString(point, "backup_id"), point["restore_time"]?.ToString(), "restore_point.", now);
            }

            var instance = new GaussInstanceSeed
            {
                Id = NewHex(16) + "in07",
                Name = name,
                ProjectId = projectId,
                DatastoreVersion = version!,
                FlavorRef = HttpJson.GetString(body, "flavor_ref")!,
                VpcId = HttpJson.GetString(body, "vpc_id")!,
                SubnetId = HttpJson.GetString(body, "subnet_id")!,
                SecurityGroupId = HttpJson.GetString(body, "security_group_id") ?? "",
                AvailabilityZoneMode = azMode,
                MasterAvailabilityZone = HttpJson.GetString(body, "master_availability_zone") ?? "",
                NodeCount = replicas + 1,
                TimeZone = HttpJson.GetString(body, "time_zone") ?? "UTC",
                SizeMb = sourceId is null ? 0 : AllInstances.First(i => i.Id == sourceId).SizeMb,
            };
            var job = new GaussInstanceJob
            {
                JobId = NewGuid(),
                Name = type is null ? CreateInstanceJobName : RestoreNewInstanceJobName,
                Instance = instance,
                BeginTime = now,
                Duration = _options.GaussRestoreDuration,
                RestoreType = type,
                SourceInstanceId = sourceId,
                BackupId = backupId,
                RestoreTime = restoreTime,
            };
            _createdInstances.Add(instance);
            _instanceJobs[job.JobId] = job;
            var rendered = RenderInstance(instance, now);
            return new JsonObject { ["instance"] = rendered, ["job_id"] = job.JobId };
        }
    }

    /// <summary>What the service asks of a root password: 8 to 32 characters, three kinds of upper, lower, digit and ~!@#$%^*-_=+?,()&amp;.</summary>
    private static void CheckPassword(string? password)
    {
        const string specials = "~!@#$%^*-_=+?,()&";
        if (password is null || password.Length < 8 || password.Length > 32
            || password.Any(c => !char.IsAsciiLetterOrDigit(c) && specials.IndexOf(c) < 0)
            || new[] { password.Any(char.IsAsciiLetterUpper), password.Any(char.IsAsciiLetterLower), password.Any(char.IsAsciiDigit), password.Any(c => specials.IndexOf(c) >= 0) }.Count(x => x) < 3)
            throw GaussError.Param("Invalid parameter password: 8 to 32 characters with at least three of uppercase, lowercase, digits and ~!@#$%^*-_=+?,()&.");
    }

    public JsonObject DeleteInstance(string projectId, string instanceId)
    {
        var now = Now;
        lock (_gate)
        {
            ValidateInstanceId(instanceId);
            var instance = RequireInstance(projectId, instanceId);
            if (IsRestoring(instance, now) || (_runningByInstance.TryGetValue(instance.Id, out var running) && running.IsBuildingAt(now)))
                throw new GaussError(409, "DBS.200019", "Another operation is being performed on the DB instance or the DB instance is faulty.");
            _deletedInstances[instance.Id] = now;
            // Automated backups go with the instance; manual ones stay until deleted.
            foreach (var b in _all.Where(b => b.Instance.Id == instance.Id && b.Type == "auto" && b.DeleteTime is null))
                b.DeleteTime = now;
            if (instance.Prepaid)
                return new JsonObject { ["order_id"] = "CS" + NewHex(8).ToUpperInvariant() };
            var job = new GaussInstanceJob { JobId = NewGuid(), Name = DeleteInstanceJobName, Instance = instance, BeginTime = now, Duration = TimeSpan.FromSeconds(1) };
            _instanceJobs[job.JobId] = job;
            return new JsonObject { ["job_id"] = job.JobId };
        }
    }

    private bool TryRenderInstanceJob(string jobId, string projectId, DateTimeOffset now, out JsonObject? answer)
    {
        answer = null;
        if (!_instanceJobs.TryGetValue(jobId, out var j) || j.Instance.ProjectId != projectId) return false;
        if (now < j.BeginTime + _options.GaussJobVisibilityDelay)
            throw new GaussError(400, "DBS.200543", "The job does not exist.");
        var running = j.IsRunningAt(now);
        // A create whose instance was deleted before it was built never completes.
        var deletedAt = _deletedInstances.TryGetValue(j.Instance.Id, out var d) ? d : (DateTimeOffset?)null;
        var cutShort = j.Name != DeleteInstanceJobName && deletedAt is { } del && del < j.EndTime;
        var fraction = j.Duration <= TimeSpan.Zero ? 1 : (now - j.BeginTime) / j.Duration;
        answer = new JsonObject
        {
            ["job"] = new JsonObject
            {
                ["id"] = j.JobId,
                ["name"] = j.Name,
                ["status"] = cutShort ? "Failed" : running ? "Running" : "Completed",
                ["created"] = Time(j.BeginTime),
                ["ended"] = cutShort ? Time(deletedAt!.Value) : running ? null : Time(j.EndTime),
                ["process"] = running && !cutShort && _options.GaussJobProcess ? Math.Clamp((int)(fraction * 100), 0, 99).ToString(CultureInfo.InvariantCulture) + "%" : "",
                ["instance"] = new JsonObject { ["id"] = j.Instance.Id, ["name"] = j.Instance.Name },
                ["entities"] = new JsonObject(),
                ["fail_reason"] = cutShort ? "The DB instance was deleted before it was created." : null,
            },
        };
        return true;
    }

    public IReadOnlyList<GaussInstanceView> InstanceSnapshot()
    {
        var now = Now;
        lock (_gate)
        {
            return _createdInstances.Concat(Seed.Instances.Where(i => _deletedInstances.ContainsKey(i.Id)))
                .Select(i =>
                {
                    var job = CreateJobOf(i);
                    var deleted = _deletedInstances.TryGetValue(i.Id, out var at) ? at : (DateTimeOffset?)null;
                    var status = deleted is not null ? "DELETED" : IsBuilding(i, now) ? "BUILD" : "ACTIVE";
                    return new GaussInstanceView(i.Id, i.Name, i.ProjectId, status, job?.SourceInstanceId, job?.BackupId, job?.RestoreTime, job?.BeginTime ?? DateTimeOffset.MinValue, deleted);
                })
                .ToList();
        }
    }
}
