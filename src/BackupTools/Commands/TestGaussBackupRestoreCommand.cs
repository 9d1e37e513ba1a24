using System;
using System.Management.Automation;
using BackupTools.Drills;
using BackupTools.Gauss;
using BackupTools.Infrastructure;

namespace BackupTools.Commands
{
    /// <summary>
    /// A GaussDB(for MySQL) restore drill: restores an instance's newest COMPLETED backup (manual or automated) to a
    /// new scratch instance (the source's specification, one read replica, a random root password nobody sees), waits
    /// until it is ACTIVE, runs the user's check on it, and deletes the scratch instance whatever happened (a failed
    /// check, an error, Ctrl+C). Emits the evidence; a drill that did not pass is also an error. The order and the
    /// cleanup promise are <see cref="RestoreDrillRunner"/>'s; the steps are <see cref="GaussRestoreDrill"/>'s.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "GaussBackupRestore")]
    [OutputType(typeof(RestoreDrillResult))]
    public sealed class TestGaussBackupRestoreCommand : GaussCmdlet
    {
        /// <summary>The instance whose newest backup is drilled; a piped backup or instance binds by its InstanceId.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateGaussInstanceId]
        [ArgumentCompleter(typeof(GaussInstanceCompleter))]
        public string InstanceId { get; set; } = string.Empty;

        /// <summary>Run against the restored instance ($_ and $args[0]); a terminating error or a $false result fails the drill.</summary>
        [Parameter]
        public ScriptBlock? Check { get; set; }

        /// <summary>The scratch instance's specification code; default: the source's.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? FlavorRef { get; set; }

        /// <summary>The scratch instance's VPC; default: the source's.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? VpcId { get; set; }

        /// <summary>The scratch instance's subnet; default: the source's.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? SubnetId { get; set; }

        /// <summary>The scratch instance's security group; default: the source's.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? SecurityGroupId { get; set; }

        /// <summary>The scratch instance's read replicas (1 to 9, default 1: the fewest the service allows).</summary>
        [Parameter]
        [ValidateRange(1, 9)]
        public int ReadReplicas { get; set; } = 1;

        /// <summary>How long the restore may take.</summary>
        [Parameter]
        [DurationTransformation]
        public Duration Timeout { get; set; } = TimeSpan.FromHours(2);

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            RestoreDrillRunner.RequirePositive(this, Timeout);
        }

        protected override void ProcessRecord()
        {
            var scratch = new GaussNewInstanceRequest
            {
                FlavorRef = FlavorRef,
                VpcId = VpcId,
                SubnetId = SubnetId,
                SecurityGroupId = SecurityGroupId,
                ReadReplicas = ReadReplicas,
                WindowsReadable = TargetCloud != GaussCloud.OpenTelekomCloud,
            };
            new RestoreDrillRunner(this).Run(new GaussRestoreDrill(Client, InstanceId, scratch, DateTimeOffset.UtcNow), Check, Timeout);
        }
    }
}
