using System;
using System.Management.Automation;
using BackupTools.Infrastructure;
using BackupTools.Spanner;
using BackupTools.Validation;

namespace BackupTools.Commands
{
    /// <summary>
    /// Creates a backup schedule for a Spanner database: full backups (or, with -Incremental, incremental
    /// chains) taken on a UTC cron text and kept for the retention period.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "SpannerBackupSchedule", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SpannerBackupSchedule))]
    public sealed class NewSpannerBackupScheduleCommand : SpannerInstanceCmdlet
    {
        [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true)]
        [Alias("DatabaseId")]
        [ValidateSpannerDatabaseId]
        [ArgumentCompleter(typeof(SpannerDatabaseCompleter))]
        public string Database { get; set; } = string.Empty;

        [Parameter(Mandatory = true, Position = 3, ValueFromPipelineByPropertyName = true)]
        [ValidateSpannerScheduleId]
        public string ScheduleId { get; set; } = string.Empty;

        /// <summary>When backups are taken, in UTC: every 12 hours ('0 2/12 * * *'), daily ('0 2 * * *'), weekly ('0 2 * * 0') or monthly ('0 2 8 * *').</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        public string CronText { get; set; } = string.Empty;

        /// <summary>How long each backup is kept: 6 hours to 366 days.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [DurationTransformation]
        public Duration RetentionPeriod { get; set; }

        /// <summary>Take incremental backup chains (one full backup, then incrementals) instead of full backups.</summary>
        [Parameter]
        public SwitchParameter Incremental { get; set; }

        [Parameter]
        [ValidateSet("USE_DATABASE_ENCRYPTION", "GOOGLE_DEFAULT_ENCRYPTION", "CUSTOMER_MANAGED_ENCRYPTION")]
        public string? EncryptionType { get; set; }

        /// <summary>Cloud KMS key(s) for CUSTOMER_MANAGED_ENCRYPTION (one per region for multi-region instances).</summary>
        [Parameter]
        [ValidateKmsKeyName]
        public string[]? KmsKeyName { get; set; }

        protected override void ProcessRecord()
        {
            var request = new SpannerScheduleRequest
            {
                Project = Project,
                Instance = Instance,
                Database = Database,
                ScheduleId = ScheduleId,
                CronText = CronText.Trim(),
                RetentionPeriod = RetentionPeriod.TimeSpan,
                Incremental = Incremental.IsPresent,
                EncryptionType = EncryptionType,
                KmsKeyNames = KmsKeyName ?? Array.Empty<string>(),
            };
            var problem = SpannerRules.CheckCronText(request.CronText)
                ?? SpannerRules.CheckScheduleRetention(RetentionPeriod.TimeSpan)
                ?? SpannerRules.CheckEncryption(EncryptionType, KmsKeyName);
            if (problem != null)
            {
                RefuseInput(ValidationError.Create(problem), request.ScheduleName);
                return;
            }

            if (!ShouldProcess(request.ScheduleName, "Create Spanner backup schedule of database " + Database + ": " + (Incremental.IsPresent ? "incremental" : "full") + " backups at '" + request.CronText + "' (UTC), kept " + RetentionPeriod))
            {
                return;
            }

            var schedules = new SpannerScheduleClient(Client);
            RunWork(request.ScheduleName, async ct => PostObject(await schedules.CreateAsync(request, ct).ConfigureAwait(false)));
        }
    }
}
