using System;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using BackupTools.Spanner;
using BackupTools.Tests.Infrastructure;
using Xunit;

namespace BackupTools.Tests.Spanner
{
    /// <summary>Copy-SpannerBackup driven as a user would, in the real engine, against the emulator over HTTP.</summary>
    public sealed class SpannerCopyTests
    {
        private const string P = EmulatorSession.Project;
        private const string I = EmulatorSession.Instance;
        private const string Dr = "dr-instance";

        [Fact]
        public async Task PipedBackup_IsCopiedToAnotherInstance_AndWaitBackupOperationFollowsTheCopy()
        {
            await using var s = await EmulatorSession.StartAsync();
            var r = s.Run(@"
                $source = New-SpannerBackup $args[0] $args[1] orders -BackupId orders-src -Wait
                $op = $source | Copy-SpannerBackup -DestinationInstance $args[2]
                $source
                $op
                $op | Wait-BackupOperation", P, I, Dr);

            Assert.Empty(r.AllErrors);
            var source = Assert.Single(r.Objects<SpannerBackup>(), b => b.Instance == I);
            var op = Assert.Single(r.Objects<SpannerBackupOperation>());
            Assert.Equal("CopyBackup", op.Kind);
            Assert.Equal($"projects/{P}/instances/{I}/backups/orders-src", op.SourceBackup);
            Assert.Equal($"projects/{P}/instances/{Dr}/backups/orders-src", op.Name.Substring(0, op.Name.IndexOf("/operations/", StringComparison.Ordinal)));
            var copy = Assert.Single(r.Objects<SpannerBackup>(), b => b.Instance == Dr);
            Assert.Equal("READY", copy.State);
            Assert.Equal("orders-src", copy.BackupId);
            Assert.Equal("orders", copy.Database);
            Assert.Equal(source.ExpireTime, copy.ExpireTime); // no expiry given: the source's is kept
            Assert.Equal(1, s.Emulator.State.CountRequests("POST", "/backups:copy"));
        }

        [Fact]
        public async Task CopyByName_WithRetentionAndNewId_AndGetSpannerBackupOperationListsIt()
        {
            await using var s = await EmulatorSession.StartAsync();
            var r = s.Run(@"
                $null = New-SpannerBackup $args[0] $args[1] billing -BackupId billing-src -Wait
                Copy-SpannerBackup ('projects/' + $args[0] + '/instances/' + $args[1] + '/backups/billing-src') $args[2] -BackupId billing-dr -RetentionPeriod '30d' -Wait
                Get-SpannerBackupOperation $args[0] $args[2]", P, I, Dr);

            Assert.Empty(r.AllErrors);
            var copy = Assert.Single(r.Objects<SpannerBackup>());
            Assert.Equal("billing-dr", copy.BackupId);
            Assert.Equal(Dr, copy.Instance);
            Assert.InRange(copy.ExpireTime!.Value - DateTimeOffset.UtcNow, TimeSpan.FromDays(29.9), TimeSpan.FromDays(30.1));
            var listed = Assert.Single(r.Objects<SpannerBackupOperation>());
            Assert.Equal("CopyBackup", listed.Kind);
            Assert.True(listed.Done);
        }

        [Fact]
        public async Task SourceStillCreating_IsAClearError_AndNoCopyIsSent()
        {
            await using var s = await EmulatorSession.StartAsync(o => o.SpannerBackupDuration = TimeSpan.FromSeconds(60));
            var r = s.Run(@"
                $op = New-SpannerBackup $args[0] $args[1] orders -BackupId still-creating
                Copy-SpannerBackup ('projects/' + $args[0] + '/instances/' + $args[1] + '/backups/still-creating') $args[2]", P, I, Dr);

            Assert.Null(r.Terminating);
            var error = Assert.Single(r.Errors);
            Assert.StartsWith("SpannerBackupNotReady,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
            Assert.Contains("still being created", error.Exception.Message);
            Assert.Equal(0, s.Emulator.State.CountRequests("POST", "/backups:copy"));
        }

        [Fact]
        public async Task ServiceRefusesACopyOfACreatingSource_TheEmulatorEnforcesTheRuleToo()
        {
            await using var s = await EmulatorSession.StartAsync(o => o.SpannerBackupDuration = TimeSpan.FromSeconds(60));
            using var http = new System.Net.Http.HttpClient { BaseAddress = s.Emulator.BaseAddress };
            var r = s.Run("New-SpannerBackup $args[0] $args[1] orders -BackupId creating-src", P, I);
            Assert.Empty(r.AllErrors);

            var body = new System.Net.Http.StringContent(
                $"{{\"backupId\":\"x-copy\",\"sourceBackup\":\"projects/{P}/instances/{I}/backups/creating-src\",\"expireTime\":\"{DateTime.UtcNow.AddDays(7):yyyy-MM-ddTHH:mm:ssZ}\"}}");
            var answer = await http.PostAsync($"v1/projects/{P}/instances/{Dr}/backups:copy", body);
            Assert.Equal(400, (int)answer.StatusCode);
            Assert.Contains("FAILED_PRECONDITION", await answer.Content.ReadAsStringAsync());
        }

        [Fact]
        public async Task Expiry_IsMeasuredFromTheSourceCreateTime_NotFromNow()
        {
            // The emulator's clock runs 30 days behind: the source was made "30 days ago".
            await using var s = await EmulatorSession.StartAsync(o => o.TimeProvider = new ShiftedTime(TimeSpan.FromDays(-30)));
            var r = s.Run(@"
                $source = New-SpannerBackup $args[0] $args[1] orders -BackupId old-source -ExpireTime ([datetime]::UtcNow.AddDays(300)) -Wait
                $source | Copy-SpannerBackup -DestinationInstance $args[2] -ExpireTime ([datetime]::UtcNow.AddDays(340))", P, I, Dr);

            Assert.Null(r.Terminating);
            var error = Assert.Single(r.Errors);
            Assert.StartsWith("InvalidParameter,", error.FullyQualifiedErrorId);
            Assert.Contains("at most 366 days after its source backup was created", error.Exception.Message);
            Assert.Equal(0, s.Emulator.State.CountRequests("POST", "/backups:copy"));

            // The same expiry by name: the source is read (its create time is needed), the copy is not sent.
            var byName = s.Run("Copy-SpannerBackup ('projects/' + $args[0] + '/instances/' + $args[1] + '/backups/old-source') $args[2] -ExpireTime ([datetime]::UtcNow.AddDays(340))", P, I, Dr);
            Assert.StartsWith("InvalidParameter,", Assert.Single(byName.AllErrors).FullyQualifiedErrorId);
            Assert.Equal(0, s.Emulator.State.CountRequests("POST", "/backups:copy"));

            var ok = s.Run("Copy-SpannerBackup ('projects/' + $args[0] + '/instances/' + $args[1] + '/backups/old-source') $args[2] -ExpireTime ([datetime]::UtcNow.AddDays(330)) -Wait", P, I, Dr);
            Assert.Empty(ok.AllErrors);
            Assert.Equal(Dr, Assert.Single(ok.Objects<SpannerBackup>()).Instance);
        }

        [Theory]
        [InlineData("-SourceBackup projects/demo-project/instances/demo-instance/backups/Bad_Id -DestinationInstance dr-instance", "ParameterArgumentValidationError", "Spanner backup name")]
        [InlineData("-SourceBackup orders-src -DestinationInstance dr-instance", "ParameterArgumentValidationError", "projects/{project}/instances/{instance}/backups/{backup}")]
        [InlineData("-SourceBackup projects/demo-project/instances/demo-instance/backups/b1 -DestinationInstance Dr_Instance", "ParameterArgumentValidationError", "Spanner instance id")]
        [InlineData("-SourceBackup projects/demo-project/instances/demo-instance/backups/b1 -DestinationInstance demo-instance", "InvalidParameter", "cannot be copied onto itself")]
        [InlineData("-SourceBackup projects/demo-project/instances/demo-instance/backups/b1 -DestinationInstance dr-instance -RetentionPeriod '1h'", "InvalidParameter", "at least 6 hours")]
        [InlineData("-SourceBackup projects/demo-project/instances/demo-instance/backups/b1 -DestinationInstance dr-instance -RetentionPeriod '7d' -ExpireTime ([datetime]::UtcNow.AddDays(7))", "ConflictingParameters", "not both")]
        [InlineData("-SourceBackup projects/demo-project/instances/demo-instance/backups/b1 -DestinationInstance dr-instance -EncryptionType CUSTOMER_MANAGED_ENCRYPTION", "InvalidParameter", "needs -KmsKeyName")]
        [InlineData("-SourceBackup projects/demo-project/instances/demo-instance/backups/b1 -DestinationInstance dr-instance -EncryptionType CUSTOMER_MANAGED_ENCRYPTION -KmsKeyName projects/k/locations/eu/keyRings/r/cryptoKeys/a,projects/k/locations/eu/keyRings/r/cryptoKeys/b", "InvalidParameter", "one key per region")]
        [InlineData("-SourceBackup projects/demo-project/instances/demo-instance/backups/b1 -DestinationInstance dr-instance -EncryptionType USE_DATABASE_ENCRYPTION", "ParameterArgumentValidationError", "USE_CONFIG_DEFAULT_OR_BACKUP_ENCRYPTION")]
        public async Task BadInput_IsRefusedBeforeAnyRequest(string parameters, string errorId, string messagePart)
        {
            await using var s = await EmulatorSession.StartAsync();
            var r = s.Run("Copy-SpannerBackup " + parameters);

            var error = Assert.Single(r.AllErrors);
            Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
            Assert.Contains(messagePart, error.Exception.Message);
            Assert.NotNull(r.Terminating);
            Assert.Empty(s.Emulator.State.Requests);
        }

        [Fact]
        public async Task MultiRegionKeys_TravelAsKmsKeyNames_AndTheCopyIsEncryptedWithThem()
        {
            await using var s = await EmulatorSession.StartAsync();
            var r = s.Run(@"
                $keys = 'projects/k/locations/europe-west1/keyRings/r/cryptoKeys/dr', 'projects/k/locations/europe-west4/keyRings/r/cryptoKeys/dr'
                New-SpannerBackup $args[0] $args[1] audit -BackupId audit-src -Wait |
                    Copy-SpannerBackup -DestinationInstance $args[2] -EncryptionType CUSTOMER_MANAGED_ENCRYPTION -KmsKeyName $keys -Wait", P, I, Dr);

            Assert.Empty(r.AllErrors);
            Assert.Equal("CUSTOMER_MANAGED_ENCRYPTION", Assert.Single(r.Objects<SpannerBackup>(), b => b.Instance == Dr).EncryptionType);
        }

        [Fact]
        public async Task SourceBeingCopied_CannotBeDeleted_UntilTheCopyEnds()
        {
            await using var s = await EmulatorSession.StartAsync();
            var r = s.Run(@"
                $op = New-SpannerBackup $args[0] $args[1] customers -BackupId cust-src -Wait | Copy-SpannerBackup -DestinationInstance $args[2]
                Remove-SpannerBackup $args[0] $args[1] cust-src -Force
                $op | Wait-BackupOperation | Out-Null
                Remove-SpannerBackup $args[0] $args[1] cust-src -Force
                Remove-SpannerBackup $args[0] $args[2] cust-src -Force", P, I, Dr);

            Assert.Null(r.Terminating);
            var error = Assert.Single(r.Errors);
            Assert.StartsWith("SpannerFailedPrecondition,", error.FullyQualifiedErrorId);
            Assert.Contains("pending copy", error.Exception.Message);
            Assert.All(s.Emulator.State.SpannerBackups, b => Assert.False(b.Exists));
        }

        [Fact]
        public async Task CopyWhoseAnswerIsLost_IsResolvedByReadBack_WithoutASecondCopy()
        {
            await using var s = await EmulatorSession.StartAsync();
            var ready = s.Run("New-SpannerBackup $args[0] $args[1] inventory -BackupId inv-src -Wait", P, I);
            Assert.Empty(ready.AllErrors);
            s.Emulator.Faults.Enqueue(BackupTools.Emulator.FaultKind.CutAfterProcessing, 1, "POST", "/backups:copy");
            var r = s.Run("Copy-SpannerBackup ('projects/' + $args[0] + '/instances/' + $args[1] + '/backups/inv-src') $args[2] -Verbose", P, I, Dr);

            Assert.Empty(r.AllErrors);
            var op = Assert.Single(r.Objects<SpannerBackupOperation>());
            Assert.True(op.ResolvedByReadBack);
            Assert.Equal("CopyBackup", op.Kind);
            Assert.Equal(1, s.Emulator.State.CountRequests("POST", "/backups:copy"));
            Assert.Equal(2, s.Emulator.State.SpannerBackups.Count);
        }

        /// <summary>A clock a fixed offset from the real one (the emulator's own only moves forward).</summary>
        private sealed class ShiftedTime : TimeProvider
        {
            private readonly TimeSpan _offset;

            public ShiftedTime(TimeSpan offset) => _offset = offset;

            public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + _offset;
        }
    }
}
