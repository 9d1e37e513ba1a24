using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading;
using System.Threading.Tasks;
using BackupTools.Emulator;

namespace BackupTools.Shell
{
    /// <summary>
    /// backuptools-shell [-Emulator] [-NoImport] [-SpannerDuration 5s] (-File script.ps1 | -Command "...") [script arguments]
    /// Runs PowerShell in-process with BackupTools imported (-NoImport: not imported; the script can
    /// import $BackupToolsModulePath itself). With -Emulator, starts the bundled
    /// emulator on a free loopback port and points the module at it through
    /// BACKUPTOOLS_SPANNER_ENDPOINT and BACKUPTOOLS_GAUSS_ENDPOINT. Ctrl+C stops the pipeline.
    /// </summary>
    public static class Program
    {
        public static async Task<int> Main(string[] args)
        {
            var useEmulator = false;
            var import = true;
            string? file = null;
            string? command = null;
            var duration = TimeSpan.FromSeconds(4);
            var rest = new List<string>();
            for (var i = 0; i < args.Length; i++)
            {
                switch (args[i].ToLowerInvariant())
                {
                    case "-emulator":
                        useEmulator = true;
                        break;
                    case "-noimport":
                        import = false;
                        break;
                    case "-file" when i + 1 < args.Length:
                        file = args[++i];
                        break;
                    case "-command" when i + 1 < args.Length:
                        command = args[++i];
                        break;
                    case "-spannerduration" when i + 1 < args.Length:
                        duration = DurationText.Parse(args[++i]);
                        break;
                    default:
                        rest.Add(args[i]);
                        break;
                }
            }

            if (file == null && command == null)
            {
                Console.Error.WriteLine("usage: backuptools-shell [-Emulator] [-NoImport] [-SpannerDuration 4s] (-File script.ps1 | -Command \"...\") [arguments]");
                return 2;
            }

            BackupEmulator? emulator = null;
            try
            {
                if (useEmulator)
                {
                    emulator = await BackupEmulator.StartAsync(new EmulatorOptions { SpannerBackupDuration = duration, SpannerBackupDurationMax = duration + duration, GaussBackupDuration = duration, GaussBackupDurationMax = duration + duration });
                    Environment.SetEnvironmentVariable("BACKUPTOOLS_SPANNER_ENDPOINT", emulator.BaseAddress.AbsoluteUri);
                    Environment.SetEnvironmentVariable("BACKUPTOOLS_GAUSS_ENDPOINT", emulator.BaseAddress.AbsoluteUri);
                    Console.Error.WriteLine("Emulator listening on " + emulator.BaseAddress);
                }

                return Run(file, command, rest, import);
            }
            finally
            {
                if (emulator != null)
                {
                    await emulator.DisposeAsync();
                }
            }
        }

        private static int Run(string? file, string? command, List<string> arguments, bool import)
        {
            using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
            runspace.Open();
            using var ps = PowerShell.Create();
            ps.Runspace = runspace;
            var module = FindModule();
            runspace.SessionStateProxy.SetVariable("BackupToolsModulePath", module);
            if (import)
            {
                ps.AddScript("Import-Module -Name $args[0] -ErrorAction Stop").AddArgument(module);
                ps.Invoke();
                ps.Commands.Clear();
                if (ps.HadErrors)
                {
                    Console.Error.WriteLine("Import-Module " + module + " failed: " + string.Join("; ", ps.Streams.Error));
                    return 1;
                }
            }

            ps.Streams.Error.Clear();
            if (file != null)
            {
                ps.AddCommand(Path.GetFullPath(file));
            }
            else
            {
                ps.AddScript(command);
            }

            foreach (var a in arguments)
            {
                ps.AddArgument(a);
            }

            var errors = 0;
            ps.Streams.Error.DataAdded += (s, e) =>
            {
                errors++;
                var record = ps.Streams.Error[e.Index];
                Console.Error.WriteLine("ERROR: " + record + " [" + record.FullyQualifiedErrorId + "]");
            };
            ps.Streams.Warning.DataAdded += (s, e) => Console.Error.WriteLine("WARNING: " + ps.Streams.Warning[e.Index].Message);
            ps.Streams.Verbose.DataAdded += (s, e) => Console.Error.WriteLine("VERBOSE: " + ps.Streams.Verbose[e.Index].Message);
            ps.Streams.Debug.DataAdded += (s, e) => Console.Error.WriteLine("DEBUG: " + ps.Streams.Debug[e.Index].Message);
            ps.Streams.Information.DataAdded += (s, e) => Console.WriteLine(ps.Streams.Information[e.Index].MessageData);
            var lastProgress = string.Empty;
            ps.Streams.Progress.DataAdded += (s, e) =>
            {
                var p = ps.Streams.Progress[e.Index];
                if (p.ParentActivityId < 0 && p.RecordType != ProgressRecordType.Completed && p.StatusDescription != lastProgress)
                {
                    lastProgress = p.StatusDescription;
                    Console.Error.WriteLine("  [progress] " + p.Activity + ": " + p.StatusDescription);
                }
            };

            Console.CancelKeyPress += (s, e) =>
            {
                e.Cancel = true;
                ps.BeginStop(null, null);
            };

            var output = new PSDataCollection<PSObject>();
            output.DataAdded += (s, e) => Console.WriteLine(output[e.Index]?.ToString());
            try
            {
                ps.Invoke(null, output);
            }
            catch (RuntimeException ex)
            {
                Console.Error.WriteLine("ERROR: " + ex.Message + " [" + ex.ErrorRecord.FullyQualifiedErrorId + "]");
                return 1;
            }

            return errors > 0 ? 1 : 0;
        }

        private static string FindModule()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "BackupTools.psd1")))
            {
                dir = dir.Parent;
            }

            return Path.Combine(dir?.FullName ?? ".", "artifacts", "module", "BackupTools");
        }
    }
}
