using System;
using System.Threading.Tasks;
using BackupTools.Emulator;

namespace BackupTools.Tests.Infrastructure
{
    /// <summary>
    /// The emulator on a free loopback port plus a PowerShell session whose Spanner and Gauss cmdlets
    /// point at it through $PSDefaultParameterValues, as a user's Pester suite would set it up.
    /// </summary>
    public sealed class EmulatorSession : IAsyncDisposable
    {
        private EmulatorSession(BackupEmulator emulator, PsSession shell)
        {
            Emulator = emulator;
            Shell = shell;
        }

        public BackupEmulator Emulator { get; }

        public PsSession Shell { get; }

        public string Endpoint => Emulator.BaseAddress.AbsoluteUri;

        public const string Project = "demo-project";
        public const string Instance = "demo-instance";

        public static async Task<EmulatorSession> StartAsync(Action<EmulatorOptions>? configure = null)
        {
            var options = new EmulatorOptions { SpannerBackupDuration = TimeSpan.FromSeconds(2), GaussBackupDuration = TimeSpan.FromSeconds(2) };
            configure?.Invoke(options);
            var emulator = await BackupEmulator.StartAsync(options);
            var shell = new PsSession();
            shell.Run("$PSDefaultParameterValues['*-Spanner*:Endpoint'] = $args[0]; $PSDefaultParameterValues['*-Gauss*:Endpoint'] = $args[0]", emulator.BaseAddress.AbsoluteUri);
            return new EmulatorSession(emulator, shell);
        }

        public PsResult Run(string script, params object?[] args) => Shell.Run(script, args);

        public async ValueTask DisposeAsync()
        {
            Shell.Dispose();
            await Emulator.DisposeAsync();
        }
    }
}
