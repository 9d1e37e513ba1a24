using System;
using System.Management.Automation;
using BackupTools.Errors;
using BackupTools.Infrastructure;
using BackupTools.Spanner;
using BackupTools.Validation;
using BackupTools.Waiting;

namespace BackupTools.Commands
{
    /// <summary>
    /// Copies a Cloud Spanner backup to another instance (another region or project, for disaster
    /// recovery) and emits the copy's operation at once (or, with -Wait, the finished copy). The source is
    /// read first: one still being created, or an expiry outside 6 hours to 366 days of its creation, is
    /// refused before the copy is sent.
    /// </summary>
    [Cmdlet(VerbsCommon.Copy, "SpannerBackup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SpannerBackupOperation), typeof(SpannerBackup))]
    public sealed class CopySpannerBackupCommand : SpannerCmdlet
    {
        /// <summary>The source backup's full name: projects/{project}/instances/{instance}/backups/{backup}. A backup from Get-SpannerBackup binds by its Name.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Name", "SourceBackupName")]
        [ValidateSpannerBackupName]
        public string SourceBackup { get; set; } = string.Empty;

        /// <summary>The instance the copy goes to.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateSpannerInstanceId]
        public string DestinationInstance { get; set; } = string.Empty;

        /// <summary>The destination's project; the source's when omitted.</summary>
        [Parameter]
        [ValidateSpannerProjectId]
        public string? DestinationProject { get; set; }

        /// <summary>The copy's id; the source's id when omitted.</summary>
        [Parameter]
        [ValidateSpannerBackupId]
        public string? BackupId { get; set; }

        /// <summary>When the copy expires: 6 hours to 366 days after the source was created. The source's expiry when neither this nor -RetentionPeriod is given.</summary>
        [Parameter]
        public DateTime? ExpireTime { get; set; }

        /// <summary>Keep the copy this long from now (the result must still fall within 366 days of the source's creation).</summary>
        [Parameter]
        [DurationTransformation]
        public Duration? RetentionPeriod { get; set; }

        [Parameter]
        [ValidateSet(SpannerRules.UseConfigDefaultOrBackupEncryption, "GOOGLE_DEFAULT_ENCRYPTION", "CUSTOMER_MANAGED_ENCRYPTION")]
        public string? EncryptionType { get; set; }

        /// <summary>Cloud KMS key(s) for CUSTOMER_MANAGED_ENCRYPTION: one per region of the destination instance.</summary>
        [Parameter]
        [ValidateKmsKeyName]
        public string[]? KmsKeyName { get; set; }

        /// <summary>Wait for the copy to be READY and emit it instead of the operation.</summary>
        [Parameter]
        public SwitchParameter Wait { get; set; }

        /// <summary>With -Wait: the longest to wait in all.</summary>
        [Parameter]
        [DurationTransformation]
        public Duration? Timeout { get; set; }

        /// <summary>Copies in flight at once when many backups are piped in.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 8;

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
            var now = DateTimeOffset.UtcNow;
            var source = SourceBackup;
            SpannerRules.TryParseBackupName(source, out var sourceProject, out _, out var sourceId);

            var request = new SpannerCopyBackupRequest
            {
                SourceBackup = source,
                Project = DestinationProject ?? sourceProject,
                Instance = DestinationInstance,
                BackupId = BackupId ?? sourceId,
                EncryptionType = EncryptionType,
                KmsKeyNames = KmsKeyName ?? Array.Empty<string>(),
            };

            string? problem = null;
            if (ExpireTime.HasValue && RetentionPeriod.HasValue)
            {
                RefuseInput(new BackupToolsException(ErrorIds.ConflictingParameters, ErrorKind.InvalidArgument, "Give -ExpireTime or -RetentionPeriod, not both."), request.BackupName);
                return;
            }

            if (RetentionPeriod.HasValue)
            {
                problem = SpannerRules.CheckRetentionPeriod(RetentionPeriod.Value.TimeSpan);
                request.ExpireTime = SpannerRules.ExpireTimeFor(RetentionPeriod.Value.TimeSpan, now);
            }
            else if (ExpireTime.HasValue)
            {
                request.ExpireTime = TypedTime.ToUtc(ExpireTime.Value);
            }

            problem ??= request.BackupName == source ? "A backup cannot be copied onto itself: give another -DestinationInstance, -DestinationProject or -BackupId." : null;
            problem ??= SpannerRules.CheckEncryption(EncryptionType, KmsKeyName);

            if (problem != null)
            {
                RefuseInput(ValidationError.Create(problem), request.BackupName);
                return;
            }

            var expiry = request.ExpireTime.HasValue ? "expires " + Rfc3339.Format(request.ExpireTime.Value) : "keeps the source's expiry";
            if (!ShouldProcess(request.BackupName, "Copy Spanner backup " + source + " (the copy " + expiry + ")"))
            {
                return;
            }

            var client = Client;
            var copier = new SpannerCopyClient(client);
            StartWork(
                request.BackupName,
                async ct =>
                {
                    SpannerBackupOperation operation;
                    try
                    {
                        operation = await copier.CopyBackupAsync(request, ct).ConfigureAwait(false);
                    }
                    catch (Exception) when (ct.IsCancellationRequested)
                    {
                        WarnCreateInterrupted(
                            "Stopped while copying backup " + source + " to " + request.BackupName + ": the request may have reached the service and the copy may exist. Check with: Get-SpannerBackup -Project "
                            + request.Project + " -Instance " + request.Instance + " -BackupId " + request.BackupId);
                        throw;
                    }

                    var waiting = Waiting;
                    if (waiting != null)
                    {
                        waiting.Add(new SpannerOperationProbe(client, operation));
                    }
                    else
                    {
                        PostObject(operation);
                    }
                },
                ThrottleLimit);
            WriteQueued();
        }

        protected override void EndProcessing()
        {
            base.EndProcessing();
            CompleteWait();
        }
    }
}
