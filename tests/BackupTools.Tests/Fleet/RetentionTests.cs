using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using BackupTools.Emulator;
using BackupTools.Retention;
using BackupTools.Tests.Infrastructure;
using Xunit;

namespace BackupTools.Tests.Fleet
{
    /// <summary>Remove-BackupByPolicy driven as an operator would, against a seeded emulator over HTTP.</summary>
    public sealed class RetentionTests
    {
        private const string Project = "prune-project";
        private const string Gauss = "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeein07";

        private static EmulatorSeed Seed()
        {
            var seed = EmulatorSeed.CreateDefault();
            var instance = new SpannerInstanceSeed { Id = "prune-a" };
            instance.Databases.Add(Db("orders", B("o-new", 1), B("o-2", 5), B("o-3", 40), B("o-4", 50), B("o-keep-1", 60), B("o-5", 70)));
            instance.Databases.Add(Db("chained", B("c-full", 60, "c1"), B("c-inc1", 50, "c1"), B("c-inc2", 45, "c1"), B("x-old", 90)));
            instance.Databases.Add(Db("restored", B("r-old", 40), B("r-older", 41), B("r-new", 1)));
            instance.Databases.Add(Db("single", B("s-only", 100)));
            var project = new SpannerProjectSeed { Id = Project };
            project.Instances.Add(instance);
            seed.Spanner.Projects.Add(project);

            var gauss = new GaussInstanceSeed { Id = Gauss, Name = "g-prune", ProjectId = EmulatorSession.GaussProjectId };
            gauss.Backups.Add(G("m-new", "manual", 2));
            gauss.Backups.Add(G("m-old", "manual", 40));
            gauss.Backups.Add(G("m-keep", "manual", 45));
            gauss.Backups.Add(G("m-older", "manual", 50));
            gauss.Backups.Add(G("a-old", "auto", 60));
            seed.Gauss.Instances.Add(gauss);
            return seed;
        }

        private static SpannerDatabaseSeed Db(string id, params SpannerBackupSeed[] backups)
        {
            var db = new SpannerDatabaseSeed { Id = id };
            db.Backups.AddRange(backups);
            return db;
        }

        private static SpannerBackupSeed B(string id, double daysAgo, string? chain = null) =>
            new SpannerBackupSeed { Id = id, Age = TimeSpan.FromDays(daysAgo), ExpiresIn = TimeSpan.FromDays(300), Chain = chain };

        private static GaussBackupSeed G(string name, string type, double daysAgo) => new GaussBackupSeed { Name = name, Type = type, Age = TimeSpan.FromDays(daysAgo) };

        private static async Task<EmulatorSession> StartAsync()
        {
            var s = await EmulatorSession.StartAsync(o =>
            {
                o.Data = Seed();
                o.SpannerRestoreDuration = TimeSpan.FromMinutes(10);
            });
            s.Shell.SetVariable("gaussSk", BackupTools.Auth.SecretText.Protect(EmulatorSession.GaussSecretKey));
            var connect = s.Run("Connect-GaussCloud -Endpoint $args[0] -AccessKey $args[1] -SecretKey $gaussSk -ProjectId $args[2]", s.Endpoint, EmulatorSession.GaussAccessKey, EmulatorSession.GaussProjectId);
            Assert.Empty(connect.AllErrors);

            // A restore from r-old is running: Spanner lists the new database in r-old's referencingDatabases.
            var restore = s.Run("Restore-SpannerDatabase -Backup $args[0] -DatabaseId restored-copy -Confirm:$false", "projects/" + Project + "/instances/prune-a/backups/r-old");
            Assert.Empty(restore.AllErrors);
            return s;
        }

        private static HashSet<string> DeletedBackups(EmulatorSession s) =>
            s.Emulator.State.SpannerBackups.Where(b => b.DeleteTime != null).Select(b => b.Name.Split('/').Last())
                .Concat(s.Emulator.State.GaussBackups.Where(b => b.DeleteTime != null).Select(b => b.Name))
                .ToHashSet();

        [Fact]
        public async Task WhatIf_NamesExactlyWhatARealRunThenRemoves_AndNothingARestoreChainOrMarkNeeds()
        {
            await using var s = await StartAsync();
            var host = new RecordingHost();
            using var shell = new PsSession(host: host);
            shell.SetVariable("gaussSk", BackupTools.Auth.SecretText.Protect(EmulatorSession.GaussSecretKey));
            Assert.Empty(shell.Run("Connect-GaussCloud -Endpoint $args[0] -AccessKey $args[1] -SecretKey $gaussSk -ProjectId $args[2]", s.Endpoint, EmulatorSession.GaussAccessKey, EmulatorSession.GaussProjectId).AllErrors);

            var whatIf = shell.Run("Remove-BackupByPolicy -OlderThan '30d' -KeepNewest 2 -Project $args[0] -GaussInstanceId $args[1] -SpannerEndpoint $args[2] -WhatIf", Project, Gauss, s.Endpoint);

            Assert.Empty(whatIf.AllErrors);
            Assert.Empty(whatIf.Output);
            Assert.Empty(DeletedBackups(s));
            Assert.Equal(0, s.Emulator.State.CountRequests("DELETE", "/"));
            var lines = host.Lines.Where(l => l.StartsWith("What if:", StringComparison.Ordinal)).ToList();
            var named = lines.Select(l => Regex.Match(l, "(Spanner|Gauss) backup (\\S+) of ")).Where(m => m.Success).Select(m => m.Groups[2].Value).ToHashSet();
            Assert.Equal(new[] { "m-older", "o-3", "o-4", "o-5", "r-older", "x-old" }, named.OrderBy(n => n, StringComparer.Ordinal));
            Assert.Contains(lines, l => l.Contains("Spanner backup o-5 of projects/prune-project/instances/prune-a/databases/orders (manual, data from ") && l.Contains("70d 0h old; frees 1.0 GB)"));
            Assert.Contains(lines, l => l.Contains("Gauss backup m-older of " + Gauss) && l.Contains("frees 2.0 GB"));
            Assert.Contains("What if: 6 backups removed, freeing 7.0 GB.", lines);

            var real = s.Run("Remove-BackupByPolicy -OlderThan '30d' -KeepNewest 2 -Project $args[0] -GaussInstanceId $args[1] -Force", Project, Gauss);

            Assert.Empty(real.AllErrors);
            var removed = real.Objects<PrunedBackup>().ToList();
            Assert.Equal(named, removed.Select(r => r.Name).ToHashSet());
            Assert.Equal(named, DeletedBackups(s));
            var o5 = removed.Single(r => r.Name == "o-5");
            Assert.Equal("projects/prune-project/instances/prune-a/backups/o-5", o5.Id);
            Assert.Equal(1_073_741_824, o5.FreedBytes);
            Assert.InRange(o5.Age, TimeSpan.FromDays(70), TimeSpan.FromDays(70.01));

            // Still there: every newest good backup, the newest two, the marked one, the one a restore reads,
            // the chain a younger incremental needs, the only backup of a database, and GaussDB's automated one.
            var live = s.Emulator.State.SpannerBackups.Where(b => b.Exists).Select(b => b.Name.Split('/').Last()).ToHashSet();
            foreach (var kept in new[] { "o-new", "o-2", "o-keep-1", "c-full", "c-inc1", "c-inc2", "r-old", "r-new", "s-only" })
            {
                Assert.Contains(kept, live);
            }

            var gaussLive = s.Emulator.State.GaussBackups.Where(b => b.DeleteTime == null).Select(b => b.Name).ToHashSet();
            Assert.Equal(new[] { "a-old", "m-keep", "m-new", "m-old" }, gaussLive.OrderBy(n => n, StringComparer.Ordinal));
        }

        [Fact]
        public async Task Verbose_SaysWhyEachBackupIsKept()
        {
            await using var s = await StartAsync();
            var r = s.Run("Remove-BackupByPolicy '30d' -Project $args[0] -Instance prune-a -WhatIf -Verbose", Project);

            Assert.Empty(r.AllErrors);
            Assert.Contains(r.Verbose, v => v.StartsWith("Spanner backup r-old of ", StringComparison.Ordinal) && v.Contains("still needed by the restore of projects/prune-project/instances/prune-a/databases/restored-copy (referencingDatabases)"));
            Assert.Contains(r.Verbose, v => v.StartsWith("Spanner backup c-inc1 of ", StringComparison.Ordinal) && v.Contains("incremental chain c1 (freeableSizeBytes 0)"));
            Assert.Contains(r.Verbose, v => v.StartsWith("Spanner backup o-keep-1 of ", StringComparison.Ordinal) && v.Contains("marked to keep (name matches *keep*)"));
            Assert.Contains(r.Verbose, v => v.StartsWith("Spanner backup s-only of ", StringComparison.Ordinal) && v.Contains("the newest good backup of"));
            Assert.Contains(r.Verbose, v => v.StartsWith("Spanner backup o-2 of ", StringComparison.Ordinal) && v.Contains("not older than 30d 0h"));
            Assert.Contains(r.Progress, p => p.Activity == "Pruning backups by policy" && p.StatusDescription == "Reading backups: 1 of 1");
        }

        [Fact]
        public async Task NamePattern_AndProtectPattern_NarrowWhatGoes()
        {
            await using var s = await StartAsync();
            var r = s.Run("Remove-BackupByPolicy '30d' -Project $args[0] -Instance prune-a -NamePattern 'o-*' -ProtectPattern '*-5' -Confirm:$false", Project);

            Assert.Empty(r.AllErrors);
            Assert.Equal(new[] { "o-3", "o-4", "o-keep-1" }, r.Objects<PrunedBackup>().Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal));
        }

        [Fact]
        public async Task APerItemFailure_DoesNotStopTheRest()
        {
            await using var s = await StartAsync();
            // The service keeps failing the delete of o-3 (every retry, Retry-After 1 s): that item fails, the others go.
            s.Emulator.Faults.Enqueue(FaultKind.Unavailable503, 10, "DELETE", "/backups/o-3");
            var r = s.Run("Remove-BackupByPolicy '30d' -KeepNewest 2 -Project $args[0] -Instance prune-a -Force", Project);

            var error = Assert.Single(r.Errors);
            Assert.StartsWith("SpannerUnavailable", error.FullyQualifiedErrorId);
            Assert.Equal("projects/prune-project/instances/prune-a/backups/o-3", error.TargetObject?.ToString());
            Assert.Equal(new[] { "o-4", "o-5", "r-older", "x-old" }, r.Objects<PrunedBackup>().Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal));
            Assert.Contains(r.Progress, p => p.Activity == "Pruning backups by policy" && p.StatusDescription == "Removing backups: 4 of 5");
        }

        [Fact]
        public async Task BadRules_AreRefused_BeforeAnyRequest()
        {
            await using var s = await StartAsync();
            var before = s.Emulator.State.CountRequests(null, "/v1/projects/" + Project);
            foreach (var (command, message) in new[]
            {
                ("Remove-BackupByPolicy '0s' -Project $args[0] -Force", "-OlderThan must be a positive duration"),
                ("Remove-BackupByPolicy '30d' -KeepNewest 0 -Project $args[0] -Force", "-KeepNewest must be at least 1"),
                ("Remove-BackupByPolicy '30d' -NamePattern ' ' -Project $args[0] -Force", "-NamePattern must not be empty"),
                ("Remove-BackupByPolicy '30d' -Force", "Nothing to work on"),
            })
            {
                var r = s.Run(command, Project);
                Assert.NotNull(r.Terminating);
                Assert.StartsWith("InvalidParameter", r.Terminating!.FullyQualifiedErrorId);
                Assert.Contains(message, r.Terminating.ToString());
            }

            Assert.Equal(before, s.Emulator.State.CountRequests(null, "/v1/projects/" + Project));
        }

        [Fact]
        public void Planner_KeepsWhatTheRuleProtects_FromFactsAlone()
        {
            var now = DateTimeOffset.UtcNow;
            RetentionBackup B(string name, double days, bool good = true, bool deletable = true, string? neededBy = null, string? chain = null) =>
                new RetentionBackup { Cloud = "Spanner", Target = "db", Name = name, Id = name, DataTime = now.AddDays(-days), Good = good, Deletable = deletable, NeededBy = neededBy, Chain = chain, SizeBytes = 10 };
            var plan = RetentionPlanner.Plan(
                new[] { B("new", 1), B("building", 0.5, good: false), B("auto", 40, deletable: false), B("old", 40), B("held", 50, neededBy: "a restore"), B("full", 60, chain: "c"), B("inc", 55, chain: "c"), B("keep-me", 70) },
                new RetentionRule { OlderThan = TimeSpan.FromDays(30) },
                now).ToDictionary(d => d.Backup.Name);

            // The youngest of a chain is needed by nothing younger; the full backup under it is.
            Assert.Equal(new[] { "inc", "old" }, plan.Values.Where(d => d.Remove).Select(d => d.Backup.Name).OrderBy(n => n, StringComparer.Ordinal));
            Assert.Contains("marked to keep", plan["keep-me"].Reason);
            Assert.Contains("still needed by a restore", plan["held"].Reason);
            Assert.Contains("newest good", plan["new"].Reason);
            Assert.Contains("not a finished", plan["building"].Reason);
            Assert.Contains("does not delete manual", plan["auto"].Reason);
            Assert.Contains("younger backup of incremental chain c", plan["full"].Reason);
            Assert.Throws<ArgumentException>(() => RetentionPlanner.Plan(Array.Empty<RetentionBackup>(), new RetentionRule { OlderThan = TimeSpan.FromDays(1), KeepNewest = 0 }, now));
        }
    }
}
