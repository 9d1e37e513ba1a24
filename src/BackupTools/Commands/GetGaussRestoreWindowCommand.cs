using System;
using System.Management.Automation;
using BackupTools.Gauss;
using BackupTools.Infrastructure;
using BackupTools.Validation;

namespace BackupTools.Commands
{
    /// <summary>Shows the spans of time a GaussDB(for MySQL) instance can be restored to (point-in-time recovery). Not offered on Open Telekom Cloud.</summary>
    [Cmdlet(VerbsCommon.Get, "GaussRestoreWindow")]
    [OutputType(typeof(GaussRestoreWindow))]
    public sealed class GetGaussRestoreWindowCommand : GaussCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateGaussInstanceId]
        [ArgumentCompleter(typeof(GaussInstanceCompleter))]
        public string InstanceId { get; set; } = string.Empty;

        /// <summary>From when (default: 7 days before -End).</summary>
        [Parameter]
        public DateTime? Start { get; set; }

        /// <summary>Until when (default: now).</summary>
        [Parameter]
        public DateTime? End { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            RequireNotOpenTelekomCloud(
                "restorable-window query (instances/{id}/restore-time)",
                "There a point in time can only be restored to a new instance, whose create the service itself checks: use New-GaussInstance -RestoreTime.");
        }

        protected override void ProcessRecord()
        {
            var end = End.HasValue ? TypedTime.ToUtc(End.Value) : DateTimeOffset.UtcNow;
            var start = Start.HasValue ? TypedTime.ToUtc(Start.Value) : end - TimeSpan.FromDays(7);
            if (start > end)
            {
                RefuseInput(ValidationError.Create("-Start must not be later than -End."), InstanceId);
                return;
            }

            var restorer = new GaussRestoreClient(Client);
            RunWork(InstanceId, async ct =>
            {
                foreach (var window in await restorer.GetRestoreWindowsAsync(InstanceId, start, end, ct).ConfigureAwait(false))
                {
                    PostObject(window);
                }
            });
        }
    }
}
