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
    /// The GaussDB(for MySQL) v3 backup API over the shared HTTP core. A create is never sent twice
    /// blindly: when its outcome is unknown the instance's backups are listed for that name first,
    /// and the backup is adopted when it is there.
    /// </summary>
    public sealed class GaussClient
    {
        /// <summary>The service's largest page.</summary>
        private const int PageSize = 100;

        private readonly ServiceHttpClient _http;
        private readonly Func<CancellationToken, Task<string>> _projectId;

        /// <param name="projectId">Gives the project id; IAM password auth learns it from the token, so it may need a call.</param>
        public GaussClient(ServiceHttpClient http, Func<CancellationToken, Task<string>> projectId, string? region = null)
        {
            _http = http;
            _projectId = projectId;
            Region = region;
        }

        public GaussClient(ServiceHttpClient http, string projectId, string? region = null)
            : this(http, _ => Task.FromResult(projectId), region)
        {
        }

        public ServiceHttpClient Http => _http;

        public string? Region { get; }

        /// <summary>How long -WaitForInstance waits between creates refused because the instance is busy.</summary>
        public TimeSpan BusyRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

        public Task<string> GetProjectIdAsync(CancellationToken cancellationToken) => _projectId(cancellationToken);

        /// <summary>
        /// Creates a manual backup. With <paramref name="waitForInstance"/>, a 409 saying the instance is
        /// busy (another backup or operation running) is retried every <see cref="BusyRetryDelay"/> until
        /// the instance is free or that much time has passed.
        /// </summary>
        public Task<GaussBackup> CreateBackupAsync(GaussCreateBackupRequest request, TimeSpan? waitForInstance, CancellationToken cancellationToken) =>
            GaussBusyRetry.RunAsync(ct => CreateOnceAsync(request, ct), IsBusy, waitForInstance, BusyRetryDelay, _http.Trace, request.InstanceId, "the backup", cancellationToken);

        public async Task<GaussJob> GetJobAsync(string jobId, CancellationToken cancellationToken)
        {
            var project = await GetProjectIdAsync(cancellationToken).ConfigureAwait(false);
            var request = new ServiceRequest(HttpMethod.Get, "v3/" + Uri.EscapeDataString(project) + "/jobs").WithQuery("id", jobId).WithResource(jobId);
            var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var job = response.Read("a job", json => GaussJob.FromJson(AnswerFields.Object(json, "job") ?? throw new AnswerShapeException("its 'job' is missing"), project));
            job.Client = this;
            return job;
        }

        /// <summary>Lists backups page by page (offset/limit), handing each to <paramref name="onItem"/> as its page arrives.</summary>
        public async Task ListBackupsAsync(GaussBackupQuery query, Action<GaussBackup> onItem, CancellationToken cancellationToken)
        {
            var project = await GetProjectIdAsync(cancellationToken).ConfigureAwait(false);
            await Pager.ByOffsetAsync(
                _http,
                "backups of " + (query.InstanceId ?? "project " + project),
                offset => BackupsRequest(project, query, offset, PageSize),
                "backups",
                PageSize,
                item => item["id"]?.Type == JTokenType.String ? (string?)item["id"] : null,
                item => onItem(Attach(GaussBackup.FromJson(item, project))),
                cancellationToken).ConfigureAwait(false);
        }

        /// <summary>One page of backups, and how many match in all when the service says (for the waiter's history, which reads a bounded number of pages itself).</summary>
        public async Task<(IReadOnlyList<GaussBackup> Items, int? Total)> ListBackupsPageAsync(GaussBackupQuery query, int offset, int limit, CancellationToken cancellationToken)
        {
            var project = await GetProjectIdAsync(cancellationToken).ConfigureAwait(false);
            var response = await _http.SendAsync(BackupsRequest(project, query, offset, limit), cancellationToken).ConfigureAwait(false);
            return response.Read("a page of backups", page =>
            {
                var items = (AnswerFields.Objects(page, "backups") ?? Array.Empty<JObject>()).Select(item => Attach(GaussBackup.FromJson(item, project))).ToList();
                var totalToken = page["total_count"];
                var total = totalToken == null || totalToken.Type == JTokenType.Null ? (long?)null
                    : AnswerFields.Long(totalToken) ?? throw new AnswerShapeException("its 'total_count' is not a number");
                return ((IReadOnlyList<GaussBackup>)items, total.HasValue ? (int?)Math.Min(total.Value, int.MaxValue) : null);
            });
        }

        private static ServiceRequest BackupsRequest(string project, GaussBackupQuery query, int offset, int limit) =>
            new ServiceRequest(HttpMethod.Get, "v3/" + Uri.EscapeDataString(project) + "/backups")
                .WithQuery("instance_id", Empty(query.InstanceId))
                .WithQuery("backup_id", Empty(query.BackupId))
                .WithQuery("backup_type", Empty(query.BackupType))
                .WithQuery("begin_time", query.Begin.HasValue ? GaussTime.Format(query.Begin.Value) : null)
                .WithQuery("end_time", query.End.HasValue ? GaussTime.Format(query.End.Value) : null)
                .WithQuery("offset", offset.ToString(CultureInfo.InvariantCulture))
                .WithQuery("limit", limit.ToString(CultureInfo.InvariantCulture))
                .WithResource(query.BackupId ?? query.InstanceId ?? project);

        /// <summary>One backup by id, or null when the service does not list it.</summary>
        public async Task<GaussBackup?> FindBackupAsync(string backupId, string? instanceId, CancellationToken cancellationToken)
        {
            GaussBackup? found = null;
            await ListBackupsAsync(new GaussBackupQuery { BackupId = backupId, InstanceId = instanceId }, b => found ??= b.Id == backupId ? b : null, cancellationToken).ConfigureAwait(false);
            return found;
        }

        /// <summary>
        /// The backup a finished create job built: the one its entities name, else the instance's manual
        /// backup that began closest to the job's creation (both are whole-second times of one service).
        /// Null when none can be told apart.
        /// </summary>
        public async Task<GaussBackup?> FindBackupOfJobAsync(GaussJob job, CancellationToken cancellationToken)
        {
            if (!string.IsNullOrEmpty(job.BackupId))
            {
                return await FindBackupAsync(job.BackupId!, job.InstanceId, cancellationToken).ConfigureAwait(false);
            }

            if (string.IsNullOrEmpty(job.InstanceId) || !job.Created.HasValue)
            {
                return null;
            }

            var created = job.Created.Value;
            var slack = TimeSpan.FromMinutes(1);
            GaussBackup? best = null;
            var query = new GaussBackupQuery { InstanceId = job.InstanceId, BackupType = "manual", Begin = created - slack, End = (job.Ended ?? created) + slack };
            await ListBackupsAsync(
                query,
                b =>
                {
                    if (b.BeginTime.HasValue && (best == null || Math.Abs((b.BeginTime.Value - created).Ticks) < Math.Abs((best.BeginTime!.Value - created).Ticks)))
                    {
                        best = b;
                    }
                },
                cancellationToken).ConfigureAwait(false);
            return best;
        }

        public async Task DeleteBackupAsync(string backupId, CancellationToken cancellationToken)
        {
            var project = await GetProjectIdAsync(cancellationToken).ConfigureAwait(false);
            var request = new ServiceRequest(HttpMethod.Delete, "v3/" + Uri.EscapeDataString(project) + "/backups/" + Uri.EscapeDataString(backupId)).WithResource(backupId);
            await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        internal GaussBackup Attach(GaussBackup backup)
        {
            backup.Client = this;
            backup.Endpoint = _http.Endpoint.ToString();
            backup.Region ??= Region;
            return backup;
        }

        private static bool IsBusy(ServiceException ex) => ex.HttpStatus == 409 && ex.ServiceCode != "DBS.200316";

        private static string? Empty(string? value) => string.IsNullOrEmpty(value) ? null : value;

        private Task<GaussBackup> CreateOnceAsync(GaussCreateBackupRequest request, CancellationToken cancellationToken) =>
            SafeCreate.RunAsync(
                "backup " + request.Name + " of instance " + request.InstanceId,
                request.Name,
                _http,
                ct => SendCreateAsync(request, ct),
                (started, ct) => ReadBackAsync(request, started, ct),
                ex => ex.ServiceCode == "DBS.201205",
                "Check with Get-GaussBackup -InstanceId " + request.InstanceId + " before trying again.",
                cancellationToken);

        private async Task<GaussBackup> SendCreateAsync(GaussCreateBackupRequest request, CancellationToken cancellationToken)
        {
            var project = await GetProjectIdAsync(cancellationToken).ConfigureAwait(false);
            var create = new ServiceRequest(HttpMethod.Post, "v3/" + Uri.EscapeDataString(project) + "/backups/create")
            {
                Idempotency = Idempotency.NotIdempotent,
                Resource = request.InstanceId + "/" + request.Name,
            };
            create.Headers["X-Language"] = request.Language;
            create.Headers["Content-Type"] = "application/json;charset=UTF-8";
            var body = new JObject { ["instance_id"] = request.InstanceId, ["name"] = request.Name };
            if (!string.IsNullOrEmpty(request.Description))
            {
                body["description"] = request.Description;
            }

            create.Body = body;
            var sentAt = DateTimeOffset.UtcNow;
            var response = await _http.SendAsync(create, cancellationToken).ConfigureAwait(false);
            var answeredAt = DateTimeOffset.UtcNow;
            var backup = response.Read("the created backup", json =>
            {
                var made = GaussBackup.FromJson(AnswerFields.Object(json, "backup") ?? throw new AnswerShapeException("its 'backup' is missing"), project);
                made.JobId = AnswerFields.Text(json, "job_id");
                return made;
            });
            backup.CreateSentAt = sentAt;
            backup.CreateAnsweredAt = answeredAt;
            if (string.IsNullOrEmpty(backup.InstanceId))
            {
                backup.InstanceId = request.InstanceId;
            }

            return Attach(backup);
        }

        /// <summary>
        /// Finds the backup a create with an unknown outcome may have made: same instance, same name,
        /// begun no earlier than shortly before our first attempt (an older namesake is not ours).
        /// </summary>
        private async Task<GaussBackup?> ReadBackAsync(GaussCreateBackupRequest request, DateTimeOffset started, CancellationToken cancellationToken)
        {
            GaussBackup? found = null;
            var notBefore = started - TimeSpan.FromMinutes(5);
            await ListBackupsAsync(
                new GaussBackupQuery { InstanceId = request.InstanceId },
                b =>
                {
                    if (string.Equals(b.Name, request.Name, StringComparison.Ordinal) && (!b.BeginTime.HasValue || b.BeginTime.Value >= notBefore)
                        && (found == null || (b.BeginTime ?? DateTimeOffset.MinValue) > (found.BeginTime ?? DateTimeOffset.MinValue)))
                    {
                        found = b;
                    }
                },
                cancellationToken).ConfigureAwait(false);
            if (found != null)
            {
                found.ResolvedByReadBack = true;
            }

            return found;
        }
    }
}
