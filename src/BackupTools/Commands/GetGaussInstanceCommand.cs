using System.Management.Automation;
using BackupTools.Gauss;
using BackupTools.Infrastructure;

namespace BackupTools.Commands
{
    /// <summary>
    /// Gets GaussDB(for MySQL) instances: one by id, or the project's, optionally those whose name matches a
    /// wildcard pattern (for example a drill's leftovers, 'drill-*'). A new instance is followed to ACTIVE by
    /// Wait-BackupOperation.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "GaussInstance", DefaultParameterSetName = ListSet)]
    [OutputType(typeof(GaussInstance))]
    public sealed class GetGaussInstanceCommand : GaussCmdlet
    {
        private const string ListSet = "List";
        private const string IdSet = "Id";

        /// <summary>One instance; a piped backup binds by its InstanceId.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
        [ValidateGaussInstanceId]
        [ArgumentCompleter(typeof(GaussInstanceCompleter))]
        public string InstanceId { get; set; } = string.Empty;

        /// <summary>Only instances whose name matches this wildcard pattern.</summary>
        [Parameter(Position = 0, ParameterSetName = ListSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string? Name { get; set; }

        protected override void ProcessRecord()
        {
            var client = Client;
            if (ParameterSetName == IdSet)
            {
                RunWork(InstanceId, async ct => PostObject(await new GaussInstanceClient(client).GetInstanceAsync(InstanceId, ct).ConfigureAwait(false)));
                return;
            }

            var pattern = Name == null ? null : WildcardPattern.Get(Name, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
            RunWork(Name, async ct =>
            {
                foreach (var instance in await new GaussInventoryClient(client).ListInstancesAsync(ct).ConfigureAwait(false))
                {
                    if (pattern == null || pattern.IsMatch(instance.Name))
                    {
                        PostObject(instance);
                    }
                }
            });
        }
    }
}
