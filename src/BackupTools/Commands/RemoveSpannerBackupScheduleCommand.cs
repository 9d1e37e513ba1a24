using System.Management.Automation;
using BackupTools.Infrastructure;
using BackupTools.Spanner;

namespace BackupTools.Commands
{
    /// <summary>
    /// Deletes a Spanner backup schedule: no more backups are taken by it; the backups it already took
    /// stay until they expire. Asks for confirmation unless -Force or -Confirm:$false.
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "SpannerBackupSchedule", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveSpannerBackupScheduleCommand : SpannerInstanceCmdlet
    {
        [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true)]
        [Alias("DatabaseId")]
        [ValidateSpannerDatabaseId]
        [ArgumentCompleter(typeof(SpannerDatabaseCompleter))]
        public string Database { get; set; } = string.Empty;

        [Parameter(Mandatory = true, Position = 3, ValueFromPipelineByPropertyName = true)]
        [ValidateSpannerScheduleId]
        [ArgumentCompleter(typeof(SpannerScheduleIdCompleter))]
        public string ScheduleId { get; set; } = string.Empty;

        /// <summary>Delete without asking for confirmation.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            var name = SpannerRules.ScheduleName(Project, Instance, Database, ScheduleId);
            if (!ShouldChange(name, "Delete Spanner backup schedule (no more backups are taken by it; the backups it took stay until they expire)", Force.IsPresent))
            {
                return;
            }

            var schedules = new SpannerScheduleClient(Client);
            RunWork(name, ct => schedules.DeleteAsync(Project, Instance, Database, ScheduleId, ct));
        }
    }
}
