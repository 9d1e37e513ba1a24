using System.Management.Automation;
using BackupTools.Infrastructure;
using BackupTools.Spanner;
using BackupTools.Validation;

namespace BackupTools.Commands
{
    /// <summary>Gets one Spanner backup by id, or lists an instance's backups (all pages, optionally filtered).</summary>
    [Cmdlet(VerbsCommon.Get, "SpannerBackup", DefaultParameterSetName = ListSet)]
    [OutputType(typeof(SpannerBackup))]
    public sealed class GetSpannerBackupCommand : SpannerInstanceCmdlet
    {
        private const string ListSet = "List";
        private const string OneSet = "One";
        private const string InputObjectSet = "InputObject";

        /// <summary>
        /// A backup to read again (piped from Get-/New-SpannerBackup or Wait-BackupOperation): its fresh
        /// state. Bound by value, so a piped backup refreshes itself instead of listing its instance.
        /// </summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
        public SpannerBackup? InputObject { get; set; }

        [Parameter(Mandatory = true, Position = 2, ParameterSetName = OneSet, ValueFromPipelineByPropertyName = true)]
        [ValidateSpannerBackupId]
        [ArgumentCompleter(typeof(SpannerBackupIdCompleter))]
        public string BackupId { get; set; } = string.Empty;

        /// <summary>A Spanner list filter, e.g. 'database:orders AND state:READY'.</summary>
        [Parameter(ParameterSetName = ListSet)]
        public string? Filter { get; set; }

        /// <summary>Items asked for per page (the service may return fewer).</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateRange(1, 1000)]
        public int? PageSize { get; set; }

        protected override void ProcessRecord()
        {
            var client = Client;
            if (ParameterSetName == OneSet || ParameterSetName == InputObjectSet)
            {
                var backupId = InputObject?.BackupId ?? BackupId;
                var problem = SpannerRules.BackupId.Check(backupId);
                if (problem != null)
                {
                    RefuseInput(ValidationError.Create(problem), InputObject);
                    return;
                }

                var name = SpannerRules.BackupName(Project, Instance, backupId);
                RunWork(name, async ct => PostObject(await client.GetBackupAsync(Project, Instance, backupId, ct).ConfigureAwait(false)));
            }
            else
            {
                RunWork(SpannerRules.InstanceName(Project, Instance), ct => client.ListBackupsAsync(Project, Instance, Filter, PageSize, PostObject, ct));
            }
        }
    }
}
