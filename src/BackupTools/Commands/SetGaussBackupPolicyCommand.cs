using System.Linq;
using System.Management.Automation;
using BackupTools.Gauss;
using BackupTools.Infrastructure;
using BackupTools.Validation;

namespace BackupTools.Commands
{
    /// <summary>
    /// Changes an instance's automated-backup policy. What is not given stays as it is: the policy is read,
    /// changed and written whole (the service takes only whole policies), then read back and emitted.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "GaussBackupPolicy", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(GaussBackupPolicy))]
    public sealed class SetGaussBackupPolicyCommand : GaussCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateGaussInstanceId]
        [ArgumentCompleter(typeof(GaussInstanceCompleter))]
        public string InstanceId { get; set; } = string.Empty;

        /// <summary>The one-hour window, in UTC, in which the daily backup starts: "hh:00-HH:00".</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string? StartTime { get; set; }

        /// <summary>Days automated backups are kept: 1 to 732.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(GaussPolicyRules.MinKeepDays, GaussPolicyRules.MaxKeepDays)]
        public int? KeepDays { get; set; }

        /// <summary>The weekdays backups are taken on: 1 (Monday) to 7 (Sunday).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, 7)]
        public int[]? Period { get; set; }

        /// <summary>Level-1 backups kept: 0 or 1.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(0, 1)]
        public int? RetentionNumBackupLevel1 { get; set; }

        protected override void ProcessRecord()
        {
            var problem = StartTime != null ? GaussPolicyRules.CheckStartTime(StartTime) : null;
            problem ??= Period != null ? GaussPolicyRules.CheckPeriod(Period) : null;
            problem ??= StartTime == null && KeepDays == null && Period == null && RetentionNumBackupLevel1 == null
                ? "Nothing to change: give -StartTime, -KeepDays, -Period or -RetentionNumBackupLevel1."
                : null;
            if (problem != null)
            {
                RefuseInput(ValidationError.Create(problem), InstanceId);
                return;
            }

            var policies = new GaussPolicyClient(Client);
            GaussBackupPolicy? current = null;
            RunWork(InstanceId, async ct => current = await policies.GetBackupPolicyAsync(InstanceId, ct).ConfigureAwait(false));
            if (current == null)
            {
                return;
            }

            var wanted = new GaussBackupPolicy
            {
                InstanceId = InstanceId,
                StartTime = StartTime ?? current.StartTime,
                KeepDays = KeepDays ?? current.KeepDays,
                Period = Period ?? current.Period,
                RetentionNumBackupLevel1 = RetentionNumBackupLevel1 ?? current.RetentionNumBackupLevel1,
            };
            var change = "start window " + current.StartTime + " -> " + wanted.StartTime + " UTC, weekdays " + GaussPolicyRules.PeriodText(current.Period) + " -> " + GaussPolicyRules.PeriodText(wanted.Period)
                + ", kept " + current.KeepDays + " -> " + wanted.KeepDays + " days" + (wanted.KeepDays < current.KeepDays ? " (automated backups older than " + wanted.KeepDays + " days will be deleted)" : string.Empty);
            if (!ShouldProcess(InstanceId, "Set the automated-backup policy: " + change))
            {
                return;
            }

            RunWork(InstanceId, async ct => PostObject(await policies.SetBackupPolicyAsync(wanted, ct).ConfigureAwait(false)));
        }
    }
}
