using System;
using System.Management.Automation;
using BackupTools.Gauss;
using BackupTools.Infrastructure;
using BackupTools.Validation;

namespace BackupTools.Commands
{
    /// <summary>Lists GaussDB backups (all pages), by backup id, instance, type and begin-time window.</summary>
    [Cmdlet(VerbsCommon.Get, "GaussBackup")]
    [OutputType(typeof(GaussBackup))]
    public sealed class GetGaussBackupCommand : GaussCmdlet
    {
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateGaussInstanceId]
        [ArgumentCompleter(typeof(GaussInstanceCompleter))]
        public string? InstanceId { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ValidateGaussBackupId]
        [ArgumentCompleter(typeof(GaussBackupIdCompleter))]
        public string? BackupId { get; set; }

        [Parameter]
        [ValidateSet("auto", "manual")]
        public string? BackupType { get; set; }

        /// <summary>Only backups begun at or after this time.</summary>
        [Parameter]
        public DateTime? Begin { get; set; }

        /// <summary>Only backups begun at or before this time.</summary>
        [Parameter]
        public DateTime? End { get; set; }

        protected override void ProcessRecord()
        {
            var query = new GaussBackupQuery
            {
                InstanceId = InstanceId,
                BackupId = BackupId,
                BackupType = BackupType,
                Begin = Begin.HasValue ? TypedTime.ToUtc(Begin.Value) : (DateTimeOffset?)null,
                End = End.HasValue ? TypedTime.ToUtc(End.Value) : (DateTimeOffset?)null,
            };
            if (query.Begin.HasValue && query.End.HasValue && query.Begin.Value > query.End.Value)
            {
                RefuseInput(ValidationError.Create("-Begin must not be later than -End."), query.Begin);
                return;
            }

            var client = Client;
            RunWork(BackupId ?? InstanceId, ct => client.ListBackupsAsync(query, PostObject, ct));
        }
    }
}
