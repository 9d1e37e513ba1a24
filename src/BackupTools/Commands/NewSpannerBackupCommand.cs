using System;
using System.Linq;
using System.Management.Automation;
using BackupTools.Errors;
using BackupTools.Infrastructure;
using BackupTools.Spanner;
using BackupTools.Validation;
using BackupTools.Waiting;

namespace BackupTools.Commands
{
    /// <summary>
    /// Starts a Cloud Spanner backup of a database and emits its operation at once (or, with -Wait,
    /// the finished backup). Parameters bind by property name, so a list of databases creates many.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "SpannerBackup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = RetentionSet)]
    [OutputType(typeof(SpannerBackupOperation), typeof(SpannerBackup))]
    public sealed class NewSpannerBackupCommand : SpannerInstanceCmdlet
    {
        private const string RetentionSet = "RetentionPeriod";
        private const string ExpireSet = "ExpireTime";

        [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true)]
        [Alias("DatabaseId")]
        [ValidateSpannerDatabaseId]
        [ArgumentCompleter(typeof(SpannerDatabaseCompleter))]
        public string Database { get; set; } = string.Empty;

        /// <summary>The backup id; generated from the database and the UTC time when omitted.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyMeansNotGiven]
        [ValidateSpannerBackupId]
        [ArgumentCompleter(typeof(SpannerBackupIdCompleter))]
        public string? BackupId { get; set; }

        /// <summary>How long to keep the backup (6 hours to 366 days); 7 days when neither this nor -ExpireTime is given.</summary>
        [Parameter(ParameterSetName = RetentionSet, ValueFromPipelineByPropertyName = true)]
        [DurationTransformation]
        public Duration? RetentionPeriod { get; set; }

        /// <summary>When the backup expires: 6 hours to 366 days from now.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ExpireSet, ValueFromPipelineByPropertyName = true)]
        public DateTime ExpireTime { get; set; }

        /// <summary>The moment the backup captures (default: when it is created); not in the future, within the database's version retention.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public DateTime? VersionTime { get; set; }

        [Parameter]
        [ValidateSet("USE_DATABASE_ENCRYPTION", "GOOGLE_DEFAULT_ENCRYPTION", "CUSTOMER_MANAGED_ENCRYPTION")]
        public string? EncryptionType { get; set; }

        /// <summary>Cloud KMS key(s) for CUSTOMER_MANAGED_ENCRYPTION (one per region for multi-region instances).</summary>
        [Parameter]
        [ValidateKmsKeyName]
        public string[]? KmsKeyName { get; set; }

        /// <summary>Wait for the backup to be READY and emit it instead of the operation.</summary>
        [Parameter]
        public SwitchParameter Wait { get; set; }

        /// <summary>With -Wait: the longest to wait in all.</summary>
        [Parameter]
        [DurationTransformation]
        public Duration? Timeout { get; set; }

        /// <summary>Creates in flight at once when many databases are piped in; creates for one database never overlap.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 16;

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
            var request = new SpannerCreateBackupRequest
            {
                Project = Project,
                Instance = Instance,
                Database = Database,
                BackupId = BackupId ?? SpannerRules.GenerateBackupId(Database, now),
                VersionTime = VersionTime.HasValue ? TypedTime.ToUtc(VersionTime.Value) : (DateTimeOffset?)null,
                EncryptionType = EncryptionType,
                KmsKeyNames = KmsKeyName ?? Array.Empty<string>(),
            };

            var retention = RetentionPeriod?.TimeSpan ?? SpannerRules.DefaultRetention;
            var expireTime = ParameterSetName == ExpireSet ? TypedTime.ToUtc(ExpireTime) : (DateTimeOffset?)null;
            var problem = expireTime.HasValue
                ? SpannerRules.CheckExpireTime(expireTime.Value, now)
                : SpannerRules.CheckRetentionPeriod(retention);
            problem ??= request.VersionTime.HasValue ? SpannerRules.CheckVersionTime(request.VersionTime.Value, now) : null;
            problem ??= SpannerRules.CheckEncryption(EncryptionType, KmsKeyName);
            if (problem != null)
            {
                RefuseInput(ValidationError.Create(problem), request.BackupName);
                return;
            }

            request.ExpireTime = expireTime ?? SpannerRules.ExpireTimeFor(retention, now);
            if (!ShouldProcess(request.BackupName, "Create Spanner backup of database " + request.Database + " (expires " + Rfc3339.Format(request.ExpireTime) + ")"))
            {
                return;
            }

            var client = Client;
            StartWork(
                request.BackupName,
                async ct =>
                {
                    SpannerBackupOperation operation;
                    try
                    {
                        operation = await client.CreateBackupAsync(request, ct).ConfigureAwait(false);
                    }
                    catch (Exception) when (ct.IsCancellationRequested)
                    {
                        WarnCreateInterrupted(
                            "Stopped while creating backup " + request.BackupName + ": the request may have reached the service and the backup may exist. Check with: Get-SpannerBackup -Project "
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
                ThrottleLimit,
                oneAtATimeKey: SpannerRules.DatabaseName(request.Project, request.Instance, request.Database));
            WriteQueued();
        }

        protected override void EndProcessing()
        {
            base.EndProcessing();
            CompleteWait();
        }
    }
}
