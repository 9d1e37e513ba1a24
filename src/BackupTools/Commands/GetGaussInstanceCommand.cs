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
    [Cmdlet(VerbsCommon.Get, "GaussInstance")]
    [OutputType(typeof(GaussInstance))]
    public sealed class GetGaussInstanceCommand : GaussCmdlet
    {
        /// <summary>One instance (else the project's); a piped backup binds by its InstanceId.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateGaussInstanceId]
        [ArgumentCompleter(typeof(GaussInstanceCompleter))]
        public string InstanceId { get; set; } = string.Empty;

        /// <summary>Only instances whose name matches this wildcard pattern.</summary>
        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string? Name { get; set; }

        protected override void ProcessRecord()
        {
            var client = Client;
            var pattern = Name == null ? null : WildcardPattern.Get(Name, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
            void Emit(GaussInstance instance)
            {
                if (pattern == null || pattern.IsMatch(instance.Name))
                {
                    PostObject(instance);
                }
            }

            if (InstanceId.Length > 0)
            {
                RunWork(InstanceId, async ct => Emit(await new GaussInstanceClient(client).GetInstanceAsync(InstanceId, ct).ConfigureAwait(false)));
                return;
            }

            RunWork(Name, async ct =>
            {
                foreach (var instance in await new GaussInventoryClient(client).ListInstancesAsync(ct).ConfigureAwait(false))
                {
                    Emit(instance);
                }
            });
        }
    }
}
