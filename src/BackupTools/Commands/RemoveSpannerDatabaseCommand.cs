using System.Management.Automation;
using BackupTools.Infrastructure;
using BackupTools.Spanner;

namespace BackupTools.Commands
{
    /// <summary>
    /// Drops a Cloud Spanner database (what a restore or a drill made); Spanner keeps its backups until they
    /// expire. A database still being restored is refused unless -CancelRestore, which cancels the restore
    /// (Spanner then deletes the half-restored database). Reads back until the database is gone. Asks for
    /// confirmation unless -Force or -Confirm:$false.
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "SpannerDatabase", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveSpannerDatabaseCommand : SpannerInstanceCmdlet
    {
        /// <summary>
        /// The database id. Named as Restore-SpannerDatabase names it, and bound by property name from DatabaseId first:
        /// a restore operation's Database property is the restored database object (null while it restores), not an id.
        /// -Database (and a Database column) binds through the alias.
        /// </summary>
        [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true)]
        [Alias("Database")]
        [ValidateSpannerDatabaseId]
        [ArgumentCompleter(typeof(SpannerDatabaseCompleter))]
        public string DatabaseId { get; set; } = string.Empty;

        /// <summary>When the database is still being restored, cancel the restore (Spanner deletes the half-restored database) instead of refusing.</summary>
        [Parameter]
        public SwitchParameter CancelRestore { get; set; }

        /// <summary>Drop without asking for confirmation.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            var name = SpannerRules.DatabaseName(Project, Instance, DatabaseId);
            var action = "Drop Spanner database " + name + " and all its data (its backups are kept until they expire"
                + (CancelRestore.IsPresent ? "; a restore still running into it is cancelled, which deletes it" : string.Empty) + ")";
            if (!ShouldChange(name, action, Force.IsPresent))
            {
                return;
            }

            var client = new SpannerDatabaseClient(Client);
            var (project, instance, database, cancelRestore) = (Project, Instance, DatabaseId, CancelRestore.IsPresent);
            RunWork(name, async ct =>
            {
                var done = await client.DropDatabaseAsync(project, instance, database, cancelRestore, null, ct).ConfigureAwait(false);
                Post(() => WriteVerbose(char.ToUpperInvariant(done[0]) + done.Substring(1) + "."));
            });
        }
    }
}
