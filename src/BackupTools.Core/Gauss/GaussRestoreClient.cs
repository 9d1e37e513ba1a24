using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using BackupTools.Errors;
using BackupTools.Http;
using BackupTools.Validation;
using Newtonsoft.Json.Linq;

namespace BackupTools.Gauss
{
    /// <summary>
    /// GaussDB(for MySQL) restores over an existing instance (instances/restore) and the restorable
    /// windows (instances/{id}/restore-time). A restore is planned first, from the service's own state:
    /// the target is read, the backup must be COMPLETED and of the source instance, a point in time must
    /// lie in a restorable window; only then is it sent. Open Telekom Cloud offers neither call.
    /// </summary>
    public sealed class GaussRestoreClient
    {
        /// <summary>The "instance busy" codes Huawei's own Terraform provider retries a restore on.</summary>
        public static readonly IReadOnlyCollection<string> BusyCodes = new[] { "DBS.200019", "DBS.201014", "DBS.201015", "DBS.200047", "DBS.05000084", "DBS.212033" };

        private readonly GaussClient _gauss;

        public GaussRestoreClient(GaussClient gauss)
        {
            _gauss = gauss;
        }

        /// <summary>How long -WaitForInstance waits between restores refused because the instance is busy.</summary>
        public TimeSpan BusyRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

        public Task<GaussInstance> GetInstanceAsync(string instanceId, CancellationToken cancellationToken) =>
            new GaussInstanceClient(_gauss).GetInstanceAsync(instanceId, cancellationToken);

        /// <summary>The spans the instance can be restored to, between two times (the service answers in milliseconds since the epoch).</summary>
        public async Task<IReadOnlyList<GaussRestoreWindow>> GetRestoreWindowsAsync(string instanceId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
        {
            var project = await _gauss.GetProjectIdAsync(cancellationToken).ConfigureAwait(false);
            var request = new ServiceRequest(HttpMethod.Get, "v3/" + Uri.EscapeDataString(project) + "/instances/" + Uri.EscapeDataString(instanceId) + "/restore-time")
                .WithQuery("start_time", from.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture))
                .WithQuery("end_time", to.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture))
                .WithResource(instanceId);
            var page = (await _gauss.Http.SendAsync(request, cancellationToken).ConfigureAwait(false)).Json;
            if (!(page["restore_times"] is JArray times))
            {
                throw new BackupToolsException(ErrorIds.IncompleteAnswer, ErrorKind.InvalidAnswer, "The service answered the restorable windows of instance " + instanceId + " without restore_times.", instanceId);
            }

            var windows = new List<GaussRestoreWindow>();
            foreach (var t in times.OfType<JObject>())
            {
                var start = ToLong(t["start_time"]);
                var end = ToLong(t["end_time"]);
                if (!start.HasValue || !end.HasValue || end < start)
                {
                    throw new BackupToolsException(ErrorIds.IncompleteAnswer, ErrorKind.InvalidAnswer, "The service answered a restorable window of instance " + instanceId + " without a valid start_time and end_time.", instanceId);
                }

                windows.Add(new GaussRestoreWindow { InstanceId = instanceId, Start = DateTimeOffset.FromUnixTimeMilliseconds(start.Value), End = DateTimeOffset.FromUnixTimeMilliseconds(end.Value) });
            }

            return windows.OrderBy(w => w.Start).ToList();
        }

        /// <summary>
        /// Checks a restore against the service before anything is sent: the target exists; a backup is
        /// COMPLETED and belongs to the source instance; a point in time lies in a restorable window.
        /// </summary>
        public async Task<GaussRestorePlan> PlanAsync(GaussRestoreRequest request, CancellationToken cancellationToken)
        {
            var target = await GetInstanceAsync(request.TargetInstanceId, cancellationToken).ConfigureAwait(false);
            var (source, backup, window) = await CheckRestorePointAsync(request.SourceInstanceId ?? (request.BackupId == null ? request.TargetInstanceId : null), request.BackupId, request.RestoreTime, request.TargetInstanceId, true, cancellationToken).ConfigureAwait(false);
            return new GaussRestorePlan(request, target, source, backup, window);
        }

        /// <summary>
        /// Checks a restore to a new instance before anything is sent: the restore point as for any restore,
        /// the source instance read (its specification and network are the defaults), the name not taken.
        /// </summary>
        public async Task<GaussNewInstancePlan> PlanNewInstanceAsync(GaussNewInstanceRequest request, CancellationToken cancellationToken)
        {
            var instances = new GaussInstanceClient(_gauss);
            var (sourceId, backup, window) = await CheckRestorePointAsync(request.SourceInstanceId, request.BackupId, request.RestoreTime, request.Name, request.WindowsReadable, cancellationToken).ConfigureAwait(false);
            // Manual backups outlive their instance: a backup of a deleted one is restored with the specification given.
            var source = await instances.TryGetInstanceAsync(sourceId, cancellationToken).ConfigureAwait(false)
                ?? (backup != null ? DeletedSource(sourceId, backup) : await instances.GetInstanceAsync(sourceId, cancellationToken).ConfigureAwait(false));
            var namesake = await instances.FindByNameAsync(request.Name, cancellationToken).ConfigureAwait(false);
            if (namesake != null)
            {
                // The service allows two instances of one name; refusing it here keeps names meaningful and makes a lost create's read-back certain.
                throw ValidationError.Create("An instance named " + request.Name + " already exists (" + namesake.Id + ", " + namesake.Status + "): choose another -Name.", request.Name);
            }

            var plan = new GaussNewInstancePlan(request, source, backup, window);
            var missing = new[] { ("-FlavorRef", plan.FlavorRef), ("-VpcId", plan.VpcId), ("-SubnetId", plan.SubnetId), ("-Region", plan.Region) }.Where(f => f.Item2.Length == 0).Select(f => f.Item1).ToList();
            if (missing.Count > 0)
            {
                var why = source.Status == DeletedStatus
                    ? "The source instance " + source.Id + " no longer exists, so nothing can be copied from it"
                    : "The source instance " + source.Id + " does not say what a new instance needs";
                throw ValidationError.Create(why + ": give " + string.Join(", ", missing) + ".", request.Name);
            }

            if (plan.AvailabilityZoneMode == "multi" && string.IsNullOrEmpty(plan.MasterAvailabilityZone))
            {
                throw ValidationError.Create("A multi-zone instance needs -MasterAvailabilityZone.", request.Name);
            }

            return plan;
        }

        /// <summary>The status a plan gives a source instance the service no longer knows.</summary>
        public const string DeletedStatus = "DELETED";

        /// <summary>What is known of a deleted instance from its backup: its id, engine version and project; the rest must be given.</summary>
        private GaussInstance DeletedSource(string sourceId, GaussBackup backup) => new GaussInstance
        {
            Id = sourceId,
            Name = string.Empty,
            Status = DeletedStatus,
            DatastoreVersion = backup.DatastoreVersion,
            Project = backup.Project,
            Region = backup.Region ?? _gauss.Region,
        };

        /// <summary>
        /// The restore point, checked: a backup must exist, be COMPLETED and (when the source is given) be of the
        /// source instance; a time must lie in one of the source's restorable windows. Returns the source instance id
        /// (the backup's own when not given), the backup or the window (null where windows cannot be read).
        /// </summary>
        private async Task<(string Source, GaussBackup? Backup, GaussRestoreWindow? Window)> CheckRestorePointAsync(string? sourceInstanceId, string? backupId, DateTimeOffset? restoreTime, string resource, bool windowsReadable, CancellationToken cancellationToken)
        {
            if (backupId != null)
            {
                var backup = await _gauss.FindBackupAsync(backupId, null, cancellationToken).ConfigureAwait(false)
                    ?? throw new ServiceException("Gauss", ErrorKind.NotFound, "Backup " + backupId + " does not exist (Get-GaussBackup lists the backups).", 404, "DBS.201010", resource: backupId);
                if (sourceInstanceId != null && backup.InstanceId != sourceInstanceId)
                {
                    throw ValidationError.Create("Backup " + backup.Name + " (" + backup.Id + ") is a backup of instance " + backup.InstanceId + ", not of -SourceInstanceId " + sourceInstanceId + ".", resource);
                }

                if (!string.Equals(backup.Status, "COMPLETED", StringComparison.OrdinalIgnoreCase))
                {
                    throw new BackupToolsException(ErrorIds.GaussBackupNotCompleted, ErrorKind.FailedPrecondition, "Backup " + backup.Name + " (" + backup.Id + ") is " + backup.Status + ": only a COMPLETED backup can be restored.", resource);
                }

                return (backup.InstanceId, backup, null);
            }

            var source = sourceInstanceId ?? throw ValidationError.Create("A point-in-time restore needs the instance whose data it restores (-SourceInstanceId).", resource);
            var time = restoreTime ?? throw ValidationError.Create("A restore needs a backup (-BackupId) or a point in time (-RestoreTime).", resource);
            if (!windowsReadable)
            {
                // Open Telekom Cloud has no restore-time query: the service itself judges the time.
                return (source, null, null);
            }

            var windows = await GetRestoreWindowsAsync(source, time - TimeSpan.FromDays(1), time + TimeSpan.FromDays(1), cancellationToken).ConfigureAwait(false);
            var window = windows.FirstOrDefault(w => w.Contains(time));
            if (window == null)
            {
                var near = windows.Count == 0 ? "none within a day of it" : string.Join("; ", windows.Select(w => w.ToString()));
                throw ValidationError.Create(
                    "RestoreTime " + time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) + " is outside the restorable windows of instance " + source + " (" + near + "). Get-GaussRestoreWindow -InstanceId " + source + " lists them.",
                    resource);
            }

            return (source, null, window);
        }

        /// <summary>
        /// Sends a planned restore and returns its job. With <paramref name="waitForInstance"/>, an
        /// "instance busy" refusal is retried every <see cref="BusyRetryDelay"/> until that much time has
        /// passed. A restore whose answer is lost is not sent again: it may be running.
        /// </summary>
        public Task<GaussJob> RestoreAsync(GaussRestorePlan plan, TimeSpan? waitForInstance, CancellationToken cancellationToken) =>
            GaussBusyRetry.RunAsync(ct => RestoreOnceAsync(plan, ct), ex => ex.ServiceCode != null && BusyCodes.Contains(ex.ServiceCode), waitForInstance, BusyRetryDelay, _gauss.Http.Trace, plan.Target.Id, "the restore", cancellationToken);

        private async Task<GaussJob> RestoreOnceAsync(GaussRestorePlan plan, CancellationToken cancellationToken)
        {
            var project = await _gauss.GetProjectIdAsync(cancellationToken).ConfigureAwait(false);
            var body = new JObject
            {
                ["target_instance_id"] = plan.Target.Id,
                ["source_instance_id"] = plan.SourceInstanceId,
            };
            if (plan.Backup != null)
            {
                body["type"] = "backup";
                body["backup_id"] = plan.Backup.Id;
            }
            else
            {
                body["type"] = "timestamp";
                body["restore_time"] = plan.Request.RestoreTime!.Value.ToUnixTimeMilliseconds();
            }

            var request = new ServiceRequest(HttpMethod.Post, "v3/" + Uri.EscapeDataString(project) + "/instances/restore")
            {
                Idempotency = Idempotency.NotIdempotent,
                Resource = plan.Target.Id,
                Body = body,
            };
            request.Headers["Content-Type"] = "application/json;charset=UTF-8";
            ServiceResponse response;
            try
            {
                response = await _gauss.Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (ServiceException ex) when (ex.OutcomeUnknown)
            {
                throw new BackupToolsException(
                    ErrorIds.CreateOutcomeUnknown,
                    ErrorKind.OutcomeUnknown,
                    "The restore of instance " + plan.Target.Id + " got no answer: it may be running. It is not sent again; check the instance's status (RESTORING) and its jobs before trying again.",
                    plan.Target.Id,
                    ex);
            }

            var jobId = (string?)response.Json["job_id"];
            if (string.IsNullOrEmpty(jobId))
            {
                throw new BackupToolsException(ErrorIds.IncompleteAnswer, ErrorKind.InvalidAnswer, "The service accepted the restore of instance " + plan.Target.Id + " but answered without its job_id, so it cannot be followed. Check the instance's status before trying again.", plan.Target.Id);
            }

            var job = new GaussJob { Id = jobId!, Status = "Pending", InstanceId = plan.Target.Id, InstanceName = plan.Target.Name, Project = project, Name = "Restore" };
            job.Client = _gauss;
            return job;
        }

        private static long? ToLong(JToken? token) =>
            token != null && token.Type != JTokenType.Null && long.TryParse(token.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : (long?)null;
    }
}
