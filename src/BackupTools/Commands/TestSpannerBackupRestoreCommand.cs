using System;
using System.Management.Automation;
using BackupTools.Drills;
using BackupTools.Infrastructure;

namespace BackupTools.Commands
{
    /// <summary>
    /// A restore drill: restores a database's newest READY backup into a scratch database, waits through
    /// optimize, runs the user's check on it, and drops the scratch database whatever happened (a failed
    /// check, an error, Ctrl+C). Emits the evidence; a drill that did not pass is also an error. The order
    /// and the cleanup promise are <see cref="RestoreDrillRunner"/>'s; the steps are <see cref="SpannerRestoreDrill"/>'s.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "SpannerBackupRestore")]
    [OutputType(typeof(RestoreDrillResult))]
    public sealed class TestSpannerBackupRestoreCommand : SpannerInstanceCmdlet
    {
        [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true)]
        [Alias("DatabaseId")]
        [ValidateSpannerDatabaseId]
        [ArgumentCompleter(typeof(SpannerDatabaseCompleter))]
        public string Database { get; set; } = string.Empty;

        /// <summary>The instance the scratch database is restored into (same instance configuration); default: the database's own.</summary>
        [Parameter]
        [ValidateSpannerInstanceId]
        [ArgumentCompleter(typeof(SpannerInstanceCompleter))]
        public string? ScratchInstance { get; set; }

        /// <summary>Run against the restored database ($_ and $args[0]); a terminating error or a $false result fails the drill.</summary>
        [Parameter]
        public ScriptBlock? Check { get; set; }

        /// <summary>How long the restore (optimize included) may take, and how long to wait for another restore in the instance.</summary>
        [Parameter]
        [DurationTransformation]
        public Duration Timeout { get; set; } = TimeSpan.FromHours(2);

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            RestoreDrillRunner.RequirePositive(this, Timeout);
        }

        protected override void ProcessRecord() =>
            new RestoreDrillRunner(this).Run(new SpannerRestoreDrill(Client, Project, Instance, Database, ScratchInstance, DateTimeOffset.UtcNow), Check, Timeout);
    }
}
