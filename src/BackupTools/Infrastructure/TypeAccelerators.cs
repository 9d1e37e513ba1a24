using System;
using System.Management.Automation;
using System.Threading;
using BackupTools.Gauss;
using BackupTools.Spanner;

namespace BackupTools.Infrastructure
{
    /// <summary>
    /// On PowerShell 7 the output types live in the module's private load context, where PowerShell's
    /// type-name resolution does not look; registering them as type accelerators under their full
    /// names lets scripts write [BackupTools.Spanner.SpannerBackup] (with -is, or to build objects in a
    /// Pester mock). Done at import: it loads our core, not its third-party dependencies.
    /// </summary>
    internal static class TypeAccelerators
    {
        private static int _registered;

        public static void EnsureRegistered()
        {
            if (Interlocked.Exchange(ref _registered, 1) == 1)
            {
                return;
            }

            var accelerators = typeof(PSObject).Assembly.GetType("System.Management.Automation.TypeAccelerators");
            var add = accelerators?.GetMethod("Add", new[] { typeof(string), typeof(Type) });
            if (add == null)
            {
                return;
            }

            foreach (var type in new[] { typeof(SpannerBackup), typeof(SpannerBackupOperation), typeof(SpannerStatus), typeof(SpannerRestoreOperation), typeof(SpannerDatabase), typeof(SpannerBackupSchedule), typeof(GaussBackup), typeof(GaussJob), typeof(GaussInstance), typeof(GaussConnection), typeof(GaussRestoreWindow), typeof(GaussBackupPolicy), typeof(GaussBackupDeleteResult), typeof(BackupTools.Testing.LocalEmulator) })
            {
                add.Invoke(null, new object[] { type.FullName!, type });
            }
        }
    }
}
