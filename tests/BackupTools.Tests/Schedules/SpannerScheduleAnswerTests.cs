using System;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using BackupTools.Spanner;
using BackupTools.Tests.Hostile;
using BackupTools.Tests.Infrastructure;
using Xunit;
using static BackupTools.Tests.Hostile.HostileRun;

namespace BackupTools.Tests.Schedules
{
    /// <summary>What the schedule cmdlets make of answers: the service's own (every accepted cron form), and bad ones.</summary>
    public sealed class SpannerScheduleAnswerTests : IDisposable
    {
        private const string Name = "projects/demo-project/instances/demo-instance/databases/orders/backupSchedules/nightly";
        private readonly PsSession _shell = new PsSession();

        public void Dispose() => _shell.Dispose();

        [Theory]
        [InlineData("0 2/12 * * *")]
        [InlineData("0 */12 * * *")]
        [InlineData("15 2,14 * * *")]
        [InlineData("0 2 * * *")]
        [InlineData("59 23 * * 0")]
        [InlineData("0 2 * * 7")]
        [InlineData("0 2 8 * *")]
        [InlineData("  30 4 31 * *  ")]
        public async Task EveryFrequencyTheServiceAccepts_IsAccepted_ByTheModuleAndTheEmulator(string cron)
        {
            Assert.Null(SpannerRules.CheckCronText(cron));
            await using var s = await EmulatorSession.StartAsync();
            var r = s.Run("New-SpannerBackupSchedule demo-project demo-instance orders nightly -CronText $args[0] -RetentionPeriod '6h'", cron);
            Assert.Empty(r.AllErrors);
            Assert.Equal(cron.Trim(), Assert.Single(r.Objects<SpannerBackupSchedule>()).CronText);
        }

        [Theory]
        [InlineData("{\"spec\":{\"cronSpec\":{\"text\":\"0 2 * * *\"}},\"fullBackupSpec\":{}}", "without its name")]
        [InlineData("{\"name\":\"projects/demo-project/instances/demo-instance/databases/orders\"}", "not a schedule's name")]
        [InlineData("{\"name\":\"" + Name + "\",\"retentionDuration\":\"seven days\"}", "a duration that is not one")]
        [InlineData("{\"name\":\"" + Name + "\",\"spec\":\"0 2 * * *\"}", "a spec that is not an object")]
        [InlineData("<html>oops</html>", "not JSON")]
        public void AnAnswerWithoutWhatTheCallNeeds_IsInvalidAnswer_NeverAnObject(string body, string why)
        {
            using var server = new HostileServer(_ => HostileAnswer.Json(body));
            var (r, _) = HostileRun.Run(_shell, "Get-SpannerBackupSchedule demo-project demo-instance orders nightly -Endpoint $args[0]", server.BaseAddress, null);
            var error = AssertOneError(r, "SpannerInvalidAnswer", ErrorCategory.InvalidResult);
            Assert.True(!r.Objects<SpannerBackupSchedule>().Any(), "an answer " + why + " became an object");
            Assert.Equal(Name, error.TargetObject);
        }

        [Fact]
        public void AnAnswerAboutAnotherSchedule_IsAnError_NotThatSchedule()
        {
            using var server = new HostileServer(_ => HostileAnswer.Json("{\"name\":\"projects/demo-project/instances/demo-instance/databases/orders/backupSchedules/other\",\"fullBackupSpec\":{}}"));
            var (r, _) = HostileRun.Run(_shell, "Get-SpannerBackupSchedule demo-project demo-instance orders nightly -Endpoint $args[0]", server.BaseAddress, null);
            AssertOneError(r, "IncompleteAnswer", ErrorCategory.InvalidResult);
            Assert.Empty(r.Objects<SpannerBackupSchedule>());
        }

        [Fact]
        public void AListWithARepeatedPageToken_EndsWithEndlessPaging()
        {
            using var server = new HostileServer(_ => HostileAnswer.Json("{\"backupSchedules\":[{\"name\":\"" + Name + "\",\"fullBackupSpec\":{}}],\"nextPageToken\":\"same\"}"));
            var (r, _) = HostileRun.Run(_shell, "Get-SpannerBackupSchedule demo-project demo-instance orders -Endpoint $args[0]", server.BaseAddress, null);
            AssertOneError(r, "SpannerEndlessPaging", ErrorCategory.InvalidResult);
            Assert.Single(r.Objects<SpannerBackupSchedule>());
            Assert.Equal(2, server.Requests);
        }
    }
}
