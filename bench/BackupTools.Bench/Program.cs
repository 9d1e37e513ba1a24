using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading;
using System.Threading.Tasks;
using BackupTools.Auth;
using BackupTools.Http;
using BackupTools.Spanner;
using BackupTools.Waiting;

namespace BackupTools.Bench
{
    /// <summary>
    /// dotnet run -c Release --project bench/BackupTools.Bench -- [schedules|gauss-waiters|waiters|create|import|memory|coverage|all] [--ops N] [--sim-ops N] [--real-ops N] [--scale K] [--seed S]
    /// dotnet run -c Release --project bench/BackupTools.Bench -- soak [--backups 1000] [--seed N] (see Soak.cs)
    /// Prints markdown tables; docs/performance.md records a run.
    /// </summary>
    public static class Program
    {
        private const string Project = "bench-project";

        public static async Task<int> Main(string[] args)
        {
            var scenario = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "all";
            var ops = IntArg(args, "--ops", 100);
            var scale = IntArg(args, "--scale", 10);
            var seed = IntArg(args, "--seed", 42);
            var memoryOps = IntArg(args, "--memory-ops", 10000);
            var creates = IntArg(args, "--creates", 1000);
            Console.WriteLine("# BackupTools benchmark (" + DateTimeOffset.UtcNow.ToString("u", CultureInfo.InvariantCulture) + ", " + Environment.ProcessorCount + " cores, " + System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription + ")");
            Console.WriteLine();
            if (scenario == "soak")
            {
                return await Soak.RunAsync(IntArg(args, "--backups", 1000), IntArg(args, "--seed", 20261122));
            }

            if (scenario is "schedules" or "all")
            {
                // The waiter's defaults unless asked otherwise (to show a setting's trade-off).
                var tuned = new WaiterOptions();
                tuned.LatenessFraction = DoubleArg(args, "--lateness-fraction", tuned.LatenessFraction);
                tuned.MaxLateness = TimeSpan.FromSeconds(DoubleArg(args, "--max-lateness", tuned.MaxLateness.TotalSeconds));
                tuned.EstimateGapFraction = DoubleArg(args, "--gap-fraction", tuned.EstimateGapFraction);
                tuned.HistorySpread = DoubleArg(args, "--history-spread", tuned.HistorySpread);
                ScheduleSim.Run(IntArg(args, "--sim-ops", 200), seed, tuned);
                ScheduleSim.Sweep(IntArg(args, "--sim-ops", 200), seed);
            }

            if (scenario is "gauss-waiters" or "all")
            {
                await GaussWaiters.RunAsync(IntArg(args, "--real-ops", 40), seed);
            }

            if (scenario is "waiters" or "all")
            {
                await WaitersAsync(ops, scale, seed);
            }

            if (scenario is "create" or "all")
            {
                Create(creates);
            }

            if (scenario is "import" or "all")
            {
                ImportBench.Run(IntArg(args, "--runs", 15));
            }

            if (scenario is "coverage" or "all")
            {
                CoverageBench.Run(IntArg(args, "--databases", 500), IntArg(args, "--instances", 10));
            }

            if (scenario is "memory" or "all")
            {
                await MemoryAsync(memoryOps, seed);
            }

            return 0;
        }

        /// <summary>
        /// The same fleet (durations drawn from one seeded spread) waited on by each poller in turn.
        /// Time is compressed by --scale: every duration and every poller's constants are divided by
        /// it, so ratios hold; results are reported back in unscaled seconds.
        /// </summary>
        private static async Task WaitersAsync(int count, int scale, int seed)
        {
            var random = new Random(seed);
            var minSeconds = 30.0;
            var maxSeconds = 300.0;
            var durations = Enumerable.Range(0, count).Select(_ => TimeSpan.FromSeconds((minSeconds + (random.NextDouble() * (maxSeconds - minSeconds))) / scale)).ToArray();
            TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds / scale);

            var pollers = new IPoller[]
            {
                new FleetPoller(Scaled(new WaiterOptions(), scale), "BackupTools waiter, cold (first run in the process: includes JIT)"),
                new FleetPoller(Scaled(new WaiterOptions(), scale), "BackupTools waiter"),
                new GeometricPoller("gcloud-style (1 s, then 2 s x1.4, max 180 s)", S(1), S(2), 1.4, S(180)),
                new GeometricPoller("Google-client-style (20 s, x1.5, max 45 s)", S(20), S(30), 1.5, S(45)),
            };

            var instances = pollers.Select((p, i) => "fleet-" + i).ToList();
            using var emulator = EmulatorProcess.Start(instances, count, i => durations[i], "--latency 20ms");
            var client = Client(emulator);
            Console.WriteLine($"## Waiting: {count} Spanner operations, durations uniform in [{minSeconds:0}, {maxSeconds:0}] s (seed {seed}), time compressed x{scale}, 20 ms emulated latency");
            Console.WriteLine();
            Console.WriteLine("| poller | detection delay p50 (s) | p95 (s) | max (s) | requests / operation | wall time / ideal | client CPU (s) | peak managed heap (MB) | allocated (MB) |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            for (var p = 0; p < pollers.Length; p++)
            {
                var operations = await CreateAllAsync(client, instances[p], count, 16);
                var started = DateTimeOffset.UtcNow;
                var ideal = durations.Max();
                using var sampler = new MemorySampler();
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var allocated = GC.GetTotalAllocatedBytes();
                var records = await pollers[p].WaitAllAsync(client, operations, CancellationToken.None);
                var wall = DateTimeOffset.UtcNow - started;
                var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
                var delays = records.Select(r => (r.SeenDone - r.CompletedAt!.Value).TotalSeconds * scale).OrderBy(d => d).ToArray();
                if (Environment.GetEnvironmentVariable("BT_BENCH_WORST") != null)
                {
                    foreach (var worst in records.OrderByDescending(r => r.SeenDone - r.CompletedAt!.Value).Take(3))
                    {
                        Console.Error.WriteLine($"{pollers[p].Name}: {worst.Name} late {(worst.SeenDone - worst.CompletedAt!.Value).TotalSeconds:0.00}s real; completed at {(worst.CompletedAt!.Value - started).TotalSeconds:0.00}s; polls: " + string.Join(" ", worst.Timeline.Select(t => $"{t.At:0.00}s/{t.Progress}")));
                    }
                }
                Console.WriteLine(string.Format(
                    CultureInfo.InvariantCulture,
                    "| {0} | {1:0.00} | {2:0.00} | {3:0.00} | {4:0.0} | {5:0.00} | {6:0.00} | {7:0.0} | {8:0.0} |",
                    pollers[p].Name,
                    Percentile(delays, 0.50),
                    Percentile(delays, 0.95),
                    delays.Max(),
                    records.Average(r => r.Polls),
                    wall.TotalSeconds / ideal.TotalSeconds,
                    cpuUsed.TotalSeconds,
                    sampler.PeakManagedBytes / 1048576.0,
                    (GC.GetTotalAllocatedBytes() - allocated) / 1048576.0));
            }

            Console.WriteLine();
            Console.WriteLine("Detection delay: when the poller saw the operation done minus the operation's endTime, in unscaled seconds. Ideal wall time: the slowest backup's duration.");
            Console.WriteLine();
        }

        /// <summary>Fleet creation through the real cmdlet in the hosted engine: -ThrottleLimit 1 against the default.</summary>
        private static void Create(int count)
        {
            using var emulator = EmulatorProcess.Start(new[] { "create-sequential", "create-concurrent" }, count, _ => TimeSpan.FromHours(1), "--latency 20ms");
            using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault());
            runspace.Open();
            Run(runspace, "Import-Module -Name $args[0] -ErrorAction Stop", ModuleFolder());
            const string script = @"
                $endpoint, $instance, $count, $throttle = $args
                $rows = 0..($count - 1) | ForEach-Object { [pscustomobject]@{ Project = 'bench-project'; Instance = $instance; Database = ('db{0:D5}' -f $_) } }
                $clock = [System.Diagnostics.Stopwatch]::StartNew()
                $made = @($rows | New-SpannerBackup -Endpoint $endpoint -ThrottleLimit $throttle)
                [pscustomobject]@{ Seconds = $clock.Elapsed.TotalSeconds; Made = $made.Count; Errors = $Error.Count }";
            var sequential = Run(runspace, script, emulator.BaseAddress.AbsoluteUri, "create-sequential", count, 1);
            var concurrent = Run(runspace, script, emulator.BaseAddress.AbsoluteUri, "create-concurrent", count, 16);
            double Seconds(PSObject o) => Convert.ToDouble(o.Properties["Seconds"].Value, CultureInfo.InvariantCulture);
            Console.WriteLine($"## Creating {count} Spanner backups through New-SpannerBackup (hosted engine, 20 ms emulated latency)");
            Console.WriteLine();
            Console.WriteLine("| mode | backups created | errors | wall time (s) | creates / s |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            foreach (var (name, r) in new[] { ("one at a time (-ThrottleLimit 1)", sequential), ("concurrent (default -ThrottleLimit 16)", concurrent) })
            {
                Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "| {0} | {1} | {2} | {3:0.00} | {4:0} |", name, r.Properties["Made"].Value, r.Properties["Errors"].Value, Seconds(r), count / Seconds(r)));
            }

            Console.WriteLine();
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "Speed-up: {0:0.0}x", Seconds(sequential) / Seconds(concurrent)));
            Console.WriteLine();
        }

        /// <summary>10,000 operations waited on at once: the client's peak memory.</summary>
        private static async Task MemoryAsync(int count, int seed)
        {
            var random = new Random(seed);
            using var emulator = EmulatorProcess.Start(new[] { "memory" }, count, _ => TimeSpan.FromSeconds(10 + (random.NextDouble() * 20)));
            var client = Client(emulator);
            var operations = await CreateAllAsync(client, "memory", count, 64);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var process = Process.GetCurrentProcess();
            process.Refresh();
            var before = process.WorkingSet64;
            using var sampler = new MemorySampler();
            var clock = Stopwatch.StartNew();
            var poller = new FleetPoller(new WaiterOptions { MaxConcurrentRequests = 64, MaxRequestsPerSecond = 2000 });
            var records = await poller.WaitAllAsync(client, operations, CancellationToken.None);
            Console.WriteLine($"## Memory: {count} Spanner operations waited on at once (durations 10-30 s, not compressed)");
            Console.WriteLine();
            Console.WriteLine("| operations | finished | wall time (s) | requests / operation | process working set before (MB) | peak working set while waiting (MB) | peak managed heap (MB) |");
            Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "| {0} | {1} | {2:0.0} | {3:0.0} | {4:0} | {5:0} | {6:0} |", count, records.Count, clock.Elapsed.TotalSeconds, records.Average(r => r.Polls), before / 1048576.0, sampler.PeakWorkingSetBytes / 1048576.0, sampler.PeakManagedBytes / 1048576.0));
            Console.WriteLine();
        }

        /// <summary>The waiter's defaults with every time divided by the compression factor (and the rate limit multiplied).</summary>
        private static WaiterOptions Scaled(WaiterOptions d, int scale) => new WaiterOptions
        {
            FirstPoll = TimeSpan.FromTicks(d.FirstPoll.Ticks / scale),
            MinInterval = TimeSpan.FromTicks(d.MinInterval.Ticks / scale),
            MaxInterval = TimeSpan.FromTicks(d.MaxInterval.Ticks / scale),
            MaxNoSignalInterval = TimeSpan.FromTicks(d.MaxNoSignalInterval.Ticks / scale),
            FinishMargin = TimeSpan.FromTicks(d.FinishMargin.Ticks / scale),
            MaxLateness = TimeSpan.FromTicks(d.MaxLateness.Ticks / scale),
            LatenessFraction = d.LatenessFraction,
            HistorySpread = d.HistorySpread,
            EstimateGapFraction = d.EstimateGapFraction,
            NoHistoryGapFraction = d.NoHistoryGapFraction,
            MaxConcurrentRequests = d.MaxConcurrentRequests,
            MaxRequestsPerSecond = d.MaxRequestsPerSecond * scale,
        };

        private static async Task<IReadOnlyList<SpannerBackupOperation>> CreateAllAsync(SpannerClient client, string instance, int count, int concurrency)
        {
            using var gate = new SemaphoreSlim(concurrency);
            var expire = DateTimeOffset.UtcNow.AddDays(2);
            var tasks = Enumerable.Range(0, count).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    return await client.CreateBackupAsync(new SpannerCreateBackupRequest { Project = Project, Instance = instance, Database = EmulatorProcess.DatabaseName(i), BackupId = "b-" + EmulatorProcess.DatabaseName(i), ExpireTime = expire }, CancellationToken.None);
                }
                finally
                {
                    gate.Release();
                }
            });
            return await Task.WhenAll(tasks);
        }

        private static SpannerClient Client(EmulatorProcess emulator)
        {
            var endpoint = ServiceEndpoint.Parse(emulator.BaseAddress.AbsoluteUri);
            return new SpannerClient(new ServiceHttpClient("Spanner", endpoint, GoogleCredentials.Resolve(null, endpoint)));
        }

        internal static PSObject Run(Runspace runspace, string script, params object[] args)
        {
            using var ps = PowerShell.Create();
            ps.Runspace = runspace;
            ps.AddScript(script);
            foreach (var a in args)
            {
                ps.AddArgument(a);
            }

            var output = ps.Invoke();
            if (ps.HadErrors)
            {
                throw new InvalidOperationException(string.Join("; ", ps.Streams.Error.Take(3)));
            }

            return output.LastOrDefault() ?? new PSObject();
        }

        internal static string ModuleFolder() => System.IO.Path.Combine(RepositoryRoot(), "artifacts", "module", "BackupTools");

        internal static string RepositoryRoot()
        {
            var dir = new System.IO.DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "BackupTools.psd1")))
            {
                dir = dir.Parent;
            }

            return dir!.FullName;
        }

        private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

        private static double DoubleArg(string[] args, string name, double fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? double.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
        }

        private static int IntArg(string[] args, string name, int fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
        }
    }

    /// <summary>Samples the process's working set and managed heap every 20 ms; reports the peaks.</summary>
    public sealed class MemorySampler : IDisposable
    {
        private readonly Timer _timer;
        private long _peakManaged;
        private long _peakWorkingSet;

        public MemorySampler()
        {
            _timer = new Timer(_ => Sample(), null, 0, 20);
        }

        public long PeakManagedBytes => Interlocked.Read(ref _peakManaged);

        public long PeakWorkingSetBytes => Interlocked.Read(ref _peakWorkingSet);

        public void Dispose()
        {
            _timer.Dispose();
            Sample();
        }

        private void Sample()
        {
            var managed = GC.GetTotalMemory(false);
            var ws = Environment.WorkingSet;
            if (managed > Interlocked.Read(ref _peakManaged))
            {
                Interlocked.Exchange(ref _peakManaged, managed);
            }

            if (ws > Interlocked.Read(ref _peakWorkingSet))
            {
                Interlocked.Exchange(ref _peakWorkingSet, ws);
            }
        }
    }
}
