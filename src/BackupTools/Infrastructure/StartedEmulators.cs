using System;
using System.Collections.Generic;
using System.Linq;
using BackupTools.Testing;

namespace BackupTools.Infrastructure
{
    /// <summary>
    /// The emulators Start-BackupEmulator started in this process, and the endpoint variables each one
    /// replaced, so Stop-BackupEmulator (and removing the module) can stop them and put the variables back.
    /// </summary>
    internal static class StartedEmulators
    {
        private static readonly string[] EndpointVariables = { "BACKUPTOOLS_SPANNER_ENDPOINT", "BACKUPTOOLS_GAUSS_ENDPOINT" };
        private static readonly object Gate = new object();
        private static readonly List<Entry> Running = new List<Entry>();

        public static void Add(LocalEmulator emulator, bool setEnvironment)
        {
            var entry = new Entry(emulator, setEnvironment ? EndpointVariables.ToDictionary(v => v, Environment.GetEnvironmentVariable) : null);
            lock (Gate)
            {
                Running.Add(entry);
            }

            if (setEnvironment)
            {
                foreach (var variable in EndpointVariables)
                {
                    Environment.SetEnvironmentVariable(variable, emulator.BaseAddress.AbsoluteUri);
                }
            }
        }

        public static void Stop(LocalEmulator emulator)
        {
            Entry? entry;
            lock (Gate)
            {
                entry = Running.FirstOrDefault(e => ReferenceEquals(e.Emulator, emulator));
                if (entry != null)
                {
                    Running.Remove(entry);
                }
            }

            emulator.Stop();
            if (entry?.Previous != null)
            {
                // Put back only what still points at this emulator: a later Start's settings stay.
                foreach (var variable in entry.Previous)
                {
                    if (Environment.GetEnvironmentVariable(variable.Key) == emulator.BaseAddress.AbsoluteUri)
                    {
                        Environment.SetEnvironmentVariable(variable.Key, variable.Value);
                    }
                }
            }
        }

        /// <summary>Stops every emulator still running, newest first (so the variables end as they began).</summary>
        public static IReadOnlyList<LocalEmulator> StopAll()
        {
            List<Entry> all;
            lock (Gate)
            {
                all = Running.AsEnumerable().Reverse().ToList();
            }

            foreach (var entry in all)
            {
                Stop(entry.Emulator);
            }

            return all.Select(e => e.Emulator).ToList();
        }

        private sealed class Entry
        {
            public Entry(LocalEmulator emulator, Dictionary<string, string?>? previous)
            {
                Emulator = emulator;
                Previous = previous;
            }

            public LocalEmulator Emulator { get; }

            public Dictionary<string, string?>? Previous { get; }
        }
    }
}
