using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BackupTools.Auth;
using BackupTools.Emulator;
using BackupTools.Gauss;
using BackupTools.Http;
using BackupTools.Spanner;
using Xunit;

namespace BackupTools.Tests.Waiting
{
    /// <summary>The earlier runs the waiter estimates from, read from the emulator: what they say and what they cost in requests.</summary>
    public sealed class HistoryTests
    {
        private const string Project = "0b5c7f3a9d2e4f6a8b1c3d5e7f9a0b2c";

        [Fact]
        public async Task OneListOfTheProject_ServesEveryInstance_AndIsKeptForTheSession()
        {
            await using var emulator = await BackupEmulator.StartAsync(Options(o =>
            {
                foreach (var instance in o.Data.Gauss.Instances)
                {
                    for (var day = 1; day <= 3; day++)
                    {
                        instance.Backups.Add(new GaussBackupSeed { Age = TimeSpan.FromDays(day), Duration = TimeSpan.FromSeconds(40 + day), SizeMb = 2000 + day });
                    }
                }
            }));
            var client = Client(emulator);
            var instances = new[] { "07033b125fd94a8a96896f8bcfee6ddain07", "1a2b3c4d5e6f40718293a4b5c6d7e8f9in07", "9f8e7d6c5b4a43210fedcba987654321in07" };

            var all = await Task.WhenAll(instances.Select(i => GaussBackupHistory.ForInstanceAsync(client, i, CancellationToken.None)));
            var again = await GaussBackupHistory.ForInstanceAsync(client, instances[0], CancellationToken.None);

            Assert.All(all, runs => Assert.Equal(new[] { 41.0, 42, 43 }, runs.Select(r => Math.Round(r.Duration.TotalSeconds)).ToArray()));
            Assert.Equal(2001, all[0][0].SizeMb);
            Assert.Equal(TimeSpan.FromSeconds(1), all[0][0].Resolution);
            Assert.Equal(3, again.Count);
            Assert.Equal(1, emulator.State.CountRequests("GET", "/backups"));
        }

        [Fact]
        public async Task ALargeProject_IsListedPerInstanceAskedAbout_NotWhole()
        {
            const string Busy = "07033b125fd94a8a96896f8bcfee6ddain07";
            const string Quiet = "9f8e7d6c5b4a43210fedcba987654321in07";
            await using var emulator = await BackupEmulator.StartAsync(Options(o =>
            {
                // 600 backups of one instance: six pages, more than a single operation's history is worth.
                var busy = o.Data.Gauss.Instances.First(i => i.Id == Busy);
                for (var hour = 1; hour <= 600; hour++)
                {
                    busy.Backups.Add(new GaussBackupSeed { Age = TimeSpan.FromHours(hour), Duration = TimeSpan.FromSeconds(30) });
                }

                o.Data.Gauss.Instances.First(i => i.Id == Quiet).Backups.Add(new GaussBackupSeed { Age = TimeSpan.FromDays(30), Duration = TimeSpan.FromSeconds(90) });
            }));
            var client = Client(emulator);

            var quiet = await GaussBackupHistory.ForInstanceAsync(client, Quiet, CancellationToken.None);
            var busyRuns = await GaussBackupHistory.ForInstanceAsync(client, Busy, CancellationToken.None);

            Assert.Equal(90, Assert.Single(quiet).Duration.TotalSeconds, 0);
            Assert.Equal(100, busyRuns.Count);

            // The project's first page, then the quiet instance alone; the busy one was on that first page.
            Assert.Equal(2, emulator.State.CountRequests("GET", "/backups"));
            Assert.Equal(1, emulator.State.CountRequests("GET", "instance_id=" + Quiet));
        }

        [Fact]
        public async Task Spanner_TheDatabasesFinishedBackupOperations_WithExactTimesAndSizes()
        {
            await using var emulator = await BackupEmulator.StartAsync(Options(o => o.SpannerBackupDuration = TimeSpan.FromSeconds(30)));
            var endpoint = ServiceEndpoint.Parse(emulator.BaseAddress.AbsoluteUri);
            var client = new SpannerClient(new ServiceHttpClient("Spanner", endpoint, GoogleCredentials.Resolve(null, endpoint)));
            SpannerBackupHistory.Clear();
            foreach (var (database, id) in new[] { ("orders", "b1"), ("orders", "b2"), ("customers", "c1") })
            {
                await client.CreateBackupAsync(new SpannerCreateBackupRequest { Project = "demo-project", Instance = "demo-instance", Database = database, BackupId = id, ExpireTime = DateTimeOffset.UtcNow.AddDays(2) }, CancellationToken.None);
                emulator.AdvanceClock(TimeSpan.FromMinutes(1));
            }

            await client.CreateBackupAsync(new SpannerCreateBackupRequest { Project = "demo-project", Instance = "demo-instance", Database = "orders", BackupId = "b3", ExpireTime = DateTimeOffset.UtcNow.AddDays(2) }, CancellationToken.None);

            var runs = await SpannerBackupHistory.ForDatabaseAsync(client, "demo-project", "demo-instance", "orders", CancellationToken.None);
            await SpannerBackupHistory.ForDatabaseAsync(client, "demo-project", "demo-instance", "orders", CancellationToken.None);

            // b1 and b2, not customers' c1 nor the running b3; exact times, so no resolution to allow for.
            Assert.Equal(2, runs.Count);
            Assert.All(runs, r => Assert.Equal(30, r.Duration.TotalSeconds, 3));
            Assert.All(runs, r => Assert.Equal(TimeSpan.Zero, r.Resolution));
            Assert.Equal(1024, runs[0].SizeMb);
            Assert.True(runs[0].Ended > runs[1].Ended);
            Assert.Equal(1, emulator.State.CountRequests("GET", "/backupOperations"));
        }

        private static EmulatorOptions Options(Action<EmulatorOptions> configure)
        {
            var options = new EmulatorOptions { GaussRequireAuth = false };
            configure(options);
            return options;
        }

        private static GaussClient Client(BackupEmulator emulator)
        {
            // The cache is per endpoint, and a port may be reused by the next test's emulator.
            GaussBackupHistory.Clear();
            var endpoint = ServiceEndpoint.Parse(emulator.BaseAddress.AbsoluteUri);
            return new GaussClient(new ServiceHttpClient("Gauss", endpoint, new AnonymousAuthenticator("emulator")), Project);
        }
    }
}
