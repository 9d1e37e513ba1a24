using System;
using System.Management.Automation;
using System.Security;
using BackupTools.Gauss;
using BackupTools.Infrastructure;
using BackupTools.Validation;
using BackupTools.Waiting;

namespace BackupTools.Commands
{
    /// <summary>
    /// Creates a GaussDB(for MySQL) instance restored from a backup or from a point in time: Huawei's "restore to
    /// a new instance" (the create-instance call with restore_point), the only restore Open Telekom Cloud offers.
    /// The new instance takes the source's specification and network unless told otherwise. Everything is checked
    /// first (the backup COMPLETED, the time in a restorable window, the name free), and the new instance is
    /// emitted while it is built (BUILD), or, with -Wait, once it is ACTIVE.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "GaussInstance", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = BackupSet)]
    [OutputType(typeof(GaussInstance))]
    public sealed class NewGaussInstanceCommand : GaussCmdlet
    {
        private const string BackupSet = "Backup";
        private const string TimeSet = "PointInTime";

        /// <summary>The new instance's name. Never from the pipeline: a piped backup's Name is the backup's.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateGaussInstanceName]
        public string Name { get; set; } = string.Empty;

        /// <summary>The backup to restore; a backup from Get-GaussBackup binds by its Id.</summary>
        [Parameter(Mandatory = true, ParameterSetName = BackupSet, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ValidateGaussBackupId]
        public string BackupId { get; set; } = string.Empty;

        /// <summary>Restore the data as it was at this moment (within a restorable window; see Get-GaussRestoreWindow).</summary>
        [Parameter(Mandatory = true, ParameterSetName = TimeSet)]
        public DateTime RestoreTime { get; set; }

        /// <summary>The instance the backup or point in time comes from (for a backup, its own instance when not given).</summary>
        [Parameter(ParameterSetName = BackupSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(Mandatory = true, ParameterSetName = TimeSet, ValueFromPipelineByPropertyName = true)]
        [Alias("InstanceId")]
        [ValidateGaussInstanceId]
        [ArgumentCompleter(typeof(GaussInstanceCompleter))]
        public string? SourceInstanceId { get; set; }

        /// <summary>The new instance's root password: 8 to 32 characters, three of upper, lower, digits and ~!@#$%^*-_=+?,()&amp;.</summary>
        [Parameter(Mandatory = true)]
        public SecureString Password { get; set; } = new SecureString();

        /// <summary>The nodes' specification code; default: the source's.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? FlavorRef { get; set; }

        /// <summary>Default: the source's VPC.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? VpcId { get; set; }

        /// <summary>Default: the source's subnet.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? SubnetId { get; set; }

        /// <summary>Default: the source's security group.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? SecurityGroupId { get; set; }

        /// <summary>single or multi; default: the source's.</summary>
        [Parameter]
        [ValidateSet("single", "multi")]
        public string? AvailabilityZoneMode { get; set; }

        /// <summary>The primary's zone; default: the source's.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? MasterAvailabilityZone { get; set; }

        /// <summary>Read replicas, 1 to 9; default: as many as the source has.</summary>
        [Parameter]
        [ValidateRange(1, 9)]
        public int? ReadReplicas { get; set; }

        /// <summary>Default: the source's time zone.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? TimeZone { get; set; }

        /// <summary>Wait until the new instance is ACTIVE and emit it then.</summary>
        [Parameter]
        public SwitchParameter Wait { get; set; }

        /// <summary>With -Wait: the longest to wait.</summary>
        [Parameter]
        [DurationTransformation]
        public Duration? Timeout { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            var passwordProblem = GaussInstanceRules.CheckPassword(Password);
            if (passwordProblem != null)
            {
                ThrowTerminatingError(ErrorRecords.From(ValidationError.Create(passwordProblem), Name));
            }

            if (AvailabilityZoneMode == "multi" && MasterAvailabilityZone == null)
            {
                ThrowTerminatingError(ErrorRecords.From(ValidationError.Create("-AvailabilityZoneMode multi needs -MasterAvailabilityZone, the primary's zone."), Name));
            }

            if (Wait.IsPresent)
            {
                OpenWait(new WaiterOptions { Timeout = Timeout?.TimeSpan }, passThru: false);
            }
        }

        protected override void ProcessRecord()
        {
            var request = new GaussNewInstanceRequest
            {
                Name = Name,
                SourceInstanceId = SourceInstanceId,
                Password = Password,
                FlavorRef = FlavorRef,
                VpcId = VpcId,
                SubnetId = SubnetId,
                SecurityGroupId = SecurityGroupId,
                AvailabilityZoneMode = AvailabilityZoneMode,
                MasterAvailabilityZone = MasterAvailabilityZone,
                ReadReplicas = ReadReplicas,
                TimeZone = TimeZone,
                WindowsReadable = TargetCloud != GaussCloud.OpenTelekomCloud,
            };
            if (ParameterSetName == TimeSet)
            {
                request.RestoreTime = PastRestoreTime(RestoreTime, Name);
                if (request.RestoreTime == null)
                {
                    return;
                }
            }
            else
            {
                request.BackupId = BackupId;
            }

            var client = Client;
            GaussNewInstancePlan? plan = null;
            RunWork(Name, async ct => plan = await new GaussRestoreClient(client).PlanNewInstanceAsync(request, ct).ConfigureAwait(false));
            if (plan == null || !ShouldProcess(Name, "Create GaussDB instance: " + plan.Description))
            {
                return;
            }

            var ready = plan;
            StartWork(
                Name,
                async ct =>
                {
                    var instance = await new GaussInstanceClient(client).CreateAsync(ready, ct).ConfigureAwait(false);
                    if (instance.ResolvedByReadBack)
                    {
                        Post(() => WriteWarning("The create of instance " + Name + " got no answer; instance " + instance.Id + " of that name was found by reading back and is adopted (not created twice). Its job is unknown, so its status is followed."));
                    }

                    var waiting = Waiting;
                    if (waiting != null)
                    {
                        waiting.Add(new GaussInstanceProbe(client, instance));
                    }
                    else
                    {
                        PostObject(instance);
                    }
                },
                int.MaxValue);
            WriteQueued();
        }

        protected override void EndProcessing()
        {
            base.EndProcessing();
            CompleteWait();
        }
    }
}
