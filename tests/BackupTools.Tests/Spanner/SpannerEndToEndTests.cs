using System;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using BackupTools.Emulator;
using BackupTools.Spanner;
using BackupTools.Tests.Infrastructure;
using Xunit;

namespace BackupTools.Tests.Spanner
{
    /// <summary>The Spanner cmdlets driven as a user would, in the real engine, against the emulator over HTTP.</summary>
    public sealed class SpannerEndToEndTests
    {
        private const string P = EmulatorSession.Project;
        private const string I = EmulatorSession.Instance;

        [Fact]
        public async Task NewSpannerBackup_Wait_EmitsReadyBackup()
        {
            await using var s = await EmulatorSession.StartAsync();
            var r = s.Run("New-SpannerBackup -Project $args[0] -Instance $args[1] -Database orders -BackupId orders-happy -RetentionPeriod '7d' -Wait", P, I);

            Assert.Null(r.Terminating);
            Assert.Empty(r.Errors);
            var backup = Assert.Single(r.Objects<SpannerBackup>());
            Assert.Equal("READY", backup.State);
            Assert.Equal("orders-happy", backup.BackupId);
            Assert.Equal("orders", backup.Database);
            Assert.Equal($"projects/{P}/instances/{I}/backups/orders-happy", backup.Name);
            Assert.True(backup.SizeBytes > 0);
            Assert.NotEmpty(r.Progress);
        }

        [Fact]
        public async Task NewSpannerBackup_WithoutWait_EmitsOperationThatWaitBackupOperationFollows()
        {
            await using var s = await EmulatorSession.StartAsync();
            var r = s.Run("$op = New-SpannerBackup $args[0] $args[1] orders; $op; $op | Wait-BackupOperation", P, I);

            Assert.Empty(r.AllErrors);
            var op = Assert.Single(r.Objects<SpannerBackupOperation>());
            Assert.False(op.Done);
            Assert.StartsWith("orders-", op.BackupId);
            Assert.True(SpannerRules.BackupId.IsValid(op.BackupId));
            Assert.Equal($"projects/{P}/instances/{I}/backups/{op.BackupId}/operations/{op.OperationId}", op.Name);
            var backup = Assert.Single(r.Objects<SpannerBackup>());
            Assert.Equal(op.BackupId, backup.BackupId);
            Assert.Equal("READY", backup.State);
        }

        [Fact]
        public async Task FiveDatabasesPipedIn_GiveFiveOperations()
        {
            await using var s = await EmulatorSession.StartAsync();
            var r = s.Run(@"
                $p, $i = $args
                'orders','customers','inventory','billing','audit' |
                    ForEach-Object { [pscustomobject]@{ Project = $p; Instance = $i; Database = $_ } } |
                    New-SpannerBackup", P, I);

            Assert.Empty(r.AllErrors);
            var ops = r.Objects<SpannerBackupOperation>().ToList();
            Assert.Equal(5, ops.Count);
            Assert.Equal(new[] { "audit", "billing", "customers", "inventory", "orders" }, ops.Select(o => o.Database).OrderBy(d => d));
            Assert.Equal(5, s.Emulator.State.SpannerBackups.Count);
        }

        [Fact]
        public async Task WhatIf_MakesNoCall()
        {
            await using var s = await EmulatorSession.StartAsync();
            var r = s.Run("New-SpannerBackup $args[0] $args[1] orders -WhatIf; Remove-SpannerBackup $args[0] $args[1] whatever -WhatIf", P, I);

            Assert.Empty(r.AllErrors);
            Assert.Empty(r.Output);
            Assert.Empty(s.Emulator.State.Requests);
        }

        [Theory]
        [InlineData("-BackupId Bad_Id", "ParameterArgumentValidationError", "not a valid Spanner backup id")]
        [InlineData("-BackupId a", "ParameterArgumentValidationError", "2 to 60 characters")]
        [InlineData("-BackupId ends-with-dash-", "ParameterArgumentValidationError", "ending with a letter or digit")]
        [InlineData("-RetentionPeriod '1h'", "InvalidParameter", "at least 6 hours")]
        [InlineData("-RetentionPeriod '400d'", "InvalidParameter", "at most 366 days")]
        [InlineData("-ExpireTime ([datetime]::UtcNow.AddHours(2))", "InvalidParameter", "too soon")]
        [InlineData("-ExpireTime ([datetime]::UtcNow.AddDays(367))", "InvalidParameter", "too far")]
        [InlineData("-VersionTime ([datetime]::UtcNow.AddHours(1))", "InvalidParameter", "in the future")]
        [InlineData("-VersionTime ([datetime]::UtcNow.AddDays(-8))", "InvalidParameter", "older than 7 days")]
        [InlineData("-KmsKeyName projects/p/locations/l/keyRings/r/cryptoKeys/k", "InvalidParameter", "CUSTOMER_MANAGED_ENCRYPTION")]
        [InlineData("-EncryptionType CUSTOMER_MANAGED_ENCRYPTION", "InvalidParameter", "needs -KmsKeyName")]
        [InlineData("-KmsKeyName not-a-key -EncryptionType CUSTOMER_MANAGED_ENCRYPTION", "ParameterArgumentValidationError", "Cloud KMS key name")]
        public async Task BadInput_IsRefusedBeforeAnyRequest(string parameters, string errorId, string messagePart)
        {
            await using var s = await EmulatorSession.StartAsync();
            var r = s.Run("New-SpannerBackup -Project $args[0] -Instance $args[1] -Database orders " + parameters, P, I);

            var error = Assert.Single(r.AllErrors);
            Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
            Assert.Contains(messagePart, error.Exception.Message);
            Assert.NotNull(r.Terminating);
            Assert.Empty(s.Emulator.State.Requests);
        }

        [Fact]
        public async Task BadPipelineItem_IsSkippedWithAnError_AndTheOthersGoOn()
        {
            await using var s = await EmulatorSession.StartAsync();
            var r = s.Run(@"
                @([pscustomobject]@{ Project = $args[0]; Instance = $args[1]; Database = 'orders'; BackupId = 'Not_Valid' },
                  [pscustomobject]@{ Project = $args[0]; Instance = $args[1]; Database = 'billing'; BackupId = 'billing-ok' }) | New-SpannerBackup", P, I);

            Assert.Null(r.Terminating);
            var error = Assert.Single(r.Errors);
            Assert.Contains("ParameterArgumentValidationError", error.FullyQualifiedErrorId);
            Assert.Equal("billing-ok", Assert.Single(r.Objects<SpannerBackupOperation>()).BackupId);
            Assert.Equal(1, s.Emulator.State.CountRequests("POST", "/backups"));
        }

        [Fact]
        public async Task ServiceErrors_MapToStableIdsCategoriesAndTargets()
        {
            await using var s = await EmulatorSession.StartAsync();
            var r = s.Run(@"
                New-SpannerBackup $args[0] $args[1] orders -BackupId dup-one | Out-Null
                New-SpannerBackup $args[0] $args[1] customers -BackupId dup-one
                New-SpannerBackup $args[0] $args[1] orders -BackupId second-pending
                New-SpannerBackup $args[0] $args[1] nosuchdb -BackupId for-missing-db
                Get-SpannerBackup $args[0] $args[1] -BackupId never-made", P, I);

            Assert.Null(r.Terminating);
            Assert.Equal(4, r.Errors.Count);
            AssertError(r.Errors[0], "SpannerAlreadyExists,BackupTools.Commands.NewSpannerBackupCommand", ErrorCategory.ResourceExists, $"projects/{P}/instances/{I}/backups/dup-one");
            AssertError(r.Errors[1], "SpannerFailedPrecondition,BackupTools.Commands.NewSpannerBackupCommand", ErrorCategory.InvalidArgument, $"projects/{P}/instances/{I}/backups/second-pending");
            Assert.Contains("maximum number of pending backups", r.Errors[1].Exception.Message);
            AssertError(r.Errors[2], "SpannerNotFound,BackupTools.Commands.NewSpannerBackupCommand", ErrorCategory.ObjectNotFound, $"projects/{P}/instances/{I}/backups/for-missing-db");
            AssertError(r.Errors[3], "SpannerNotFound,BackupTools.Commands.GetSpannerBackupCommand", ErrorCategory.ObjectNotFound, $"projects/{P}/instances/{I}/backups/never-made");
            var ex = Assert.IsType<BackupTools.Errors.ServiceException>(r.Errors[0].Exception);
            Assert.Equal(409, ex.HttpStatus);
            Assert.Equal("ALREADY_EXISTS", ex.ServiceCode);
        }

        [Fact]
        public async Task AuthFailures_AreMapped_AndTokensNeverShown()
        {
            const string goodToken = "ya29.good-token-value-0123456789";
            const string badToken = "ya29.bad-token-value-9876543210";
            await using var s = await EmulatorSession.StartAsync(o =>
            {
                o.RequireAuth = true;
                o.AcceptedSpannerTokens.Add(goodToken);
            });

            var r = s.Run(@"
                function Secure([string]$t) { $s = [System.Security.SecureString]::new(); foreach ($c in $t.ToCharArray()) { $s.AppendChar($c) }; $s }
                Get-SpannerBackup $args[0] $args[1] -AccessToken (Secure $args[2]) -Verbose -Debug
                Get-SpannerBackup $args[0] $args[1] -AccessToken (Secure $args[3]) -Verbose -Debug
                Get-SpannerBackup $args[0] $args[1] -Verbose", P, I, badToken, goodToken);

            Assert.Null(r.Terminating);
            Assert.Equal(2, r.Errors.Count);
            AssertError(r.Errors[0], "SpannerUnauthenticated,BackupTools.Commands.GetSpannerBackupCommand", ErrorCategory.PermissionDenied, $"projects/{P}/instances/{I}");
            Assert.Contains(r.Verbose, v => v.StartsWith("GET http://127.0.0.1:", StringComparison.Ordinal) && v.Contains("-> 401") && v.Contains(" ms"));
            Assert.Contains(r.Verbose, v => v.Contains("-> 200 OK in"));
            Assert.Contains(r.Debug, d => d.Contains("credential: the -AccessToken parameter"));
            Assert.Contains(r.Debug, d => d.Contains("Authorization: ***"));
            var text = r.AllText();
            Assert.DoesNotContain(goodToken, text);
            Assert.DoesNotContain(badToken, text);
            Assert.DoesNotContain("good-token", text);
        }

        [Fact]
        public async Task Injected503s_OnReads_AreRetriedToSuccess()
        {
            await using var s = await EmulatorSession.StartAsync();
            s.Emulator.Faults.Enqueue(FaultKind.Unavailable503, 2, "GET", "/backups");
            var r = s.Run("Get-SpannerBackup $args[0] $args[1] -Verbose", P, I);

            Assert.Empty(r.AllErrors);
            Assert.Equal(3, s.Emulator.State.CountRequests("GET", "/backups"));
            Assert.Equal(2, r.Verbose.Count(v => v.Contains("retrying in")));
        }

        [Fact]
        public async Task Injected503_OnCreate_IsReadBackThenCreatedOnce()
        {
            await using var s = await EmulatorSession.StartAsync();
            s.Emulator.Faults.Enqueue(FaultKind.Unavailable503, 1, "POST", "/backups");
            var r = s.Run("New-SpannerBackup $args[0] $args[1] orders -BackupId after-503", P, I);

            Assert.Empty(r.AllErrors);
            Assert.Equal("after-503", Assert.Single(r.Objects<SpannerBackupOperation>()).BackupId);
            Assert.Single(s.Emulator.State.SpannerBackups);
        }

        [Fact]
        public async Task CreateWhoseAnswerIsLost_IsResolvedByReadBack_WithoutASecondBackup()
        {
            await using var s = await EmulatorSession.StartAsync();
            s.Emulator.Faults.Enqueue(FaultKind.CutAfterProcessing, 1, "POST", "/backups");
            var r = s.Run("New-SpannerBackup $args[0] $args[1] orders -BackupId lost-answer -Verbose", P, I);

            Assert.Empty(r.AllErrors);
            var op = Assert.Single(r.Objects<SpannerBackupOperation>());
            Assert.True(op.ResolvedByReadBack);
            Assert.Equal("lost-answer", op.BackupId);
            Assert.False(string.IsNullOrEmpty(op.OperationId));
            Assert.Single(s.Emulator.State.SpannerBackups);
            Assert.Equal(1, s.Emulator.State.CountRequests("POST", "/backups"));
            Assert.Contains(r.Verbose, v => v.Contains("has an unknown outcome") && v.Contains("reading it back"));
            Assert.Contains(r.Verbose, v => v.Contains("Read-back found backup projects/"));
        }

        [Fact]
        public async Task Cancel_EndsTheOperationCancelled_AndWaitReportsIt()
        {
            await using var s = await EmulatorSession.StartAsync(o => o.SpannerBackupDuration = TimeSpan.FromSeconds(30));
            var r = s.Run(@"
                $op = New-SpannerBackup $args[0] $args[1] orders -BackupId to-cancel
                Stop-SpannerBackupOperation -Name $op.Name -Confirm:$false
                $op | Wait-BackupOperation", P, I);

            Assert.Null(r.Terminating);
            var error = Assert.Single(r.Errors);
            Assert.StartsWith("BackupOperationCancelled,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.OperationStopped, error.CategoryInfo.Category);
            Assert.IsType<SpannerBackupOperation>(error.TargetObject);
            Assert.Contains("CANCELLED", error.Exception.Message);
            Assert.False(s.Emulator.State.SpannerBackups.Single().Exists);
        }

        [Fact]
        public async Task FailedOperation_IsANonTerminatingError_AndTheRestGoOn()
        {
            await using var s = await EmulatorSession.StartAsync(o =>
                o.Data.Spanner.Projects[0].Instances[0].Databases.First(d => d.Id == "billing").FailBackups = true);
            var r = s.Run("$p, $i = $args; 'orders','billing','audit' | ForEach-Object { New-SpannerBackup $p $i $_ } | Wait-BackupOperation", P, I);

            Assert.Null(r.Terminating);
            var error = Assert.Single(r.Errors);
            Assert.StartsWith("BackupOperationFailed,", error.FullyQualifiedErrorId);
            Assert.Contains("simulated failure", error.Exception.Message);
            Assert.Equal(new[] { "audit", "orders" }, r.Objects<SpannerBackup>().Select(b => b.Database).OrderBy(d => d));
        }

        [Fact]
        public async Task WaitTimeout_IsTerminating_AndNamesTheUnfinished()
        {
            await using var s = await EmulatorSession.StartAsync(o => o.SpannerBackupDuration = TimeSpan.FromMinutes(5));
            var r = s.Run("New-SpannerBackup $args[0] $args[1] orders -BackupId slow-one | Wait-BackupOperation -Timeout 2", P, I);

            Assert.NotNull(r.Terminating);
            Assert.StartsWith("WaitBackupOperationTimedOut,", r.Terminating!.FullyQualifiedErrorId);
            Assert.Contains($"{P}/{I}/slow-one", r.Terminating.Exception.Message);
            Assert.Equal(ErrorCategory.OperationTimeout, r.Terminating.CategoryInfo.Category);
        }

        [Fact]
        public async Task CtrlC_DuringAWait_ReturnsPromptly()
        {
            await using var s = await EmulatorSession.StartAsync(o => o.SpannerBackupDuration = TimeSpan.FromMinutes(5));
            var (shell, handle) = s.Shell.Start("New-SpannerBackup $args[0] $args[1] orders -Wait", P, I);
            using (shell)
            {
                await Task.Delay(1500);
                Assert.False(handle.IsCompleted);
                var clock = Stopwatch.StartNew();
                shell.Stop();
                Assert.True(handle.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(10)));
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), "Stop took " + clock.Elapsed);
                Assert.Equal(PSInvocationState.Stopped, shell.InvocationStateInfo.State);
            }
        }

        [Fact]
        public async Task Companions_Get_List_Set_Remove_And_Operations()
        {
            await using var s = await EmulatorSession.StartAsync(o => o.SpannerBackupDuration = TimeSpan.FromMilliseconds(300));
            var r = s.Run(@"
                $p, $i = $args
                'orders','customers' | ForEach-Object { New-SpannerBackup $p $i $_ -BackupId ""$_-b1"" -Wait } | Out-Null
                $all = @(Get-SpannerBackup $args[0] $args[1])
                $one = Get-SpannerBackup $args[0] $args[1] -BackupId orders-b1
                $filtered = @(Get-SpannerBackup $args[0] $args[1] -Filter 'database:customers' -PageSize 1)
                $ops = @(Get-SpannerBackupOperation $args[0] $args[1])
                $byName = Get-SpannerBackupOperation -Name $ops[0].Name
                $set = Set-SpannerBackup $args[0] $args[1] orders-b1 -RetentionPeriod '30d'
                $one | Remove-SpannerBackup -Confirm:$false
                $after = @(Get-SpannerBackup $args[0] $args[1])
                [pscustomobject]@{ All = $all.Count; One = $one.BackupId; Filtered = $filtered.BackupId; Ops = $ops.Count; ByName = $byName.Done; SetExpire = $set.ExpireTime; After = $after.BackupId }", P, I);

            Assert.Empty(r.AllErrors);
            dynamic x = r.Output.Single();
            Assert.Equal(2, (int)x.All);
            Assert.Equal("orders-b1", (string)x.One);
            Assert.Equal("customers-b1", (string)x.Filtered);
            Assert.Equal(2, (int)x.Ops);
            Assert.True((bool)x.ByName);
            var expire = (DateTimeOffset)x.SetExpire;
            Assert.InRange(expire, DateTimeOffset.UtcNow.AddDays(29.9), DateTimeOffset.UtcNow.AddDays(30.1));
            Assert.Equal("customers-b1", (string)x.After);
        }

        private static void AssertError(ErrorRecord e, string fqid, ErrorCategory category, string target)
        {
            Assert.Equal(fqid, e.FullyQualifiedErrorId);
            Assert.Equal(category, e.CategoryInfo.Category);
            Assert.Equal(target, e.TargetObject);
        }
    }
}
