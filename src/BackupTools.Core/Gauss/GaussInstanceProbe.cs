using System.Threading;
using System.Threading.Tasks;
using BackupTools.Errors;
using BackupTools.Waiting;

namespace BackupTools.Gauss
{
    /// <summary>
    /// Follows a new instance (New-GaussInstance's output) until it is ACTIVE: its job while it runs (the job
    /// gives progress and, when it fails, the reason), then the instance itself, read back as the result. An
    /// instance adopted by read-back has no known job: its own status is followed.
    /// </summary>
    public sealed class GaussInstanceProbe : IOperationProbe
    {
        private readonly GaussInstanceClient _instances;
        private readonly GaussClient _client;
        private GaussInstance _instance;

        public GaussInstanceProbe(GaussClient client, GaussInstance instance)
        {
            _client = client;
            _instances = new GaussInstanceClient(client);
            _instance = instance;
            Known = instance.Outcome == OperationState.Succeeded ? new PollOutcome(instance, OperationState.Succeeded, 100, instance) : null;
        }

        public IBackupOperation Operation => _instance;

        public PollOutcome? Known { get; }

        public async Task<PollOutcome> PollAsync(CancellationToken cancellationToken)
        {
            if (!string.IsNullOrEmpty(_instance.JobId))
            {
                var job = await _client.GetJobAsync(_instance.JobId!, cancellationToken).ConfigureAwait(false);
                if (job.Outcome == OperationState.Running)
                {
                    return new PollOutcome(_instance, OperationState.Running, job.Process, startedAt: job.Created, startResolution: GaussBackupProbe.TimeResolution);
                }

                if (job.Outcome == OperationState.Failed)
                {
                    _instance.Status = "FAILED";
                    return new PollOutcome(_instance, OperationState.Failed, job.Process, failureReason: job.FailReason ?? "the job that builds the instance failed");
                }
            }

            var fresh = await _instances.TryGetInstanceAsync(_instance.Id, cancellationToken).ConfigureAwait(false);
            if (fresh == null)
            {
                return new PollOutcome(_instance, OperationState.Failed, null, failureReason: "instance " + _instance.Id + " no longer exists: it was deleted while being waited on");
            }

            fresh.JobId = _instance.JobId;
            fresh.ResolvedByReadBack = _instance.ResolvedByReadBack;
            _instance = fresh;
            switch (fresh.Outcome)
            {
                case OperationState.Succeeded:
                    return new PollOutcome(fresh, OperationState.Succeeded, 100, fresh);
                case OperationState.Failed:
                    return new PollOutcome(fresh, OperationState.Failed, null, failureReason: "the instance ended " + fresh.Status);
                default:
                    return new PollOutcome(fresh, OperationState.Running, null);
            }
        }

        /// <summary>A job is not visible for a few seconds after the create.</summary>
        public bool IsNotYet(BackupToolsException error) => error is ServiceException s && s.ServiceCode == GaussBackupProbe.JobNotFoundCode;
    }
}
