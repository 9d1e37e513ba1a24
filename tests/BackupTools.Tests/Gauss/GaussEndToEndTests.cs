using System;
using System.Linq;
using System.Management.Automation;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using BackupTools.Auth;
using BackupTools.Emulator;
using BackupTools.Gauss;
using BackupTools.Tests.Infrastructure;
using Xunit;

namespace BackupTools.Tests.Gauss
{
    /// <summary>The Gauss cmdlets driven as a user would, in the real engine, against the emulator over HTTP.</summary>
    public sealed class GaussEndToEndTests
    {
        private const string ProjectId = EmulatorSession.GaussProjectId;
        private const string Orders = "07033b125fd94a8a96896f8bcfee6ddain07";
        private const string Customers = "1a2b3c4d5e6f40718293a4b5c6d7e8f9in07";
        private const string Billing = "9f8e7d6c5b4a43210fedcba987654321in07";
        private const string AccessKey = EmulatorSession.GaussAccessKey;

        /// <summary>A session whose Gauss cmdlets sign with the emulator's AK/SK by default.</summary>
        private static async Task<EmulatorSession> StartSignedAsync(Action<EmulatorOptions>? configure = null)
        {
            var s = await EmulatorSession.StartAsync(configure);
            s.SignGaussWithDemoKey();
            return s;
        }

        [Fact]
        public async Task NewGaussBackup_Wait_EmitsCompletedBackup()
        {
            await using var s = await StartSignedAsync();
            var r = s.Run("New-GaussBackup -InstanceId $args[0] -Name orders-happy -Description 'nightly run' -Wait", Orders);

            Assert.Empty(r.AllErrors);
            var backup = Assert.Single(r.Objects<GaussBackup>());
            Assert.Equal("COMPLETED", backup.Status);
            Assert.Equal("orders-happy", backup.Name);
            Assert.Equal(Orders, backup.InstanceId);
            Assert.Equal("nightly run", backup.Description);
            Assert.Equal(ProjectId, backup.Project);
            Assert.NotNull(backup.BeginTime);
            Assert.NotNull(backup.EndTime);
            Assert.True(backup.SizeMb > 0);
            Assert.False(string.IsNullOrEmpty(backup.JobId));
            Assert.Equal("COMPLETED", s.Emulator.State.GaussBackups.Single().Status);
        }

        [Fact]
        public async Task NewGaussBackup_WithoutWait_IsFollowedByWaitBackupOperation_AndJobIsReadable()
        {
            await using var s = await StartSignedAsync();
            var r = s.Run("$b = New-GaussBackup $args[0]; $b; $b | Wait-BackupOperation; Get-GaussBackupJob -JobId $b.JobId", Orders);

            Assert.Empty(r.AllErrors);
            var backups = r.Objects<GaussBackup>().ToList();
            Assert.Equal(2, backups.Count);
            Assert.Equal("BUILDING", backups[0].Status);
            Assert.True(GaussRules.Name.IsValid(backups[0].Name));
            Assert.Equal("COMPLETED", backups[1].Status);
            Assert.Equal(backups[0].Id, backups[1].Id);
            var job = Assert.Single(r.Objects<GaussJob>());
            Assert.Equal("Completed", job.Status);
            Assert.Equal(backups[0].JobId, job.Id);
        }

        [Fact]
        public async Task ThreeInstancesPipedIn_GiveThreeBackups()
        {
            await using var s = await StartSignedAsync();
            var r = s.Run(
                "$args | ForEach-Object { [pscustomobject]@{ InstanceId = $_; Name = 'piped-' + $_.Substring(0, 6) } } | New-GaussBackup -Wait",
                Orders,
                Customers,
                Billing);

            Assert.Empty(r.AllErrors);
            var backups = r.Objects<GaussBackup>().ToList();
            Assert.Equal(3, backups.Count);
            Assert.All(backups, b => Assert.Equal("COMPLETED", b.Status));
            Assert.Equal(new[] { Customers, Billing, Orders }.OrderBy(i => i), backups.Select(b => b.InstanceId).OrderBy(i => i));
            Assert.Equal(3, s.Emulator.State.GaussBackups.Count);
        }

        [Theory]
        [InlineData("-InstanceId short", "GaussDB instance id")]
        [InlineData("-InstanceId 07033b12-5fd9-4a8a-9689-6f8bcfee6dda", "GaussDB instance id")]
        [InlineData("-InstanceId $args[0] -Name abc", "4 to 64 characters")]
        [InlineData("-InstanceId $args[0] -Name 1abcd", "a letter first")]
        [InlineData("-InstanceId $args[0] -Name 'has space'", "GaussDB backup name")]
        [InlineData("-InstanceId $args[0] -Name ('a' * 65)", "4 to 64 characters")]
        [InlineData("-InstanceId $args[0] -Description 'a<b'", "GaussDB backup description")]
        [InlineData("-InstanceId $args[0] -Description \"x`ry\"", "carriage return")]
        [InlineData("-InstanceId $args[0] -Description ('x' * 257)", "at most 256")]
        [InlineData("-InstanceId $args[0] -ProjectId notaproject", "Huawei Cloud project id")]
        public async Task BadInput_IsRefusedBeforeAnyRequest(string parameters, string messagePart)
        {
            await using var s = await StartSignedAsync();
            var r = s.Run("New-GaussBackup " + parameters, Orders);

            var error = Assert.Single(r.AllErrors);
            Assert.StartsWith("ParameterArgumentValidationError,", error.FullyQualifiedErrorId);
            Assert.Contains(messagePart, error.Exception.Message);
            Assert.Empty(s.Emulator.State.Requests);
        }

        [Fact]
        public async Task WhatIf_MakesNoCall()
        {
            await using var s = await StartSignedAsync();
            var r = s.Run("New-GaussBackup $args[0] -WhatIf; Remove-GaussBackup -BackupId abc -WhatIf", Orders);

            Assert.Empty(r.AllErrors);
            Assert.Empty(r.Output);
            Assert.Empty(s.Emulator.State.Requests);
        }

        [Fact]
        public async Task WrongSecretKey_IsUnauthenticated_AndNeverShown()
        {
            await using var s = await EmulatorSession.StartAsync();
            s.Shell.SetVariable("badSk", SecretText.Protect("wrong-secret-value"));
            var r = s.Run("Get-GaussBackup -InstanceId $args[0] -AccessKey $args[1] -SecretKey $badSk -ProjectId $args[2] -Debug -Verbose", Orders, AccessKey, ProjectId);

            var error = Assert.Single(r.AllErrors);
            Assert.StartsWith("GaussUnauthenticated,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
            var text = r.AllText();
            Assert.DoesNotContain("wrong-secret-value", text);
            Assert.Contains(r.Debug, d => d.Contains("AK/SK from -AccessKey/-SecretKey"));
        }

        [Fact]
        public async Task AkSk_SignsQueriesWithPlusAndPaths_OverRealHttp()
        {
            await using var s = await StartSignedAsync();
            var r = s.Run(@"
                New-GaussBackup $args[0] -Name window-one -Wait | Out-Null
                Get-GaussBackup -InstanceId $args[0] -Begin ([datetime]::UtcNow.AddHours(-1)) -End ([datetime]::UtcNow.AddHours(1)) -BackupType manual
                Get-GaussBackup -InstanceId $args[0] -Begin ([datetime]::UtcNow.AddHours(1))", Orders);

            Assert.Empty(r.AllErrors);
            var found = Assert.Single(r.Objects<GaussBackup>());
            Assert.Equal("window-one", found.Name);
            Assert.Contains(s.Emulator.State.Requests, q => q.PathAndQuery.Contains("%2B0800", StringComparison.Ordinal) && q.Status == 200);
        }

        [Fact]
        public async Task Token_Works_AndABadTokenFailsCleanly()
        {
            await using var s = await EmulatorSession.StartAsync();
            var token = await IssueTokenAsync(s);
            s.Shell.SetVariable("tok", SecretText.Protect(token));
            s.Shell.SetVariable("badTok", SecretText.Protect("MIIbogus-token-value"));
            var r = s.Run("New-GaussBackup $args[0] -Name by-token -Token $tok -ProjectId $args[1] -Wait -Debug", Orders, ProjectId);
            Assert.Empty(r.AllErrors);
            Assert.Equal("COMPLETED", Assert.Single(r.Objects<GaussBackup>()).Status);
            Assert.DoesNotContain(token, r.AllText());

            var bad = s.Run("Get-GaussBackup -Token $badTok -ProjectId $args[0] -Debug", ProjectId);
            var error = Assert.Single(bad.AllErrors);
            Assert.StartsWith("GaussUnauthenticated,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
            Assert.DoesNotContain("MIIbogus-token-value", bad.AllText());
        }

        [Fact]
        public async Task IamPassword_Works_ViaConnect_AndAWrongPasswordFailsCleanly()
        {
            await using var s = await EmulatorSession.StartAsync();
            s.Shell.SetVariable("cred", new PSCredential("demo-user", SecretText.Protect("demo-password")));
            s.Shell.SetVariable("badCred", new PSCredential("demo-user", SecretText.Protect("not-the-password")));

            var direct = s.Run("Get-GaussBackup -Credential $cred -DomainName demo-account -Region eu-de -Debug -Verbose");
            Assert.Empty(direct.AllErrors);
            Assert.DoesNotContain("demo-password", direct.AllText());

            var tokensBefore = s.Emulator.State.CountRequests("POST", "/v3/auth/tokens");
            var r = s.Run("Connect-GaussCloud -Credential $cred -DomainName demo-account -Region eu-de; New-GaussBackup $args[0] -Name by-iam -Wait", Orders);
            Assert.Empty(r.AllErrors);
            var connection = Assert.Single(r.Output, o => o.BaseObject.GetType().Name == "GaussConnection");
            Assert.Equal(ProjectId, connection.Properties["ProjectId"].Value);
            Assert.Equal("COMPLETED", Assert.Single(r.Objects<GaussBackup>()).Status);
            
            // One token for Connect-GaussCloud, reused by the create and all the polls of -Wait.
            Assert.Equal(tokensBefore + 1, s.Emulator.State.CountRequests("POST", "/v3/auth/tokens"));
            Assert.DoesNotContain("demo-password", r.AllText());

            var bad = s.Run("Get-GaussBackup -Credential $badCred -DomainName demo-account -Region eu-de -Debug -Verbose");
            var error = Assert.Single(bad.AllErrors);
            Assert.StartsWith("IamUnauthenticated,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
            Assert.DoesNotContain("not-the-password", bad.AllText());
        }

        [Fact]
        public async Task BackupInProgress_IsResourceExists()
        {
            await using var s = await StartSignedAsync(o => o.GaussBackupDuration = TimeSpan.FromSeconds(30));
            var r = s.Run("New-GaussBackup $args[0] -Name first-one; New-GaussBackup $args[0] -Name second-one", Orders);

            Assert.Null(r.Terminating);
            var error = Assert.Single(r.Errors);
            Assert.StartsWith("GaussBackupInProgress,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ResourceExists, error.CategoryInfo.Category);
            Assert.Single(r.Objects<GaussBackup>());
        }

        [Fact]
        public async Task WaitForInstance_RetriesABusyInstanceUntilItIsFree()
        {
            await using var s = await StartSignedAsync(o => o.GaussBackupDuration = TimeSpan.FromSeconds(4));
            var r = s.Run("New-GaussBackup $args[0] -Name first-one | Out-Null; New-GaussBackup $args[0] -Name after-busy -WaitForInstance -Timeout 60 -Verbose", Orders);

            Assert.Empty(r.AllErrors);
            Assert.Equal("after-busy", Assert.Single(r.Objects<GaussBackup>()).Name);
            Assert.Contains(r.Verbose, v => v.Contains("is busy (DBS.201205)"));
            Assert.Equal(2, s.Emulator.State.GaussBackups.Count);
        }

        [Fact]
        public async Task CreateWhoseAnswerIsLost_IsResolvedByReadBack_WithoutADuplicate()
        {
            await using var s = await StartSignedAsync();
            s.Emulator.Faults.Enqueue(FaultKind.CutAfterProcessing, 1, "POST", "/backups/create");
            var r = s.Run("New-GaussBackup $args[0] -Name lost-answer -Verbose", Orders);

            Assert.Empty(r.AllErrors);
            var backup = Assert.Single(r.Objects<GaussBackup>());
            Assert.True(backup.ResolvedByReadBack);
            Assert.Equal("lost-answer", backup.Name);
            Assert.Single(s.Emulator.State.GaussBackups, b => b.Name == "lost-answer");
            Assert.Equal(1, s.Emulator.State.CountRequests("POST", "/backups/create"));
            Assert.Contains(r.Verbose, v => v.Contains("has an unknown outcome") && v.Contains("reading it back"));

            var waited = s.Run("Get-GaussBackup -BackupId $args[0] | Wait-BackupOperation", backup.Id);
            Assert.Empty(waited.AllErrors);
            Assert.Equal("COMPLETED", Assert.Single(waited.Objects<GaussBackup>()).Status);
        }

        [Fact]
        public async Task Throttled429_IsRetried()
        {
            await using var s = await StartSignedAsync();
            s.Emulator.Faults.Enqueue(FaultKind.Throttle429, 1, "POST", "/backups/create");
            var r = s.Run("New-GaussBackup $args[0] -Name after-throttle -Verbose", Orders);

            Assert.Empty(r.AllErrors);
            Assert.Equal("after-throttle", Assert.Single(r.Objects<GaussBackup>()).Name);
            Assert.Equal(2, s.Emulator.State.CountRequests("POST", "/backups/create"));
            Assert.Single(s.Emulator.State.GaussBackups);
            Assert.Contains(r.Verbose, v => v.Contains("APIGW.0308"));
        }

        [Fact]
        public async Task RemoveGaussBackup_DeletesIt()
        {
            await using var s = await StartSignedAsync();
            var r = s.Run("New-GaussBackup $args[0] -Name to-delete -Wait | Remove-GaussBackup -Force; Get-GaussBackup -InstanceId $args[0]", Orders);

            Assert.Empty(r.AllErrors);
            Assert.Empty(r.Output);
            Assert.Equal("DELETED", s.Emulator.State.GaussBackups.Single().Status);
        }

        private static async Task<string> IssueTokenAsync(EmulatorSession s)
        {
            using var http = new HttpClient();
            var body = "{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{\"name\":\"demo-user\",\"password\":\"demo-password\",\"domain\":{\"name\":\"demo-account\"}}}},\"scope\":{\"project\":{\"name\":\"eu-de\"}}}}";
            using var response = await http.PostAsync(new Uri(s.Emulator.BaseAddress, "v3/auth/tokens"), new StringContent(body, Encoding.UTF8, "application/json"));
            response.EnsureSuccessStatusCode();
            return response.Headers.GetValues("X-Subject-Token").Single();
        }
    }
}
