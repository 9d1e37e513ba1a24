using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using BackupTools.Auth;
using BackupTools.Emulator;
using BackupTools.Gauss;
using BackupTools.Http;
using BackupTools.Spanner;
using BackupTools.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace BackupTools.Tests.Reliability
{
    /// <summary>
    /// Fault soak: fleets of both clouds backed up round after round through the module, in the real
    /// engine, while the emulator injects 503s, 429s with Retry-After, answers slower than the client's
    /// per-attempt timeout and answers cut after the create took effect. Then, with faults off, every
    /// requested backup must exist exactly once and be finished, and no absorbable fault may have reached
    /// the user.
    ///
    /// What a retry or read-back can absorb: any single fault, and any run of faults shorter than the
    /// retry budget (6 attempts within 2 minutes for a read; for a create, 5 rounds, each settled by
    /// a read-back that is itself retried). What cannot be absorbed and would legitimately reach the user:
    /// a request faulted on every attempt of its budget (e.g. 6 consecutive 503s on one poll, or every create
    /// round cut/slowed and every read-back of it failing). With the rates below (22 % in all) the chance
    /// of that for one request is about 0.22^6 ≈ 1e-4, and the seeded run is clean (the first run was not: a Gauss create that timed out, read back empty and was
    /// resent at once, three times over, reached the user as CreateOutcomeUnknown; creates now back off before
    /// resending and get 5 rounds); should such an error
    /// ever appear it must still name its operation (TargetObject), which is asserted for every error.
    /// </summary>
    [Trait("Category", "Soak")]
    public sealed class SoakTests
    {
        private static readonly string[] SpannerDatabases = { "orders", "customers", "inventory", "billing", "audit" };
        private static readonly string[] GaussInstances = { "07033b125fd94a8a96896f8bcfee6ddain07", "1a2b3c4d5e6f40718293a4b5c6d7e8f9in07", "9f8e7d6c5b4a43210fedcba987654321in07" };

        private readonly ITestOutputHelper _output;

        public SoakTests(ITestOutputHelper output) => _output = output;

        /// <summary>The soak's fault mix: 22 % of requests faulted, one at most each.</summary>
        public static FaultProfile Faults(int seed) => new FaultProfile
        {
            Unavailable503Rate = 0.07,
            Throttle429Rate = 0.06,
            SlowRate = 0.04,
            CutAfterProcessingRate = 0.05,
            RetryAfter = TimeSpan.FromSeconds(1),
            SlowDelay = TimeSpan.FromSeconds(2), // past the 1 s -RequestTimeout the session sets
            Seed = seed,
        };

        [Fact]
        public async Task FleetsOfBothClouds_UnderFaults_EveryBackupExactlyOnce_NoAbsorbableErrorReachesTheUser()
        {
            const int Rounds = 3;
            await using var s = await EmulatorSession.StartAsync(o =>
            {
                o.SpannerBackupDuration = TimeSpan.FromSeconds(1);
                o.GaussBackupDuration = TimeSpan.FromSeconds(1);
                o.GaussJobVisibilityDelay = TimeSpan.FromMilliseconds(200);
            });
            s.SignGaussWithDemoKey();
            s.Run("$PSDefaultParameterValues['*-Spanner*:RequestTimeout'] = '1s'; $PSDefaultParameterValues['*-Gauss*:RequestTimeout'] = '1s'");

            var clock = System.Diagnostics.Stopwatch.StartNew();
            var retries = TransportStatistics.Retries;
            var readBacks = TransportStatistics.ReadBacks;
            s.Emulator.Faults.Configure(Faults(20261122));

            var errors = new List<ErrorRecord>();
            var spannerDone = new List<SpannerBackup>();
            var gaussDone = new List<GaussBackup>();
            for (var round = 1; round <= Rounds; round++)
            {
                var r = s.Run(
                    "$r = $args[2]; $args[0] | ForEach-Object { [pscustomobject]@{ Project = 'demo-project'; Instance = 'demo-instance'; Database = $_; BackupId = ('soak-' + $r + '-' + $_) } } | New-SpannerBackup -RetentionPeriod '1d' -Wait;"
                    + " $args[1] | ForEach-Object { [pscustomobject]@{ InstanceId = $_; Name = ('soak-' + $r + '-' + $_.Substring(0, 8)) } } | New-GaussBackup -Wait",
                    SpannerDatabases,
                    GaussInstances,
                    round);
                errors.AddRange(r.AllErrors);
                spannerDone.AddRange(r.Objects<SpannerBackup>());
                gaussDone.AddRange(r.Objects<GaussBackup>());
            }

            s.Emulator.Faults.Clear();
            clock.Stop();
            var counters = s.Emulator.Faults.Counters;
            var requests = s.Emulator.State.Requests.Count;
            _output.WriteLine($"{requests} requests, faults: 503={counters.Unavailable503} 429={counters.Throttle429} slow={counters.Slow} cut={counters.CutAfterProcessing}; retries={TransportStatistics.Retries - retries} read-backs={TransportStatistics.ReadBacks - readBacks} (process-wide); {clock.Elapsed.TotalSeconds:0.0} s");
            foreach (var e in errors)
            {
                _output.WriteLine(e.FullyQualifiedErrorId + " @ " + e.TargetObject + ": " + e.Exception.Message);
            }

            // Enough faults of every kind were actually injected for the run to mean something.
            Assert.True(counters.Total >= requests / 6, $"only {counters.Total} faults in {requests} requests");
            Assert.True(counters.Unavailable503 > 0 && counters.Throttle429 > 0 && counters.Slow > 0 && counters.CutAfterProcessing > 0);

            // Every error that reached the user names its operation; and none did, since every fault was absorbable.
            Assert.All(errors, e => Assert.False(string.IsNullOrEmpty(e.TargetObject?.ToString()), e.ToString()));
            Assert.Empty(errors);

            // Every requested backup exists exactly once and finished (the emulator's own records).
            for (var round = 1; round <= Rounds; round++)
            {
                foreach (var db in SpannerDatabases)
                {
                    var name = $"projects/demo-project/instances/demo-instance/backups/soak-{round}-{db}";
                    var made = s.Emulator.State.SpannerBackups.Where(b => b.Name == name).ToList();
                    Assert.True(made.Count == 1, name + " created " + made.Count + " times");
                    Assert.Equal("READY", made[0].State);
                }

                foreach (var instance in GaussInstances)
                {
                    var name = $"soak-{round}-{instance.Substring(0, 8)}";
                    var made = s.Emulator.State.GaussBackups.Where(b => b.Name == name && b.InstanceId == instance).ToList();
                    Assert.True(made.Count == 1, name + " created " + made.Count + " times");
                    Assert.Equal("COMPLETED", made[0].Status);
                }
            }

            Assert.Equal(Rounds * SpannerDatabases.Length, s.Emulator.State.SpannerCreatesTakenEffect);
            Assert.Equal(Rounds * GaussInstances.Length, s.Emulator.State.GaussCreatesTakenEffect);
            var gaussNames = s.Emulator.State.GaussBackups.Select(b => b.Name).ToList();
            Assert.Equal(gaussNames.Count, gaussNames.Distinct().Count());

            // And the user was handed each finished backup exactly once.
            Assert.Equal(Rounds * SpannerDatabases.Length, spannerDone.Select(b => b.Name).Distinct().Count());
            Assert.Equal(Rounds * SpannerDatabases.Length, spannerDone.Count);
            Assert.Equal(Rounds * GaussInstances.Length, gaussDone.Count);
            Assert.All(gaussDone, b => Assert.Equal("COMPLETED", b.Status));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), "soak took " + clock.Elapsed);
        }
    }
}
