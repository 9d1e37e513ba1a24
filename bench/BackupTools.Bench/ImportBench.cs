using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;

namespace BackupTools.Bench
{
    /// <summary>
    /// Import-Module in a fresh process against the bare engine start: each run is a new
    /// backuptools-shell process that opens a runspace, and in the measured variant imports the module;
    /// the variants alternate so both see the same machine state.
    /// </summary>
    public static class ImportBench
    {
        public static void Run(int runs)
        {
            var shell = Path.Combine(AppContext.BaseDirectory, "backuptools-shell.dll");
            if (!File.Exists(shell))
            {
                throw new FileNotFoundException("backuptools-shell.dll is built beside the bench", shell);
            }

            // Both variants do the same work but the import; the script prints the in-process import time too.
            const string bare = "$null";
            const string withImport = "$c = [Diagnostics.Stopwatch]::StartNew(); Import-Module $BackupToolsModulePath -ErrorAction Stop; 'import-ms ' + $c.Elapsed.TotalMilliseconds";
            Time(shell, bare);
            Time(shell, withImport);
            var bareTimes = new double[runs];
            var importTimes = new double[runs];
            var inProcess = new double[runs];
            for (var i = 0; i < runs; i++)
            {
                bareTimes[i] = Time(shell, bare).Wall;
                var measured = Time(shell, withImport);
                importTimes[i] = measured.Wall;
                inProcess[i] = measured.ImportMs;
            }

            var median = Median(importTimes) - Median(bareTimes);
            Console.WriteLine($"## Import-Module in a fresh process ({runs} runs each, alternating; medians)");
            Console.WriteLine();
            Console.WriteLine("| process | median wall time (ms) | min (ms) | max (ms) |");
            Console.WriteLine("|---|---:|---:|---:|");
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "| engine start, no import | {0:0} | {1:0} | {2:0} |", Median(bareTimes), bareTimes.Min(), bareTimes.Max()));
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "| engine start + Import-Module BackupTools | {0:0} | {1:0} | {2:0} |", Median(importTimes), importTimes.Min(), importTimes.Max()));
            Console.WriteLine();
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "Import cost over the bare engine start: {0:0} ms (median difference); Import-Module itself, timed inside the process: {1:0} ms median.", median, Median(inProcess)));
            Console.WriteLine();
        }

        private static (double Wall, double ImportMs) Time(string shell, string command)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(shell);
            start.ArgumentList.Add("-NoImport");
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
                throw new InvalidOperationException("backuptools-shell failed: " + output);
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
