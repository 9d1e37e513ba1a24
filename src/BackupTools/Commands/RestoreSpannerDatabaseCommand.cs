using System;
using System.Management.Automation;
using BackupTools.Infrastructure;
using BackupTools.Spanner;
using BackupTools.Validation;
using BackupTools.Waiting;

namespace BackupTools.Commands
{
    /// <summary>
    /// Restores a Cloud Spanner backup into a new database and emits the restore operation at once (or,
    /// with -Wait, the restored database). Wait-BackupOperation follows the restore and then the optimize
    /// step Spanner starts after it. Spanner runs one restore at a time per instance: -WaitForInstance
    /// waits for the instance instead of failing.
    /// </summary>
    [Cmdlet(VerbsData.Restore, "SpannerDatabase", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SpannerRestoreOperation), typeof(SpannerDatabase))]
    public sealed class RestoreSpannerDatabaseCommand : SpannerCmdlet
    {
        /// <summary>The backup's full name: projects/{project}/instances/{instance}/backups/{backup}. A backup from Get-SpannerBackup binds by its Name.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Name", "BackupName")]
        [ValidateSpannerBackupName]
        public string Backup { get; set; } = string.Empty;

        /// <summary>The new database's id; it must not exist.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateSpannerDatabaseId]
        public string DatabaseId { get; set; } = string.Empty;

        /// <summary>The instance to restore into (same project and instance configuration as the backup); the backup's own instance when omitted.</summary>
        [Parameter]
        [ValidateSpannerInstanceId]
        public string? Instance { get; set; }

        [Parameter]
        [ValidateSet(SpannerRules.UseConfigDefaultOrBackupEncryption, "GOOGLE_DEFAULT_ENCRYPTION", "CUSTOMER_MANAGED_ENCRYPTION")]
        public string? EncryptionType { get; set; }

        /// <summary>Cloud KMS key(s) for CUSTOMER_MANAGED_ENCRYPTION: one per region of the instance.</summary>
        [Parameter]
        [ValidateKmsKeyName]
        public string[]? KmsKeyName { get; set; }

        /// <summary>When another restore into the instance is pending, try again every 10 s until it is free or -Timeout (default 30 minutes) has passed.</summary>
        [Parameter]
        public SwitchParameter WaitForInstance { get; set; }

        /// <summary>Wait for the restored database and emit it instead of the operation.</summary>
        [Parameter]
        public SwitchParameter Wait { get; set; }

        /// <summary>With -Wait: stop when the restore ends (database usable, READY_OPTIMIZING) instead of also waiting for the optimize step.</summary>
        [Parameter]
        public SwitchParameter SkipOptimize { get; set; }

        /// <summary>With -Wait or -WaitForInstance: the longest to wait.</summary>
        [Parameter]
        [DurationTransformation]
        public Duration? Timeout { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            if (Wait.IsPresent)
            {
                OpenWait(new WaiterOptions { Timeout = Timeout?.TimeSpan }, passThru: false);
            }
        }

        protected override void ProcessRecord()
        {
            var backup = Backup;
            SpannerRules.TryParseBackupName(backup, out var project, out var backupInstance, out _);

            var request = new SpannerRestoreDatabaseRequest
            {
                Backup = backup,
                Project = project,
                Instance = Instance ?? backupInstance,
                DatabaseId = DatabaseId,
                EncryptionType = EncryptionType,
                KmsKeyNames = KmsKeyName ?? Array.Empty<string>(),
            };

            var problem = SpannerRules.CheckEncryption(EncryptionType, KmsKeyName);
            if (problem != null)
            {
                RefuseInput(ValidationError.Create(problem), request.DatabaseName);
                return;
            }

            if (!ShouldProcess(request.DatabaseName, "Restore backup " + backup + " into the new database " + request.DatabaseName))
            {
                return;
            }

            var client = new SpannerDatabaseClient(Client);
            var waitForInstance = InstanceWait(WaitForInstance, Timeout);
            var followOptimize = !SkipOptimize.IsPresent;
            StartWork(
                request.DatabaseName,
                async ct =>
                {
                    SpannerRestoreOperation operation;
                    try
                    {
                        operation = await client.RestoreDatabaseAsync(request, waitForInstance, ct).ConfigureAwait(false);
                    }
                    catch (Exception) when (ct.IsCancellationRequested)
                    {
                        WarnCreateInterrupted(
                            "Stopped while restoring " + backup + " into " + request.DatabaseName + ": the request may have reached the service and the restore may be running. Check whether the database exists before trying again.");
                        throw;
                    }

                    var waiting = Waiting;
                    if (waiting != null)
                    {
                        waiting.Add(new SpannerRestoreProbe(client, operation, followOptimize));
                    }
                    else
                    {
                        PostObject(operation);
                    }
                },
                int.MaxValue,
                oneAtATimeKey: SpannerRules.InstanceName(request.Project, request.Instance));
            WriteQueued();
        }

        protected override void EndProcessing()
        {
            base.EndProcessing();
            CompleteWait();
        }
    }
}
