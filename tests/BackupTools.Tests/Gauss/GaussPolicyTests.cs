using System;
using System.Linq;
using System.Threading.Tasks;
using BackupTools.Emulator;
using BackupTools.Gauss;
using BackupTools.Tests.Infrastructure;
using Xunit;

namespace BackupTools.Tests.Gauss
{
    /// <summary>The automated-backup policy and batch delete, driven as a user would against the emulator over HTTP.</summary>
    public sealed class GaussPolicyTests
    {
        private const string Orders = "07033b125fd94a8a96896f8bcfee6ddain07";
        private const string Customers = "1a2b3c4d5e6f40718293a4b5c6d7e8f9in07";

        private static async Task<EmulatorSession> StartSignedAsync(Action<EmulatorOptions>? configure = null)
        {
            var s = await EmulatorSession.StartAsync(configure);
            s.SignGaussWithDemoKey();
            return s;
        }

        [Fact]
        public async Task Policy_IsRead_ChangedInPart_AndReadBack()
        {
            await using var s = await StartSignedAsync();
            var r = s.Run(@"
                Get-GaussBackupPolicy $args[0]
                Set-GaussBackupPolicy $args[0] -KeepDays 30 -Period 1,3,5 -Confirm:$false
                Set-GaussBackupPolicy $args[0] -StartTime '23:00-00:00' -Confirm:$false", Orders);

            Assert.Empty(r.AllErrors);
            var policies = r.Objects<GaussBackupPolicy>().ToList();
            Assert.Equal(3, policies.Count);
            Assert.Equal(7, policies[0].KeepDays);
            Assert.Equal("19:00-20:00", policies[0].StartTime);
            Assert.Equal(new[] { 1, 2, 3, 4, 5, 6, 7 }, policies[0].Period);
            Assert.Equal(30, policies[1].KeepDays);
            Assert.Equal(new[] { 1, 3, 5 }, policies[1].Period);
            Assert.Equal("19:00-20:00", policies[1].StartTime); // not given: kept
            Assert.Equal("23:00-00:00", policies[2].StartTime);
            Assert.Equal(30, policies[2].KeepDays);
            Assert.Equal(2, s.Emulator.State.CountRequests("PUT", "/backups/policy/update"));
        }

        [Theory]
        [InlineData("-StartTime '19:00-21:00'", "InvalidParameter", "one-hour window")]
        [InlineData("-StartTime '19:30-20:30'", "InvalidParameter", "on the hour")]
        [InlineData("-KeepDays 0", "ParameterArgumentValidationError", "1")]
        [InlineData("-KeepDays 733", "ParameterArgumentValidationError", "732")]
        [InlineData("-Period 0,1", "ParameterArgumentValidationError", "1")]
        [InlineData("-Period 1,1", "InvalidParameter", "each once")]
        [InlineData("", "InvalidParameter", "Nothing to change")]
        public async Task BadPolicy_IsRefusedBeforeAnyRequest(string parameters, string errorId, string messagePart)
        {
            await using var s = await StartSignedAsync();
            var r = s.Run("Set-GaussBackupPolicy $args[0] -Confirm:$false " + parameters, Orders);

            var error = Assert.Single(r.AllErrors);
            Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
            Assert.Contains(messagePart, error.Exception.Message);
            Assert.Empty(s.Emulator.State.Requests);
        }

        [Fact]
        public async Task WhatIf_ReadsThePolicy_ButChangesNothing()
        {
            await using var s = await StartSignedAsync();
            var r = s.Run("Set-GaussBackupPolicy $args[0] -KeepDays 3 -WhatIf; Get-GaussBackupPolicy $args[0]", Orders);

            Assert.Empty(r.AllErrors);
            Assert.Equal(7, Assert.Single(r.Objects<GaussBackupPolicy>()).KeepDays);
            Assert.Equal(0, s.Emulator.State.CountRequests("PUT", "/backups/policy"));
        }

        [Fact]
        public async Task BatchDelete_SendsAtMost50PerCall_AndReportsEveryId()
        {
            await using var s = await StartSignedAsync(o =>
            {
                o.GaussBackupDuration = TimeSpan.Zero;
                o.GaussJobVisibilityDelay = TimeSpan.Zero;
            });
            var made = s.Run(@"
                $ids = foreach ($i in 1..52) { (New-GaussBackup -InstanceId ($args[$i % 2]) -Name ('bulk-' + $i)).Id }
                $ids", Orders, Customers);
            Assert.Empty(made.AllErrors);
            var ids = made.Output.Select(o => o.ToString()).ToList();
            Assert.Equal(52, ids.Count);

            s.Shell.SetVariable("ids", ids.Append("0123456789abcdef0123456789abcdefbr07").ToArray());
            var r = s.Run("$ids | ForEach-Object { [pscustomobject]@{ Id = $_ } } | Remove-GaussBackup -Batch -Force");

            var results = r.Objects<GaussBackupDeleteResult>().ToList();
            Assert.Equal(53, results.Count);
            Assert.Equal(52, results.Count(x => x.Deleted));
            var missing = Assert.Single(results, x => !x.Deleted);
            Assert.Equal("DBS.201010", missing.ErrorCode);
            var error = Assert.Single(r.Errors);
            Assert.StartsWith("GaussBackupNotFound,", error.FullyQualifiedErrorId);
            Assert.Equal("0123456789abcdef0123456789abcdefbr07", error.TargetObject);
            Assert.Equal(2, s.Emulator.State.CountRequests("DELETE", "/backups"));
            Assert.All(s.Emulator.State.GaussBackups, b => Assert.Equal("DELETED", b.Status));
        }

        [Fact]
        public async Task OpenTelekomCloud_RefusesBatchDelete_BeforeAnyRequest_ButHasThePolicy()
        {
            await using var s = await StartSignedAsync(o => o.Data.Gauss.Cloud = "OpenTelekomCloud");
            var refused = s.Run("Remove-GaussBackup -Cloud OpenTelekomCloud -BackupId 0123456789abcdef0123456789abcdefbr07 -Batch -Force");
            var error = Assert.Single(refused.AllErrors);
            Assert.StartsWith("NotOfferedByCloud,", error.FullyQualifiedErrorId);
            Assert.Contains("leave out -Batch", error.Exception.Message);
            Assert.Empty(s.Emulator.State.Requests);

            var policy = s.Run("Get-GaussBackupPolicy -Cloud OpenTelekomCloud $args[0]", Orders);
            Assert.Empty(policy.AllErrors);
            Assert.Single(policy.Objects<GaussBackupPolicy>());
        }
    }
}
