using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading;

namespace BackupTools.Emulator.Spanner;

/// <summary>In-memory Spanner backups and operations. One lock: every call is short and does no I/O.</summary>
internal sealed partial class SpannerStore
{
    public const string BackupType = "type.googleapis.com/google.spanner.admin.database.v1.Backup";
    public const string MetadataType = "type.googleapis.com/google.spanner.admin.database.v1.CreateBackupMetadata";
    public const string CopyMetadataType = "type.googleapis.com/google.spanner.admin.database.v1.CopyBackupMetadata";
    private static readonly TimeSpan MinExpiry = TimeSpan.FromHours(6);
    private static readonly TimeSpan MaxExpiry = TimeSpan.FromDays(366);
    private static readonly TimeSpan OperationListWindow = TimeSpan.FromDays(7);

    private readonly object _gate = new();
    private readonly EmulatorOptions _options;
    private readonly TimeProvider _clock;
    private readonly Random _random;
    private readonly HashSet<string> _instances = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SpannerDatabase> _databases = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SpannerBackup> _liveByName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SpannerBackup> _pendingByDatabase = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SpannerBackup> _byOperation = new(StringComparer.Ordinal);
    private readonly List<SpannerBackup> _all = new();
    private int _createsTakenEffect;

    public SpannerStore(EmulatorOptions options, TimeProvider clock)
    {
        _options = options;
        _clock = clock;
        _random = options.Seed is { } s ? new Random(s) : new Random();
        Load(options.Data.Spanner);
    }

    public int CreatesTakenEffect => Volatile.Read(ref _createsTakenEffect);

    private DateTimeOffset Now => TimeFormats.TruncateToMicros(_clock.GetUtcNow());

    public void Reset()
    {
        lock (_gate)
        {
            _instances.Clear(); _schedules.Clear(); _instanceConfigs.Clear(); _restores.Clear(); _restoreOperations.Clear(); _databases.Clear(); _chains.Clear(); _liveByName.Clear(); _pendingByDatabase.Clear(); _byOperation.Clear(); _all.Clear();
            _createsTakenEffect = 0;
            Load(_options.Data.Spanner);
        }
    }

    private void Load(SpannerSeed seed)
    {
        var created = Now - TimeSpan.FromDays(30);
        foreach (var p in seed.Projects)
            foreach (var i in p.Instances)
            {
                var instanceName = $"projects/{p.Id}/instances/{i.Id}";
                _instances.Add(instanceName);
                _instanceConfigs[instanceName] = i.Config;
                foreach (var d in i.Databases)
                {
                    var db = new SpannerDatabase(instanceName, d, created);
                    _databases[db.Name] = db;
                    foreach (var b in d.Backups) LoadBackup(db, b);
                }
            }
    }

    /// <summary>A seeded backup: made <see cref="SpannerBackupSeed.Age"/> ago in one minute (or less), READY, or failed.</summary>
    private void LoadBackup(SpannerDatabase db, SpannerBackupSeed seed)
    {
        var now = Now;
        var name = db.InstanceName + "/backups/" + seed.Id;
        var createTime = now - seed.Age;
        var backup = new SpannerBackup
        {
            Name = name,
            BackupId = seed.Id,
            Database = db,
            CreateTime = createTime,
            VersionTime = createTime,
            ExpireTime = now + seed.ExpiresIn,
            Duration = seed.Age < TimeSpan.FromMinutes(1) ? seed.Age : TimeSpan.FromMinutes(1),
            EncryptionType = "GOOGLE_DEFAULT_ENCRYPTION",
            OperationName = name + "/operations/_auto_op_" + NewOperationId(),
            SizeBytes = seed.SizeBytes ?? db.Seed.SizeBytes,
            Fails = seed.Failed,
            MaxExpireTime = createTime + MaxExpiry,
            ChainId = seed.Chain,
            Chain = seed.Chain is null ? null : ChainOf(db, seed.Chain),
        };
        if (seed.Schedule is not null) backup.Schedules.Add(db.Name + "/backupSchedules/" + seed.Schedule);
        backup.Chain?.Add(backup);
        if (!seed.Failed) _liveByName[name] = backup;
        _byOperation[backup.OperationName] = backup;
        _all.Add(backup);
    }

    private readonly Dictionary<string, List<SpannerBackup>> _chains = new(StringComparer.Ordinal);

    private List<SpannerBackup> ChainOf(SpannerDatabase db, string chain)
    {
        var key = db.Name + "#" + chain;
        if (!_chains.TryGetValue(key, out var list)) _chains[key] = list = new List<SpannerBackup>();
        return list;
    }

    /// <summary>The instances of a project (projects/{p}/instances), paged.</summary>
    public (JsonArray Items, string? NextPageToken) ListInstances(string project, int? pageSize, string? pageToken)
    {
        var prefix = "projects/" + project + "/instances/";
        lock (_gate)
        {
            var matching = _instances.Where(i => i.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(i => i, StringComparer.Ordinal).ToList();
            return Page(matching, pageSize, pageToken, i => new JsonObject
            {
                ["name"] = i,
                ["config"] = "projects/" + project + "/instanceConfigs/" + _instanceConfigs[i],
                ["displayName"] = i[prefix.Length..],
                ["nodeCount"] = 1,
                ["state"] = "READY",
            });
        }
    }

    // ---- rules -------------------------------------------------------------------------------------

    /// <summary>
    /// The guard every call about an instance passes first (under the lock): it also takes the backups the
    /// schedules were due to take by now, so a schedule's backups are there whatever is read next.
    /// </summary>
    public void RequireInstance(string instanceName)
    {
        TakeScheduledBackups(Now);
        if (!_instances.Contains(instanceName))
            throw new SpannerError("NOT_FOUND", $"Instance not found: {instanceName}",
                SpannerError.ResourceInfo("type.googleapis.com/google.spanner.admin.instance.v1.Instance", instanceName, "Instance does not exist."));
    }

    [GeneratedRegex(@"^[a-z][a-z0-9_\-]*[a-z0-9]$")]
    private static partial Regex BackupIdPattern();

    private static void ValidateBackupId(string? backupId)
    {
        if (string.IsNullOrEmpty(backupId))
            throw new SpannerError("INVALID_ARGUMENT", "Invalid CreateBackup request: backup_id must be specified.", SpannerError.BadRequest("backup_id", "must be specified"));
        if (backupId.Length is < 2 or > 60 || !BackupIdPattern().IsMatch(backupId))
            throw new SpannerError("INVALID_ARGUMENT",
                $"Invalid backup id '{backupId}': must match the regular expression [a-z][a-z0-9_\\-]*[a-z0-9] and be between 2 and 60 characters in length.",
                SpannerError.BadRequest("backup_id", "must match [a-z][a-z0-9_\\-]*[a-z0-9] and be 2 to 60 characters"));
    }

    private SpannerDatabase ResolveDatabase(string instanceName, string? database)
    {
        if (string.IsNullOrEmpty(database))
            throw new SpannerError("INVALID_ARGUMENT", "Invalid CreateBackup request: backup.database must be specified.", SpannerError.BadRequest("backup.database", "must be specified"));
        if (!database.StartsWith(instanceName + "/databases/", StringComparison.Ordinal) || database.Length == instanceName.Length + 11 || database.IndexOf('/', instanceName.Length + 11) >= 0)
            throw new SpannerError("INVALID_ARGUMENT",
                $"Invalid CreateBackup request: backup.database '{database}' must be a database of the instance {instanceName} (projects/<project>/instances/<instance>/databases/<database>).",
                SpannerError.BadRequest("backup.database", "must name a database of the same instance"));
        if (!_databases.TryGetValue(database, out var db))
            throw new SpannerError("NOT_FOUND", $"Database not found: {database}",
                SpannerError.ResourceInfo("type.googleapis.com/google.spanner.admin.database.v1.Database", database, "Database does not exist."));
        return db;
    }

    private static DateTimeOffset ValidateExpireTime(string? text, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(text))
            throw new SpannerError("INVALID_ARGUMENT", "Invalid CreateBackup request: backup.expire_time must be specified.", SpannerError.BadRequest("backup.expire_time", "must be specified"));
        if (!TimeFormats.TryParseRfc3339(text, out var expire))
            throw new SpannerError("INVALID_ARGUMENT", $"Invalid value at 'backup.expire_time' (type.googleapis.com/google.protobuf.Timestamp), Field 'expireTime', Illegal timestamp format; timestamps must end with 'Z' or have a valid timezone offset: \"{text}\"");
        CheckExpiryWindow(expire, now);
        return expire;
    }

    private static void CheckExpiryWindow(DateTimeOffset expire, DateTimeOffset now)
    {
        if (expire < now + MinExpiry || expire > now + MaxExpiry)
            throw new SpannerError("INVALID_ARGUMENT",
                $"Invalid ExpireTime {TimeFormats.Rfc3339(expire)}: the expiration time of a backup must be at least 6 hours and at most 366 days from the time the request is received ({TimeFormats.Rfc3339(now)}).",
                SpannerError.BadRequest("backup.expire_time", "must be between 6 hours and 366 days after the request"));
    }

    private static DateTimeOffset ValidateVersionTime(string? text, SpannerDatabase db, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(text)) return now;
        if (!TimeFormats.TryParseRfc3339(text, out var version))
            throw new SpannerError("INVALID_ARGUMENT", $"Invalid value at 'backup.version_time' (type.googleapis.com/google.protobuf.Timestamp): \"{text}\"");
        if (version > now)
            throw new SpannerError("INVALID_ARGUMENT", $"Invalid VersionTime {TimeFormats.Rfc3339(version)}: the version time of a backup cannot be in the future (current time {TimeFormats.Rfc3339(now)}).",
                SpannerError.BadRequest("backup.version_time", "must not be in the future"));
        var earliest = now - db.Seed.VersionRetention;
        if (version < earliest)
            throw new SpannerError("INVALID_ARGUMENT",
                $"Invalid VersionTime {TimeFormats.Rfc3339(version)}: the version time of a backup must be within the version retention period of the database {db.Name} (earliest version time {TimeFormats.Rfc3339(earliest)}).",
                SpannerError.BadRequest("backup.version_time", "must be within the database's version retention period"));
        return version;
    }

    private static (string Type, string? Key) ValidateEncryption(string? type, string? kmsKeyName, IReadOnlyList<string> kmsKeyNames, string defaultType = "USE_DATABASE_ENCRYPTION")
    {
        // Create's default is USE_DATABASE_ENCRYPTION; copy's and restore's is USE_CONFIG_DEFAULT_OR_BACKUP_ENCRYPTION.
        type = string.IsNullOrEmpty(type) ? defaultType : type;
        if (type != defaultType && type is not ("GOOGLE_DEFAULT_ENCRYPTION" or "CUSTOMER_MANAGED_ENCRYPTION"))
            throw new SpannerError("INVALID_ARGUMENT", $"Invalid value at 'encryption_config.encryption_type' (type.google.spanner.admin.database.v1.CreateBackupEncryptionConfig.EncryptionType), \"{type}\"",
                SpannerError.BadRequest("encryption_config.encryption_type", "unknown encryption type"));
        var key = !string.IsNullOrEmpty(kmsKeyName) ? kmsKeyName : kmsKeyNames.FirstOrDefault();
        if (type == "CUSTOMER_MANAGED_ENCRYPTION" && string.IsNullOrEmpty(key))
            throw new SpannerError("INVALID_ARGUMENT", "Invalid encryption config: kms_key_name must be specified when encryption_type is CUSTOMER_MANAGED_ENCRYPTION.",
                SpannerError.BadRequest("encryption_config.kms_key_name", "required with CUSTOMER_MANAGED_ENCRYPTION"));
        if (type != "CUSTOMER_MANAGED_ENCRYPTION" && !string.IsNullOrEmpty(key))
            throw new SpannerError("INVALID_ARGUMENT", $"Invalid encryption config: kms_key_name can only be specified when encryption_type is CUSTOMER_MANAGED_ENCRYPTION, but it is {type}.",
                SpannerError.BadRequest("encryption_config.kms_key_name", "only allowed with CUSTOMER_MANAGED_ENCRYPTION"));
        return (type, key);
    }

    // ---- operations on the store ----------------------------------------------------------------------

    public sealed record CreateRequest(string InstanceName, string? BackupId, string? Database, string? ExpireTime, string? VersionTime,
        string? EncryptionType, string? KmsKeyName, IReadOnlyList<string> KmsKeyNames);

    /// <returns>The Operation JSON.</returns>
    public JsonObject Create(CreateRequest r)
    {
        var now = Now;
        lock (_gate)
        {
            RequireInstance(r.InstanceName);
            ValidateBackupId(r.BackupId);
            var db = ResolveDatabase(r.InstanceName, r.Database);
            if (db.Restore is { } restoring && restoring.DatabaseStateAt(now) == "CREATING")
                throw new SpannerError("FAILED_PRECONDITION", $"Cannot create backup of database {db.Name} because the database is being restored.");
            var expire = ValidateExpireTime(r.ExpireTime, now);
            var version = ValidateVersionTime(r.VersionTime, db, now);
            var (encType, key) = ValidateEncryption(r.EncryptionType, r.KmsKeyName, r.KmsKeyNames);

            var name = r.InstanceName + "/backups/" + r.BackupId;
            if (_liveByName.TryGetValue(name, out var existing))
            {
                if (existing.ExistsAt(now))
                    throw new SpannerError("ALREADY_EXISTS", $"Backup already exists: {name}",
                        SpannerError.ResourceInfo(BackupType, name, "Backup already exists."));
                _liveByName.Remove(name);
            }
            if (_pendingByDatabase.TryGetValue(db.Name, out var pending) && !pending.IsDoneAt(now))
                throw new SpannerError("FAILED_PRECONDITION",
                    $"Cannot create backup {name} because the maximum number of pending backups (1) for the database has been reached. Please wait for the pending backup {pending.Name} to complete or cancel it and try again.");

            var backup = new SpannerBackup
            {
                Name = name,
                BackupId = r.BackupId!,
                Database = db,
                CreateTime = now,
                VersionTime = version,
                ExpireTime = expire,
                Duration = DrawDuration(db),
                EncryptionType = encType == "USE_DATABASE_ENCRYPTION" ? "GOOGLE_DEFAULT_ENCRYPTION" : encType,
                KmsKeyName = key,
                OperationName = name + "/operations/_auto_op_" + NewOperationId(),
                SizeBytes = db.Seed.SizeBytes,
                Fails = db.Seed.FailBackups,
                MaxExpireTime = now + MaxExpiry,
            };
            _liveByName[name] = backup;
            _pendingByDatabase[db.Name] = backup;
            _byOperation[backup.OperationName] = backup;
            _all.Add(backup);
            _createsTakenEffect++;
            return RenderOperation(backup, now);
        }
    }

    private TimeSpan DrawDuration(SpannerDatabase db)
    {
        if (db.Seed.BackupDuration is { } fixedDuration) return fixedDuration;
        var min = _options.SpannerBackupDuration;
        if (_options.SpannerBackupDurationMax is not { } max || max <= min) return min;
        return min + (max - min) * _random.NextDouble();
    }

    private string NewOperationId()
    {
        Span<byte> bytes = stackalloc byte[8];
        _random.NextBytes(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    private SpannerBackup RequireBackup(string instanceName, string name, DateTimeOffset now)
    {
        RequireInstance(instanceName);
        if (_liveByName.TryGetValue(name, out var b) && b.ExistsAt(now)) return b;
        throw new SpannerError("NOT_FOUND", $"Backup not found: {name}", SpannerError.ResourceInfo(BackupType, name, "Backup does not exist."));
    }

    public JsonObject Get(string instanceName, string name)
    {
        var now = Now;
        lock (_gate) return RenderBackup(RequireBackup(instanceName, name, now), now);
    }

    public void Delete(string instanceName, string name)
    {
        var now = Now;
        lock (_gate)
        {
            var b = RequireBackup(instanceName, name, now);
            RequireNotHeld(b, now);
            // Deleting a backup that is still being created stops its creation, as Spanner does ("deletes a pending or completed backup").
            if (!b.IsDoneAt(now)) b.CancelTime = now;
            else b.DeleteTime = now;
            _liveByName.Remove(name);
        }
    }

    public JsonObject UpdateExpireTime(string instanceName, string name, string? updateMask, string? expireTime)
    {
        var now = Now;
        lock (_gate)
        {
            var fields = (updateMask ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (fields.Length == 0)
                throw new SpannerError("INVALID_ARGUMENT", "Invalid UpdateBackup request: update_mask must be specified.", SpannerError.BadRequest("update_mask", "must be specified"));
            foreach (var f in fields)
                if (ListFilter.Normalize(f) != "expire_time")
                    throw new SpannerError("INVALID_ARGUMENT", $"Invalid UpdateBackup request: the field '{f}' cannot be updated; only expire_time can be.", SpannerError.BadRequest("update_mask", "only expire_time is updatable"));
            var b = RequireBackup(instanceName, name, now);
            if (string.IsNullOrEmpty(expireTime) || !TimeFormats.TryParseRfc3339(expireTime, out var expire))
                throw new SpannerError("INVALID_ARGUMENT", "Invalid UpdateBackup request: backup.expire_time must be a valid timestamp.", SpannerError.BadRequest("backup.expire_time", "must be specified"));
            CheckExpiryWindow(expire, now);
            if (expire > b.MaxExpireTime)
                throw new SpannerError("INVALID_ARGUMENT", $"Invalid ExpireTime {TimeFormats.Rfc3339(expire)}: it is later than the backup's max_expire_time {TimeFormats.Rfc3339(b.MaxExpireTime)}.",
                    SpannerError.BadRequest("backup.expire_time", "must not be later than max_expire_time"));
            b.ExpireTime = expire;
            return RenderBackup(b, now);
        }
    }

    public (JsonArray Items, string? NextPageToken) List(string instanceName, string? filter, int? pageSize, string? pageToken)
    {
        var now = Now;
        var f = ListFilter.Parse(filter);
        lock (_gate)
        {
            RequireInstance(instanceName);
            var prefix = instanceName + "/backups/";
            var matching = _liveByName.Values
                .Where(b => b.ExistsAt(now) && b.Name.StartsWith(prefix, StringComparison.Ordinal) && f.Matches(field => BackupField(b, field, now)))
                .OrderByDescending(b => b.CreateTime).ThenBy(b => b.Name, StringComparer.Ordinal)
                .ToList();
            return Page(matching, pageSize, pageToken, b => RenderBackup(b, now));
        }
    }

    /// <param name="onlyBackup">backup name, for the per-backup operations list (backups/{b}/operations)</param>
    public (JsonArray Items, string? NextPageToken) ListOperations(string instanceName, string? filter, int? pageSize, string? pageToken, string? onlyBackup = null)
    {
        var now = Now;
        var f = ListFilter.Parse(filter);
        lock (_gate)
        {
            RequireInstance(instanceName);
            var prefix = instanceName + "/backups/";
            var matching = _all
                .Where(b => b.Name.StartsWith(prefix, StringComparison.Ordinal)
                            && (onlyBackup is null || b.Name == onlyBackup)
                            && (b.CompletedAt(now) is not { } done || now - done <= OperationListWindow)
                            && f.Matches(field => OperationField(b, field, now)))
                .OrderByDescending(b => b.CreateTime).ThenBy(b => b.OperationName, StringComparer.Ordinal)
                .ToList();
            return Page(matching, pageSize, pageToken, b => RenderOperation(b, now));
        }
    }

    public JsonObject GetOperation(string instanceName, string operationName)
    {
        var now = Now;
        lock (_gate) return RenderOperation(RequireOperation(instanceName, operationName), now);
    }

    public void CancelOperation(string instanceName, string operationName)
    {
        var now = Now;
        lock (_gate)
        {
            var b = RequireOperation(instanceName, operationName);
            if (b.IsDoneAt(now))
                throw new SpannerError("FAILED_PRECONDITION", $"Operation {operationName} has already completed and cannot be cancelled.");
            // The operation stays listed; it ends CANCELLED and the half-made backup is deleted.
            b.CancelTime = now;
            _liveByName.Remove(b.Name);
        }
    }

    private SpannerBackup RequireOperation(string instanceName, string operationName)
    {
        RequireInstance(instanceName);
        if (_byOperation.TryGetValue(operationName, out var b)) return b;
        throw new SpannerError("NOT_FOUND", $"Operation not found: {operationName}",
            SpannerError.ResourceInfo("type.googleapis.com/google.longrunning.Operation", operationName, "Operation does not exist."));
    }

    public JsonObject GetDatabase(string instanceName, string name)
    {
        lock (_gate)
        {
            RequireInstance(instanceName);
            if (!_databases.TryGetValue(name, out var db))
                throw new SpannerError("NOT_FOUND", $"Database not found: {name}",
                    SpannerError.ResourceInfo("type.googleapis.com/google.spanner.admin.database.v1.Database", name, "Database does not exist."));
            return RenderDatabase(db);
        }
    }

    public (JsonArray Items, string? NextPageToken) ListDatabases(string instanceName, int? pageSize, string? pageToken)
    {
        lock (_gate)
        {
            RequireInstance(instanceName);
            var matching = _databases.Values.Where(d => d.InstanceName == instanceName).OrderBy(d => d.Name, StringComparer.Ordinal).ToList();
            return Page(matching, pageSize, pageToken, RenderDatabase);
        }
    }

    // ---- paging and filter fields ----------------------------------------------------------------------

    private static (JsonArray, string?) Page<T>(List<T> items, int? pageSize, string? pageToken, Func<T, JsonObject> render)
    {
        var size = pageSize is null or 0 ? 50 : pageSize.Value;
        if (size < 0) throw new SpannerError("INVALID_ARGUMENT", "Invalid page_size: must not be negative.");
        size = Math.Min(size, 1000);
        var offset = 0;
        if (!string.IsNullOrEmpty(pageToken))
        {
            try
            {
                var text = Encoding.UTF8.GetString(Convert.FromBase64String(pageToken));
                if (!text.StartsWith("o:", StringComparison.Ordinal) || !int.TryParse(text.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out offset))
                    throw new FormatException();
            }
            catch (FormatException)
            {
                throw new SpannerError("INVALID_ARGUMENT", $"Invalid page_token: {pageToken}");
            }
        }
        var arr = new JsonArray();
        foreach (var b in items.Skip(offset).Take(size)) arr.Add(render(b));
        var next = offset + size < items.Count ? Convert.ToBase64String(Encoding.UTF8.GetBytes("o:" + (offset + size).ToString(CultureInfo.InvariantCulture))) : null;
        return (arr, next);
    }

    private static string? BackupField(SpannerBackup b, string field, DateTimeOffset now) => field switch
    {
        "name" => b.Name,
        "database" => b.Database.Name,
        "state" => b.StateAt(now),
        "create_time" => TimeFormats.Rfc3339(b.CreateTime),
        "expire_time" => TimeFormats.Rfc3339(b.ExpireTime),
        "version_time" => TimeFormats.Rfc3339(b.VersionTime),
        "size_bytes" => now >= b.EndTime ? b.SizeBytes.ToString(CultureInfo.InvariantCulture) : "0",
        // A seeded incremental chain's backup frees nothing while a younger backup of the chain needs it; everything else is a full backup.
        "freeable_size_bytes" => now >= b.EndTime && !NeededByChain(b, now) ? b.SizeBytes.ToString(CultureInfo.InvariantCulture) : "0",
        "exclusive_size_bytes" => now >= b.EndTime ? b.SizeBytes.ToString(CultureInfo.InvariantCulture) : "0",
        "oldest_version_time" => TimeFormats.Rfc3339(OldestVersionTime(b, now)),
        "max_expire_time" => TimeFormats.Rfc3339(b.MaxExpireTime),
        "referencing_databases" => b.Restores.Any(r => r.HoldsBackupAt(now)) ? string.Join(",", b.Restores.Where(r => r.HoldsBackupAt(now)).Select(r => r.DatabaseName)) : null,
        "incremental_backup_chain_id" => b.ChainId,
        "backup_schedules" => b.Schedules.Count > 0 ? string.Join(",", b.Schedules) : null,
        "referencing_backups" => b.Copies.Any(c => !c.IsDoneAt(now)) ? string.Join(",", b.Copies.Where(c => !c.IsDoneAt(now)).Select(c => c.Name)) : null,
        _ => null,
    };

    private static string? OperationField(SpannerBackup b, string field, DateTimeOffset now)
    {
        var completed = b.CompletedAt(now);
        return field switch
        {
            "name" => b.OperationName,
            "done" => completed is null ? "false" : "true",
            "metadata.@type" => b.SourceBackup is null ? MetadataType : CopyMetadataType,
            "metadata.name" => b.Name,
            "metadata.database" => b.SourceBackup is null ? b.Database.Name : null,
            "metadata.source_backup" => b.SourceBackup,
            "metadata.progress.progress_percent" => ProgressOf(b, now).ToString(CultureInfo.InvariantCulture),
            "metadata.progress.start_time" => TimeFormats.Rfc3339(b.CreateTime),
            "metadata.progress.end_time" => completed is { } c ? TimeFormats.Rfc3339(c) : null,
            "metadata.cancel_time" => b.CancelTime is { } ct ? TimeFormats.Rfc3339(ct) : null,
            "error" => completed is not null && !b.Succeeded(now) ? "error" : null,
            "error.code" => completed is not null && !b.Succeeded(now) ? (b.CancelTime is not null ? "1" : "13") : null,
            "response.@type" => completed is not null && b.Succeeded(now) ? BackupType : null,
            _ => null,
        };
    }

    private static int ProgressOf(SpannerBackup b, DateTimeOffset now)
        => b.CancelTime is { } c && c < b.EndTime ? b.ProgressAt(c) : b.ProgressAt(now);

    // ---- rendering ------------------------------------------------------------------------------------

    private static string Int64(long v) => v.ToString(CultureInfo.InvariantCulture);

    public static JsonObject RenderBackup(SpannerBackup b, DateTimeOffset now)
    {
        var ready = now >= b.EndTime;
        var o = new JsonObject
        {
            ["name"] = b.Name,
            ["database"] = b.Database.Name,
            ["versionTime"] = TimeFormats.Rfc3339(b.VersionTime),
            ["expireTime"] = TimeFormats.Rfc3339(b.ExpireTime),
            ["createTime"] = TimeFormats.Rfc3339(b.CreateTime),
        };
        // proto3 JSON leaves out zero values: a CREATING backup has no size yet.
        // A backup of an incremental chain that a younger backup of the chain still needs frees nothing when deleted.
        if (ready)
        {
            o["sizeBytes"] = Int64(b.SizeBytes);
            if (!NeededByChain(b, now)) o["freeableSizeBytes"] = Int64(b.SizeBytes);
            o["exclusiveSizeBytes"] = Int64(b.SizeBytes);
        }
        if (b.ChainId is not null) o["incrementalBackupChainId"] = b.ChainId;
        var copying = b.Copies.Where(c => !c.IsDoneAt(now)).Select(c => (JsonNode?)JsonValue.Create(c.Name)).ToArray();
        if (copying.Length > 0) o["referencingBackups"] = new JsonArray(copying);
        o["state"] = ready ? "READY" : "CREATING";
        if (ready)
        {
            var enc = new JsonObject { ["encryptionType"] = b.EncryptionType };
            if (b.KmsKeyName is not null) enc["kmsKeyVersion"] = b.KmsKeyName + "/cryptoKeyVersions/1";
            o["encryptionInfo"] = enc;
            o["encryptionInformation"] = new JsonArray(enc.DeepClone());
        }
        var referencing = b.Restores.Where(r => r.HoldsBackupAt(now)).Select(r => (JsonNode?)JsonValue.Create(r.DatabaseName)).ToArray();
        if (referencing.Length > 0) o["referencingDatabases"] = new JsonArray(referencing);
        if (b.Schedules.Count > 0) o["backupSchedules"] = new JsonArray(b.Schedules.Select(x => (JsonNode?)JsonValue.Create(x)).ToArray());
        o["databaseDialect"] = b.Database.Seed.Dialect;
        o["maxExpireTime"] = TimeFormats.Rfc3339(b.MaxExpireTime);
        o["oldestVersionTime"] = TimeFormats.Rfc3339(OldestVersionTime(b, now));
        return o;
    }

    private static bool NeededByChain(SpannerBackup b, DateTimeOffset now)
        => b.Chain?.Exists(o => o != b && o.VersionTime > b.VersionTime && o.ExistsAt(now)) == true;

    /// <summary>The oldest version time the backup's chain still covers (its own for a full backup outside a chain).</summary>
    private static DateTimeOffset OldestVersionTime(SpannerBackup b, DateTimeOffset now)
        => b.Chain?.Where(c => c.ExistsAt(now)).Select(c => c.VersionTime).DefaultIfEmpty(b.VersionTime).Min() ?? b.VersionTime;

    public static JsonObject RenderOperation(SpannerBackup b, DateTimeOffset now)
    {
        var completed = b.CompletedAt(now);
        var progress = new JsonObject();
        var percent = ProgressOf(b, now);
        if (percent != 0) progress["progressPercent"] = percent;
        progress["startTime"] = TimeFormats.Rfc3339(b.CreateTime);
        if (completed is { } end) progress["endTime"] = TimeFormats.Rfc3339(end);
        var metadata = b.SourceBackup is null
            ? new JsonObject { ["@type"] = MetadataType, ["name"] = b.Name, ["database"] = b.Database.Name, ["progress"] = progress }
            : new JsonObject { ["@type"] = CopyMetadataType, ["name"] = b.Name, ["sourceBackup"] = b.SourceBackup, ["progress"] = progress };
        if (b.CancelTime is { } cancel) metadata["cancelTime"] = TimeFormats.Rfc3339(cancel);
        var op = new JsonObject { ["name"] = b.OperationName, ["metadata"] = metadata };
        if (completed is null) return op; // proto3 JSON omits done=false
        op["done"] = true;
        if (b.CancelTime is not null && b.CancelTime < b.EndTime)
            op["error"] = new JsonObject { ["code"] = 1, ["message"] = "CANCELLED" };
        else if (b.Fails)
            op["error"] = new JsonObject { ["code"] = 13, ["message"] = b.Database.Seed.FailMessage };
        else
        {
            var response = new JsonObject { ["@type"] = BackupType };
            foreach (var kv in RenderBackup(b, b.EndTime)) response[kv.Key] = kv.Value?.DeepClone();
            op["response"] = response;
        }
        return op;
    }

    private JsonObject RenderDatabase(SpannerDatabase db)
    {
        var now = Now;
        var o = new JsonObject
        {
            ["name"] = db.Name,
            ["state"] = db.Restore?.DatabaseStateAt(now) ?? "READY",
            ["createTime"] = TimeFormats.Rfc3339(db.CreateTime),
            ["versionRetentionPeriod"] = FormatRetention(db.Seed.VersionRetention),
            ["earliestVersionTime"] = TimeFormats.Rfc3339(TimeFormats.TruncateToMicros(now - db.Seed.VersionRetention)),
            ["encryptionInfo"] = new JsonArray(),
            ["databaseDialect"] = db.Seed.Dialect,
            ["enableDropProtection"] = db.Seed.EnableDropProtection,
        };
        if (db.Restore is { } restore) o["restoreInfo"] = RenderRestoreInfo(restore);
        return o;
    }

    private static string FormatRetention(TimeSpan t)
        => t.TotalDays >= 1 && t.TotalDays == Math.Floor(t.TotalDays) ? $"{(int)t.TotalDays}d"
            : t.TotalHours >= 1 && t.TotalHours == Math.Floor(t.TotalHours) ? $"{(int)t.TotalHours}h"
            : $"{(int)t.TotalMinutes}m";

    // ---- assertions ----------------------------------------------------------------------------------

    public IReadOnlyList<SpannerBackupView> Snapshot()
    {
        var now = Now;
        lock (_gate)
        {
            TakeScheduledBackups(now);
            return _all.Select(b => new SpannerBackupView(b.Name, b.Database.Name, b.ExistsAt(now) ? b.StateAt(now) : "DELETED", b.ExistsAt(now),
                b.OperationName, b.IsDoneAt(now),
                b.CompletedAt(now) is null ? null : b.CancelTime is not null && b.CancelTime < b.EndTime ? "CANCELLED" : b.Fails ? "INTERNAL" : null,
                b.CreateTime, b.ExpireTime, b.VersionTime, b.Duration, b.CompletedAt(now), b.CancelTime, b.DeleteTime)).ToList();
        }
    }
}
