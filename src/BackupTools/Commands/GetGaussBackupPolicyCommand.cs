using System.Management.Automation;
using BackupTools.Gauss;
using BackupTools.Infrastructure;

namespace BackupTools.Commands
{
    /// <summary>Gets an instance's automated-backup policy: the daily start window (UTC), the weekdays, and how many days backups are kept.</summary>
    [Cmdlet(VerbsCommon.Get, "GaussBackupPolicy")]
    [OutputType(typeof(GaussBackupPolicy))]
    public sealed class GetGaussBackupPolicyCommand : GaussCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateGaussInstanceId]
        [ArgumentCompleter(typeof(GaussInstanceCompleter))]
        public string InstanceId { get; set; } = string.Empty;

        protected override void ProcessRecord()
        {
            var policies = new GaussPolicyClient(Client);
            RunWork(InstanceId, async ct => PostObject(await policies.GetBackupPolicyAsync(InstanceId, ct).ConfigureAwait(false)));
        }
    }
}
