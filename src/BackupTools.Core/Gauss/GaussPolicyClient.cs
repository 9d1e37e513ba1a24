using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using BackupTools.Errors;
using BackupTools.Http;
using Newtonsoft.Json.Linq;

namespace BackupTools.Gauss
{
    /// <summary>
    /// The automated-backup policy of an instance (backups/policy, backups/policy/update) and the batch
    /// delete of manual backups (DELETE backups, at most 50 ids a call, per-id results). A policy change is
    /// read back, so what is emitted is what the service now holds.
    /// </summary>
    public sealed class GaussPolicyClient
    {
        private readonly GaussClient _gauss;

        public GaussPolicyClient(GaussClient gauss)
        {
            _gauss = gauss;
        }

        public async Task<GaussBackupPolicy> GetBackupPolicyAsync(string instanceId, CancellationToken cancellationToken)
        {
            var project = await _gauss.GetProjectIdAsync(cancellationToken).ConfigureAwait(false);
            var request = new ServiceRequest(HttpMethod.Get, PolicyPath(project, instanceId)).WithResource(instanceId);
            var json = Json.ParseObject((await _gauss.Http.SendAsync(request, cancellationToken).ConfigureAwait(false)).Body)["backup_policy"] as JObject;
            var keep = (int?)json?["keep_days"];
            var start = (string?)json?["start_time"];
            if (json == null || !keep.HasValue || string.IsNullOrEmpty(start))
            {
                throw new BackupToolsException(ErrorIds.IncompleteAnswer, ErrorKind.Internal, "The service answered the backup policy of instance " + instanceId + " without keep_days and start_time.", instanceId);
            }

            return new GaussBackupPolicy
            {
                InstanceId = instanceId,
                StartTime = start!,
                KeepDays = keep.Value,
                Period = ((string?)json["period"] ?? string.Empty).Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries)
                    .Select(d => int.TryParse(d.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0).Where(d => d > 0).ToArray(),
                RetentionNumBackupLevel1 = (int?)json["retention_num_backup_level1"],
            };
        }

        /// <summary>Writes a whole policy (the service takes all of it), then reads it back.</summary>
        public async Task<GaussBackupPolicy> SetBackupPolicyAsync(GaussBackupPolicy policy, CancellationToken cancellationToken)
        {
            var project = await _gauss.GetProjectIdAsync(cancellationToken).ConfigureAwait(false);
            var body = new JObject
            {
                ["start_time"] = policy.StartTime,
                ["keep_days"] = policy.KeepDays,
                ["period"] = GaussPolicyRules.PeriodText(policy.Period),
            };
            if (policy.RetentionNumBackupLevel1.HasValue)
            {
                body["retention_num_backup_level1"] = policy.RetentionNumBackupLevel1.Value;
            }

            // Setting the same policy twice is harmless: the write may be retried like a read.
            var request = new ServiceRequest(HttpMethod.Put, PolicyPath(project, policy.InstanceId) + "/update") { Resource = policy.InstanceId, Body = new JObject { ["backup_policy"] = body } };
            request.Headers["Content-Type"] = "application/json;charset=UTF-8";
            await _gauss.Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return await GetBackupPolicyAsync(policy.InstanceId, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Deletes manual backups in calls of at most 50, handing the result of every id to <paramref name="onResult"/> as each call answers.</summary>
        public async Task DeleteBackupsAsync(IReadOnlyList<string> backupIds, Action<GaussBackupDeleteResult> onResult, CancellationToken cancellationToken)
        {
            var project = await _gauss.GetProjectIdAsync(cancellationToken).ConfigureAwait(false);
            for (var offset = 0; offset < backupIds.Count; offset += GaussPolicyRules.MaxBatchDelete)
            {
                var batch = backupIds.Skip(offset).Take(GaussPolicyRules.MaxBatchDelete).ToList();
                var request = new ServiceRequest(HttpMethod.Delete, "v3/" + Uri.EscapeDataString(project) + "/backups")
                {
                    Resource = string.Join(",", batch),
                    Body = new JObject { ["backup_ids"] = new JArray(batch) },
                };
                request.Headers["Content-Type"] = "application/json;charset=UTF-8";
                var answer = Json.ParseObject((await _gauss.Http.SendAsync(request, cancellationToken).ConfigureAwait(false)).Body);
                var failed = (answer["failed_results"] as JArray)?.OfType<JObject>()
                    .ToDictionary(f => (string?)f["backup_id"] ?? string.Empty, f => f, StringComparer.Ordinal) ?? new Dictionary<string, JObject>(StringComparer.Ordinal);
                var succeeded = (int?)answer["success_count"];
                if (!succeeded.HasValue || succeeded.Value + failed.Count != batch.Count || failed.Keys.Any(k => !batch.Contains(k)))
                {
                    throw new BackupToolsException(ErrorIds.IncompleteAnswer, ErrorKind.Internal, "The service answered a batch delete of " + batch.Count + " backup(s) with results that do not account for each of them (success_count " + (succeeded?.ToString(CultureInfo.InvariantCulture) ?? "missing") + ", " + failed.Count + " failure(s)). Check with Get-GaussBackup.", request.Resource);
                }

                foreach (var id in batch)
                {
                    onResult(failed.TryGetValue(id, out var f)
                        ? new GaussBackupDeleteResult { BackupId = id, Deleted = false, ErrorCode = Clean((string?)f["error_code"], 40), ErrorMessage = Clean((string?)f["error_msg"], 300) }
                        : new GaussBackupDeleteResult { BackupId = id, Deleted = true });
                }
            }
        }

        /// <summary>Server text on its way to a message: no control characters, a sane length. (The HTTP core's error parser may grow the same; then use that.)</summary>
        private static string? Clean(string? text, int max)
        {
            if (text == null)
            {
                return null;
            }

            var clean = new string(text.Select(c => char.IsControl(c) ? ' ' : c).ToArray()).Trim();
            return clean.Length <= max ? clean : clean.Substring(0, max) + "...";
        }

        private static string PolicyPath(string project, string instanceId) =>
            "v3/" + Uri.EscapeDataString(project) + "/instances/" + Uri.EscapeDataString(instanceId) + "/backups/policy";
    }
}
