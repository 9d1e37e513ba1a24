using System.Management.Automation;
using BackupTools.Infrastructure;
using BackupTools.Spanner;

namespace BackupTools.Commands
{
    /// <summary>Gets one backup operation by name, or lists an instance's backup operations (pending, and finished in the last 7 days).</summary>
    [Cmdlet(VerbsCommon.Get, "SpannerBackupOperation", DefaultParameterSetName = ListSet)]
    [OutputType(typeof(SpannerBackupOperation))]
    public sealed class GetSpannerBackupOperationCommand : SpannerCmdlet
    {
        private const string ListSet = "List";
        private const string NameSet = "Name";

        /// <summary>The operation's full name: projects/p/instances/i/backups/b/operations/o.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = NameSet, ValueFromPipelineByPropertyName = true)]
        [ValidatePattern("^projects/[^/]+/instances/[^/]+/backups/[^/]+/operations/[^/]+$")]
        public string Name { get; set; } = string.Empty;

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ListSet, ValueFromPipelineByPropertyName = true)]
        [Alias("ProjectId")]
        [ValidateSpannerProjectId]
        public string Project { get; set; } = string.Empty;

        [Parameter(Mandatory = true, Position = 1, ParameterSetName = ListSet, ValueFromPipelineByPropertyName = true)]
        [Alias("InstanceId")]
        [ValidateSpannerInstanceId]
        public string Instance { get; set; } = string.Empty;

        /// <summary>A Spanner filter, e.g. 'metadata.database:orders AND done:false'.</summary>
        [Parameter(ParameterSetName = ListSet)]
        public string? Filter { get; set; }

        /// <summary>Only operations still running.</summary>
        [Parameter(ParameterSetName = ListSet)]
        public SwitchParameter Pending { get; set; }

        protected override void ProcessRecord()
        {
            var client = Client;
            if (ParameterSetName == NameSet)
            {
                RunWork(Name, async ct => PostObject(await client.GetOperationAsync(Name, ct).ConfigureAwait(false)));
                return;
            }

            var filter = "(metadata.@type:" + SpannerClient.CreateBackupMetadataType + " OR metadata.@type:" + SpannerCopyClient.CopyBackupMetadataType + ")";
            if (Pending.IsPresent)
            {
                filter += " AND (done:false)";
            }

            if (!string.IsNullOrWhiteSpace(Filter))
            {
                filter += " AND (" + Filter + ")";
            }

            RunWork(SpannerRules.InstanceName(Project, Instance), ct => client.ListBackupOperationsAsync(Project, Instance, filter, null, PostObject, ct));
        }
    }
}
