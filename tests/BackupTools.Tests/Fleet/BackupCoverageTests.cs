using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using BackupTools.Coverage;
using BackupTools.Emulator;
using BackupTools.Tests.Infrastructure;
using Xunit;

namespace BackupTools.Tests.Fleet
{
    /// <summary>Get-BackupCoverage driven as an operator would, against a seeded emulator over HTTP.</summary>
    public sealed class BackupCoverageTests
    {
        private static async Task<EmulatorSession> StartFleetAsync(Action<EmulatorSeed>? change = null)
        {
            var seed = FleetSeed.Create();
            change?.Invoke(seed);
            var s = await EmulatorSession.StartAsync(o => o.Data = seed);
            s.Shell.SetVariable("gaussSk", BackupTools.Auth.SecretText.Protect(EmulatorSession.GaussSecretKey));
            var connect = s.Run("Connect-GaussCloud -Endpoint $args[0] -AccessKey $args[1] -SecretKey $gaussSk -ProjectId $args[2]", s.Endpoint, EmulatorSession.GaussAccessKey, FleetSeed.GaussProjectId);
            Assert.Empty(connect.AllErrors);
            return s;
        }

        private static Dictionary<string, BackupCoverage> ByDatabase(PsResult r) => r.Objects<BackupCoverage>().ToDictionary(c => c.Database);

        [Fact]
        public async Task SeededFleet_EveryTargetOfBothClouds_IsRatedRightly()
        {
            await using var s = await StartFleetAsync();
            var r = s.Run("Get-BackupCoverage -MaxAge 24h -Project $args[0] -Gauss", FleetSeed.Project);

            Assert.Empty(r.AllErrors);
            var rows = ByDatabase(r);
            Assert.Equal(11, rows.Count);

            Assert.Equal(CoverageStatus.Covered, rows["covered"].Rating);
            Assert.Equal("covered-new", rows["covered"].NewestBackup);
            Assert.Equal("projects/fleet-project/instances/fleet-a/backups/covered-new", rows["covered"].NewestBackupId);
            Assert.Equal("Manual", rows["covered"].BackupKind);
            Assert.InRange(rows["covered"].Age!.Value, TimeSpan.FromHours(2), TimeSpan.FromHours(2.1));
            Assert.Equal(1_073_741_824, rows["covered"].SizeBytes);
            Assert.NotNull(rows["covered"].BackupExpireTime);
            Assert.Equal("projects/fleet-project/instances/fleet-a/databases/covered", rows["covered"].Target);

            Assert.Equal(CoverageStatus.Stale, rows["stale"].Rating);
            Assert.InRange(rows["stale"].Age!.Value, TimeSpan.FromHours(30), TimeSpan.FromHours(30.1));
            Assert.Contains("older than 1d 0h", rows["stale"].Reason);

            Assert.Equal(CoverageStatus.Missing, rows["missing"].Rating);
            Assert.Null(rows["missing"].NewestBackup);
            Assert.Null(rows["missing"].Age);

            Assert.Equal(CoverageStatus.Failing, rows["failing"].Rating);
            Assert.Equal("failing-good", rows["failing"].NewestBackup);
            Assert.NotNull(rows["failing"].FailedAttemptTime);
            Assert.Contains("INTERNAL", rows["failing"].FailureReason);

            Assert.Equal(CoverageStatus.Covered, rows["scheduled"].Rating);
            Assert.Equal("Scheduled", rows["scheduled"].BackupKind);

            // A failure followed by a good backup is history, not a failing database.
            Assert.Equal(CoverageStatus.Covered, rows["recovered"].Rating);

            Assert.Equal(CoverageStatus.Failing, rows["never-worked"].Rating);
            Assert.Null(rows["never-worked"].NewestBackup);
            Assert.Equal("fleet-b", rows["never-worked"].Instance);

            // The default seed's demo-project is not asked for: only fleet-project's instances are rated.
            Assert.DoesNotContain(rows.Values, c => c.Cloud == "Spanner" && c.Project != FleetSeed.Project);

            Assert.Equal(CoverageStatus.Covered, rows["g-covered"].Rating);
            Assert.Equal("Automated", rows["g-covered"].BackupKind);
            Assert.Equal("auto-1", rows["g-covered"].NewestBackup);
            Assert.Equal(2048L * 1024 * 1024, rows["g-covered"].SizeBytes);
            Assert.Equal(rows["g-covered"].BackupTime!.Value.AddDays(7), rows["g-covered"].BackupExpireTime);
            Assert.Equal(CoverageStatus.Stale, rows["g-stale"].Rating);
            Assert.Equal("Manual", rows["g-stale"].BackupKind);
            Assert.Null(rows["g-stale"].BackupExpireTime);
            Assert.Equal(CoverageStatus.Missing, rows["g-missing"].Rating);
            Assert.Equal(CoverageStatus.Failing, rows["g-failing"].Rating);
            Assert.Equal("auto-good", rows["g-failing"].NewestBackup);
            Assert.Contains("auto-bad", rows["g-failing"].FailureReason);
            Assert.Equal(FleetSeed.GaussFailing, rows["g-failing"].Target);

            Assert.Contains(r.Progress, p => p.Activity == "Rating backup coverage" && p.StatusDescription.Contains("11 rated"));
        }

        [Fact]
        public async Task MaxAge_MovesTheLine_BetweenCoveredAndStale()
        {
            await using var s = await StartFleetAsync();
            var r = s.Run("Get-BackupCoverage -MaxAge 90m -Project $args[0] -Instance fleet-a", FleetSeed.Project);

            Assert.Empty(r.AllErrors);
            var rows = ByDatabase(r);
            Assert.Equal(6, rows.Count);
            Assert.Equal(CoverageStatus.Stale, rows["covered"].Rating);
            Assert.Equal(CoverageStatus.Covered, rows["scheduled"].Rating);
            Assert.Equal(CoverageStatus.Covered, rows["recovered"].Rating);
            Assert.All(rows.Values, c => Assert.Equal(TimeSpan.FromMinutes(90), c.MaxAge));
        }

        [Fact]
        public async Task FailOnUncovered_WritesOneErrorPerUncoveredTarget_WithItsOwnId_AndStillEmitsEveryRow()
        {
            await using var s = await StartFleetAsync();
            var r = s.Run("Get-BackupCoverage 24h -Project $args[0] -GaussInstanceId $args[1], $args[2] -FailOnUncovered", FleetSeed.Project, FleetSeed.GaussMissing, FleetSeed.GaussCovered);

            Assert.Null(r.Terminating);
            Assert.Equal(9, r.Objects<BackupCoverage>().Count());
            var ids = r.Errors.Select(e => (e.FullyQualifiedErrorId.Split(',')[0], ((BackupCoverage)e.TargetObject).Database)).OrderBy(x => x.Item2).ToList();
            Assert.Equal(
                new[]
                {
                    ("BackupCoverageFailing", "failing"),
                    ("BackupCoverageMissing", "g-missing"),
                    ("BackupCoverageMissing", "missing"),
                    ("BackupCoverageFailing", "never-worked"),
                    ("BackupCoverageStale", "stale"),
                },
                ids);
            var missing = r.Errors.Single(e => ((BackupCoverage)e.TargetObject).Database == "missing");
            Assert.Equal(System.Management.Automation.ErrorCategory.ObjectNotFound, missing.CategoryInfo.Category);
            Assert.Contains("projects/fleet-project/instances/fleet-a/databases/missing has no backup", missing.ToString());

            // A runbook: -ErrorAction Stop fails the run on the first uncovered target.
            var runbook = s.Run("Get-BackupCoverage 24h -Project $args[0] -Instance fleet-b -FailOnUncovered -ErrorAction Stop", FleetSeed.Project);
            Assert.NotNull(runbook.Terminating);
            Assert.StartsWith("BackupCoverageFailing", runbook.Terminating!.FullyQualifiedErrorId);
        }

        [Fact]
        public async Task Summary_CountsEveryStatus_AndNamesTheUncovered()
        {
            await using var s = await StartFleetAsync();
            var r = s.Run("Get-BackupCoverage 24h -Project $args[0] -Gauss -Summary", FleetSeed.Project);

            Assert.Empty(r.AllErrors);
            var summary = Assert.Single(r.Objects<BackupCoverageSummary>());
            Assert.Single(r.Output);
            Assert.Equal(11, summary.Total);
            Assert.Equal(4, summary.Covered);
            Assert.Equal(2, summary.Stale);
            Assert.Equal(2, summary.Missing);
            Assert.Equal(3, summary.Failing);
            Assert.False(summary.AllCovered);
            Assert.Contains("Missing: " + FleetSeed.GaussMissing, summary.Uncovered);
            Assert.Contains("Stale: projects/fleet-project/instances/fleet-a/databases/stale", summary.Uncovered);
            Assert.InRange(summary.WorstAge!.Value, TimeSpan.FromHours(40), TimeSpan.FromHours(40.1));
        }

        [Fact]
        public async Task PipedTargets_AreRated_OnePerInstance()
        {
            await using var s = await StartFleetAsync();
            var r = s.Run(@"
                @([pscustomobject]@{ Project = $args[0]; Instance = 'fleet-b' }, [pscustomobject]@{ InstanceId = $args[1] }) |
                    Get-BackupCoverage -MaxAge '1d'", FleetSeed.Project, FleetSeed.GaussStale);

            Assert.Empty(r.AllErrors);
            var rows = ByDatabase(r);
            Assert.Equal(new[] { "g-stale", "never-worked" }, rows.Keys.OrderBy(k => k));
        }

        [Fact]
        public async Task GaussBackupsArePaged_AndTheNewestOfAllPagesCounts()
        {
            await using var s = await StartFleetAsync(seed =>
            {
                var instance = seed.Gauss.Instances.Single(i => i.Id == FleetSeed.GaussStale);
                for (var i = 0; i < 230; i++)
                {
                    instance.Backups.Add(new GaussBackupSeed { Name = "auto-" + i, Type = "auto", Age = TimeSpan.FromHours(48 + i) });
                }

                instance.Backups.Add(new GaussBackupSeed { Name = "fresh", Type = "manual", Age = TimeSpan.FromHours(3) });
            });
            var r = s.Run("Get-BackupCoverage 24h -GaussInstanceId $args[0]", FleetSeed.GaussStale);

            Assert.Empty(r.AllErrors);
            var row = Assert.Single(r.Objects<BackupCoverage>());
            Assert.Equal(CoverageStatus.Covered, row.Rating);
            Assert.Equal("fresh", row.NewestBackup);
            Assert.Equal(3, s.Emulator.State.CountRequests("GET", "/backups"));
        }

        [Fact]
        public async Task ManyDatabases_AreRatedFromAFewListings()
        {
            await using var s = await StartFleetAsync(seed =>
                seed.Spanner.Projects.Single(p => p.Id == FleetSeed.Project).Instances.Add(FleetSeed.Large("big", 300, i => i % 3 == 0 ? (TimeSpan?)null : TimeSpan.FromHours(i % 2 == 0 ? 2 : 30))));
            var r = s.Run("Get-BackupCoverage 24h -Project $args[0] -Instance big -Summary", FleetSeed.Project);

            Assert.Empty(r.AllErrors);
            var summary = Assert.Single(r.Objects<BackupCoverageSummary>());
            Assert.Equal(300, summary.Total);
            Assert.Equal(100, summary.Missing);
            Assert.Equal(100, summary.Covered);
            Assert.Equal(100, summary.Stale);
            Assert.Equal(3, s.Emulator.State.CountRequests("GET", "/instances/big/"));
        }

        [Fact]
        public async Task BadInput_IsRefused_BeforeAnyRequest()
        {
            await using var s = await StartFleetAsync();
            var before = s.Emulator.State.CountRequests("GET", "/v1/");

            var zero = s.Run("Get-BackupCoverage -MaxAge 0s -Project $args[0]", FleetSeed.Project);
            Assert.StartsWith("InvalidParameter", zero.Terminating!.FullyQualifiedErrorId);
            Assert.Contains("-MaxAge must be a positive duration", zero.Terminating.ToString());

            var nothing = s.Run("Get-BackupCoverage -MaxAge 24h");
            Assert.StartsWith("InvalidParameter", nothing.Terminating!.FullyQualifiedErrorId);
            Assert.Contains("Nothing to work on", nothing.Terminating.ToString());

            var noProject = s.Run("Get-BackupCoverage -MaxAge 24h -Instance fleet-a");
            Assert.StartsWith("InvalidParameter", noProject.Terminating!.FullyQualifiedErrorId);

            var badProject = s.Run("Get-BackupCoverage -MaxAge 24h -Project 'Bad_Project!'");
            Assert.StartsWith("InvalidParameter", badProject.Terminating!.FullyQualifiedErrorId);

            var badDuration = s.Run("Get-BackupCoverage -MaxAge 'soon' -Project $args[0]", FleetSeed.Project);
            Assert.NotNull(badDuration.Terminating);

            Assert.Equal(before, s.Emulator.State.CountRequests("GET", "/v1/"));
        }

        [Fact]
        public async Task GaussWithoutASession_StopsWithNoCredentials()
        {
            await using var s = await EmulatorSession.StartAsync(o => o.Data = FleetSeed.Create());
            var r = s.Run("Get-BackupCoverage -MaxAge 24h -Gauss");
            Assert.StartsWith("NoCredentials", r.Terminating!.FullyQualifiedErrorId);
            Assert.Contains("Connect-GaussCloud", r.Terminating.ToString());
        }

        [Fact]
        public async Task OneInstanceFailing_IsAnErrorForThatInstance_TheOthersAreRated()
        {
            await using var s = await StartFleetAsync();
            var r = s.Run("Get-BackupCoverage 24h -Project $args[0] -Instance fleet-a, no-such-instance", FleetSeed.Project);

            Assert.Null(r.Terminating);
            Assert.Equal(6, r.Objects<BackupCoverage>().Count());
            var error = Assert.Single(r.Errors);
            Assert.StartsWith("SpannerNotFound", error.FullyQualifiedErrorId);
            Assert.Equal("projects/fleet-project/instances/no-such-instance", error.TargetObject?.ToString());
        }

        [Fact]
        public async Task CtrlC_StopsARunPromptly()
        {
            await using var s = await StartFleetAsync(seed =>
            {
                var project = seed.Spanner.Projects.Single(p => p.Id == FleetSeed.Project);
                for (var i = 0; i < 60; i++)
                {
                    project.Instances.Add(FleetSeed.Large("many-" + i, 5, _ => TimeSpan.FromHours(1)));
                }
            });
            s.Emulator.Faults.Configure(new FaultProfile { Latency = TimeSpan.FromMilliseconds(200), Method = "GET", PathContains = "/v1/" });
            var (ps, handle) = s.Shell.Start("Get-BackupCoverage 24h -Project $args[0]", FleetSeed.Project);
            try
            {
                await Task.Delay(1500);
                Assert.False(handle.IsCompleted);
                var clock = System.Diagnostics.Stopwatch.StartNew();
                ps.Stop();
                Assert.Throws<System.Management.Automation.PipelineStoppedException>(() => ps.EndInvoke(handle));
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), "Stop took " + clock.Elapsed);
            }
            finally
            {
                ps.Dispose();
            }
        }

        [Fact]
        public void Rating_IsDecidedByFactsAlone()
        {
            var now = DateTimeOffset.UtcNow;
            BackupCoverage Rate(FailedAttempt? failure, params double[] hoursAgo) => CoverageRating.Rate(
                new BackupCoverage(),
                hoursAgo.Select((h, i) => new CoverageCandidate { ShortName = "b" + i, Id = "b" + i, DataTime = now.AddHours(-h) }),
                failure,
                TimeSpan.FromHours(24),
                now);

            Assert.Equal(CoverageStatus.Missing, Rate(null).Rating);
            Assert.Equal(CoverageStatus.Covered, Rate(null, 30, 24).Rating);
            Assert.Equal(CoverageStatus.Stale, Rate(null, 24.01).Rating);
            Assert.Equal("b1", Rate(null, 30, 5, 10).NewestBackup);
            Assert.Equal(CoverageStatus.Failing, Rate(new FailedAttempt { StartTime = now.AddHours(-1), Reason = "disk\u0007 full" }, 5).Rating);
            Assert.Equal("disk\\x07 full", Rate(new FailedAttempt { StartTime = now.AddHours(-1), Reason = "disk\u0007 full" }, 5).FailureReason);
            Assert.Equal(CoverageStatus.Covered, Rate(new FailedAttempt { StartTime = now.AddHours(-6), Reason = "x" }, 5).Rating);
            Assert.Equal(CoverageStatus.Failing, Rate(new FailedAttempt { StartTime = now.AddHours(-6), Reason = "x" }).Rating);
            var cut = Rate(new FailedAttempt { StartTime = now, Reason = new string('x', 1000) }).FailureReason!;
            Assert.StartsWith(new string('x', 300) + "...", cut);
            Assert.EndsWith("(700 more characters)", cut);
        }
    }
}
