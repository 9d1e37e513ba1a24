using System;
using System.Diagnostics;
using System.IO;

namespace BackupTools.Tests.Infrastructure
{
    /// <summary>
    /// Real pwsh (the PowerShell 7.6.10 .NET tool the repository pins in .config/dotnet-tools.json), in a
    /// fresh process, for what only a fresh process shows: what import loads, the load context next to
    /// another module's assemblies, the emulator ending with its parent.
    /// </summary>
    public static class Pwsh
    {
        public static string Configuration => new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

        /// <summary>The emulator this build made, as Start-BackupEmulator finds it through $env:BACKUPTOOLS_EMULATOR.</summary>
        public static string EmulatorDll => Repo.File("src", "BackupTools.Emulator", "bin", Configuration, "net10.0", "BackupTools.Emulator.dll");

        /// <summary>Runs a script in pwsh -NoProfile; $args[0..] are the given arguments; $ModulePath is the built module.</summary>
        public static (int Exit, string Output) Run(string script, params string[] args) => Run(script, TimeSpan.FromMinutes(2), args);

        public static (int Exit, string Output) Run(string script, TimeSpan timeout, params string[] args)
        {
            var file = Path.Combine(Path.GetTempPath(), "bt-pwsh-" + Guid.NewGuid().ToString("N") + ".ps1");
            File.WriteAllText(file, "$ModulePath = '" + Repo.ModuleFolder.Replace("'", "''") + "'\n" + script);
            try
            {
                var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Repo.Root };
                foreach (var a in new[] { "tool", "run", "pwsh", "--", "-NoProfile", "-NonInteractive", "-File", file })
                {
                    start.ArgumentList.Add(a);
                }

                foreach (var a in args)
                {
                    start.ArgumentList.Add(a);
                }

                start.Environment["BACKUPTOOLS_EMULATOR"] = EmulatorDll;
                start.Environment["NO_COLOR"] = "1";
                using var process = Process.Start(start)!;
                var stderr = process.StandardError.ReadToEndAsync();
                var stdout = process.StandardOutput.ReadToEndAsync();
                if (!process.WaitForExit((int)timeout.TotalMilliseconds))
                {
                    process.Kill(entireProcessTree: true);
                    throw new TimeoutException("pwsh did not finish within " + timeout + ": " + stdout.Result + stderr.Result);
                }

                return (process.ExitCode, stdout.Result + "\n" + stderr.Result);
            }
            finally
            {
                File.Delete(file);
            }
        }
    }
}
