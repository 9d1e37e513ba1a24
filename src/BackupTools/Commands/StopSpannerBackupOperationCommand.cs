using System.Management.Automation;
using BackupTools.Infrastructure;
using BackupTools.Spanner;

namespace BackupTools.Commands
{
    /// <summary>
    /// Cancels a backup create or copy operation, or a restore. Cancellation is best effort and
    /// asynchronous: the operation ends as CANCELLED and the unfinished backup (or the new database of a
    /// restore) is deleted. With -PassThru, emits the operation as it now is.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Stop, "SpannerBackupOperation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(SpannerBackupOperation), typeof(SpannerRestoreOperation))]
    public sealed class StopSpannerBackupOperationCommand : SpannerCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidatePattern("^projects/[^/]+/instances/[^/]+/(backups|databases)/[^/]+/operations/[^/]+$")]
        public string Name { get; set; } = string.Empty;

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            var restore = Name.Contains("/databases/");
            var action = restore
                ? "Cancel Spanner restore (the new database is deleted; the optimize step that follows a finished restore cannot be cancelled)"
                : "Cancel Spanner backup operation (the unfinished backup is deleted)";
            if (!ShouldChange(Name, action, Force.IsPresent))
            {
                return;
            }

            var client = Client;
            RunWork(Name, async ct =>
            {
                await client.CancelOperationAsync(Name, ct).ConfigureAwait(false);
                if (PassThru.IsPresent)
                {
                    PostObject(restore
                        ? await new SpannerDatabaseClient(client).GetOperationAsync(Name, ct).ConfigureAwait(false)
                        : (object)await client.GetOperationAsync(Name, ct).ConfigureAwait(false));
                }
            });
        }
    }
}
