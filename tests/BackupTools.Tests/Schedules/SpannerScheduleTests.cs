using System;
using System.Linq;
using System.Threading.Tasks;
using BackupTools.Spanner;
using BackupTools.Tests.Infrastructure;
using Xunit;

namespace BackupTools.Tests.Schedules
{
    /// <summary>Backup schedules end to end: the cmdlets against the emulator, and the backups the schedules take as its clock passes.</summary>
    public sealed class SpannerScheduleTests
    {
        private const string P = EmulatorSession.Project;
        private const string I = EmulatorSession.Instance;
        private const string OrdersSchedules = "projects/demo-project/instances/demo-instance/databases/orders/backupSchedules/";

        [Fact]
        public async Task CreateGetListSetRemove_RoundTrip()
        {
            await using var s = await EmulatorSession.StartAsync();
            var r = s.Run(@"
                New-SpannerBackupSchedule $args[0] $args[1] orders nightly -CronText '0 2 * * *' -RetentionPeriod '7d'
                New-SpannerBackupSchedule $args[0] $args[1] orders chains -CronText '0 2/12 * * *' -RetentionPeriod '2d' -Incremental -EncryptionType GOOGLE_DEFAULT_ENCRYPTION
                Get-SpannerBackupSchedule $args[0] $args[1] orders nightly
                Get-SpannerBackupSchedule $args[0] $args[1] orders", P, I);

            Assert.Empty(r.AllErrors);
            var all = r.Objects<SpannerBackupSchedule>().ToList();
            Assert.Equal(5, all.Count);
            var nightly = all[0];
            Assert.Equal(OrdersSchedules + "nightly", nightly.Name);
            Assert.Equal(("demo-project", "demo-instance", "orders", "nightly"), (nightly.Project, nightly.Instance, nightly.Database, nightly.ScheduleId));
            Assert.Equal("0 2 * * *", nightly.CronText);
            Assert.Equal("UTC", nightly.TimeZone);
            Assert.Equal(TimeSpan.FromHours(4), nightly.CreationWindow);
            Assert.Equal(TimeSpan.FromDays(7), nightly.RetentionPeriod);
            Assert.Equal("FULL", nightly.BackupType);
            Assert.Equal("USE_DATABASE_ENCRYPTION", nightly.EncryptionType);
            Assert.NotNull(nightly.UpdateTime);
            Assert.Equal("INCREMENTAL", all[1].BackupType);
            Assert.Equal("GOOGLE_DEFAULT_ENCRYPTION", all[1].EncryptionType);
            Assert.Equal(TimeSpan.FromDays(2), all[1].RetentionPeriod);
            Assert.Equal(nightly.Name, all[2].Name);
            Assert.Equal(new[] { "chains", "nightly" }, all.Skip(3).Select(x => x.ScheduleId));
            Assert.Equal(1, s.Emulator.State.CountRequests("POST", "backupScheduleId=nightly"));

            // Only what is given changes, and the update mask says exactly that.
            var set = s.Run("Set-SpannerBackupSchedule $args[0] $args[1] orders nightly -RetentionPeriod '14d'", P, I);
            Assert.Empty(set.AllErrors);
            var changed = Assert.Single(set.Objects<SpannerBackupSchedule>());
            Assert.Equal(TimeSpan.FromDays(14), changed.RetentionPeriod);
            Assert.Equal("0 2 * * *", changed.CronText);
            Assert.Equal("FULL", changed.BackupType);
            Assert.Equal(1, s.Emulator.State.CountRequests("PATCH", "updateMask=retention_duration"));

            set = s.Run("Set-SpannerBackupSchedule $args[0] $args[1] orders nightly -CronText '30 3 * * 0' -Incremental", P, I);
            Assert.Empty(set.AllErrors);
            changed = Assert.Single(set.Objects<SpannerBackupSchedule>());
            Assert.Equal(("30 3 * * 0", "INCREMENTAL", TimeSpan.FromDays(14)), (changed.CronText, changed.BackupType, changed.RetentionPeriod));
            var patch = s.Emulator.State.Requests.Last(q => q.Method == "PATCH");
            Assert.Contains("spec.cron_spec.text", Uri.UnescapeDataString(patch.PathAndQuery));
            Assert.Contains("incremental_backup_spec", Uri.UnescapeDataString(patch.PathAndQuery));

            set = s.Run("Set-SpannerBackupSchedule $args[0] $args[1] orders nightly -Incremental:$false", P, I);
            Assert.Equal("FULL", Assert.Single(set.Objects<SpannerBackupSchedule>()).BackupType);

            var removed = s.Run("Remove-SpannerBackupSchedule $args[0] $args[1] orders nightly -Force; Get-SpannerBackupSchedule $args[0] $args[1] orders", P, I);
            Assert.Empty(removed.AllErrors);
            Assert.Equal("chains", Assert.Single(removed.Objects<SpannerBackupSchedule>()).ScheduleId);

            var gone = s.Run("Get-SpannerBackupSchedule $args[0] $args[1] orders nightly", P, I);
            Assert.StartsWith("SpannerNotFound,", Assert.Single(gone.AllErrors).FullyQualifiedErrorId);
            Assert.Equal(OrdersSchedules + "nightly", Assert.Single(gone.AllErrors).TargetObject);

            var twice = s.Run("New-SpannerBackupSchedule $args[0] $args[1] orders chains -CronText '0 2 * * *' -RetentionPeriod '7d'", P, I);
            Assert.StartsWith("SpannerAlreadyExists,", Assert.Single(twice.AllErrors).FullyQualifiedErrorId);
        }

        [Theory]
        [InlineData("New-SpannerBackupSchedule demo-project demo-instance orders Bad_Id -CronText '0 2 * * *' -RetentionPeriod '7d'", "ParameterArgumentValidationError", "Spanner backup schedule id")]
        [InlineData("New-SpannerBackupSchedule demo-project demo-instance orders hourly -CronText '0 */4 * * *' -RetentionPeriod '7d'", "InvalidParameter", "every 12 hours, daily, weekly or monthly")]
        [InlineData("New-SpannerBackupSchedule demo-project demo-instance orders paris -CronText 'CRON_TZ=Europe/Paris 0 2 * * *' -RetentionPeriod '7d'", "InvalidParameter", "in UTC only")]
        [InlineData("New-SpannerBackupSchedule demo-project demo-instance orders yearly -CronText '0 2 1 1 *' -RetentionPeriod '7d'", "InvalidParameter", "the month must be '*'")]
        [InlineData("New-SpannerBackupSchedule demo-project demo-instance orders both -CronText '0 2 1 * 0' -RetentionPeriod '7d'", "InvalidParameter", "not both")]
        [InlineData("New-SpannerBackupSchedule demo-project demo-instance orders weekdays -CronText '0 2 * * 1-5' -RetentionPeriod '7d'", "InvalidParameter", "day of week must be one number")]
        [InlineData("New-SpannerBackupSchedule demo-project demo-instance orders four -CronText '0 2 * *' -RetentionPeriod '7d'", "InvalidParameter", "it needs five")]
        [InlineData("New-SpannerBackupSchedule demo-project demo-instance orders short -CronText '0 2 * * *' -RetentionPeriod '1h'", "InvalidParameter", "at least 6 hours")]
        [InlineData("New-SpannerBackupSchedule demo-project demo-instance orders long -CronText '0 2 * * *' -RetentionPeriod '400d'", "InvalidParameter", "at most 366 days")]
        [InlineData("New-SpannerBackupSchedule demo-project demo-instance orders cmek -CronText '0 2 * * *' -RetentionPeriod '7d' -EncryptionType CUSTOMER_MANAGED_ENCRYPTION", "InvalidParameter", "needs -KmsKeyName")]
        [InlineData("New-SpannerBackupSchedule demo-project demo-instance orders key -CronText '0 2 * * *' -RetentionPeriod '7d' -KmsKeyName projects/k/locations/eu/keyRings/r/cryptoKeys/a", "InvalidParameter", "goes only with -EncryptionType CUSTOMER_MANAGED_ENCRYPTION")]
        [InlineData("Set-SpannerBackupSchedule demo-project demo-instance orders nightly", "InvalidParameter", "Nothing to change")]
        [InlineData("Set-SpannerBackupSchedule demo-project demo-instance orders nightly -CronText '15 * * * *'", "InvalidParameter", "every 12 hours")]
        [InlineData("Set-SpannerBackupSchedule demo-project demo-instance orders nightly -RetentionPeriod '2h'", "InvalidParameter", "at least 6 hours")]
        [InlineData("Remove-SpannerBackupSchedule demo-project demo-instance orders x -Force", "ParameterArgumentValidationError", "2 to 60 characters")]
        [InlineData("Get-SpannerBackupSchedule demo-project demo-instance orders -ScheduleId 'a b'", "ParameterArgumentValidationError", "Spanner backup schedule id")]
        public async Task BadInput_IsRefusedBeforeAnyRequest(string command, string errorId, string messagePart)
        {
            await using var s = await EmulatorSession.StartAsync();
            var r = s.Run(command);

            var error = Assert.Single(r.AllErrors);
            Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
            Assert.Contains(messagePart, error.Exception.Message);
            Assert.Empty(s.Emulator.State.Requests);
        }

        [Fact]
        public async Task WhatIf_SaysExactlyWhat_AndSendsNothing()
        {
            await using var s = await EmulatorSession.StartAsync();
            var host = new RecordingHost();
            using var shell = new PsSession(host: host);
            var r = shell.Run(
                "New-SpannerBackupSchedule demo-project demo-instance orders nightly -CronText '0 2 * * *' -RetentionPeriod '7d' -Incremental -Endpoint $args[0] -WhatIf; " +
                "Set-SpannerBackupSchedule demo-project demo-instance orders nightly -RetentionPeriod '14d' -Endpoint $args[0] -WhatIf; " +
                "Remove-SpannerBackupSchedule demo-project demo-instance orders nightly -Force -Endpoint $args[0] -WhatIf",
                s.Endpoint);

            Assert.Empty(r.AllErrors);
            Assert.Empty(r.Output);
            var whatIf = host.Lines.Where(l => l.StartsWith("What if:", StringComparison.Ordinal)).ToList();
            Assert.Equal(3, whatIf.Count);
            Assert.Contains("Create Spanner backup schedule of database orders: incremental backups at '0 2 * * *' (UTC), kept 7d", whatIf[0]);
            Assert.Contains("Change Spanner backup schedule (retention_duration)", whatIf[1]);
            Assert.Contains("Delete Spanner backup schedule (no more backups are taken by it; the backups it took stay until they expire)", whatIf[2]);
            Assert.All(whatIf, l => Assert.Contains(OrdersSchedules + "nightly", l));
            Assert.Empty(s.Emulator.State.Requests);
        }

        [Fact]
        public async Task FullSchedule_TakesBackupsOnItsCron_AsTheClockPasses()
        {
            await using var s = await EmulatorSession.StartAsync();
            Assert.Empty(s.Run("New-SpannerBackupSchedule $args[0] $args[1] orders nightly -CronText '0 2 * * *' -RetentionPeriod '10d'", P, I).AllErrors);
            Assert.Empty(s.Run("Get-SpannerBackup $args[0] $args[1]", P, I).Objects<SpannerBackup>());

            s.Emulator.AdvanceClock(TimeSpan.FromDays(3));
            var r = s.Run("Get-SpannerBackup $args[0] $args[1] -Filter ('backup_schedules:' + $args[2])", P, I, OrdersSchedules + "nightly");

            Assert.Empty(r.AllErrors);
            var backups = r.Objects<SpannerBackup>().OrderBy(b => b.VersionTime).ToList();
            Assert.Equal(3, backups.Count);
            Assert.All(backups, b =>
            {
                Assert.Equal("READY", b.State);
                Assert.Equal("orders", b.Database);
                Assert.Equal(new[] { OrdersSchedules + "nightly" }, b.BackupSchedules);
                Assert.Equal(new TimeSpan(2, 0, 0), b.VersionTime!.Value.UtcDateTime.TimeOfDay);
                Assert.Equal(b.VersionTime!.Value + TimeSpan.FromDays(10), b.ExpireTime);
                Assert.Null(b.IncrementalBackupChainId);
                Assert.Equal(b.SizeBytes, b.FreeableSizeBytes);
            });
            Assert.Equal(TimeSpan.FromDays(1), backups[1].VersionTime - backups[0].VersionTime);

            // Removing the schedule stops it; what it took stays.
            Assert.Empty(s.Run("Remove-SpannerBackupSchedule $args[0] $args[1] orders nightly -Confirm:$false", P, I).AllErrors);
            s.Emulator.AdvanceClock(TimeSpan.FromDays(2));
            Assert.Equal(3, s.Run("Get-SpannerBackup $args[0] $args[1]", P, I).Objects<SpannerBackup>().Count());
        }

        [Fact]
        public async Task SchedulesDueAtTheSameMoment_AreMergedIntoOneBackup_ThatNamesBoth()
        {
            await using var s = await EmulatorSession.StartAsync();
            Assert.Empty(s.Run(@"
                $null = New-SpannerBackupSchedule $args[0] $args[1] orders daily -CronText '0 2 * * *' -RetentionPeriod '10d'
                $null = New-SpannerBackupSchedule $args[0] $args[1] orders weekly -CronText '0 2 * * 1' -RetentionPeriod '30d'", P, I).AllErrors);

            s.Emulator.AdvanceClock(TimeSpan.FromDays(7)); // seven daily times and exactly one Monday, whatever the hour now
            var daily = s.Run("Get-SpannerBackup $args[0] $args[1] -Filter ('backup_schedules:' + $args[2])", P, I, OrdersSchedules + "daily").Objects<SpannerBackup>().ToList();
            var weekly = s.Run("Get-SpannerBackup $args[0] $args[1] -Filter ('backup_schedules:' + $args[2])", P, I, OrdersSchedules + "weekly").Objects<SpannerBackup>().ToList();

            Assert.Equal(7, daily.Count);
            var merged = Assert.Single(weekly);
            Assert.Contains(daily, b => b.Name == merged.Name);
            Assert.Equal(new[] { OrdersSchedules + "daily", OrdersSchedules + "weekly" }, merged.BackupSchedules.OrderBy(x => x));
            Assert.Equal(DayOfWeek.Monday, merged.VersionTime!.Value.UtcDateTime.DayOfWeek);
            Assert.Equal(7, s.Run("Get-SpannerBackup $args[0] $args[1]", P, I).Objects<SpannerBackup>().Count());
        }

        [Fact]
        public async Task CreateWhoseAnswerIsLost_IsSettledByReadingBack_NeverSentTwice()
        {
            await using var s = await EmulatorSession.StartAsync();
            s.Emulator.Faults.Enqueue(BackupTools.Emulator.FaultKind.CutAfterProcessing, 1, "POST", "/backupSchedules");
            var r = s.Run("New-SpannerBackupSchedule $args[0] $args[1] orders nightly -CronText '0 2 * * *' -RetentionPeriod '7d' -Incremental", P, I);

            Assert.Empty(r.AllErrors);
            var schedule = Assert.Single(r.Objects<SpannerBackupSchedule>());
            Assert.Equal((OrdersSchedules + "nightly", "INCREMENTAL"), (schedule.Name, schedule.BackupType));
            Assert.Equal(1, s.Emulator.State.CountRequests("POST", "/backupSchedules"));
            Assert.Equal(1, s.Emulator.State.CountRequests("GET", "/backupSchedules/nightly"));
        }

        [Fact]
        public async Task CreateWhoseAnswerIsLost_WhenTheIdIsSomeoneElses_IsAlreadyExists()
        {
            await using var s = await EmulatorSession.StartAsync();
            Assert.Empty(s.Run("New-SpannerBackupSchedule $args[0] $args[1] orders nightly -CronText '0 3 * * *' -RetentionPeriod '7d'", P, I).AllErrors);
            s.Emulator.Faults.Enqueue(BackupTools.Emulator.FaultKind.CutAfterProcessing, 1, "POST", "/backupSchedules");
            var r = s.Run("New-SpannerBackupSchedule $args[0] $args[1] orders nightly -CronText '0 2 * * *' -RetentionPeriod '7d'", P, I);

            var error = Assert.Single(r.AllErrors);
            Assert.StartsWith("SpannerAlreadyExists,", error.FullyQualifiedErrorId);
            Assert.Empty(r.Objects<SpannerBackupSchedule>());
        }

        [Fact]
        public async Task DroppingTheDatabase_DeletesItsSchedules()
        {
            await using var s = await EmulatorSession.StartAsync();
            Assert.Empty(s.Run("New-SpannerBackupSchedule $args[0] $args[1] audit nightly -CronText '0 2 * * *' -RetentionPeriod '7d'", P, I).AllErrors);
            using (var http = new System.Net.Http.HttpClient())
            {
                var drop = await http.DeleteAsync(new Uri(s.Emulator.BaseAddress, "v1/projects/demo-project/instances/demo-instance/databases/audit"));
                Assert.True(drop.IsSuccessStatusCode);
            }

            s.Emulator.AdvanceClock(TimeSpan.FromDays(2));
            var r = s.Run("Get-SpannerBackupSchedule $args[0] $args[1] audit nightly; Get-SpannerBackup $args[0] $args[1] -Filter 'backup_schedules:*'", P, I);
            var error = Assert.Single(r.AllErrors);
            Assert.StartsWith("SpannerNotFound,", error.FullyQualifiedErrorId);
            Assert.Contains("Backup schedule not found", error.Exception.Message);
            Assert.Empty(r.Objects<SpannerBackup>());
        }

        [Fact]
        public async Task IncrementalSchedule_BuildsAChain_WithItsFields()
        {
            await using var s = await EmulatorSession.StartAsync();
            Assert.Empty(s.Run("New-SpannerBackupSchedule $args[0] $args[1] orders chains -CronText '0 2/12 * * *' -RetentionPeriod '7d' -Incremental", P, I).AllErrors);

            s.Emulator.AdvanceClock(TimeSpan.FromDays(2));
            var r = s.Run("Get-SpannerBackup $args[0] $args[1] -Filter 'incremental_backup_chain_id:*'", P, I);

            Assert.Empty(r.AllErrors);
            var chain = r.Objects<SpannerBackup>().OrderBy(b => b.VersionTime).ToList();
            Assert.Equal(4, chain.Count);
            Assert.Single(chain.Select(b => b.IncrementalBackupChainId).Distinct());
            Assert.False(string.IsNullOrEmpty(chain[0].IncrementalBackupChainId));
            Assert.All(chain, b => Assert.Equal(chain[0].VersionTime, b.OldestVersionTime));
            Assert.All(chain, b => Assert.Equal(new[] { OrdersSchedules + "chains" }, b.BackupSchedules));
            Assert.Equal(TimeSpan.FromHours(12), chain[1].VersionTime - chain[0].VersionTime);
            // Younger backups still need the older ones' data: only the newest frees anything when deleted.
            Assert.All(chain.Take(3), b => Assert.Equal(0, b.FreeableSizeBytes ?? 0));
            Assert.True(chain[3].FreeableSizeBytes > 0);
            // The chain's first backup is full; the rest hold only the changes.
            Assert.True(chain[0].SizeBytes > chain[1].SizeBytes);
            Assert.Equal(chain[3].SizeBytes, chain[3].ExclusiveSizeBytes);
        }
    }
}
