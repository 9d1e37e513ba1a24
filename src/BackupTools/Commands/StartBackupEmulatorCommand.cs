using System;
using System.Collections;
using System.Management.Automation;
using BackupTools.Infrastructure;
using BackupTools.Testing;

namespace BackupTools.Commands
{
    /// <summary>
    /// Starts the BackupTools emulator (both clouds' backup APIs on a free loopback port) for a test
    /// suite or a demo, and points this session's BackupTools cmdlets at it. One line in a Pester
    /// BeforeAll; Stop-BackupEmulator in AfterAll. The emulator also ends when this process ends.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Start, "BackupEmulator")]
    [OutputType(typeof(LocalEmulator))]
    public sealed class StartBackupEmulatorCommand : AsyncCmdlet
    {
        /// <summary>What the emulator starts with: a seed file's path, or the same shape as a hashtable.</summary>
        [Parameter(Position = 0)]
        [ValidateNotNull]
        public object? Seed { get; set; }

        /// <summary>The loopback port; 0 (the default) picks a free one.</summary>
        [Parameter]
        [ValidateRange(0, 65535)]
        public int Port { get; set; }

        /// <summary>How long a Spanner backup takes in the emulator (default 3 s).</summary>
        [Parameter]
        [DurationTransformation]
        public Duration? SpannerDuration { get; set; }

        /// <summary>How long a GaussDB backup takes in the emulator (default 3 s).</summary>
        [Parameter]
        [DurationTransformation]
        public Duration? GaussDuration { get; set; }

        /// <summary>The emulator to run: the backuptools-emulator command or BackupTools.Emulator.dll.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>Further emulator arguments, e.g. '--fault-rate-503', '0.1' or '--require-auth'.</summary>
        [Parameter]
        public string[]? ArgumentList { get; set; }

        /// <summary>Leave $env:BACKUPTOOLS_SPANNER_ENDPOINT and $env:BACKUPTOOLS_GAUSS_ENDPOINT as they are.</summary>
        [Parameter]
        public SwitchParameter NoEnvironment { get; set; }

        protected override void EndProcessing()
        {
            var info = new LocalEmulatorStartInfo
            {
                Port = Port,
                Path = Path == null ? null : GetUnresolvedProviderPathFromPSPath(Path),
                SpannerBackupDuration = SpannerDuration?.TimeSpan,
                GaussBackupDuration = GaussDuration?.TimeSpan,
            };
            switch (Seed is PSObject pso && !(pso.BaseObject is PSCustomObject) ? pso.BaseObject : Seed)
            {
                case null:
                    break;
                case string file:
                    info.SeedFile = GetUnresolvedProviderPathFromPSPath(file);
                    break;
                case var data when PlainData.From(data) is IDictionary dictionary:
                    info.SeedJson = SeedJson.From(dictionary);
                    break;
                default:
                    ThrowTerminatingError(new ErrorRecord(
                        new PSArgumentException("-Seed takes a seed file's path or a hashtable of the seed's shape (see about_BackupTools_Testing)."),
                        Errors.ErrorIds.InvalidParameter,
                        ErrorCategory.InvalidArgument,
                        Seed));
                    break;
            }

            foreach (var argument in ArgumentList ?? Array.Empty<string>())
            {
                info.Arguments.Add(argument);
            }

            var setEnvironment = !NoEnvironment.IsPresent;
            RunWork(info.Path ?? "BackupTools emulator", async ct =>
            {
                var emulator = await LocalEmulator.StartAsync(info, ct).ConfigureAwait(false);
                Post(() =>
                {
                    StartedEmulators.Add(emulator, setEnvironment);
                    WriteVerbose("BackupTools emulator " + emulator.BaseAddress + " (process " + emulator.ProcessId + ")" + (setEnvironment ? "; BACKUPTOOLS_SPANNER_ENDPOINT and BACKUPTOOLS_GAUSS_ENDPOINT point at it." : "."));
                    WriteObject(emulator);
                });
            });
            base.EndProcessing();
        }
    }
}
