using System.Management.Automation;
using BackupTools.Infrastructure;
using BackupTools.Spanner;

namespace BackupTools.Commands
{
    /// <summary>Gets one backup schedule of a Spanner database, or all of them.</summary>
    [Cmdlet(VerbsCommon.Get, "SpannerBackupSchedule")]
    [OutputType(typeof(SpannerBackupSchedule))]
    public sealed class GetSpannerBackupScheduleCommand : SpannerInstanceCmdlet
    {
        [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true)]
        [Alias("DatabaseId")]
        [ValidateSpannerDatabaseId]
        [ArgumentCompleter(typeof(SpannerDatabaseCompleter))]
        public string Database { get; set; } = string.Empty;

        /// <summary>The schedule to read; every schedule of the database when omitted.</summary>
        [Parameter(Position = 3, ValueFromPipelineByPropertyName = true)]
        [ValidateSpannerScheduleId]
        [ArgumentCompleter(typeof(SpannerScheduleIdCompleter))]
        public string? ScheduleId { get; set; }

        protected override void ProcessRecord()
        {
            var schedules = new SpannerScheduleClient(Client);
            if (ScheduleId != null)
            {
                var scheduleId = ScheduleId;
                RunWork(SpannerRules.ScheduleName(Project, Instance, Database, scheduleId), async ct => PostObject(await schedules.GetAsync(Project, Instance, Database, scheduleId, ct).ConfigureAwait(false)));
            }
            else
            {
                RunWork(SpannerRules.DatabaseName(Project, Instance, Database), ct => schedules.ListAsync(Project, Instance, Database, PostObject, ct));
            }
        }
    }
}
