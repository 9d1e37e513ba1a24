using System.Collections.Generic;
using System.Management.Automation;
using BackupTools.Errors;
using BackupTools.Gauss;
using BackupTools.Infrastructure;

namespace BackupTools.Commands
{
    /// <summary>
    /// Deletes GaussDB backups. Asks for confirmation unless -Force or -Confirm:$false. With -Batch the
    /// backups are deleted in calls of at most 50 and a result is emitted for every one (not on Open Telekom Cloud).
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "GaussBackup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void), typeof(GaussBackupDeleteResult))]
    public sealed class RemoveGaussBackupCommand : GaussCmdlet
    {
        private readonly List<string> _batch = new List<string>();

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ValidateGaussBackupId]
        public string BackupId { get; set; } = string.Empty;

        /// <summary>Delete without asking for confirmation.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Collect the backups and delete them in calls of at most 50 (fewer requests), emitting a result per backup.</summary>
        [Parameter]
        public SwitchParameter Batch { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            if (Batch.IsPresent)
            {
                RequireNotOpenTelekomCloud("batch delete of backups (DELETE backups)", "Delete the backups one by one: leave out -Batch.");
            }
        }

        protected override void ProcessRecord()
        {
            if (!ShouldChange(BackupId, "Delete GaussDB backup", Force.IsPresent))
            {
                return;
            }

            if (Batch.IsPresent)
            {
                if (!_batch.Contains(BackupId))
                {
                    _batch.Add(BackupId);
                }

                if (_batch.Count == GaussPolicyRules.MaxBatchDelete)
                {
                    DeleteBatch();
                }

                return;
            }

            var client = Client;
            RunWork(BackupId, ct => client.DeleteBackupAsync(BackupId, ct));
        }

        protected override void EndProcessing()
        {
            if (_batch.Count > 0)
            {
                DeleteBatch();
            }

            base.EndProcessing();
        }

        private void DeleteBatch()
        {
            var ids = _batch.ToArray();
            _batch.Clear();
            var policies = new GaussPolicyClient(Client);
            RunWork(string.Join(",", ids), ct => policies.DeleteBackupsAsync(
                ids,
                result =>
                {
                    PostObject(result);
                    if (!result.Deleted)
                    {
                        var kind = result.ErrorCode == "DBS.201010" ? ErrorKind.NotFound : ErrorKind.FailedPrecondition;
                        PostError(ErrorRecords.From(
                            new BackupToolsException(ErrorIds.ForService("Gauss", kind, result.ErrorCode), kind, "Backup " + result.BackupId + " was not deleted: " + result.ErrorCode + " " + result.ErrorMessage, result.BackupId),
                            result.BackupId));
                    }
                },
                ct));
        }
    }
}
