using System.Management.Automation;
using BackupTools.Infrastructure;
using BackupTools.Spanner;

namespace BackupTools.Commands
{
    /// <summary>
    /// Cancels a backup operation. Cancellation is best effort and asynchronous: the operation ends
    /// as CANCELLED and the unfinished backup is deleted. With -PassThru, emits the operation as it now is.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Stop, "SpannerBackupOperation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(SpannerBackupOperation))]
    public sealed class StopSpannerBackupOperationCommand : SpannerCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidatePattern("^projects/[^/]+/instances/[^/]+/backups/[^/]+/operations/[^/]+$")]
        [ArgumentCompleter(typeof(SpannerOperationNameCompleter))]
        public string Name { get; set; } = string.Empty;

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            if (!ShouldChange(Name, "Cancel Spanner backup operation (the unfinished backup is deleted)", Force.IsPresent))
            {
                return;
            }

            var client = Client;
            RunWork(Name, async ct =>
            {
                await client.CancelOperationAsync(Name, ct).ConfigureAwait(false);
                if (PassThru.IsPresent)
                {
                    PostObject(await client.GetOperationAsync(Name, ct).ConfigureAwait(false));
                }
            });
        }
    }
}
