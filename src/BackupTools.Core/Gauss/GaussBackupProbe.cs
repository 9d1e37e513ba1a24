using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using BackupTools.Errors;
using BackupTools.Waiting;

namespace BackupTools.Gauss
{
    /// <summary>
    /// Follows a GaussDB backup to its end: its job (jobs?id=) while the job gives a percentage and the
    /// end is not expected, else the backup's own status in the list, which carries its final state in
    /// one answer. When it is the job that completes, the backup is read back for its final state.
    /// The service writes its times to the whole second; the instance's earlier backups give the
    /// waiter an estimate when the job's progress is missing or not to be trusted.
    /// </summary>
    public sealed class GaussBackupProbe : IOperationProbe, IDurationHistorySource, IFinishExpectingProbe
    {
        /// <summary>GaussDB writes times to the whole second.</summary>
        public static readonly TimeSpan TimeResolution = TimeSpan.FromSeconds(1);

        /// <summary>The service's answer for a job that is not visible yet (a few seconds after the create).</summary>
        public const string JobNotFoundCode = "DBS.200543";

        private readonly GaussClient _client;
        private GaussBackup? _backup;
        private GaussJob? _job;
        private bool _jobSaysNothingMore;
        private bool _expectFinish;

        public GaussBackupProbe(GaussClient client, GaussBackup backup)
        {
            _client = client;
            _backup = backup;
            Known = backup.Outcome != OperationState.Running ? Outcome(backup) : null;
        }

        /// <summary>
        /// Follows a job alone (Get-GaussBackupJob's output). A job that builds a backup ends in that
        /// backup, read back once the job completes (as New-GaussBackup's output would); any other job
        /// ends in itself.
        /// </summary>
        public GaussBackupProbe(GaussClient client, GaussJob job)
        {
            _client = client;
            _job = job;
            Known = job.Outcome != OperationState.Running ? JobOutcome(job) : null;
        }

        public IBackupOperation Operation => (IBackupOperation?)_backup ?? _job!;

        public PollOutcome? Known { get; }

        public async Task<PollOutcome> PollAsync(CancellationToken cancellationToken)
        {
            if (_backup == null)
            {
                _job = await _client.GetJobAsync(_job!.Id, cancellationToken).ConfigureAwait(false);
                if (_job.Outcome == OperationState.Succeeded && _job.CreatesBackup)
                {
                    var built = await _client.FindBackupOfJobAsync(_job, cancellationToken).ConfigureAwait(false);
                    if (built != null && built.Outcome == OperationState.Succeeded)
                    {
                        // The finished job is the operation (what -PassThru emits); the backup is the result.
                        built.JobId = _job.Id;
                        return new PollOutcome(_job, OperationState.Succeeded, 100, built);
                    }
                }

                return JobOutcome(_job);
            }

            if (!string.IsNullOrEmpty(_backup.JobId) && !_jobSaysNothingMore && !_expectFinish)
            {
                var job = await _client.GetJobAsync(_backup.JobId!, cancellationToken).ConfigureAwait(false);
                if (job.Outcome == OperationState.Running)
                {
                    // Without a percentage the job says nothing the backup's own status does not: the
                    // backup is read from now on, its final state in one answer, not a job's and a read-back.
                    _jobSaysNothingMore |= !job.Process.HasValue;
                    return new PollOutcome(_backup, OperationState.Running, job.Process, startedAt: job.Created, startResolution: TimeResolution);
                }

                if (job.Outcome == OperationState.Failed)
                {
                    return await FailedAsync(job, cancellationToken).ConfigureAwait(false);
                }
            }

            // The job completed (or none is known, or the backup is read directly): its status is the final word.
            var fresh = await ReadBackAsync(cancellationToken).ConfigureAwait(false);
            if (fresh.Outcome == OperationState.Failed && !string.IsNullOrEmpty(fresh.JobId))
            {
                // The job has the reason; without it the backup's status still says it failed.
                try
                {
                    return await FailedAsync(await _client.GetJobAsync(fresh.JobId!, cancellationToken).ConfigureAwait(false), cancellationToken, fresh).ConfigureAwait(false);
                }
                catch (BackupToolsException) when (!cancellationToken.IsCancellationRequested)
                {
                    return Outcome(fresh);
                }
            }

            return Outcome(fresh);
        }

        /// <summary>When the waiter expects the backup finished, its own status is read: the final state in one answer.</summary>
        public void ExpectFinish(bool expected) => _expectFinish = expected;

        public bool IsNotYet(BackupToolsException error) => error is ServiceException s && s.ServiceCode == JobNotFoundCode;

        /// <summary>The job's percentage may be missing: the history places the first look.</summary>
        public bool ReadHistoryFirst => true;

        public async Task<(IReadOnlyList<PastRun> Runs, string Subject)> GetHistoryAsync(CancellationToken cancellationToken)
        {
            var instanceId = _backup?.InstanceId ?? _job?.InstanceId;
            if (string.IsNullOrEmpty(instanceId))
            {
                return (new PastRun[0], "an unknown instance");
            }

            return (await GaussBackupHistory.ForInstanceAsync(_client, instanceId!, cancellationToken).ConfigureAwait(false), "instance " + instanceId);
        }

        private async Task<PollOutcome> FailedAsync(GaussJob job, CancellationToken cancellationToken, GaussBackup? known = null)
        {
            var failed = known ?? await ReadBackAsync(cancellationToken).ConfigureAwait(false);
            if (failed.Outcome == OperationState.Running)
            {
                failed.Status = "FAILED";
            }

            return new PollOutcome(failed, OperationState.Failed, job.Process, failureReason: job.FailReason ?? "the backup job failed");
        }

        private static PollOutcome Outcome(GaussBackup backup)
        {
            switch (backup.Outcome)
            {
                case OperationState.Succeeded:
                    return new PollOutcome(backup, OperationState.Succeeded, 100, backup);
                case OperationState.Failed:
                    return new PollOutcome(backup, OperationState.Failed, null, failureReason: "the backup ended " + backup.Status);
                default:
                    return new PollOutcome(backup, OperationState.Running, null, startedAt: backup.BeginTime, startResolution: TimeResolution);
            }
        }

        private static PollOutcome JobOutcome(GaussJob job) =>
            job.Outcome == OperationState.Failed
                ? new PollOutcome(job, OperationState.Failed, job.Process, failureReason: job.FailReason ?? "the job failed")
                : new PollOutcome(job, job.Outcome, job.Outcome == OperationState.Succeeded ? 100 : job.Process, job.Outcome == OperationState.Succeeded ? job : null, startedAt: job.Created, startResolution: TimeResolution);

        private async Task<GaussBackup> ReadBackAsync(CancellationToken cancellationToken)
        {
            var fresh = await _client.FindBackupAsync(_backup!.Id, _backup.InstanceId, cancellationToken).ConfigureAwait(false);
            if (fresh == null)
            {
                throw new ServiceException("Gauss", ErrorKind.NotFound, "Backup " + _backup.Name + " (" + _backup.Id + ") is no longer listed: it was deleted while being waited on.", 404, "DBS.201010", resource: _backup.Id);
            }

            fresh.JobId = _backup.JobId;
            fresh.ResolvedByReadBack = _backup.ResolvedByReadBack;
            _backup = fresh;
            return fresh;
        }
    }
}
