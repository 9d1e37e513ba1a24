using System;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using BackupTools.Emulator;

namespace BackupTools.Bench
{
    /// <summary>
    /// Get-BackupCoverage over a Spanner fleet of N databases spread over K instances (a quarter each
    /// covered, stale, missing and failing), 20 ms emulated latency: one instance at a time against the
    /// default -ThrottleLimit, side by side in one run, every verdict checked.
    /// </summary>
    public static class CoverageBench
    {
        public static void Run(int databases, int instances)
        {
            var perInstance = Math.Max(1, databases / instances);
            var names = Enumerable.Range(0, instances).Select(i => "coverage-" + i.ToString("D2", CultureInfo.InvariantCulture)).ToList();
            using var emulator = EmulatorProcess.Start(names, perInstance, _ => TimeSpan.FromMinutes(1), "--latency 20ms", configure: seed =>
            {
                foreach (var instance in seed.Spanner.Projects.SelectMany(p => p.Instances))
                {
                    for (var i = 0; i < instance.Databases.Count; i++)
                    {
                        var db = instance.Databases[i];
                        switch (i % 4)
                        {
                            case 0:
                                db.Backups.Add(new SpannerBackupSeed { Id = db.Id + "-old", Age = TimeSpan.FromHours(50) });
                                db.Backups.Add(new SpannerBackupSeed { Id = db.Id + "-new", Age = TimeSpan.FromHours(2) });
                                break;
                            case 1:
                                db.Backups.Add(new SpannerBackupSeed { Id = db.Id + "-old", Age = TimeSpan.FromHours(30) });
                                break;
                            case 3:
                                db.Backups.Add(new SpannerBackupSeed { Id = db.Id + "-good", Age = TimeSpan.FromHours(5) });
                                db.Backups.Add(new SpannerBackupSeed { Id = db.Id + "-bad", Age = TimeSpan.FromHours(1), Failed = true });
                                break;
                        }
                    }
                }
            });

            using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault());
            runspace.Open();
            Program.Run(runspace, "Import-Module -Name $args[0] -ErrorAction Stop", Program.ModuleFolder());
            const string script = @"
                $endpoint, $throttle = $args
                $clock = [System.Diagnostics.Stopwatch]::StartNew()
                $s = Get-BackupCoverage -MaxAge 24h -Project bench-project -SpannerEndpoint $endpoint -ThrottleLimit $throttle -Summary
                [pscustomobject]@{ Seconds = $clock.Elapsed.TotalSeconds; Summary = $s }";
            var total = perInstance * instances;
            Console.WriteLine($"## Get-BackupCoverage over {total} Spanner databases in {instances} instances (a quarter each covered, stale, missing, failing; hosted engine, 20 ms emulated latency)");
            Console.WriteLine();
            Console.WriteLine("| mode | databases rated | covered | stale | missing | failing | wall time (s) | databases / s |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");

            // A warm-up run first, so neither measured mode pays the module's first-use cost.
            Program.Run(runspace, script, emulator.BaseAddress.AbsoluteUri, 8);
            double sequential = 0;
            foreach (var (name, throttle) in new[] { ("one instance at a time (-ThrottleLimit 1)", 1), ("concurrent (default -ThrottleLimit 8)", 8) })
            {
                var r = Program.Run(runspace, script, emulator.BaseAddress.AbsoluteUri, throttle);
                var seconds = Convert.ToDouble(r.Properties["Seconds"].Value, CultureInfo.InvariantCulture);
                var s = (PSObject)r.Properties["Summary"].Value;
                int Count(string p) => Convert.ToInt32(s.Properties[p].Value, CultureInfo.InvariantCulture);
                int Expected(int quarter) => instances * Enumerable.Range(0, perInstance).Count(i => i % 4 == quarter);
                if (Count("Total") != total || Count("Covered") != Expected(0) || Count("Stale") != Expected(1) || Count("Missing") != Expected(2) || Count("Failing") != Expected(3))
                {
                    throw new InvalidOperationException("Coverage rated the bench fleet wrongly: " + s);
                }

                Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "| {0} | {1} | {2} | {3} | {4} | {5} | {6:0.00} | {7:0} |", name, Count("Total"), Count("Covered"), Count("Stale"), Count("Missing"), Count("Failing"), seconds, total / seconds));
                sequential = throttle == 1 ? seconds : sequential / seconds;
            }

            Console.WriteLine();
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "Speed-up: {0:0.0}x", sequential));
            Console.WriteLine();
        }
    }
}
