using System;
using System.Linq;
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

        /// <summary>The emulator's default seed on the GaussDB side: its project and demo access key.</summary>
        public const string GaussProjectId = "0b5c7f3a9d2e4f6a8b1c3d5e7f9a0b2c";
        public const string GaussAccessKey = "DEMOACCESSKEY0000000";
        public const string GaussSecretKey = "demo-secret-key";

        public static async Task<EmulatorSession> StartAsync(Action<EmulatorOptions>? configure = null)
        {
            var options = new EmulatorOptions { SpannerBackupDuration = TimeSpan.FromSeconds(2), GaussBackupDuration = TimeSpan.FromSeconds(2) };
            configure?.Invoke(options);
            var emulator = await BackupEmulator.StartAsync(options);
            var shell = new PsSession();
            shell.Run("$PSDefaultParameterValues['*-Spanner*:Endpoint'] = $args[0]; $PSDefaultParameterValues['*-Gauss*:Endpoint'] = $args[0]; $PSDefaultParameterValues['*-Backup*:SpannerEndpoint'] = $args[0]", emulator.BaseAddress.AbsoluteUri);
            return new EmulatorSession(emulator, shell);
        }

        public PsResult Run(string script, params object?[] args) => Shell.Run(script, args);

        /// <summary>Makes the Gauss cmdlets sign with the emulator's demo AK/SK and project by default ($PSDefaultParameterValues).</summary>
        public void SignGaussWithDemoKey()
        {
            Shell.SetVariable("gaussSk", BackupTools.Auth.SecretText.Protect(GaussSecretKey));
            var r = Run(
                "$PSDefaultParameterValues['*-Gauss*:AccessKey'] = $args[0]; $PSDefaultParameterValues['*-Gauss*:SecretKey'] = $gaussSk; $PSDefaultParameterValues['*-Gauss*:ProjectId'] = $args[1]",
                GaussAccessKey,
                GaussProjectId);
            if (r.AllErrors.Any())
            {
                throw new InvalidOperationException(r.AllErrors.First().ToString());
            }
        }

        public async ValueTask DisposeAsync()
        {
            Shell.Dispose();
            await Emulator.DisposeAsync();
        }
    }
}
