using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace BackupTools.Emulator.Spanner;

/// <summary>
/// A backup schedule of a database. Nothing runs in the background: the backups it was due to take are
/// taken when state is next read (<see cref="SpannerStore.TakeScheduledBackups"/>), dated at their cron times.
/// </summary>
internal sealed class SpannerBackupSchedule
{
    public required string Name { get; init; }
    public required SpannerDatabase Database { get; init; }
    public required ScheduleCron Cron { get; set; }
    public required TimeSpan Retention { get; set; }
    public required bool Incremental { get; set; }
    public required string EncryptionType { get; set; }
    public string? KmsKeyName { get; set; }
    public required DateTimeOffset UpdateTime { get; set; }
    /// <summary>The last cron time considered: the next backup is due at the first cron time after it.</summary>
    public required DateTimeOffset TakenUpTo { get; set; }
    /// <summary>The incremental chain backups are added to, while any of it exists.</summary>
    public string? ChainId { get; set; }
    public List<SpannerBackup>? Chain { get; set; }
    public int ChainNumber { get; set; }
}

/// <summary>
/// The cron texts the service accepts for a backup schedule (UTC; every 12 hours, daily, weekly, monthly),
/// parsed to the times they name.
/// </summary>
internal sealed class ScheduleCron
{
    private ScheduleCron(string text, int minute, int[] hours, int? dayOfMonth, DayOfWeek? dayOfWeek)
    {
        Text = text;
        Minute = minute;
        Hours = hours;
        DayOfMonth = dayOfMonth;
        DayOfWeek = dayOfWeek;
    }

    public string Text { get; }
    public int Minute { get; }
    public int[] Hours { get; }
    public int? DayOfMonth { get; }
    public DayOfWeek? DayOfWeek { get; }

    private const string Rule = "the cron text must be in UTC with a frequency of every 12 hours, daily, weekly or monthly (for example '0 2/12 * * *', '0 2 * * *', '0 2 * * 0', '0 2 8 * *')";

    public static ScheduleCron Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw new SpannerError("INVALID_ARGUMENT", "Invalid backup schedule: spec.cron_spec.text must be specified.", SpannerError.BadRequest("backup_schedule.spec.cron_spec.text", "must be specified"));
        var f = text.Trim().Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
        SpannerError Bad(string why) => new("INVALID_ARGUMENT", $"Invalid cron text '{text}': {why}; {Rule}.", SpannerError.BadRequest("backup_schedule.spec.cron_spec.text", Rule));
        if (text.Contains('=')) throw Bad("time zones other than UTC are not supported");
        if (f.Length != 5) throw Bad("expected 5 fields");
        if (!Number(f[0], 0, 59, out var minute)) throw Bad("the minute must be a single value");
        int[] hours;
        if (Number(f[1], 0, 23, out var hour)) hours = new[] { hour };
        else if (f[1].Split('/') is [var start, "12"] && (start == "*" || Number(start, 0, 11, out _))) hours = start == "*" ? new[] { 0, 12 } : new[] { int.Parse(start, CultureInfo.InvariantCulture), int.Parse(start, CultureInfo.InvariantCulture) + 12 };
        else if (f[1].Split(',') is [var a, var b] && Number(a, 0, 23, out var ha) && Number(b, 0, 23, out var hb) && Math.Abs(ha - hb) == 12) hours = new[] { Math.Min(ha, hb), Math.Max(ha, hb) };
        else throw Bad("the hour must be a single value or every 12 hours");
        if (f[3] != "*") throw Bad("the month must be '*'");
        if (hours.Length == 2 && (f[2] != "*" || f[4] != "*")) throw Bad("a schedule every 12 hours runs every day");
        if (f[2] != "*" && f[4] != "*") throw Bad("give a day of month or a day of week, not both");
        int? dom = null;
        DayOfWeek? dow = null;
        if (f[2] != "*") dom = Number(f[2], 1, 31, out var d) ? d : throw Bad("the day of month must be a single value");
        if (f[4] != "*") dow = Number(f[4], 0, 7, out var w) ? (DayOfWeek)(w % 7) : throw Bad("the day of week must be a single value");
        return new ScheduleCron(string.Join(' ', f), minute, hours, dom, dow);
    }

    private static bool Number(string s, int min, int max, out int value)
        => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value) && s.Length <= 2 && value >= min && value <= max;

    /// <summary>The cron times after <paramref name="after"/> up to and including <paramref name="until"/>, in order.</summary>
    public IEnumerable<DateTimeOffset> TimesBetween(DateTimeOffset after, DateTimeOffset until)
    {
        for (var day = after.UtcDateTime.Date; day <= until.UtcDateTime.Date; day = day.AddDays(1))
        {
            if (DayOfMonth is { } dom && day.Day != dom) continue;
            if (DayOfWeek is { } dow && day.DayOfWeek != dow) continue;
            foreach (var h in Hours)
            {
                var t = new DateTimeOffset(day.AddHours(h).AddMinutes(Minute), TimeSpan.Zero);
                if (t > after && t <= until) yield return t;
            }
        }
    }
}

internal sealed partial class SpannerStore
{
    public const string ScheduleType = "type.googleapis.com/google.spanner.admin.database.v1.BackupSchedule";
    /// <summary>The service starts a scheduled backup within this long of its version time.</summary>
    private static readonly TimeSpan CreationWindow = TimeSpan.FromHours(4);

    private readonly Dictionary<string, SpannerBackupSchedule> _schedules = new(StringComparer.Ordinal);

    [GeneratedRegex(@"^[a-z][a-z0-9_\-]*[a-z0-9]$")]
    private static partial Regex ScheduleIdPattern();

    public sealed record ScheduleBody(string? CronText, string? RetentionDuration, bool Full, bool Incremental, string? EncryptionType, string? KmsKeyName, IReadOnlyList<string> KmsKeyNames);

    public JsonObject CreateSchedule(string instanceName, string databaseName, string? scheduleId, ScheduleBody body)
    {
        var now = Now;
        lock (_gate)
        {
            RequireInstance(instanceName);
            if (string.IsNullOrEmpty(scheduleId))
                throw new SpannerError("INVALID_ARGUMENT", "Invalid CreateBackupSchedule request: backup_schedule_id must be specified.", SpannerError.BadRequest("backup_schedule_id", "must be specified"));
            if (scheduleId.Length is < 2 or > 60 || !ScheduleIdPattern().IsMatch(scheduleId))
                throw new SpannerError("INVALID_ARGUMENT", $"Invalid backup schedule id '{scheduleId}': must match [a-z][a-z0-9_\\-]*[a-z0-9] and be between 2 and 60 characters in length.",
                    SpannerError.BadRequest("backup_schedule_id", "must match [a-z][a-z0-9_\\-]*[a-z0-9] and be 2 to 60 characters"));
            var db = RequireDatabase(databaseName);
            var cron = ScheduleCron.Parse(body.CronText);
            var retention = ParseRetention(body.RetentionDuration);
            RequireOneKind(body.Full, body.Incremental);
            var (encType, key) = ValidateEncryption(body.EncryptionType, body.KmsKeyName, body.KmsKeyNames);
            var name = databaseName + "/backupSchedules/" + scheduleId;
            if (_schedules.ContainsKey(name))
                throw new SpannerError("ALREADY_EXISTS", $"Backup schedule already exists: {name}", SpannerError.ResourceInfo(ScheduleType, name, "Backup schedule already exists."));
            var schedule = new SpannerBackupSchedule
            {
                Name = name, Database = db, Cron = cron, Retention = retention, Incremental = body.Incremental,
                EncryptionType = encType, KmsKeyName = key, UpdateTime = now, TakenUpTo = now,
            };
            _schedules[name] = schedule;
            return RenderSchedule(schedule);
        }
    }

    public JsonObject GetSchedule(string instanceName, string name)
    {
        lock (_gate)
        {
            RequireInstance(instanceName);
            return RenderSchedule(RequireSchedule(name));
        }
    }

    public (JsonArray Items, string? NextPageToken) ListSchedules(string instanceName, string databaseName, int? pageSize, string? pageToken)
    {
        lock (_gate)
        {
            RequireInstance(instanceName);
            RequireDatabase(databaseName);
            var prefix = databaseName + "/backupSchedules/";
            var matching = _schedules.Values.Where(s => s.Name.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
            return Page(matching, pageSize, pageToken, RenderSchedule);
        }
    }

    public JsonObject UpdateSchedule(string instanceName, string name, string? updateMask, string? bodyName, ScheduleBody body)
    {
        var now = Now;
        lock (_gate)
        {
            RequireInstance(instanceName);
            var fields = (updateMask ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ListFilter.Normalize).ToList();
            if (fields.Count == 0)
                throw new SpannerError("INVALID_ARGUMENT", "Invalid UpdateBackupSchedule request: update_mask must be specified.", SpannerError.BadRequest("update_mask", "must be specified"));
            string[] updatable = { "spec.cron_spec.text", "retention_duration", "encryption_config", "full_backup_spec", "incremental_backup_spec" };
            foreach (var f in fields)
                if (!updatable.Contains(f))
                    throw new SpannerError("INVALID_ARGUMENT", $"Invalid UpdateBackupSchedule request: the field '{f}' cannot be updated; updatable fields are {string.Join(", ", updatable)}.", SpannerError.BadRequest("update_mask", "names a field that cannot be updated"));
            if (!string.IsNullOrEmpty(bodyName) && bodyName != name)
                throw new SpannerError("INVALID_ARGUMENT", $"Invalid UpdateBackupSchedule request: backup_schedule.name '{bodyName}' does not match the URL's {name}.");
            var schedule = RequireSchedule(name);
            var cron = fields.Contains("spec.cron_spec.text") ? ScheduleCron.Parse(body.CronText) : schedule.Cron;
            var retention = fields.Contains("retention_duration") ? ParseRetention(body.RetentionDuration) : schedule.Retention;
            var full = fields.Contains("full_backup_spec") ? body.Full : !schedule.Incremental;
            var incremental = fields.Contains("incremental_backup_spec") ? body.Incremental : schedule.Incremental;
            RequireOneKind(full, incremental);
            var (encType, key) = fields.Contains("encryption_config")
                ? ValidateEncryption(body.EncryptionType, body.KmsKeyName, body.KmsKeyNames)
                : (schedule.EncryptionType, schedule.KmsKeyName);
            if (cron.Text != schedule.Cron.Text) schedule.TakenUpTo = now; // the new times start now: nothing is backfilled
            if (incremental != schedule.Incremental) { schedule.Chain = null; schedule.ChainId = null; }
            schedule.Cron = cron;
            schedule.Retention = retention;
            schedule.Incremental = incremental;
            schedule.EncryptionType = encType;
            schedule.KmsKeyName = key;
            schedule.UpdateTime = now;
            return RenderSchedule(schedule);
        }
    }

    /// <summary>Deleting a schedule stops it; the backups it took stay until they expire.</summary>
    public void DeleteSchedule(string instanceName, string name)
    {
        lock (_gate)
        {
            RequireInstance(instanceName);
            RequireSchedule(name);
            _schedules.Remove(name);
        }
    }

    private SpannerDatabase RequireDatabase(string name)
    {
        if (_databases.TryGetValue(name, out var db)) return db;
        throw new SpannerError("NOT_FOUND", $"Database not found: {name}",
            SpannerError.ResourceInfo("type.googleapis.com/google.spanner.admin.database.v1.Database", name, "Database does not exist."));
    }

    private SpannerBackupSchedule RequireSchedule(string name)
    {
        if (_schedules.TryGetValue(name, out var s)) return s;
        throw new SpannerError("NOT_FOUND", $"Backup schedule not found: {name}", SpannerError.ResourceInfo(ScheduleType, name, "Backup schedule does not exist."));
    }

    private static void RequireOneKind(bool full, bool incremental)
    {
        if (full == incremental)
            throw new SpannerError("INVALID_ARGUMENT", "Invalid backup schedule: exactly one of full_backup_spec and incremental_backup_spec must be specified.",
                SpannerError.BadRequest("backup_schedule.backup_type_spec", "exactly one of full_backup_spec and incremental_backup_spec"));
    }

    /// <summary>A google.protobuf.Duration ("604800s"), 6 hours to 366 days.</summary>
    private static TimeSpan ParseRetention(string? text)
    {
        if (string.IsNullOrEmpty(text))
            throw new SpannerError("INVALID_ARGUMENT", "Invalid backup schedule: retention_duration must be specified.", SpannerError.BadRequest("backup_schedule.retention_duration", "must be specified"));
        if (!text.EndsWith('s') || !decimal.TryParse(text[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) || seconds > 1_000_000_000m)
            throw new SpannerError("INVALID_ARGUMENT", $"Invalid value at 'backup_schedule.retention_duration' (type.googleapis.com/google.protobuf.Duration), \"{text}\"");
        var retention = TimeSpan.FromSeconds((double)seconds);
        if (retention < MinExpiry || retention > MaxExpiry)
            throw new SpannerError("INVALID_ARGUMENT", $"Invalid retention_duration {text}: the retention duration of a backup schedule must be at least 6 hours and at most 366 days.",
                SpannerError.BadRequest("backup_schedule.retention_duration", "must be between 6 hours and 366 days"));
        return retention;
    }

    /// <summary>
    /// Takes every backup the schedules were due to take up to <paramref name="now"/>, each dated at its cron
    /// time (its version time). Called under the lock before any state is read. A backup that would already
    /// have expired is not made. An incremental schedule adds to its chain while any backup of the chain
    /// exists, and starts a new chain (with a full backup) otherwise.
    /// </summary>
    private void TakeScheduledBackups(DateTimeOffset now)
    {
        foreach (var schedule in _schedules.Values.OrderBy(s => s.Name, StringComparer.Ordinal).ToList())
        {
            if (!_databases.TryGetValue(schedule.Database.Name, out var current) || current != schedule.Database)
            {
                _schedules.Remove(schedule.Name); // the database was dropped: its schedules go with it
                continue;
            }
            foreach (var due in schedule.Cron.TimesBetween(schedule.TakenUpTo, now).ToList())
            {
                schedule.TakenUpTo = due;
                if (due + schedule.Retention <= now) continue;
                TakeScheduledBackup(schedule, due);
            }
            schedule.TakenUpTo = now;
        }
    }

    private void TakeScheduledBackup(SpannerBackupSchedule schedule, DateTimeOffset due)
    {
        var db = schedule.Database;
        var scheduleId = schedule.Name[(schedule.Name.LastIndexOf('/') + 1)..];
        var suffix = due.UtcDateTime.ToString("yyyyMMdd-HHmm", CultureInfo.InvariantCulture);
        var stem = scheduleId.Length > 60 - suffix.Length - 1 ? scheduleId[..(60 - suffix.Length - 1)].TrimEnd('-', '_') : scheduleId;
        var name = db.InstanceName + "/backups/" + stem + "-" + suffix;
        if (_liveByName.ContainsKey(name)) return;
        if (!schedule.Incremental)
        {
            // Full backups of one database due at the same moment are one backup, which names every schedule that asked for it.
            var twin = _liveByName.Values.FirstOrDefault(b => b.Database == db && b.VersionTime == due && b.ChainId is null && b.Schedules.Count > 0);
            if (twin is not null)
            {
                twin.Schedules.Add(schedule.Name);
                return;
            }
        }
        var incremental = false;
        if (schedule.Incremental)
        {
            if (schedule.Chain is null || !schedule.Chain.Exists(b => b.ExistsAt(due)))
            {
                schedule.ChainNumber++;
                schedule.ChainId = stem + "-chain-" + schedule.ChainNumber.ToString(CultureInfo.InvariantCulture) + "-" + NewOperationId()[..8];
                schedule.Chain = new List<SpannerBackup>();
            }
            else incremental = true; // a chain's first backup is full; the rest hold the changes since the one before
        }
        var backup = new SpannerBackup
        {
            Name = name,
            BackupId = name[(name.LastIndexOf('/') + 1)..],
            Database = db,
            CreateTime = due,
            VersionTime = due,
            ExpireTime = due + schedule.Retention,
            Duration = DrawDuration(db),
            EncryptionType = schedule.EncryptionType == "USE_DATABASE_ENCRYPTION" ? "GOOGLE_DEFAULT_ENCRYPTION" : schedule.EncryptionType,
            KmsKeyName = schedule.KmsKeyName,
            OperationName = name + "/operations/_auto_op_" + NewOperationId(),
            SizeBytes = incremental ? Math.Max(1, db.Seed.SizeBytes / 20) : db.Seed.SizeBytes,
            Fails = db.Seed.FailBackups,
            MaxExpireTime = due + MaxExpiry,
            ChainId = schedule.Incremental ? schedule.ChainId : null,
            Chain = schedule.Incremental ? schedule.Chain : null,
        };
        backup.Schedules.Add(schedule.Name);
        backup.Chain?.Add(backup);
        if (!backup.Fails) _liveByName[name] = backup;
        _byOperation[backup.OperationName] = backup;
        _all.Add(backup);
    }

    private static JsonObject RenderSchedule(SpannerBackupSchedule s)
    {
        var o = new JsonObject
        {
            ["name"] = s.Name,
            ["spec"] = new JsonObject
            {
                ["cronSpec"] = new JsonObject
                {
                    ["text"] = s.Cron.Text,
                    ["timeZone"] = "UTC",
                    ["creationWindow"] = ((long)CreationWindow.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s",
                },
            },
            ["retentionDuration"] = ((long)s.Retention.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s",
        };
        var enc = new JsonObject { ["encryptionType"] = s.EncryptionType };
        if (s.KmsKeyName is not null) enc["kmsKeyName"] = s.KmsKeyName;
        o["encryptionConfig"] = enc;
        o[s.Incremental ? "incrementalBackupSpec" : "fullBackupSpec"] = new JsonObject();
        o["updateTime"] = TimeFormats.Rfc3339(s.UpdateTime);
        return o;
    }
}
