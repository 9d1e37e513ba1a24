using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;

namespace BackupTools.Bench
{
    /// <summary>
    /// Import-Module in a fresh process against the bare engine start: each run is a new pwsh process
    /// (the 7.6.10 the repository pins, started directly from its pwsh.dll so the dotnet CLI's tool
    /// lookup is not timed), and in the measured variant imports the module; the variants alternate so
    /// all see the same machine state.
    /// </summary>
    public static class ImportBench
    {
        public static void Run(int runs)
        {
            var shell = PwshDll();

            // For scale: a trivial binary module (one small assembly, no cmdlets, no format file) shows
            // what PowerShell's own binary-module import costs in a fresh process, whatever the module.
            var trivial = TrivialModule();

            // All variants do the same work but the import; the script prints the in-process import time too.
            const string bare = "$null";
            const string importTemplate = "$c = [Diagnostics.Stopwatch]::StartNew(); Import-Module '{0}' -ErrorAction Stop; 'import-ms ' + $c.Elapsed.TotalMilliseconds";
            var withImport = string.Format(CultureInfo.InvariantCulture, importTemplate, Program.ModuleFolder());
            var withTrivial = string.Format(CultureInfo.InvariantCulture, importTemplate, trivial);
            Time(shell, bare);
            Time(shell, withImport);
            Time(shell, withTrivial);
            var bareTimes = new double[runs];
            var importTimes = new double[runs];
            var trivialTimes = new double[runs];
            var inProcess = new double[runs];
            var trivialInProcess = new double[runs];
            for (var i = 0; i < runs; i++)
            {
                bareTimes[i] = Time(shell, bare).Wall;
                var measured = Time(shell, withImport);
                importTimes[i] = measured.Wall;
                inProcess[i] = measured.ImportMs;
                var small = Time(shell, withTrivial);
                trivialTimes[i] = small.Wall;
                trivialInProcess[i] = small.ImportMs;
            }

            Console.WriteLine($"## Import-Module in a fresh process ({runs} runs each, interleaved; medians)");
            Console.WriteLine();
            Console.WriteLine("| process | median wall time (ms) | min (ms) | max (ms) | Import-Module inside the process, median (ms) |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "| engine start, no import | {0:0} | {1:0} | {2:0} | |", Median(bareTimes), bareTimes.Min(), bareTimes.Max()));
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "| engine start + a trivial binary module | {0:0} | {1:0} | {2:0} | {3:0} |", Median(trivialTimes), trivialTimes.Min(), trivialTimes.Max(), Median(trivialInProcess)));
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "| engine start + Import-Module BackupTools | {0:0} | {1:0} | {2:0} | {3:0} |", Median(importTimes), importTimes.Min(), importTimes.Max(), Median(inProcess)));
            Console.WriteLine();
            Console.WriteLine(string.Format(
                CultureInfo.InvariantCulture,
                "Import cost over the bare engine start: {0:0} ms (median difference); of it, PowerShell's own binary-module import (the trivial module) {1:0} ms, and BackupTools beyond that {2:0} ms.",
                Median(importTimes) - Median(bareTimes),
                Median(trivialTimes) - Median(bareTimes),
                Median(importTimes) - Median(trivialTimes)));
            Console.WriteLine();
        }

        /// <summary>A module folder holding only a small assembly with no cmdlets (our load-context assembly will do).</summary>
        private static string TrivialModule()
        {
            var folder = Path.Combine(Path.GetTempPath(), "bt-bench-trivial", "Trivial");
            Directory.CreateDirectory(folder);
            File.Copy(Path.Combine(AppContext.BaseDirectory, "BackupTools.LoadContext.dll"), Path.Combine(folder, "Trivial.dll"), true);
            File.WriteAllText(Path.Combine(folder, "Trivial.psd1"), "@{ RootModule = 'Trivial.dll'; ModuleVersion = '1.0.0'; GUID = '3b0e3c1c-8f0e-4c55-9d7a-6d1f2c1e0a11'; CmdletsToExport = @(); FunctionsToExport = @(); AliasesToExport = @(); VariablesToExport = @() }");
            return folder;
        }

        /// <summary>pwsh.dll of the PowerShell tool in .config/dotnet-tools.json ($PSHOME, asked of it once).</summary>
        private static string PwshDll()
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Program.RepositoryRoot() };
            foreach (var a in new[] { "tool", "run", "pwsh", "--", "-NoProfile", "-NonInteractive", "-Command", "$PSHOME" })
            {
                start.ArgumentList.Add(a);
            }

            using var process = Process.Start(start)!;
            var home = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            var dll = Path.Combine(home, "pwsh.dll");
            return process.ExitCode == 0 && File.Exists(dll) ? dll : throw new InvalidOperationException("pwsh not found: run 'dotnet tool restore' in the repository first.");
        }

        private static (double Wall, double ImportMs) Time(string shell, string command)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(shell);
            start.ArgumentList.Add("-NoProfile");
            start.ArgumentList.Add("-NonInteractive");
            start.ArgumentList.Add("-Command");
            start.ArgumentList.Add(command);
            var clock = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            var wall = clock.Elapsed.TotalMilliseconds;
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException("pwsh failed: " + output);
            }

            var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("import-ms ", StringComparison.Ordinal));
            return (wall, line == null ? 0 : double.Parse(line.Substring(10).Trim(), CultureInfo.InvariantCulture));
        }

        private static double Median(double[] values)
        {
            var sorted = values.OrderBy(v => v).ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        }
    }
}
