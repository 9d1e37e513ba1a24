using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace BackupTools.Emulator.Gauss;

/// <summary>
/// The automated-backup policy (GET backups/policy, PUT backups/policy/update) and the batch delete of manual
/// backups (DELETE backups with backup_ids, at most 50, per-id results). Open Telekom Cloud has no batch delete (404).
/// </summary>
internal sealed partial class GaussStore
{
    public const int MaxBatchDelete = 50;

    private sealed record Policy(string StartTime, int KeepDays, string Period, int RetentionNumBackupLevel1);

    private readonly Dictionary<string, Policy> _policies = new(StringComparer.Ordinal);

    private static readonly Policy DefaultPolicy = new("19:00-20:00", 7, "1,2,3,4,5,6,7", 0);

    [GeneratedRegex("^([01][0-9]|2[0-3]):00-([01][0-9]|2[0-3]):00$")]
    private static partial Regex WindowPattern();

    public JsonObject GetPolicy(string projectId, string instanceId)
    {
        lock (_gate)
        {
            ValidateInstanceId(instanceId);
            var instance = RequireInstance(projectId, instanceId);
            var p = _policies.GetValueOrDefault(instance.Id, DefaultPolicy);
            return new JsonObject
            {
                ["backup_policy"] = new JsonObject
                {
                    ["keep_days"] = p.KeepDays,
                    ["start_time"] = p.StartTime,
                    ["period"] = p.Period,
                    ["retention_num_backup_level1"] = p.RetentionNumBackupLevel1,
                },
            };
        }
    }

    public JsonObject UpdatePolicy(string projectId, string instanceId, JsonObject? body)
    {
        lock (_gate)
        {
            ValidateInstanceId(instanceId);
            var instance = RequireInstance(projectId, instanceId);
            if (body?["backup_policy"] is not JsonObject policy)
                throw GaussError.Param("Invalid request body: backup_policy is required.");
            var start = HttpJson.GetString(policy, "start_time");
            var m = start is null ? null : WindowPattern().Match(start);
            if (m is null || !m.Success || (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) + 1) % 24 != int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))
                throw GaussError.Param("Invalid parameter start_time: use hh:00-HH:00 (UTC), a one-hour window, for example 21:00-22:00.");
            if (!int.TryParse(HttpJson.GetString(policy, "keep_days"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var keep) || keep is < 1 or > 732)
                throw GaussError.Param("Invalid parameter keep_days: an integer from 1 to 732.");
            var period = HttpJson.GetString(policy, "period");
            var days = (period ?? "").Split(',');
            if (string.IsNullOrEmpty(period) || days.Any(d => d.Length != 1 || d[0] is < '1' or > '7') || days.Distinct().Count() != days.Length)
                throw GaussError.Param("Invalid parameter period: weekdays 1 (Monday) to 7 (Sunday), comma-separated, each once.");
            var level1Text = HttpJson.GetString(policy, "retention_num_backup_level1");
            var level1 = 0;
            if (level1Text is not null && (!int.TryParse(level1Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out level1) || level1 is < 0 or > 1))
                throw GaussError.Param("Invalid parameter retention_num_backup_level1: 0 or 1.");
            _policies[instance.Id] = new Policy(start!, keep, string.Join(",", days.OrderBy(d => d, StringComparer.Ordinal)), level1);
            return new JsonObject();
        }
    }

    public JsonObject BatchDelete(string projectId, JsonObject? body)
    {
        var now = Now;
        lock (_gate)
        {
            if (body?["backup_ids"] is not JsonArray ids || ids.Count == 0)
                throw GaussError.Param("Invalid request body: backup_ids must list 1 to 50 backup ids.");
            if (ids.Count > MaxBatchDelete)
                throw GaussError.Param($"Invalid parameter backup_ids: at most {MaxBatchDelete} backups can be deleted in one call, not {ids.Count}.");
            var failed = new JsonArray();
            var succeeded = 0;
            foreach (var id in ids.Select(i => i?.ToString() ?? ""))
            {
                if (!_byId.TryGetValue(id, out var b) || b.DeleteTime is not null || b.Instance.ProjectId != projectId)
                    failed.Add(new JsonObject { ["backup_id"] = id, ["error_code"] = "DBS.201010", ["error_msg"] = "The backup does not exist." });
                else if (b.IsBuildingAt(now))
                    failed.Add(new JsonObject { ["backup_id"] = id, ["error_code"] = "DBS.201014", ["error_msg"] = "The backup is being created and cannot be deleted." });
                else
                {
                    b.DeleteTime = now;
                    succeeded++;
                }
            }
            var answer = new JsonObject { ["success_count"] = succeeded, ["failed_count"] = failed.Count };
            if (failed.Count > 0) answer["failed_results"] = failed;
            return answer;
        }
    }
}
