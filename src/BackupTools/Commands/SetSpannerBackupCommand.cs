using System;
using System.Management.Automation;
using BackupTools.Infrastructure;
using BackupTools.Spanner;
using BackupTools.Validation;

namespace BackupTools.Commands
{
    /// <summary>Changes when a Spanner backup expires (the only field the service lets you update).</summary>
    [Cmdlet(VerbsCommon.Set, "SpannerBackup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = RetentionSet)]
    [OutputType(typeof(SpannerBackup))]
    public sealed class SetSpannerBackupCommand : SpannerInstanceCmdlet
    {
        private const string RetentionSet = "RetentionPeriod";
        private const string ExpireSet = "ExpireTime";

        [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true)]
        [ValidateSpannerBackupId]
        [ArgumentCompleter(typeof(SpannerBackupIdCompleter))]
        public string BackupId { get; set; } = string.Empty;

        /// <summary>The new expiry: 6 hours to 366 days from now.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ExpireSet)]
        public DateTime ExpireTime { get; set; }

        /// <summary>Keep the backup this long from now.</summary>
        [Parameter(Mandatory = true, ParameterSetName = RetentionSet)]
        [DurationTransformation]
        public Duration RetentionPeriod { get; set; }

        protected override void ProcessRecord()
        {
            var now = DateTimeOffset.UtcNow;
            var name = SpannerRules.BackupName(Project, Instance, BackupId);
            DateTimeOffset expire;
            string? problem;
            if (ParameterSetName == ExpireSet)
            {
                expire = TypedTime.ToUtc(ExpireTime);
                problem = SpannerRules.CheckExpireTime(expire, now);
            }
            else
            {
                problem = SpannerRules.CheckRetentionPeriod(RetentionPeriod);
                expire = SpannerRules.ExpireTimeFor(RetentionPeriod, now);
            }

            if (problem != null)
            {
                RefuseInput(ValidationError.Create(problem), name);
                return;
            }

            if (!ShouldProcess(name, "Set the expiry of Spanner backup to " + Rfc3339.Format(expire)))
            {
                return;
            }

            var client = Client;
            RunWork(name, async ct => PostObject(await client.UpdateExpireTimeAsync(Project, Instance, BackupId, expire, ct).ConfigureAwait(false)));
        }
    }
}
