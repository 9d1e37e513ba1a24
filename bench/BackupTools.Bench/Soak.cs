using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using BackupTools.Auth;
using BackupTools.Errors;
using BackupTools.Gauss;
using BackupTools.Http;
using BackupTools.Waiting;
using BackupTools.Spanner;

namespace BackupTools.Bench
{
    /// <summary>
    /// dotnet run -c Release --project bench/BackupTools.Bench -- soak [--backups 1000] [--seed N]
    /// About 1,000 backups (60 % Spanner, 40 % GaussDB), each created and followed to the end through the
    /// core clients against an emulator (child process) that faults 22 % of requests: 503, 429 with
    /// Retry-After, answers slower than the 1 s per-attempt timeout, and answers cut after a create took
    /// effect. Then, faults off, the emulator's own records are checked for duplicates and unfinished backups.
    /// </summary>
    public static class Soak
    {
        private const string SpannerProject = "bench-project";
        private const string GaussProject = "0b5c7f3a9d2e4f6a8b1c3d5e7f9a0b2c";

        public static async Task<int> RunAsync(int backups, int seed)
        {
            var spannerCount = backups * 6 / 10;
            var gaussCount = backups - spannerCount;
            var instances = Enumerable.Range(0, (spannerCount + 99) / 100).Select(i => "soak-" + i.ToString(CultureInfo.InvariantCulture)).ToList();
            var gaussIds = Enumerable.Range(0, gaussCount).Select(i => i.ToString("x32", CultureInfo.InvariantCulture) + "in07").ToList();
            var faultArgs = string.Format(
                CultureInfo.InvariantCulture,
                "--random-seed {0} --fault-rate-503 0.07 --fault-rate-429 0.06 --fault-rate-slow 0.04 --fault-rate-cut 0.05 --retry-after 1s --slow-delay 2s --spanner-duration 2s --spanner-duration-max 6s --gauss-duration 2s --gauss-duration-max 6s --gauss-job-delay 200ms --no-gauss-auth",
                seed);
            using var emulator = EmulatorProcess.Start(instances, 100, _ => TimeSpan.FromSeconds(2), faultArgs, gaussIds, GaussProject);
            var endpoint = ServiceEndpoint.Parse(emulator.BaseAddress.AbsoluteUri);
            var policy = RetryPolicy.Default;
            policy.AttemptTimeout = TimeSpan.FromSeconds(1);
            var spanner = new SpannerClient(new ServiceHttpClient("Spanner", endpoint, GoogleCredentials.Resolve(null, endpoint), null, policy));
            var gauss = new GaussClient(new ServiceHttpClient("Gauss", endpoint, new AnonymousAuthenticator("emulator"), null, policy), GaussProject);

            var requests0 = TransportStatistics.Requests;
            var retries0 = TransportStatistics.Retries;
            var readBacks0 = TransportStatistics.ReadBacks;
            var errors = new ConcurrentBag<string>();
            var resolvedByReadBack = 0;
            var clock = Stopwatch.StartNew();
            using var gate = new SemaphoreSlim(64);
            var expire = DateTimeOffset.UtcNow.AddDays(2);

            async Task Guard(string what, Func<Task> work)
            {
                await gate.WaitAsync();
                try
                {
                    await work();
                }
                catch (BackupToolsException ex)
                {
                    errors.Add(what + ": " + ex.ErrorId + " " + ex.Message);
                }
                finally
                {
                    gate.Release();
                }
            }

            // Everything created is followed by the module's own waiter, as Wait-BackupOperation follows it:
            // a poll that fails after the HTTP core's retries is tried again before it counts as an error.
            using var waiter = new FleetWaiter(
                new WaiterOptions { FirstPoll = TimeSpan.FromSeconds(1), MaxConcurrentRequests = 64, MaxRequestsPerSecond = 1000 },
                new DelegateWaitObserver(
                    (probe, outcome) => { },
                    (probe, outcome) =>
                    {
                        if (outcome.State != OperationState.Succeeded)
                        {
                            errors.Add(probe.Operation.DisplayName + ": operation " + outcome.State + ": " + outcome.FailureReason);
                        }
                    },
                    (probe, error) => errors.Add(probe.Operation.DisplayName + ": " + error.ErrorId + " " + error.Message)),
                CancellationToken.None);

            var tasks = new List<Task>();
            for (var i = 0; i < spannerCount; i++)
            {
                var instance = instances[i / 100];
                var database = EmulatorProcess.DatabaseName(i % 100);
                var id = "soak-" + database;
                tasks.Add(Guard(instance + "/" + id, async () =>
                {
                    var op = await spanner.CreateBackupAsync(new SpannerCreateBackupRequest { Project = SpannerProject, Instance = instance, Database = database, BackupId = id, ExpireTime = expire }, CancellationToken.None);
                    if (op.ResolvedByReadBack)
                    {
                        Interlocked.Increment(ref resolvedByReadBack);
                    }

                    waiter.Add(new SpannerOperationProbe(spanner, op));
                }));
            }

            for (var i = 0; i < gaussCount; i++)
            {
                var instance = gaussIds[i];
                var name = "soak-" + i.ToString(CultureInfo.InvariantCulture).PadLeft(4, '0');
                tasks.Add(Guard(instance + "/" + name, async () =>
                {
                    var backup = await gauss.CreateBackupAsync(new GaussCreateBackupRequest { InstanceId = instance, Name = name }, null, CancellationToken.None);
                    if (backup.ResolvedByReadBack)
                    {
                        Interlocked.Increment(ref resolvedByReadBack);
                    }

                    waiter.Add(new GaussBackupProbe(gauss, backup));
                }));
            }

            await Task.WhenAll(tasks);
            var unfinishedByWaiter = await waiter.WhenAllAsync(CancellationToken.None);
            foreach (var probe in unfinishedByWaiter)
            {
                errors.Add(probe.Operation.DisplayName + ": not finished when the waiter stopped");
            }

            clock.Stop();

            // Faults off: the emulator's records, through its admin API.
            using var http = new HttpClient { BaseAddress = emulator.BaseAddress };
            await http.DeleteAsync("_emulator/faults");
            using var state = JsonDocument.Parse(await http.GetStringAsync("_emulator/state"));
            var root = state.RootElement;
            var counters = root.GetProperty("faults").GetProperty("counters");
            long C(string name) => counters.GetProperty(name).GetInt64();
            var emulatorRequests = root.GetProperty("requestCount").GetInt64();
            var spannerBackups = root.GetProperty("spanner").GetProperty("backups").EnumerateArray().Select(b => (Name: b.GetProperty("name").GetString()!, State: b.GetProperty("state").GetString()!)).ToList();
            var gaussBackups = root.GetProperty("gauss").GetProperty("backups").EnumerateArray().Select(b => (Name: b.GetProperty("instanceId").GetString() + "/" + b.GetProperty("name").GetString(), State: b.GetProperty("status").GetString()!)).ToList();
            var spannerDuplicates = spannerBackups.Count - spannerBackups.Select(b => b.Name).Distinct().Count();
            var gaussDuplicates = gaussBackups.Count - gaussBackups.Select(b => b.Name).Distinct().Count();
            var missing = (spannerCount - spannerBackups.Select(b => b.Name).Distinct().Count()) + (gaussCount - gaussBackups.Select(b => b.Name).Distinct().Count());
            var unfinished = spannerBackups.Count(b => b.State != "READY") + gaussBackups.Count(b => b.State != "COMPLETED");
            var faults = C("throttle429") + C("unavailable503") + C("slow") + C("cutAfterProcessing") + C("drop");

            Console.WriteLine($"## Fault soak: {backups} backups ({spannerCount} Spanner, {gaussCount} GaussDB), seed {seed}");
            Console.WriteLine();
            Console.WriteLine("| figure | value |");
            Console.WriteLine("|---|---:|");
            Console.WriteLine($"| requests seen by the emulator | {emulatorRequests} |");
            Console.WriteLine($"| requests sent by the client (attempts) | {TransportStatistics.Requests - requests0} |");
            Console.WriteLine($"| faults injected, all | {faults} ({100.0 * faults / Math.Max(1, emulatorRequests):0.0} % of requests) |");
            Console.WriteLine($"| &nbsp; 503 Unavailable | {C("unavailable503")} |");
            Console.WriteLine($"| &nbsp; 429 with Retry-After | {C("throttle429")} |");
            Console.WriteLine($"| &nbsp; slow past the 1 s client timeout | {C("slow")} |");
            Console.WriteLine($"| &nbsp; cut after processing | {C("cutAfterProcessing")} |");
            Console.WriteLine($"| retries (HTTP core) | {TransportStatistics.Retries - retries0} |");
            Console.WriteLine($"| read-backs after an unknown create outcome | {TransportStatistics.ReadBacks - readBacks0} |");
            Console.WriteLine($"| creates settled by read-back (adopted, not resent) | {resolvedByReadBack} |");
            Console.WriteLine($"| duplicates (Spanner / GaussDB) | {spannerDuplicates} / {gaussDuplicates} |");
            Console.WriteLine($"| requested backups missing | {missing} |");
            Console.WriteLine($"| backups not READY / COMPLETED | {unfinished} |");
            Console.WriteLine($"| errors reaching the caller | {errors.Count} |");
            Console.WriteLine($"| wall time | {clock.Elapsed.TotalSeconds:0.0} s |");
            Console.WriteLine();
            foreach (var e in errors.Take(20))
            {
                Console.WriteLine("- " + e);
            }

            return spannerDuplicates + gaussDuplicates + missing + unfinished + errors.Count == 0 ? 0 : 1;
        }
    }
}
