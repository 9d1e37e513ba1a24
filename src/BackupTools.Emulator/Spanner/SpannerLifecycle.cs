using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace BackupTools.Emulator.Spanner;

/// <summary>
/// Copy and restore, with the rules lifecycle.md lists: a copy needs a READY source and an expiry within 6 hours to
/// 366 days of the source's creation (and not past its max_expire_time); a source being copied cannot be deleted
/// nor expire. A restore needs a READY backup of the same project and instance configuration, a new database id,
/// and no other restore pending in the instance; after it Spanner optimizes the database (READY_OPTIMIZING), and
/// the backup stays in use (referencingDatabases, cannot be deleted) until that ends.
/// </summary>
internal sealed partial class SpannerStore
{
    public const string DatabaseType = "type.googleapis.com/google.spanner.admin.database.v1.Database";
    public const string RestoreMetadataType = "type.googleapis.com/google.spanner.admin.database.v1.RestoreDatabaseMetadata";
    public const string OptimizeMetadataType = "type.googleapis.com/google.spanner.admin.database.v1.OptimizeRestoredDatabaseMetadata";
    private const string CopyDefaultEncryption = "USE_CONFIG_DEFAULT_OR_BACKUP_ENCRYPTION";

    private readonly Dictionary<string, string> _instanceConfigs = new(StringComparer.Ordinal);
    private readonly List<SpannerRestore> _restores = new();
    /// <summary>Restore and optimize operation names to their restore (the flag says which of the two).</summary>
    private readonly Dictionary<string, (SpannerRestore Restore, bool Optimize)> _restoreOperations = new(StringComparer.Ordinal);

    [GeneratedRegex(@"^(projects/[^/]+/instances/[^/]+)/backups/([^/]+)$")]
    private static partial Regex BackupNamePattern();

    [GeneratedRegex(@"^[a-z][a-z0-9_\-]*[a-z0-9]$")]
    private static partial Regex DatabaseIdPattern();

    // ---- copy ----------------------------------------------------------------------------------------

    public sealed record CopyRequest(string InstanceName, string? BackupId, string? SourceBackup, string? ExpireTime,
        string? EncryptionType, string? KmsKeyName, IReadOnlyList<string> KmsKeyNames);

    /// <returns>The Operation JSON (CopyBackupMetadata).</returns>
    public JsonObject Copy(CopyRequest r)
    {
        var now = Now;
        lock (_gate)
        {
            RequireInstance(r.InstanceName);
            ValidateBackupId(r.BackupId);
            var source = RequireSourceBackup(r.SourceBackup, "source_backup", now);
            if (source.StateAt(now) != "READY")
                throw new SpannerError("FAILED_PRECONDITION",
                    $"Cannot copy source backup {source.Name} because the backup is still being created. Please retry the operation once the pending backup is complete.");
            if (string.IsNullOrEmpty(r.ExpireTime))
                throw new SpannerError("INVALID_ARGUMENT", "Invalid CopyBackup request: expire_time must be specified.", SpannerError.BadRequest("expire_time", "must be specified"));
            if (!TimeFormats.TryParseRfc3339(r.ExpireTime, out var expire))
                throw new SpannerError("INVALID_ARGUMENT", $"Invalid value at 'expire_time' (type.googleapis.com/google.protobuf.Timestamp): \"{r.ExpireTime}\"");
            var latest = source.CreateTime + MaxExpiry < source.MaxExpireTime ? source.CreateTime + MaxExpiry : source.MaxExpireTime;
            if (expire < source.CreateTime + MinExpiry || expire > latest)
                throw new SpannerError("INVALID_ARGUMENT",
                    $"Invalid ExpireTime {TimeFormats.Rfc3339(expire)}: the expiration time of a backup copy must be at least 6 hours after the source backup's create time ({TimeFormats.Rfc3339(source.CreateTime)}) and at most {TimeFormats.Rfc3339(latest)} (366 days after it, and not past its max_expire_time).",
                    SpannerError.BadRequest("expire_time", "must be 6 hours to 366 days after the source backup's create time"));
            var (type, key) = ValidateEncryption(r.EncryptionType, r.KmsKeyName, r.KmsKeyNames, CopyDefaultEncryption);

            var name = r.InstanceName + "/backups/" + r.BackupId;
            RequireNameFree(name, now);
            var copy = new SpannerBackup
            {
                Name = name,
                BackupId = r.BackupId!,
                Database = source.Database,
                CreateTime = now,
                VersionTime = source.VersionTime,
                ExpireTime = expire,
                Duration = DrawDuration(source.Database),
                EncryptionType = type == CopyDefaultEncryption ? source.EncryptionType : type,
                KmsKeyName = type == CopyDefaultEncryption ? source.KmsKeyName : key,
                OperationName = name + "/operations/_auto_op_" + NewOperationId(),
                SizeBytes = source.SizeBytes,
                Fails = false,
                MaxExpireTime = latest,
                SourceBackup = source.Name,
            };
            source.Copies.Add(copy);
            _liveByName[name] = copy;
            _byOperation[copy.OperationName] = copy;
            _all.Add(copy);
            return RenderOperation(copy, now);
        }
    }

    private SpannerBackup RequireSourceBackup(string? name, string field, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(name))
            throw new SpannerError("INVALID_ARGUMENT", $"Invalid request: {field} must be specified.", SpannerError.BadRequest(field, "must be specified"));
        var m = BackupNamePattern().Match(name);
        if (!m.Success)
            throw new SpannerError("INVALID_ARGUMENT", $"Invalid {field} '{name}': expected projects/<project>/instances/<instance>/backups/<backup>.",
                SpannerError.BadRequest(field, "must be a full backup name"));
        return RequireBackup(m.Groups[1].Value, name, now);
    }

    private void RequireNameFree(string name, DateTimeOffset now)
    {
        if (_liveByName.TryGetValue(name, out var existing))
        {
            if (existing.ExistsAt(now))
                throw new SpannerError("ALREADY_EXISTS", $"Backup already exists: {name}", SpannerError.ResourceInfo(BackupType, name, "Backup already exists."));
            _liveByName.Remove(name);
        }
    }

    /// <summary>A backup being copied, or in use by a restore that is restoring or optimizing, cannot be deleted.</summary>
    private static void RequireNotHeld(SpannerBackup b, DateTimeOffset now)
    {
        var copying = b.Copies.Where(c => !c.IsDoneAt(now)).Select(c => c.Name).ToList();
        if (copying.Count > 0)
            throw new SpannerError("FAILED_PRECONDITION", $"Cannot delete backup {b.Name} because it is the source of {copying.Count} pending copy operation(s): {string.Join(", ", copying)}.");
        var restoring = b.Restores.Count(r => r.HoldsBackupAt(now));
        if (restoring > 0)
            throw new SpannerError("FAILED_PRECONDITION", $"Cannot delete backup {b.Name} because it is still in use by {restoring} databases for pending restore activity.");
    }

    // ---- restore -------------------------------------------------------------------------------------

    public sealed record RestoreRequest(string InstanceName, string? DatabaseId, string? Backup, string? EncryptionType, string? KmsKeyName, IReadOnlyList<string> KmsKeyNames);

    /// <returns>The Operation JSON (RestoreDatabaseMetadata).</returns>
    public JsonObject Restore(RestoreRequest r)
    {
        var now = Now;
        lock (_gate)
        {
            RequireInstance(r.InstanceName);
            if (string.IsNullOrEmpty(r.DatabaseId))
                throw new SpannerError("INVALID_ARGUMENT", "Invalid RestoreDatabase request: database_id must be specified.", SpannerError.BadRequest("database_id", "must be specified"));
            if (r.DatabaseId.Length is < 2 or > 30 || !DatabaseIdPattern().IsMatch(r.DatabaseId))
                throw new SpannerError("INVALID_ARGUMENT",
                    $"Invalid database id '{r.DatabaseId}': must match the regular expression [a-z][a-z0-9_\\-]*[a-z0-9] and be between 2 and 30 characters in length.",
                    SpannerError.BadRequest("database_id", "must match [a-z][a-z0-9_\\-]*[a-z0-9] and be 2 to 30 characters"));
            var backup = RequireSourceBackup(r.Backup, "backup", now);
            var backupInstance = backup.Name[..backup.Name.IndexOf("/backups/", StringComparison.Ordinal)];
            if (ProjectOf(backupInstance) != ProjectOf(r.InstanceName))
                throw new SpannerError("INVALID_ARGUMENT", $"Cannot restore backup {backup.Name} into instance {r.InstanceName}: a backup can only be restored into an instance of the same project.");
            if (_instanceConfigs[backupInstance] != _instanceConfigs[r.InstanceName])
                throw new SpannerError("INVALID_ARGUMENT",
                    $"Cannot restore backup {backup.Name} (instance configuration {_instanceConfigs[backupInstance]}) into instance {r.InstanceName} (instance configuration {_instanceConfigs[r.InstanceName]}): the instance configurations must be the same.");
            if (backup.StateAt(now) != "READY")
                throw new SpannerError("FAILED_PRECONDITION", $"Cannot restore from backup {backup.Name} because the backup is still being created.");
            var (type, key) = ValidateEncryption(r.EncryptionType, r.KmsKeyName, r.KmsKeyNames, CopyDefaultEncryption);
            var databaseName = r.InstanceName + "/databases/" + r.DatabaseId;
            if (_databases.ContainsKey(databaseName))
                throw new SpannerError("ALREADY_EXISTS", $"Database already exists: {databaseName}",
                    SpannerError.ResourceInfo(DatabaseType, databaseName, "Database already exists."));
            var pending = _restores.FirstOrDefault(x => x.InstanceName == r.InstanceName && x.RestoringAt(now));
            if (pending is not null)
                throw new SpannerError("FAILED_PRECONDITION",
                    $"Cannot restore database {databaseName} because the maximum number of pending restores (1) for the instance has been reached. Please wait for the pending restore of {pending.DatabaseName} to complete and try again.");

            var restore = new SpannerRestore
            {
                InstanceName = r.InstanceName,
                DatabaseName = databaseName,
                Backup = backup,
                OperationName = databaseName + "/operations/_auto_op_" + NewOperationId(),
                OptimizeOperationName = databaseName + "/operations/_auto_op_" + NewOperationId(),
                StartTime = now,
                RestoreDuration = _options.SpannerRestoreDuration,
                OptimizeDuration = _options.SpannerOptimizeDuration,
                EncryptionType = type == CopyDefaultEncryption ? backup.EncryptionType : type,
                KmsKeyName = type == CopyDefaultEncryption ? backup.KmsKeyName : key,
            };
            var seed = new SpannerDatabaseSeed { Id = r.DatabaseId, Dialect = backup.Database.Seed.Dialect, SizeBytes = backup.SizeBytes };
            _databases[databaseName] = new SpannerDatabase(r.InstanceName, seed, now) { Restore = restore };
            _restores.Add(restore);
            _restoreOperations[restore.OperationName] = (restore, false);
            _restoreOperations[restore.OptimizeOperationName] = (restore, true);
            backup.Restores.Add(restore);
            return RenderRestoreOperation(restore, now);
        }
    }

    private static string ProjectOf(string instanceName) => instanceName.Split('/')[1];

    public JsonObject GetDatabaseOperation(string instanceName, string operationName)
    {
        var now = Now;
        lock (_gate)
        {
            var (restore, optimize) = RequireRestoreOperation(instanceName, operationName, now);
            return optimize ? RenderOptimizeOperation(restore, now) : RenderRestoreOperation(restore, now);
        }
    }

    public void CancelDatabaseOperation(string instanceName, string operationName)
    {
        var now = Now;
        lock (_gate)
        {
            var (restore, optimize) = RequireRestoreOperation(instanceName, operationName, now);
            if (optimize)
                throw new SpannerError("FAILED_PRECONDITION", $"Operation {operationName} optimizes a restored database and cannot be cancelled.");
            if (restore.RestoreDoneAt(now))
                throw new SpannerError("FAILED_PRECONDITION", $"Operation {operationName} has already completed and cannot be cancelled.");
            // The operation ends CANCELLED and the half-restored database is deleted.
            restore.CancelTime = now;
            _databases.Remove(restore.DatabaseName);
        }
    }

    /// <summary>
    /// databases.dropDatabase: the database goes, its backups stay. A database still being restored cannot be
    /// dropped (cancel its restore operation: that deletes it); one that is optimizing can, and stops holding its backup.
    /// A database with drop protection (enableDropProtection, seeded) is refused with FAILED_PRECONDITION.
    /// </summary>
    public void DropDatabase(string instanceName, string name)
    {
        var now = Now;
        lock (_gate)
        {
            RequireInstance(instanceName);
            if (!_databases.TryGetValue(name, out var db))
                throw new SpannerError("NOT_FOUND", $"Database not found: {name}",
                    SpannerError.ResourceInfo(DatabaseType, name, "Database does not exist."));
            // The service's own words (a restored database starts without drop protection).
            if (db.Seed.EnableDropProtection)
                throw new SpannerError("FAILED_PRECONDITION", $"Cannot drop database {name} because the `enable_drop_protection` setting is currently enabled for it. Please disable the setting and try again.");
            if (db.Restore is { } restore)
            {
                if (restore.RestoringAt(now))
                    throw new SpannerError("FAILED_PRECONDITION", $"Cannot drop database {name} while it is being restored. Cancel the restore operation {restore.OperationName} instead.");
                restore.DropTime = now;
            }
            _databases.Remove(name);
        }
    }

    public (JsonArray Items, string? NextPageToken) ListDatabaseOperations(string instanceName, string? filter, int? pageSize, string? pageToken)
    {
        var now = Now;
        var f = ListFilter.Parse(filter);
        lock (_gate)
        {
            RequireInstance(instanceName);
            var rows = new List<(SpannerRestore Restore, bool Optimize)>();
            foreach (var r in _restores.Where(x => x.InstanceName == instanceName).OrderByDescending(x => x.StartTime))
            {
                if (r.OptimizeStartedAt(now)) rows.Add((r, true));
                rows.Add((r, false));
            }
            var matching = rows
                .Where(x => (x.Optimize ? OptimizeCompletedAt(x.Restore, now) : RestoreCompletedAt(x.Restore, now)) is not { } done || now - done <= OperationListWindow)
                .Where(x => f.Matches(field => DatabaseOperationField(x.Restore, x.Optimize, field, now)))
                .ToList();
            return Page(matching, pageSize, pageToken, x => x.Optimize ? RenderOptimizeOperation(x.Restore, now) : RenderRestoreOperation(x.Restore, now));
        }
    }

    private (SpannerRestore, bool) RequireRestoreOperation(string instanceName, string operationName, DateTimeOffset now)
    {
        RequireInstance(instanceName);
        if (_restoreOperations.TryGetValue(operationName, out var found) && (!found.Optimize || found.Restore.OptimizeStartedAt(now)))
            return found;
        throw new SpannerError("NOT_FOUND", $"Operation not found: {operationName}",
            SpannerError.ResourceInfo("type.googleapis.com/google.longrunning.Operation", operationName, "Operation does not exist."));
    }

    private static DateTimeOffset? RestoreCompletedAt(SpannerRestore r, DateTimeOffset now)
        => r.Cancelled ? r.CancelTime : now >= r.RestoreEnd ? r.RestoreEnd : null;

    private static DateTimeOffset? OptimizeCompletedAt(SpannerRestore r, DateTimeOffset now) => now >= r.OptimizeEnd ? r.OptimizeEnd : null;

    private static string? DatabaseOperationField(SpannerRestore r, bool optimize, string field, DateTimeOffset now) => field switch
    {
        "name" => optimize ? r.OptimizeOperationName : r.OperationName,
        "done" => (optimize ? OptimizeCompletedAt(r, now) : RestoreCompletedAt(r, now)) is null ? "false" : "true",
        "metadata.@type" => optimize ? OptimizeMetadataType : RestoreMetadataType,
        "metadata.name" => r.DatabaseName,
        "metadata.source_type" => optimize ? null : "BACKUP",
        "metadata.backup_info.backup" => optimize ? null : r.Backup.Name,
        _ => null,
    };

    // ---- rendering -----------------------------------------------------------------------------------

    private static JsonObject RenderRestoreInfo(SpannerRestore r) => new()
    {
        ["sourceType"] = "BACKUP",
        ["backupInfo"] = new JsonObject
        {
            ["backup"] = r.Backup.Name,
            ["versionTime"] = TimeFormats.Rfc3339(r.Backup.VersionTime),
            ["createTime"] = TimeFormats.Rfc3339(r.Backup.CreateTime),
            ["sourceDatabase"] = r.Backup.Database.Name,
        },
    };

    private static JsonObject Progress(int percent, DateTimeOffset start, DateTimeOffset? end)
    {
        var progress = new JsonObject();
        if (percent != 0) progress["progressPercent"] = percent;
        progress["startTime"] = TimeFormats.Rfc3339(start);
        if (end is { } e) progress["endTime"] = TimeFormats.Rfc3339(e);
        return progress;
    }

    private JsonObject RenderRestoreOperation(SpannerRestore r, DateTimeOffset now)
    {
        var completed = RestoreCompletedAt(r, now);
        var metadata = new JsonObject
        {
            ["@type"] = RestoreMetadataType,
            ["name"] = r.DatabaseName,
            ["sourceType"] = "BACKUP",
            ["backupInfo"] = RenderRestoreInfo(r)["backupInfo"]!.DeepClone(),
            ["progress"] = Progress(r.RestoreProgressAt(now), r.StartTime, completed),
        };
        if (r.CancelTime is { } cancel) metadata["cancelTime"] = TimeFormats.Rfc3339(cancel);
        if (r.OptimizeStartedAt(now)) metadata["optimizeDatabaseOperationName"] = r.OptimizeOperationName;
        var op = new JsonObject { ["name"] = r.OperationName, ["metadata"] = metadata };
        if (completed is null) return op;
        op["done"] = true;
        if (r.Cancelled) op["error"] = new JsonObject { ["code"] = 1, ["message"] = "CANCELLED" };
        else op["response"] = DatabaseResponse(r);
        return op;
    }

    private JsonObject RenderOptimizeOperation(SpannerRestore r, DateTimeOffset now)
    {
        var completed = OptimizeCompletedAt(r, now);
        var metadata = new JsonObject
        {
            ["@type"] = OptimizeMetadataType,
            ["name"] = r.DatabaseName,
            ["progress"] = Progress(r.OptimizeProgressAt(now), r.RestoreEnd, completed),
        };
        var op = new JsonObject { ["name"] = r.OptimizeOperationName, ["metadata"] = metadata };
        if (completed is null) return op;
        op["done"] = true;
        op["response"] = DatabaseResponse(r);
        return op;
    }

    private JsonObject DatabaseResponse(SpannerRestore r)
    {
        var response = new JsonObject { ["@type"] = DatabaseType };
        if (_databases.TryGetValue(r.DatabaseName, out var db))
            foreach (var kv in RenderDatabase(db)) response[kv.Key] = kv.Value?.DeepClone();
        else
            response["name"] = r.DatabaseName;
        return response;
    }

    // ---- assertions ----------------------------------------------------------------------------------

    public IReadOnlyList<SpannerRestoreView> RestoreSnapshot()
    {
        var now = Now;
        lock (_gate)
            return _restores.Select(r => new SpannerRestoreView(r.DatabaseName, r.Backup.Name, r.Cancelled || r.DropTime is not null ? "DELETED" : r.DatabaseStateAt(now), r.Cancelled,
                r.OperationName, r.OptimizeOperationName, r.StartTime, r.RestoreEnd, r.OptimizeEnd, r.CancelTime)).ToList();
    }
}
