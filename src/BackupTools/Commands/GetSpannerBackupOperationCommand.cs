using System.Management.Automation;
using BackupTools.Infrastructure;
using BackupTools.Spanner;
using BackupTools.Validation;

namespace BackupTools.Commands
{
    /// <summary>Gets one backup operation by name, or lists an instance's backup operations (pending, and finished in the last 7 days).</summary>
    [Cmdlet(VerbsCommon.Get, "SpannerBackupOperation", DefaultParameterSetName = ListSet)]
    [OutputType(typeof(SpannerBackupOperation))]
    public sealed class GetSpannerBackupOperationCommand : SpannerCmdlet
    {
        private const string ListSet = "List";
        private const string NameSet = "Name";
        private const string InputObjectSet = "InputObject";

        /// <summary>
        /// An operation to read again (piped from New-SpannerBackup or Get-SpannerBackupOperation): its
        /// fresh state. Bound by value, so a piped operation refreshes itself instead of listing its instance.
        /// </summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
        public SpannerBackupOperation? InputObject { get; set; }

        /// <summary>The operation's full name: projects/p/instances/i/backups/b/operations/o.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = NameSet, ValueFromPipelineByPropertyName = true)]
        [ValidatePattern(SpannerRules.OperationNameText)]
        public string Name { get; set; } = string.Empty;

        // Also (optional) in the other sets, so $PSDefaultParameterValues for -Project/-Instance does not
        // pull a piped operation or a -Name call into the list set.
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ListSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = NameSet)]
        [Parameter(ParameterSetName = InputObjectSet)]
        [Alias("ProjectId")]
        [ValidateSpannerProjectId]
        public string Project { get; set; } = string.Empty;

        [Parameter(Mandatory = true, Position = 1, ParameterSetName = ListSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = NameSet)]
        [Parameter(ParameterSetName = InputObjectSet)]
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
            if (ParameterSetName == NameSet || ParameterSetName == InputObjectSet)
            {
                var name = InputObject?.Name ?? Name;
                if (!SpannerRules.IsOperationName(name))
                {
                    RefuseInput(ValidationError.Create("'" + TextRule.Printable(name) + "' is not a Spanner backup operation name (projects/p/instances/i/backups/b/operations/o)."), InputObject);
                    return;
                }

                RunWork(name, async ct => PostObject(await client.GetOperationAsync(name, ct).ConfigureAwait(false)));
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
