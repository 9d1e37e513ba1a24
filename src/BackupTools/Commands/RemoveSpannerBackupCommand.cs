using System.Management.Automation;
using BackupTools.Infrastructure;
using BackupTools.Spanner;

namespace BackupTools.Commands
{
    /// <summary>Deletes a Spanner backup. Asks for confirmation unless -Force or -Confirm:$false.</summary>
    [Cmdlet(VerbsCommon.Remove, "SpannerBackup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveSpannerBackupCommand : SpannerInstanceCmdlet
    {
        [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true)]
        [ValidateSpannerBackupId]
        [ArgumentCompleter(typeof(SpannerBackupIdCompleter))]
        public string BackupId { get; set; } = string.Empty;

        /// <summary>Delete without asking for confirmation.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            var name = SpannerRules.BackupName(Project, Instance, BackupId);
            if (!ShouldChange(name, "Delete Spanner backup", Force.IsPresent))
            {
                return;
            }

            var client = Client;
            RunWork(name, ct => client.DeleteBackupAsync(Project, Instance, BackupId, ct));
        }
    }
}
