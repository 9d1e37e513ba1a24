using System;
using System.IO;

namespace BackupTools.Tests.Infrastructure
{
    /// <summary>Paths in the repository the tests run from.</summary>
    public static class Repo
    {
        public static readonly string Root = FindRoot();

        public static string ModuleFolder => Path.Combine(Root, "artifacts", "module", "BackupTools");

        public static string File(params string[] parts) => Path.Combine(Root, Path.Combine(parts));

        private static string FindRoot()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !System.IO.File.Exists(Path.Combine(dir.FullName, "BackupTools.psd1")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (BackupTools.psd1) above " + AppContext.BaseDirectory);
        }
    }
}
