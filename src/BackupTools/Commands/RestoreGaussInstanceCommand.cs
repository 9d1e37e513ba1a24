using System;
using System.Management.Automation;
using BackupTools.Gauss;
using BackupTools.Infrastructure;
using BackupTools.Validation;
using BackupTools.Waiting;

namespace BackupTools.Commands
{
    /// <summary>
    /// Restores a GaussDB(for MySQL) backup, or the data as of a point in time, over an existing instance,
    /// and emits the restore job (or, with -Wait, the finished job). Everything is checked against the
    /// service first (the target, the backup, the restorable window), and the confirmation says exactly
    /// what is overwritten. Not offered on Open Telekom Cloud.
    /// </summary>
    [Cmdlet(VerbsData.Restore, "GaussInstance", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = BackupSet)]
    [OutputType(typeof(GaussJob))]
    public sealed class RestoreGaussInstanceCommand : GaussCmdlet
    {
        private const string BackupSet = "Backup";
        private const string TimeSet = "PointInTime";

        /// <summary>The instance whose data is overwritten. Never taken from the pipeline: the target of a restore is typed.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateGaussInstanceId]
        [ArgumentCompleter(typeof(GaussInstanceCompleter))]
        public string InstanceId { get; set; } = string.Empty;

        /// <summary>The backup to restore; a backup from Get-GaussBackup binds by its Id.</summary>
        [Parameter(Mandatory = true, ParameterSetName = BackupSet, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ValidateGaussBackupId]
        public string BackupId { get; set; } = string.Empty;

        /// <summary>Restore the data as it was at this moment (within a restorable window; see Get-GaussRestoreWindow).</summary>
        [Parameter(Mandatory = true, ParameterSetName = TimeSet)]
        public DateTime RestoreTime { get; set; }

        /// <summary>The instance the backup or point in time comes from: the backup's own instance, or for a point in time the target.</summary>
        [Parameter]
        [ValidateGaussInstanceId]
        public string? SourceInstanceId { get; set; }

        /// <summary>Restore without asking for confirmation.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>When the instance is busy (another restore, a backup or another operation), try again every 10 s until -Timeout (default 30 minutes).</summary>
        [Parameter]
        public SwitchParameter WaitForInstance { get; set; }

        /// <summary>Wait for the restore job to finish and emit it finished.</summary>
        [Parameter]
        public SwitchParameter Wait { get; set; }

        /// <summary>With -Wait or -WaitForInstance: the longest to wait.</summary>
        [Parameter]
        [DurationTransformation]
        public Duration? Timeout { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            RequireNotOpenTelekomCloud(
                "restore over an existing instance (instances/restore) and no restorable-window query",
                "There a backup or point in time can only be restored to a new instance: use New-GaussInstance.");
            if (Wait.IsPresent)
            {
                OpenWait(new WaiterOptions { Timeout = Timeout?.TimeSpan }, passThru: false);
            }
        }

        protected override void ProcessRecord()
        {
            var request = new GaussRestoreRequest { TargetInstanceId = InstanceId, SourceInstanceId = SourceInstanceId };
            if (ParameterSetName == TimeSet)
            {
                request.RestoreTime = PastRestoreTime(RestoreTime, InstanceId);
                if (request.RestoreTime == null)
                {
                    return;
                }
            }
            else
            {
                request.BackupId = BackupId;
            }

            var restorer = new GaussRestoreClient(Client);
            GaussRestorePlan? plan = null;
            RunWork(InstanceId, async ct => plan = await restorer.PlanAsync(request, ct).ConfigureAwait(false));
            if (plan == null || !ShouldChange(InstanceId, "Restore GaussDB instance: " + plan.Description, Force.IsPresent))
            {
                return;
            }

            var ready = plan;
            var waitForInstance = InstanceWait(WaitForInstance, Timeout);
            StartWork(
                InstanceId,
                async ct =>
                {
                    var job = await restorer.RestoreAsync(ready, waitForInstance, ct).ConfigureAwait(false);
                    var waiting = Waiting;
                    if (waiting != null)
                    {
                        waiting.Add(new GaussBackupProbe(job.Client!, job));
                    }
                    else
                    {
                        PostObject(job);
                    }
                },
                int.MaxValue,
                oneAtATimeKey: InstanceId);
            WriteQueued();
        }

        protected override void EndProcessing()
        {
            base.EndProcessing();
            CompleteWait();
        }
    }
}
