using System;
using System.Collections.Generic;
using BackupTools.Emulator;
using BackupTools.Testing;

namespace BackupTools.Bench
{
    /// <summary>The emulator in a child process (so the bench process holds only the client), seeded with a fleet.</summary>
    public sealed class EmulatorProcess : IDisposable
    {
        private readonly LocalEmulator _emulator;

        private EmulatorProcess(LocalEmulator emulator)
        {
            _emulator = emulator;
        }

        public Uri BaseAddress => _emulator.BaseAddress;

        /// <summary>Starts an emulator whose instances each hold <paramref name="databases"/> databases named db00000.. with the given backup durations.</summary>
        public static EmulatorProcess Start(IReadOnlyList<string> instances, int databases, Func<int, TimeSpan> duration, string extraArgs = "", IReadOnlyList<string>? gaussInstances = null, string gaussProject = "0b5c7f3a9d2e4f6a8b1c3d5e7f9a0b2c", Action<GaussInstanceSeed, int>? configureGauss = null, Action<EmulatorSeed>? configure = null)
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
                for (var i = 0; i < gaussInstances.Count; i++)
                {
                    var instance = new GaussInstanceSeed { Id = gaussInstances[i], Name = "gauss-" + gaussInstances[i].Substring(0, 8), ProjectId = gaussProject };
                    configureGauss?.Invoke(instance, i);
                    seed.Gauss.Instances.Add(instance);
                }
            }

            configure?.Invoke(seed);
            // Started as users' suites start it (the core's LocalEmulator), with workstation GC like a user's machine.
            Environment.SetEnvironmentVariable("DOTNET_gcServer", "0");
            var info = new LocalEmulatorStartInfo { Path = typeof(BackupEmulator).Assembly.Location, SeedJson = seed.ToJson() };
            foreach (var argument in extraArgs.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                info.Arguments.Add(argument);
            }

            return new EmulatorProcess(LocalEmulator.StartAsync(info, System.Threading.CancellationToken.None).GetAwaiter().GetResult());
        }

        public static string DatabaseName(int i) => "db" + i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture);

        public void Dispose() => _emulator.Stop();
    }
}
