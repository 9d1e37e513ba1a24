using System;
using System.Management.Automation;
using BackupTools.Infrastructure;
using BackupTools.Spanner;
using BackupTools.Validation;

namespace BackupTools.Commands
{
    /// <summary>
    /// Changes a Spanner backup schedule: only what is given changes (the update mask names exactly the
    /// parameters given). -Incremental makes it take incremental chains, -Incremental:$false full backups.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "SpannerBackupSchedule", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SpannerBackupSchedule))]
    public sealed class SetSpannerBackupScheduleCommand : SpannerInstanceCmdlet
    {
        [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true)]
        [Alias("DatabaseId")]
        [ValidateSpannerDatabaseId]
        [ArgumentCompleter(typeof(SpannerDatabaseCompleter))]
        public string Database { get; set; } = string.Empty;

        [Parameter(Mandatory = true, Position = 3, ValueFromPipelineByPropertyName = true)]
        [ValidateSpannerScheduleId]
        [ArgumentCompleter(typeof(SpannerScheduleIdCompleter))]
        public string ScheduleId { get; set; } = string.Empty;

        /// <summary>The new cron text, in UTC: every 12 hours, daily, weekly or monthly.</summary>
        [Parameter]
        public string? CronText { get; set; }

        /// <summary>The new retention of each backup: 6 hours to 366 days.</summary>
        [Parameter]
        [DurationTransformation]
        public Duration? RetentionPeriod { get; set; }

        /// <summary>Take incremental chains (-Incremental) or full backups (-Incremental:$false) from now on.</summary>
        [Parameter]
        public SwitchParameter Incremental { get; set; }

        [Parameter]
        [ValidateSet("USE_DATABASE_ENCRYPTION", "GOOGLE_DEFAULT_ENCRYPTION", "CUSTOMER_MANAGED_ENCRYPTION")]
        public string? EncryptionType { get; set; }

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
                CronText = CronText?.Trim(),
                RetentionPeriod = RetentionPeriod?.TimeSpan,
                Incremental = MyInvocation.BoundParameters.ContainsKey(nameof(Incremental)) ? Incremental.IsPresent : (bool?)null,
                EncryptionType = EncryptionType,
                KmsKeyNames = KmsKeyName ?? Array.Empty<string>(),
            };
            var problem = request.CronText != null ? SpannerRules.CheckCronText(request.CronText) : null;
            problem ??= request.RetentionPeriod.HasValue ? SpannerRules.CheckScheduleRetention(request.RetentionPeriod.Value) : null;
            problem ??= EncryptionType != null || KmsKeyName != null ? SpannerRules.CheckEncryption(EncryptionType, KmsKeyName) : null;
            problem ??= request.UpdateMask.Length == 0 ? "Nothing to change: give -CronText, -RetentionPeriod, -Incremental or -EncryptionType (with -KmsKeyName)." : null;
            if (problem != null)
            {
                RefuseInput(ValidationError.Create(problem), request.ScheduleName);
                return;
            }

            if (!ShouldProcess(request.ScheduleName, "Change Spanner backup schedule (" + request.UpdateMask + ")"))
            {
                return;
            }

            var schedules = new SpannerScheduleClient(Client);
            RunWork(request.ScheduleName, async ct => PostObject(await schedules.UpdateAsync(request, ct).ConfigureAwait(false)));
        }
    }
}
