using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using BackupTools.Auth;
using BackupTools.Gauss;
using BackupTools.Http;
using BackupTools.Waiting;

namespace BackupTools.Bench
{
    /// <summary>
    /// dotnet run -c Release --project bench/BackupTools.Bench -- gauss-waiters [--real-ops 40] [--seed 42]
    ///
    /// The simulation's GaussDB rows checked in real time, not compressed (whole seconds do not
    /// compress): backups of 20-60 s created through GaussClient and followed by the module's FleetWaiter
    /// and GaussBackupProbe over HTTP, against the emulator in a child process, with and without the
    /// job's process, each instance with three automated backups in its history. Requests are what this
    /// process sent while waiting (the creates excluded); delays are measured from the emulator's own,
    /// exact, completion times.
    /// </summary>
    public static class GaussWaiters
    {
        private const string Project = "0b5c7f3a9d2e4f6a8b1c3d5e7f9a0b2c";

        public static async Task RunAsync(int count, int seed)
        {
            Console.WriteLine($"## Waiting on GaussDB in real time: {count} backups of 20-60 s per condition (seed {seed}), against the emulator, 20 ms emulated latency");
            Console.WriteLine();
            Console.WriteLine("| process | history | requests / op | delay p50 (s) | p95 (s) | max (s) | wall time (s) |");
            Console.WriteLine("|---|---|---:|---:|---:|---:|---:|");
            foreach (var process in new[] { true, false })
            {
                await RunOneAsync(count, seed, process);
            }

            Console.WriteLine();
            await MixedAsync(count, seed);
        }

        /// <summary>
        /// One fleet of both clouds, followed by one FleetWaiter (shared in-flight pool and rate limit),
        /// as `New-SpannerBackup ...; New-GaussBackup ... | Wait-BackupOperation` follows it.
        /// </summary>
        private static async Task MixedAsync(int count, int seed)
        {
            var random = new Random(seed + 1);
            var ids = Enumerable.Range(0, count).Select(i => i.ToString("x32", CultureInfo.InvariantCulture) + "in07").ToList();
            var typical = ids.Select(_ => 20 + (random.NextDouble() * 40)).ToList();
            double Jittered(int i) => typical[i] * (0.9 + (0.2 * random.NextDouble()));
            var spannerDurations = Enumerable.Range(0, count).Select(_ => TimeSpan.FromSeconds(20 + (random.NextDouble() * 40))).ToList();
            using var emulator = EmulatorProcess.Start(new[] { "mixed" }, count, i => spannerDurations[i], "--no-gauss-auth --gauss-job-delay 1s --latency 20ms", ids, Project, (instance, i) =>
            {
                instance.BackupDuration = TimeSpan.FromSeconds(Jittered(i));
                for (var day = 1; day <= 3; day++)
                {
                    instance.Backups.Add(new BackupTools.Emulator.GaussBackupSeed { Age = TimeSpan.FromDays(day), Duration = TimeSpan.FromSeconds(Jittered(i)), SizeMb = 2048 });
                }
            });
            var endpoint = ServiceEndpoint.Parse(emulator.BaseAddress.AbsoluteUri);
            var gauss = new GaussClient(new ServiceHttpClient("Gauss", endpoint, new AnonymousAuthenticator("emulator")), Project);
            var spanner = new BackupTools.Spanner.SpannerClient(new ServiceHttpClient("Spanner", endpoint, GoogleCredentials.Resolve(null, endpoint)));
            var seen = new ConcurrentDictionary<string, DateTimeOffset>();
            var spannerEnds = new ConcurrentDictionary<string, DateTimeOffset>();
            var failures = new ConcurrentBag<string>();
            using var waiter = new FleetWaiter(
                new WaiterOptions(),
                new DelegateWaitObserver(
                    (probe, outcome) => { },
                    (probe, outcome) =>
                    {
                        if (outcome.Operation is BackupTools.Spanner.SpannerBackupOperation op)
                        {
                            seen[op.Name] = DateTimeOffset.UtcNow;
                            spannerEnds[op.Name] = op.EndTime ?? DateTimeOffset.MinValue;
                        }
                        else
                        {
                            seen[((GaussBackup)outcome.Operation).Id] = DateTimeOffset.UtcNow;
                        }

                        if (outcome.State != OperationState.Succeeded)
                        {
                            failures.Add(probe.Operation.DisplayName + ": " + outcome.State);
                        }
                    },
                    (probe, error) => failures.Add(probe.Operation.DisplayName + ": " + error.Message)),
                CancellationToken.None);
            using var gate = new SemaphoreSlim(16);
            var expire = DateTimeOffset.UtcNow.AddDays(2);
            var creates = Enumerable.Range(0, count).SelectMany(i => new Func<Task>[]
            {
                async () => waiter.Add(new GaussBackupProbe(gauss, await gauss.CreateBackupAsync(new GaussCreateBackupRequest { InstanceId = ids[i], Name = "mixed-" + ids[i].Substring(24, 8) }, null, CancellationToken.None))),
                async () => waiter.Add(new BackupTools.Spanner.SpannerOperationProbe(spanner, await spanner.CreateBackupAsync(new BackupTools.Spanner.SpannerCreateBackupRequest { Project = "bench-project", Instance = "mixed", Database = EmulatorProcess.DatabaseName(i), BackupId = "b-" + EmulatorProcess.DatabaseName(i), ExpireTime = expire }, CancellationToken.None))),
            });
            await Task.WhenAll(creates.Select(async create =>
            {
                await gate.WaitAsync();
                try
                {
                    await create();
                }
                finally
                {
                    gate.Release();
                }
            }));
            await waiter.WhenAllAsync(CancellationToken.None);
            if (!failures.IsEmpty)
            {
                throw new InvalidOperationException(string.Join("; ", failures.Take(3)));
            }

            using var http = new HttpClient { BaseAddress = emulator.BaseAddress };
            async Task<int> GetsAsync(string path)
            {
                // Every poll and list: the creates (POST) are not waiting's cost.
                using var log = JsonDocument.Parse(await http.GetStringAsync("_emulator/requests?method=GET&pathContains=" + path));
                return log.RootElement.GetArrayLength();
            }

            var spannerGets = await GetsAsync("/v1/");
            var gaussGets = await GetsAsync("/v3/");
            using var state = JsonDocument.Parse(await http.GetStringAsync("_emulator/state"));
            var gaussDelays = state.RootElement.GetProperty("gauss").GetProperty("backups").EnumerateArray()
                .Where(b => seen.ContainsKey(b.GetProperty("id").GetString()!) && b.GetProperty("completedAt").ValueKind == JsonValueKind.String)
                .Select(b => (seen[b.GetProperty("id").GetString()!] - b.GetProperty("completedAt").GetDateTimeOffset()).TotalSeconds).OrderBy(d => d).ToList();
            var spannerDelays = spannerEnds.Select(e => (seen[e.Key] - e.Value).TotalSeconds).OrderBy(d => d).ToList();

            Console.WriteLine($"## A mixed fleet in real time: {count} Spanner and {count} GaussDB backups of 20-60 s (GaussDB with process and 3 earlier runs), one waiter, against the emulator, 20 ms emulated latency");
            Console.WriteLine();
            Console.WriteLine("| cloud | requests / op | delay p50 (s) | p95 (s) | max (s) |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            foreach (var (cloud, delays, requests) in new[] { ("Spanner", spannerDelays, spannerGets), ("GaussDB", gaussDelays, gaussGets) })
            {
                double At(double p) => delays[Math.Min(delays.Count - 1, (int)Math.Ceiling(p * delays.Count) - 1)];
                Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "| {0} | {1:0.00} | {2:0.0} | {3:0.0} | {4:0.0} |", cloud, requests / (double)count, At(0.5), At(0.95), delays.Last()));
            }

            Console.WriteLine();
        }

        private static async Task RunOneAsync(int count, int seed, bool process)
        {
            // Each instance: a typical duration, this backup and three earlier ones within ±10 % of it (as the simulation draws them).
            var random = new Random(seed);
            var ids = Enumerable.Range(0, count).Select(i => i.ToString("x32", CultureInfo.InvariantCulture) + "in07").ToList();
            var typical = ids.Select(_ => 20 + (random.NextDouble() * 40)).ToList();
            double Jittered(int i) => typical[i] * (0.9 + (0.2 * random.NextDouble()));
            var args = "--no-gauss-auth --gauss-job-delay 1s --latency 20ms" + (process ? string.Empty : " --gauss-no-process");
            using var emulator = EmulatorProcess.Start(Array.Empty<string>(), 0, _ => TimeSpan.Zero, args, ids, Project, (instance, i) =>
            {
                instance.BackupDuration = TimeSpan.FromSeconds(Jittered(i));
                for (var day = 1; day <= 3; day++)
                {
                    instance.Backups.Add(new BackupTools.Emulator.GaussBackupSeed { Age = TimeSpan.FromDays(day), Duration = TimeSpan.FromSeconds(Jittered(i)), SizeMb = 2048 });
                }
            });
            var endpoint = ServiceEndpoint.Parse(emulator.BaseAddress.AbsoluteUri);
            var client = new GaussClient(new ServiceHttpClient("Gauss", endpoint, new AnonymousAuthenticator("emulator")), Project);

            var seen = new ConcurrentDictionary<string, DateTimeOffset>();
            var failures = new ConcurrentBag<string>();
            using var waiter = new FleetWaiter(
                new WaiterOptions(),
                new DelegateWaitObserver(
                    (probe, outcome) => { },
                    (probe, outcome) =>
                    {
                        seen[((GaussBackup)probe.Operation).Id] = DateTimeOffset.UtcNow;
                        if (outcome.State != OperationState.Succeeded)
                        {
                            failures.Add(probe.Operation.DisplayName + ": " + outcome.State);
                        }
                    },
                    (probe, error) => failures.Add(probe.Operation.DisplayName + ": " + error.Message)),
                CancellationToken.None);
            var requests = TransportStatistics.Requests;
            var started = DateTimeOffset.UtcNow;
            using var gate = new SemaphoreSlim(16);
            await Task.WhenAll(ids.Select(async id =>
            {
                await gate.WaitAsync();
                try
                {
                    var backup = await client.CreateBackupAsync(new GaussCreateBackupRequest { InstanceId = id, Name = "bench-" + id.Substring(24, 8) }, null, CancellationToken.None);
                    waiter.Add(new GaussBackupProbe(client, backup));
                }
                finally
                {
                    gate.Release();
                }
            }));
            await waiter.WhenAllAsync(CancellationToken.None);
            var wall = DateTimeOffset.UtcNow - started;
            var sent = TransportStatistics.Requests - requests - count;
            if (!failures.IsEmpty)
            {
                throw new InvalidOperationException(string.Join("; ", failures.Take(3)));
            }

            using var http = new HttpClient { BaseAddress = emulator.BaseAddress };
            using var state = JsonDocument.Parse(await http.GetStringAsync("_emulator/state"));
            var delays = new List<double>();
            foreach (var b in state.RootElement.GetProperty("gauss").GetProperty("backups").EnumerateArray())
            {
                var id = b.GetProperty("id").GetString()!;
                if (seen.TryGetValue(id, out var at) && b.GetProperty("completedAt").ValueKind == JsonValueKind.String)
                {
                    delays.Add((at - b.GetProperty("completedAt").GetDateTimeOffset()).TotalSeconds);
                }
            }

            delays.Sort();
            double At(double p) => delays[Math.Min(delays.Count - 1, (int)Math.Ceiling(p * delays.Count) - 1)];
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "| {0} | 3 runs | {1:0.00} | {2:0.0} | {3:0.0} | {4:0.0} | {5:0.0} |", process ? "whole %" : "absent", sent / (double)count, At(0.5), At(0.95), delays.Last(), wall.TotalSeconds));
        }
    }
}
