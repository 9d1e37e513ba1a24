using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using BackupTools.Errors;
using BackupTools.Http;

namespace BackupTools.Testing
{
    /// <summary>How to start the bundled emulator as a child process.</summary>
    public sealed class LocalEmulatorStartInfo
    {
        /// <summary>The emulator: a BackupTools.Emulator.dll (run with dotnet) or the backuptools-emulator command; null: found as <see cref="LocalEmulator.Find"/> says.</summary>
        public string? Path { get; set; }

        /// <summary>0: a free loopback port.</summary>
        public int Port { get; set; }

        /// <summary>A seed file (JSON, the emulator's shape); null: the emulator's demo seed.</summary>
        public string? SeedFile { get; set; }

        /// <summary>Seed JSON text, written to a temporary file the emulator reads (deleted on stop).</summary>
        public string? SeedJson { get; set; }

        public TimeSpan? SpannerBackupDuration { get; set; }

        public TimeSpan? GaussBackupDuration { get; set; }

        /// <summary>Further emulator arguments (faults, auth), passed as given.</summary>
        public IList<string> Arguments { get; } = new List<string>();

        /// <summary>How long to wait for the emulator to print its address.</summary>
        public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(60);
    }

    /// <summary>
    /// A running emulator in a child process. It watches the process that started it (--parent-pid), so
    /// it also ends when that process ends without stopping it; <see cref="Stop"/> ends it at once.
    /// </summary>
    public sealed class LocalEmulator : IDisposable
    {
        /// <summary>The command name of the BackupTools.Emulator .NET tool.</summary>
        public const string ToolCommand = "backuptools-emulator";

        /// <summary>Names the emulator when no path is given: a dll or command path.</summary>
        public const string PathVariable = "BACKUPTOOLS_EMULATOR";

        private readonly Process _process;
        private readonly string? _temporarySeed;
        private readonly StringBuilder _errors;
        private int _stopped;

        private LocalEmulator(Process process, Uri baseAddress, string? temporarySeed, StringBuilder errors)
        {
            _process = process;
            _temporarySeed = temporarySeed;
            _errors = errors;
            BaseAddress = baseAddress;
            ProcessId = process.Id;
            StartTime = DateTimeOffset.UtcNow;
        }

        /// <summary>Where both clouds' APIs are served (http://127.0.0.1:port/).</summary>
        public Uri BaseAddress { get; }

        /// <summary>The admin API (faults, reset, clock, state).</summary>
        public Uri AdminAddress => new Uri(BaseAddress, "_emulator/");

        public int ProcessId { get; }

        public DateTimeOffset StartTime { get; }

        public bool HasExited
        {
            get
            {
                try
                {
                    return _process.HasExited;
                }
                catch (InvalidOperationException)
                {
                    return true;
                }
            }
        }

        public override string ToString() => BaseAddress.AbsoluteUri;

        /// <summary>
        /// Finds the emulator: the given path, else $env:BACKUPTOOLS_EMULATOR, else backuptools-emulator on
        /// PATH (a global tool, or a --tool-path folder on PATH). Null when none.
        /// </summary>
        public static string? Find(string? path)
        {
            if (!string.IsNullOrWhiteSpace(path))
            {
                return path;
            }

            var fromEnvironment = Environment.GetEnvironmentVariable(PathVariable);
            if (!string.IsNullOrWhiteSpace(fromEnvironment))
            {
                return fromEnvironment;
            }

            var names = IsWindows ? new[] { ToolCommand + ".exe", ToolCommand + ".cmd" } : new[] { ToolCommand };
            var folders = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(System.IO.Path.PathSeparator).ToList();
            // dotnet tool install --global puts tools here, which a fresh shell may not have on PATH yet.
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            if (!string.IsNullOrEmpty(home))
            {
                folders.Add(System.IO.Path.Combine(home, ".dotnet", "tools"));
            }

            foreach (var folder in folders.Where(f => f.Length > 0))
            {
                foreach (var name in names)
                {
                    var candidate = System.IO.Path.Combine(folder.Trim('"'), name);
                    if (File.Exists(candidate))
                    {
                        return candidate;
                    }
                }
            }

            return null;
        }

        /// <summary>Starts the emulator and returns once it serves (its first output line is its address).</summary>
        public static async Task<LocalEmulator> StartAsync(LocalEmulatorStartInfo info, CancellationToken cancel)
        {
            var command = Find(info.Path) ?? throw new BackupToolsException(
                ErrorIds.EmulatorNotFound,
                ErrorKind.NotFound,
                "The BackupTools emulator was not found. Install it with 'dotnet tool install --global BackupTools.Emulator', or give -Path (the backuptools-emulator command or BackupTools.Emulator.dll), or set $env:" + PathVariable + ".");
            if (!File.Exists(command))
            {
                throw new BackupToolsException(ErrorIds.EmulatorNotFound, ErrorKind.NotFound, "The BackupTools emulator was not found at '" + command + "'.", command);
            }

            string? temporarySeed = null;
            var seedFile = info.SeedFile;
            if (info.SeedJson != null)
            {
                temporarySeed = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "backuptools-emulator-seed-" + Guid.NewGuid().ToString("N") + ".json");
                File.WriteAllText(temporarySeed, info.SeedJson);
                seedFile = temporarySeed;
            }

            var arguments = new List<string> { "--port", info.Port.ToString(CultureInfo.InvariantCulture) };
            using (var self = Process.GetCurrentProcess())
            {
                arguments.Add("--parent-pid");
                arguments.Add(self.Id.ToString(CultureInfo.InvariantCulture));
            }

            if (seedFile != null)
            {
                arguments.Add("--seed");
                arguments.Add(seedFile);
            }

            AddDuration(arguments, "--spanner-duration", info.SpannerBackupDuration);
            AddDuration(arguments, "--gauss-duration", info.GaussBackupDuration);
            arguments.AddRange(info.Arguments);

            var runWithDotnet = command.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
            var start = new ProcessStartInfo(runWithDotnet ? "dotnet" : command, string.Join(" ", (runWithDotnet ? new[] { command } : Array.Empty<string>()).Concat(arguments).Select(Quote)))
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = false,
                CreateNoWindow = true,
            };

            Process process;
            try
            {
                process = Process.Start(start) ?? throw new InvalidOperationException("no process");
            }
            catch (Exception e) when (e is InvalidOperationException || e is System.ComponentModel.Win32Exception)
            {
                DeleteQuietly(temporarySeed);
                throw new BackupToolsException(ErrorIds.EmulatorStartFailed, ErrorKind.Unavailable, "The BackupTools emulator could not be started (" + command + "): " + e.Message, command, e);
            }

            var errors = new StringBuilder();
            process.ErrorDataReceived += (s, e) =>
            {
                lock (errors)
                {
                    if (e.Data != null && errors.Length < 8192)
                    {
                        errors.AppendLine(e.Data);
                    }
                }
            };
            process.BeginErrorReadLine();

            try
            {
                var first = await ReadAddressAsync(process, info.StartTimeout, cancel).ConfigureAwait(false);
                // The rest of the output is drained so the emulator never blocks on a full pipe.
                _ = Task.Run(() => process.StandardOutput.ReadToEnd());
                if (first == null || !Uri.TryCreate(first.Trim(), UriKind.Absolute, out var address) || !address.IsLoopback)
                {
                    throw new BackupToolsException(
                        ErrorIds.EmulatorStartFailed,
                        ErrorKind.Unavailable,
                        "The BackupTools emulator did not start: " + Describe(first, errors, process),
                        command);
                }

                return new LocalEmulator(process, address, temporarySeed, errors);
            }
            catch
            {
                Kill(process);
                process.Dispose();
                DeleteQuietly(temporarySeed);
                throw;
            }
        }

        /// <summary>Ends the emulator and removes its temporary seed. Safe to call more than once.</summary>
        public void Stop()
        {
            if (Interlocked.Exchange(ref _stopped, 1) == 1)
            {
                return;
            }

            Kill(_process);
            _process.Dispose();
            DeleteQuietly(_temporarySeed);
        }

        public void Dispose() => Stop();

        private static bool IsWindows => System.IO.Path.DirectorySeparatorChar == '\\';

        private static async Task<string?> ReadAddressAsync(Process process, TimeSpan timeout, CancellationToken cancel)
        {
            var read = process.StandardOutput.ReadLineAsync();
            using (var timer = CancellationTokenSource.CreateLinkedTokenSource(cancel))
            {
                timer.CancelAfter(timeout);
                var gate = new TaskCompletionSource<bool>();
                using (timer.Token.Register(() => gate.TrySetResult(true)))
                {
                    if (await Task.WhenAny(read, gate.Task).ConfigureAwait(false) != read)
                    {
                        cancel.ThrowIfCancellationRequested();
                        return null;
                    }
                }
            }

            return await read.ConfigureAwait(false);
        }

        private static string Describe(string? first, StringBuilder errors, Process process)
        {
            string text;
            lock (errors)
            {
                text = errors.ToString();
            }

            var exited = false;
            try
            {
                exited = process.WaitForExit(2000);
            }
            catch (InvalidOperationException)
            {
            }

            var why = exited ? "it exited with code " + process.ExitCode.ToString(CultureInfo.InvariantCulture) : first == null ? "it printed no address in time" : "it printed no address";
            var detail = ServerText.Clean(((text.Length > 0 ? text : first) ?? string.Empty).Trim());
            return detail.Length > 0 ? why + ": " + detail : why + ".";
        }

        private static void AddDuration(List<string> arguments, string name, TimeSpan? value)
        {
            if (value.HasValue)
            {
                arguments.Add(name);
                arguments.Add(((long)value.Value.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms");
            }
        }

        private static string Quote(string argument) =>
            argument.Length > 0 && argument.IndexOfAny(new[] { ' ', '"', '\t' }) < 0 ? argument : "\"" + argument.Replace("\"", "\\\"") + "\"";

        private static void Kill(Process process)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill();
                    process.WaitForExit(10_000);
                }
            }
            catch (Exception e) when (e is InvalidOperationException || e is System.ComponentModel.Win32Exception)
            {
                // Already gone.
            }
        }

        private static void DeleteQuietly(string? file)
        {
            try
            {
                if (file != null)
                {
                    File.Delete(file);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
