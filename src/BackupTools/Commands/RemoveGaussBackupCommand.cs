using System.Management.Automation;
using BackupTools.Infrastructure;

namespace BackupTools.Commands
{
    /// <summary>Deletes a GaussDB backup. Asks for confirmation unless -Force or -Confirm:$false.</summary>
    [Cmdlet(VerbsCommon.Remove, "GaussBackup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveGaussBackupCommand : GaussCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ValidateGaussBackupId]
        [ArgumentCompleter(typeof(GaussBackupIdCompleter))]
        public string BackupId { get; set; } = string.Empty;

        /// <summary>Delete without asking for confirmation.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            if (!ShouldChange(BackupId, "Delete GaussDB backup", Force.IsPresent))
            {
                return;
            }

            var client = Client;
            RunWork(BackupId, ct => client.DeleteBackupAsync(BackupId, ct));
        }
    }
}
