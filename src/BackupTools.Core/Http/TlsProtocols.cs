using System;
using System.Net;
using System.Runtime.InteropServices;

namespace BackupTools.Http
{
    /// <summary>
    /// TLS on Windows PowerShell 5.1. On .NET Framework 4.x the process allows only what
    /// <see cref="ServicePointManager.SecurityProtocol"/> says, which without the SchUseStrongCrypto
    /// registry values is SSL 3 and TLS 1.0; both clouds require TLS 1.2. The module adds TLS 1.2 to
    /// what is allowed and removes nothing the user (or another module) set. "System default" (0, the
    /// operating system decides, .NET Framework 4.7+) is left alone: it already includes TLS 1.2 where
    /// the OS has it. .NET (PowerShell 7) always uses the OS defaults, so nothing is touched there.
    /// </summary>
    public static class TlsProtocols
    {
        private const SecurityProtocolType SystemDefault = 0;

        private static int _applied;

        /// <summary>True on .NET Framework (Windows PowerShell 5.1).</summary>
        public static bool IsNetFramework => RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase);

        /// <summary>The protocols to allow: <paramref name="current"/> with TLS 1.2 added, unless it is "system default".</summary>
        public static SecurityProtocolType WithTls12(SecurityProtocolType current) =>
            current == SystemDefault ? current : current | SecurityProtocolType.Tls12;

        /// <summary>Adds TLS 1.2 on .NET Framework (once per process, before the first call); does nothing on .NET.</summary>
        internal static void EnsureTls12()
        {
            if (!IsNetFramework || System.Threading.Interlocked.Exchange(ref _applied, 1) == 1)
            {
                return;
            }

            ServicePointManager.SecurityProtocol = WithTls12(ServicePointManager.SecurityProtocol);
        }
    }
}
