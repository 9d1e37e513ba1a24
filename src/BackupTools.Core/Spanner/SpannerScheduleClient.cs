using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using BackupTools.Errors;
using BackupTools.Http;
using Newtonsoft.Json.Linq;

namespace BackupTools.Spanner
{
    /// <summary>
    /// What New-/Set-SpannerBackupSchedule ask for, already validated. For a change, a null field is
    /// left as it is (and is not in the update mask).
    /// </summary>
    public sealed class SpannerScheduleRequest
    {
        public string Project { get; set; } = string.Empty;

        public string Instance { get; set; } = string.Empty;

        public string Database { get; set; } = string.Empty;

        public string ScheduleId { get; set; } = string.Empty;

        /// <summary>The cron text, in UTC.</summary>
        public string? CronText { get; set; }

        public TimeSpan? RetentionPeriod { get; set; }

        /// <summary>True: incremental chains; false: full backups.</summary>
        public bool? Incremental { get; set; }

        public string? EncryptionType { get; set; }

        public string[] KmsKeyNames { get; set; } = Array.Empty<string>();

        public string ScheduleName => SpannerRules.ScheduleName(Project, Instance, Database, ScheduleId);

        /// <summary>
        /// The update mask of a change: the fields given, by their proto names. Changing the kind names
        /// both specs, so the one not sent is cleared.
        /// </summary>
        public string UpdateMask
        {
            get
            {
                var fields = new List<string>();
                if (CronText != null)
                {
                    fields.Add("spec.cron_spec.text");
                }

                if (RetentionPeriod.HasValue)
                {
                    fields.Add("retention_duration");
                }

                if (Incremental.HasValue)
                {
                    fields.Add("full_backup_spec");
                    fields.Add("incremental_backup_spec");
                }

                if (EncryptionType != null || KmsKeyNames.Length > 0)
                {
                    fields.Add("encryption_config");
                }

                return string.Join(",", fields);
            }
        }

        /// <summary>The BackupSchedule body with the fields given.</summary>
        internal JObject ToJson()
        {
            var body = new JObject();
            if (CronText != null)
            {
                body["spec"] = new JObject { ["cronSpec"] = new JObject { ["text"] = CronText } };
            }

            if (RetentionPeriod.HasValue)
            {
                body["retentionDuration"] = SpannerBackupSchedule.DurationText(RetentionPeriod.Value);
            }

            if (Incremental.HasValue)
            {
                body[Incremental.Value ? "incrementalBackupSpec" : "fullBackupSpec"] = new JObject();
            }

            var encryption = SpannerEncryption.ToJson(EncryptionType, KmsKeyNames);
            if (encryption != null)
            {
                body["encryptionConfig"] = encryption;
            }

            return body;
        }
    }

    /// <summary>
    /// Backup schedules of a database (databases/{d}/backupSchedules): create, read, list, change, delete.
    /// A create whose outcome is unknown is settled by reading the schedule back, never by creating twice.
    /// </summary>
    public sealed class SpannerScheduleClient
    {
        private readonly SpannerClient _spanner;

        public SpannerScheduleClient(SpannerClient spanner)
        {
            _spanner = spanner;
        }

        public Task<SpannerBackupSchedule> CreateAsync(SpannerScheduleRequest request, CancellationToken cancellationToken) =>
            SafeCreate.RunAsync(
                "backup schedule " + request.ScheduleName,
                request.ScheduleName,
                _spanner.Http,
                async ct => Checked(
                    (await _spanner.Http.SendAsync(CreateRequest(request), ct).ConfigureAwait(false)).Read("a backup schedule", SpannerBackupSchedule.FromJson),
                    request.ScheduleName),
                (started, ct) => ReadBackAsync(request, started, ct),
                ex => ex.Kind == ErrorKind.AlreadyExists,
                "Check with Get-SpannerBackupSchedule -Project " + request.Project + " -Instance " + request.Instance + " -Database " + request.Database + " -ScheduleId " + request.ScheduleId + " before trying again.",
                cancellationToken);

        public async Task<SpannerBackupSchedule> GetAsync(string project, string instance, string database, string scheduleId, CancellationToken cancellationToken)
        {
            var name = SpannerRules.ScheduleName(project, instance, database, scheduleId);
            var response = await _spanner.Http.SendAsync(new ServiceRequest(HttpMethod.Get, "v1/" + SpannerClient.Escape(name)).WithResource(name), cancellationToken).ConfigureAwait(false);
            return Checked(response.Read("a backup schedule", SpannerBackupSchedule.FromJson), name);
        }

        /// <summary>A database's schedules, page by page through the bounded pager.</summary>
        public Task ListAsync(string project, string instance, string database, Action<SpannerBackupSchedule> onItem, CancellationToken cancellationToken)
        {
            var collection = SpannerRules.DatabaseName(project, instance, database) + "/backupSchedules";
            return _spanner.ListAsync(collection, null, null, "backupSchedules", json => onItem(SpannerBackupSchedule.FromJson(json)), cancellationToken);
        }

        /// <summary>Changes the fields the request gives (the update mask names exactly those).</summary>
        public async Task<SpannerBackupSchedule> UpdateAsync(SpannerScheduleRequest request, CancellationToken cancellationToken)
        {
            var name = request.ScheduleName;
            var mask = request.UpdateMask;
            if (mask.Length == 0)
            {
                throw new ArgumentException("A change of backup schedule " + name + " names no field.", nameof(request));
            }

            var body = request.ToJson();
            body["name"] = name;
            var patch = new ServiceRequest(new HttpMethod("PATCH"), "v1/" + SpannerClient.Escape(name))
                .WithQuery("updateMask", mask)
                .WithResource(name);
            patch.Body = body;
            var response = await _spanner.Http.SendAsync(patch, cancellationToken).ConfigureAwait(false);
            return Checked(response.Read("a backup schedule", SpannerBackupSchedule.FromJson), name);
        }

        public async Task DeleteAsync(string project, string instance, string database, string scheduleId, CancellationToken cancellationToken)
        {
            var name = SpannerRules.ScheduleName(project, instance, database, scheduleId);
            await _spanner.Http.SendAsync(new ServiceRequest(HttpMethod.Delete, "v1/" + SpannerClient.Escape(name)).WithResource(name), cancellationToken).ConfigureAwait(false);
        }

        private static ServiceRequest CreateRequest(SpannerScheduleRequest request)
        {
            var create = new ServiceRequest(HttpMethod.Post, "v1/" + SpannerClient.Escape(SpannerRules.DatabaseName(request.Project, request.Instance, request.Database)) + "/backupSchedules")
            {
                Idempotency = Idempotency.NotIdempotent,
                Resource = request.ScheduleName,
                Body = request.ToJson(),
            };
            return create.WithQuery("backupScheduleId", request.ScheduleId);
        }

        /// <summary>An answer about another schedule is not this one: an error, not an object.</summary>
        private static SpannerBackupSchedule Checked(SpannerBackupSchedule schedule, string name)
        {
            if (schedule.Name != name)
            {
                throw new BackupToolsException(ErrorIds.IncompleteAnswer, ErrorKind.InvalidAnswer, "The service answered about backup schedule " + ServerText.Clean(schedule.Name, 300) + " when asked about " + name + ".", name);
            }

            return schedule;
        }

        /// <summary>
        /// The schedule a create with an unknown outcome may have made: null when there is none; an error
        /// when one of that id exists but differs from what was asked (someone else's, or older).
        /// </summary>
        private async Task<SpannerBackupSchedule?> ReadBackAsync(SpannerScheduleRequest request, DateTimeOffset started, CancellationToken cancellationToken)
        {
            SpannerBackupSchedule schedule;
            try
            {
                schedule = await GetAsync(request.Project, request.Instance, request.Database, request.ScheduleId, cancellationToken).ConfigureAwait(false);
            }
            catch (ServiceException ex) when (ex.Kind == ErrorKind.NotFound)
            {
                return null;
            }

            var ours = schedule.CronText == request.CronText
                && schedule.BackupType == (request.Incremental == true ? "INCREMENTAL" : "FULL")
                && (!schedule.UpdateTime.HasValue || schedule.UpdateTime.Value >= started - TimeSpan.FromMinutes(5));
            if (!ours)
            {
                throw new ServiceException("Spanner", ErrorKind.AlreadyExists, "Backup schedule " + request.ScheduleName + " already exists and is not the one this request made.", 409, "ALREADY_EXISTS", resource: request.ScheduleName);
            }

            return schedule;
        }
    }
}
