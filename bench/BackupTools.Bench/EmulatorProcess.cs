using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using BackupTools.Emulator;

namespace BackupTools.Bench
{
    /// <summary>The emulator in a child process (so the bench process holds only the client), seeded with a fleet.</summary>
    public sealed class EmulatorProcess : IDisposable
    {
        private readonly Process _process;
        private readonly string _seedFile;

        private EmulatorProcess(Process process, string seedFile, Uri baseAddress)
        {
            _process = process;
            _seedFile = seedFile;
            BaseAddress = baseAddress;
        }

        public Uri BaseAddress { get; }

        /// <summary>Starts an emulator whose instances each hold <paramref name="databases"/> databases named db00000.. with the given backup durations.</summary>
        public static EmulatorProcess Start(IReadOnlyList<string> instances, int databases, Func<int, TimeSpan> duration, string extraArgs = "", IReadOnlyList<string>? gaussInstances = null, string gaussProject = "0b5c7f3a9d2e4f6a8b1c3d5e7f9a0b2c", Action<EmulatorSeed>? configure = null)
        {
            var seed = new EmulatorSeed();
            var project = new SpannerProjectSeed { Id = "bench-project" };
            foreach (var name in instances)
            {
                var instance = new SpannerInstanceSeed { Id = name };
                for (var i = 0; i < databases; i++)
                {
                    instance.Databases.Add(new SpannerDatabaseSeed { Id = DatabaseName(i), BackupDuration = duration(i) });
                }

                project.Instances.Add(instance);
            }

            seed.Spanner.Projects.Add(project);
            if (gaussInstances != null && gaussInstances.Count > 0)
            {
                // GaussDB instances too (ACTIVE, in one project), for runs that mix both clouds.
                seed.Gauss.Projects.Add(new GaussProjectSeed { Id = gaussProject, Name = seed.Gauss.Region });
                foreach (var id in gaussInstances)
                {
                    seed.Gauss.Instances.Add(new GaussInstanceSeed { Id = id, Name = "gauss-" + id.Substring(0, 8), ProjectId = gaussProject });
                }
            }

            configure?.Invoke(seed);
            var seedFile = Path.Combine(Path.GetTempPath(), "bt-bench-seed-" + Guid.NewGuid().ToString("N") + ".json");
            File.WriteAllText(seedFile, seed.ToJson());

            var dll = typeof(BackupEmulator).Assembly.Location;
            var start = new ProcessStartInfo("dotnet", "\"" + dll + "\" --port 0 --seed \"" + seedFile + "\" " + extraArgs)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.Environment["DOTNET_gcServer"] = "0";
            var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the emulator");
            var first = process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("emulator printed nothing: " + process.StandardError.ReadToEnd());
            // Keep draining both streams so the emulator never blocks on a full pipe.
            _ = System.Threading.Tasks.Task.Run(() => process.StandardOutput.ReadToEnd());
            _ = System.Threading.Tasks.Task.Run(() => process.StandardError.ReadToEnd());
            return new EmulatorProcess(process, seedFile, new Uri(first.Trim()));
        }

        public static string DatabaseName(int i) => "db" + i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture);

        public void Dispose()
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit(5000);
                }
            }
            finally
            {
                _process.Dispose();
                File.Delete(_seedFile);
            }
        }
    }
}
