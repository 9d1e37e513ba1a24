using System;
using System.Management.Automation;
using BackupTools.Errors;
using BackupTools.Infrastructure;
using BackupTools.Spanner;
using BackupTools.Waiting;

namespace BackupTools.Commands
{
    /// <summary>
    /// Waits on backup operations of any cloud, all at once, and emits each finished backup as soon as
    /// it finishes. Failed or cancelled operations are non-terminating errors; -Timeout ends the wait
    /// with a terminating error naming what is still unfinished.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Wait, "BackupOperation")]
    [OutputType(typeof(SpannerBackup), typeof(SpannerBackupOperation), typeof(SpannerDatabase), typeof(SpannerRestoreOperation), typeof(BackupTools.Gauss.GaussBackup), typeof(BackupTools.Gauss.GaussJob), typeof(BackupTools.Gauss.GaussInstance))]
    public sealed class WaitBackupOperationCommand : AsyncCmdlet
    {
        /// <summary>Operations to wait on, as emitted by New-SpannerBackup and Get-SpannerBackupOperation.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [ValidateNotNull]
        public PSObject[] InputObject { get; set; } = Array.Empty<PSObject>();

        /// <summary>The longest to wait in all: a TimeSpan, "30m", "2h", or seconds.</summary>
        [Parameter]
        [DurationTransformation]
        public Duration? Timeout { get; set; }

        /// <summary>Emit the final operation objects instead of the finished backups.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>For Spanner restores: stop following when the restore ends (the database is usable, READY_OPTIMIZING), without waiting for the optimize step.</summary>
        [Parameter]
        public SwitchParameter SkipOptimize { get; set; }

        /// <summary>Polls in flight at once across all operations.</summary>
        [Parameter]
        [ValidateRange(1, 256)]
        public int ThrottleLimit { get; set; } = 16;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            OpenWait(new WaiterOptions { Timeout = Timeout?.TimeSpan, MaxConcurrentRequests = ThrottleLimit }, PassThru.IsPresent);
        }

        protected override void ProcessRecord()
        {
            foreach (var input in InputObject)
            {
                var probe = Probes.For(input, Trace, followOptimize: !SkipOptimize.IsPresent);
                if (probe == null)
                {
                    WriteError(ErrorRecords.From(
                        new BackupToolsException(ErrorIds.NotWaitable, ErrorKind.InvalidArgument, "Wait-BackupOperation cannot follow a " + (input?.BaseObject?.GetType().Name ?? "null") + ": pipe the operations that New-SpannerBackup, Copy-SpannerBackup, Restore-SpannerDatabase or Get-SpannerBackupOperation emit, or the backups, jobs and instances that New-GaussBackup, Get-GaussBackupJob, Restore-GaussInstance and New-GaussInstance emit."),
                        input));
                    continue;
                }

                Waiting!.Add(probe);
            }

            WriteQueued();
        }

        protected override void EndProcessing() => CompleteWait();
    }
}
