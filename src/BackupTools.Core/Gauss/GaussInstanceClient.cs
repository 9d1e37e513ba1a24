using System;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using BackupTools.Auth;
using BackupTools.Errors;
using BackupTools.Http;
using Newtonsoft.Json.Linq;

namespace BackupTools.Gauss
{
    /// <summary>
    /// GaussDB(for MySQL) instances as a whole: read one, create one restored from a backup or a point in time
    /// (the create-instance call with restore_point, the only restore Open Telekom Cloud offers), delete one and
    /// confirm it is gone. A create whose answer is lost is settled by reading back by name, never sent twice.
    /// </summary>
    public sealed class GaussInstanceClient
    {
        private readonly GaussClient _gauss;

        public GaussInstanceClient(GaussClient gauss)
        {
            _gauss = gauss;
        }

        public async Task<GaussInstance> GetInstanceAsync(string instanceId, CancellationToken cancellationToken)
        {
            var project = await _gauss.GetProjectIdAsync(cancellationToken).ConfigureAwait(false);
            var request = new ServiceRequest(HttpMethod.Get, InstancePath(project, instanceId)).WithResource(instanceId);
            var response = await _gauss.Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var instance = response.Read("an instance", json => GaussInstance.FromJson(AnswerFields.Object(json, "instance") ?? throw new AnswerShapeException("its 'instance' is missing"), project));
            if (instance.Id != instanceId)
            {
                throw new BackupToolsException(ErrorIds.IncompleteAnswer, ErrorKind.InvalidAnswer, "The service answered a read of instance " + instanceId + " with instance " + instance.Id + ".", instanceId);
            }

            instance.Client = _gauss;
            return instance;
        }

        /// <summary>The instance, or null when the service says it does not exist.</summary>
        public async Task<GaussInstance?> TryGetInstanceAsync(string instanceId, CancellationToken cancellationToken)
        {
            try
            {
                return await GetInstanceAsync(instanceId, cancellationToken).ConfigureAwait(false);
            }
            catch (ServiceException ex) when (ex.Kind == ErrorKind.NotFound)
            {
                return null;
            }
        }

        /// <summary>The instance of exactly this name, or null (the list's name filter may match loosely: the name is compared here).</summary>
        public async Task<GaussInstance?> FindByNameAsync(string name, CancellationToken cancellationToken) =>
            (await new GaussInventoryClient(_gauss).ListInstancesAsync(name, cancellationToken).ConfigureAwait(false))
                .FirstOrDefault(i => string.Equals(i.Name, name, StringComparison.Ordinal));

        /// <summary>
        /// Creates the planned instance. The answer is the instance (BUILD) and its job. An unknown outcome is read
        /// back by name (the plan made sure no instance had it): found, it is adopted (its job is then unknown and
        /// the instance's own status is followed); not found, the create is sent again.
        /// </summary>
        public Task<GaussInstance> CreateAsync(GaussNewInstancePlan plan, CancellationToken cancellationToken) =>
            SafeCreate.RunAsync(
                "instance " + plan.Request.Name,
                plan.Request.Name,
                _gauss.Http,
                ct => SendCreateAsync(plan, ct),
                async (started, ct) =>
                {
                    var found = await FindByNameAsync(plan.Request.Name, ct).ConfigureAwait(false);
                    if (found != null)
                    {
                        found.ResolvedByReadBack = true;
                    }

                    return found;
                },
                _ => false,
                "Check the project's instances for one named " + plan.Request.Name + " before trying again.",
                cancellationToken);

        /// <summary>How long a delete refused because the instance is busy waits before it is sent again.</summary>
        public TimeSpan BusyRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>
        /// Deletes an instance (its data and automated backups; manual backups stay) and says how it went: the delete
        /// job (pay-per-use), the order (yearly/monthly instances are deleted through an order, without a job), or that
        /// the service no longer knows the instance (an earlier attempt whose answer was lost, or someone else, deleted
        /// it: what was asked for holds). With <paramref name="waitWhileBusy"/>, a refusal because the instance is busy
        /// (a backup, a restore) is tried again every <see cref="BusyRetryDelay"/> within that time.
        /// </summary>
        public async Task<GaussInstanceDeletion> DeleteAsync(GaussInstance instance, TimeSpan? waitWhileBusy, CancellationToken cancellationToken)
        {
            var project = await _gauss.GetProjectIdAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await GaussBusyRetry.RunAsync(ct => DeleteOnceAsync(project, instance, ct), IsBusy, waitWhileBusy, BusyRetryDelay, _gauss.Http.Trace, instance.Id, "the delete", cancellationToken).ConfigureAwait(false);
            }
            catch (ServiceException ex) when (ex.Kind == ErrorKind.NotFound)
            {
                _gauss.Http.Trace.Verbose("Instance " + instance.Id + " no longer exists: nothing left to delete.");
                return new GaussInstanceDeletion { AlreadyGone = true };
            }
        }

        private async Task<GaussInstanceDeletion> DeleteOnceAsync(string project, GaussInstance instance, CancellationToken cancellationToken)
        {
            var request = new ServiceRequest(HttpMethod.Delete, InstancePath(project, instance.Id)).WithResource(instance.Id);
            var response = await _gauss.Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return response.Read("a deleted instance", json =>
            {
                var orderId = AnswerFields.Text(json, "order_id");
                if (json["job_id"] == null && !string.IsNullOrEmpty(orderId))
                {
                    return new GaussInstanceDeletion { OrderId = orderId };
                }

                var job = new GaussJob { Id = AnswerFields.Identity(json, "job_id", GaussBackup.IdForm), Name = "DeleteGaussDBforMySQLInstance", Status = "Running", InstanceId = instance.Id, InstanceName = instance.Name, Project = project };
                job.Client = _gauss;
                return new GaussInstanceDeletion { Job = job, OrderId = orderId };
            });
        }

        private static bool IsBusy(ServiceException ex) =>
            ex.HttpStatus == 409 || (ex.ServiceCode != null && GaussRestoreClient.BusyCodes.Contains(ex.ServiceCode));

        /// <summary>Reads the instance back until the service says it does not exist, at most <paramref name="attempts"/> times; true when it is gone.</summary>
        public async Task<bool> ConfirmGoneAsync(string instanceId, int attempts, TimeSpan interval, CancellationToken cancellationToken)
        {
            for (var attempt = 0; attempt < attempts; attempt++)
            {
                if (await TryGetInstanceAsync(instanceId, cancellationToken).ConfigureAwait(false) == null)
                {
                    return true;
                }

                await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
            }

            return false;
        }

        private async Task<GaussInstance> SendCreateAsync(GaussNewInstancePlan plan, CancellationToken cancellationToken)
        {
            var project = await _gauss.GetProjectIdAsync(cancellationToken).ConfigureAwait(false);
            var restorePoint = new JObject { ["source_instance_id"] = plan.Source.Id };
            if (plan.Backup != null)
            {
                restorePoint["type"] = "backup";
                restorePoint["backup_id"] = plan.Backup.Id;
            }
            else
            {
                restorePoint["type"] = "timestamp";
                restorePoint["restore_time"] = plan.Request.RestoreTime!.Value.ToUnixTimeMilliseconds();
            }

            var body = new JObject
            {
                ["region"] = plan.Region,
                ["name"] = plan.Request.Name,
                ["datastore"] = new JObject { ["type"] = "gaussdb-mysql", ["version"] = plan.Source.DatastoreVersion },
                ["mode"] = "Cluster",
                ["flavor_ref"] = plan.FlavorRef,
                ["vpc_id"] = plan.VpcId,
                ["subnet_id"] = plan.SubnetId,
                ["availability_zone_mode"] = plan.AvailabilityZoneMode,
                ["slave_count"] = plan.ReadReplicas,
                ["restore_point"] = restorePoint,
            };
            Optional(body, "security_group_id", plan.SecurityGroupId);
            Optional(body, "master_availability_zone", plan.MasterAvailabilityZone);
            Optional(body, "time_zone", plan.TimeZone);

            // The password becomes text only here, in the body (which traces show masked).
            body["password"] = SecretText.Reveal(plan.Request.Password!);
            var create = new ServiceRequest(HttpMethod.Post, "v3/" + Uri.EscapeDataString(project) + "/instances")
            {
                Idempotency = Idempotency.NotIdempotent,
                Resource = plan.Request.Name,
                Body = body,
            };
            create.Headers["Content-Type"] = "application/json;charset=UTF-8";
            var response = await _gauss.Http.SendAsync(create, cancellationToken).ConfigureAwait(false);
            var made = response.Read("the created instance", json =>
            {
                var instance = GaussInstance.FromJson(AnswerFields.Object(json, "instance") ?? throw new AnswerShapeException("its 'instance' is missing"), project);
                instance.JobId = AnswerFields.Text(json, "job_id") ?? throw new AnswerShapeException("its 'job_id' is missing");
                return instance;
            });
            made.Client = _gauss;
            made.Project = project;
            if (made.Status.Length == 0)
            {
                made.Status = "BUILD";
            }

            return made;
        }

        private static void Optional(JObject body, string field, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                body[field] = value;
            }
        }

        private static string InstancePath(string project, string instanceId) =>
            "v3/" + Uri.EscapeDataString(project) + "/instances/" + Uri.EscapeDataString(instanceId);
    }

    /// <summary>How a delete of an instance went: its job, its order (yearly/monthly billing), or nothing left to delete.</summary>
    public sealed class GaussInstanceDeletion
    {
        /// <summary>The delete job of a pay-per-use instance, which Wait-BackupOperation follows.</summary>
        public GaussJob? Job { get; set; }

        /// <summary>The order a yearly/monthly instance is deleted through (the service then answers without a job).</summary>
        public string? OrderId { get; set; }

        /// <summary>The service no longer knew the instance when the delete arrived.</summary>
        public bool AlreadyGone { get; set; }
    }
}
