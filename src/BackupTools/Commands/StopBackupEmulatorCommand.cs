using System.Management.Automation;
using BackupTools.Infrastructure;
using BackupTools.Testing;

namespace BackupTools.Commands
{
    /// <summary>
    /// Stops emulators started by Start-BackupEmulator (the given ones, or every one this session
    /// started) and puts the endpoint variables back as they were before.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Stop, "BackupEmulator")]
    [OutputType(typeof(LocalEmulator))]
    public sealed class StopBackupEmulatorCommand : PSCmdlet
    {
        /// <summary>The emulator(s) to stop; all that this session started when omitted.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true)]
        public LocalEmulator[]? Emulator { get; set; }

        /// <summary>Emit each emulator stopped (HasExited true).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        private bool _any;

        protected override void ProcessRecord()
        {
            foreach (var emulator in Emulator ?? new LocalEmulator[0])
            {
                _any = true;
                StartedEmulators.Stop(emulator);
                Stopped(emulator);
            }
        }

        protected override void EndProcessing()
        {
            if (!_any && MyInvocation.ExpectingInput == false)
            {
                foreach (var emulator in StartedEmulators.StopAll())
                {
                    Stopped(emulator);
                }
            }
        }

        private void Stopped(LocalEmulator emulator)
        {
            WriteVerbose("Stopped the BackupTools emulator " + emulator.BaseAddress + ".");
            if (PassThru.IsPresent)
            {
                WriteObject(emulator);
            }
        }
    }
}
