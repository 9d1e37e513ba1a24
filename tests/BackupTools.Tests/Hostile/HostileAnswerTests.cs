using System;
using System.Linq;
using System.Management.Automation;
using BackupTools.Gauss;
using BackupTools.Spanner;
using BackupTools.Tests.Infrastructure;
using Xunit;
using static BackupTools.Tests.Hostile.HostileRun;

namespace BackupTools.Tests.Hostile
{
    /// <summary>
    /// The cmdlets, imported into the real engine, against a deliberately misbehaving server: answers
    /// that are not JSON, half JSON, of the wrong shape, without identities, redirects, absurd retry
    /// hints and server text full of control characters. Each must end, within its bound, with an error
    /// of its own id and category and nothing unsafe in any stream.
    /// </summary>
    public sealed class HostileAnswerTests : IDisposable
    {
        private static readonly string Now = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
        private readonly PsSession _shell = new PsSession();

        public void Dispose() => _shell.Dispose();

        internal static string SpannerBackupJson(string id, string database = "orders", string state = "READY", string? extra = null) =>
            "{\"name\":\"projects/" + Project + "/instances/" + Instance + "/backups/" + id + "\",\"database\":\"projects/" + Project + "/instances/" + Instance + "/databases/" + database
            + "\",\"state\":\"" + state + "\",\"createTime\":\"" + Now + "\"" + (extra ?? string.Empty) + "}";

        internal static string SpannerOperationJson(string backupId, string progress = "50", string? name = null) =>
            "{\"name\":\"" + (name ?? "projects/" + Project + "/instances/" + Instance + "/backups/" + backupId + "/operations/op1") + "\",\"metadata\":{\"@type\":\"" + SpannerClient.CreateBackupMetadataType
            + "\",\"name\":\"projects/" + Project + "/instances/" + Instance + "/backups/" + backupId + "\",\"database\":\"projects/" + Project + "/instances/" + Instance + "/databases/orders\",\"progress\":{\"progressPercent\":" + progress
            + ",\"startTime\":\"" + Now + "\"}},\"done\":false}";

        internal static string GaussBackupJson(string id, string name = "nightly-1", string? description = null) =>
            "{\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"status\":\"COMPLETED\",\"type\":\"manual\",\"instance_id\":\"" + HostileRun.GaussInstance + "\",\"begin_time\":\"" + DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + "+0800\""
            + (description == null ? string.Empty : ",\"description\":\"" + description + "\"") + "}";

        private (PsResult Result, TimeSpan Elapsed) Run(HostileServer server, string script, TimeSpan? bound = null) => HostileRun.Run(_shell, script, server.BaseAddress, bound);

        // ---- 1. Endless paging -------------------------------------------------------------------------

        [Fact]
        public void GetSpannerBackup_RepeatedPageToken_EndsWithEndlessPaging_AfterTwoPages()
        {
            using var server = new HostileServer(_ => HostileAnswer.Json("{\"backups\":[" + SpannerBackupJson("b1") + "],\"nextPageToken\":\"same-token\"}"));
            var (r, _) = Run(server, "Get-SpannerBackup -Project " + Project + " -Instance " + Instance + " -Endpoint $args[0]");
            var error = AssertOneError(r, "SpannerEndlessPaging", ErrorCategory.InvalidResult);
            Assert.Contains("same-token", error.Exception.Message);
            Assert.Equal(2, server.Requests);
            Assert.Single(r.Objects<SpannerBackup>()); // the first page once, the repeated one not at all
        }

        [Fact]
        public void GetSpannerBackupOperation_RepeatedPageToken_EndsWithEndlessPaging()
        {
            using var server = new HostileServer(_ => HostileAnswer.Json("{\"operations\":[],\"nextPageToken\":\"again\"}"));
            var (r, _) = Run(server, "Get-SpannerBackupOperation -Project " + Project + " -Instance " + Instance + " -Endpoint $args[0]");
            AssertOneError(r, "SpannerEndlessPaging", ErrorCategory.InvalidResult);
            Assert.Equal(2, server.Requests);
        }

        [Fact]
        public void GetSpannerBackup_EverNewTokensWithFullPages_StopsAtTheItemBound()
        {
            // Every page 1,000 new backups and a new token: the 200,000-item bound ends it after 201 pages.
            var page = 0;
            using var server = new HostileServer(_ =>
            {
                var n = System.Threading.Interlocked.Increment(ref page);
                var items = string.Join(",", Enumerable.Range(0, 1000).Select(i => SpannerBackupJson("b" + n + "-" + i)));
                return HostileAnswer.Json("{\"backups\":[" + items + "],\"nextPageToken\":\"t" + n + "\"}");
            });
            var (r, elapsed) = Run(server, "$all = @(Get-SpannerBackup -Project " + Project + " -Instance " + Instance + " -Endpoint $args[0]); $all.Count", TimeSpan.FromSeconds(120));
            AssertOneError(r, "SpannerEndlessPaging", ErrorCategory.InvalidResult);
            Assert.Equal(201, server.Requests);
            Assert.Equal(200000, Assert.Single(r.Output).BaseObject);
            Console.WriteLine("Ever-new tokens, 1,000 items a page: stopped after " + server.Requests + " requests in " + elapsed.TotalSeconds.ToString("0.0") + " s.");
        }

        [Fact]
        public void NewSpannerBackup_ReadBackAfterALostAnswer_FollowsNoEndlessList()
        {
            // The create's answer is lost; the read-back finds the backup and lists its operations, whose token never changes.
            using var server = new HostileServer(req =>
                req.Method == "POST" ? HostileAnswer.Nothing()
                : req.Path.EndsWith("/backups/orders-b1", StringComparison.Ordinal) ? HostileAnswer.Json(SpannerBackupJson("orders-b1", state: "CREATING"))
                : HostileAnswer.Json("{\"operations\":[],\"nextPageToken\":\"loop\"}"));
            var (r, _) = Run(server, "New-SpannerBackup -Project " + Project + " -Instance " + Instance + " -Database orders -BackupId orders-b1 -Endpoint $args[0]");
            AssertOneError(r, "SpannerEndlessPaging", ErrorCategory.InvalidResult);
            Assert.Equal(1, server.Log.Count(q => q.Method == "POST")); // never created twice
            Assert.Equal(4, server.Requests);
        }

        [Fact]
        public void GetGaussBackup_OffsetIgnored_EndsWithEndlessPaging()
        {
            var page = "{\"backups\":[" + string.Join(",", Enumerable.Range(0, 100).Select(i => GaussBackupJson("b" + i.ToString("D3") + "-x"))) + "],\"total_count\":1000000}";
            using var server = new HostileServer(_ => HostileAnswer.Json(page));
            var (r, _) = Run(server, "Get-GaussBackup -ProjectId " + GaussProject + " -Endpoint $args[0]");
            var error = AssertOneError(r, "GaussEndlessPaging", ErrorCategory.InvalidResult);
            Assert.Contains("offset 100", error.Exception.Message);
            Assert.Equal(2, server.Requests);
            Assert.Equal(100, r.Objects<GaussBackup>().Count());
        }

        [Fact]
        public void GetBackupCoverage_GaussInstanceListIgnoringTheOffset_EndsWithEndlessPaging()
        {
            // The fleet's instance listing goes through the same pager as every other list.
            var page = "{\"instances\":[" + string.Join(",", Enumerable.Range(0, 100).Select(i => "{\"id\":\"" + i.ToString("D32", System.Globalization.CultureInfo.InvariantCulture) + "in07\",\"name\":\"gauss-" + i + "\",\"status\":\"ACTIVE\"}")) + "],\"total_count\":1000000}";
            using var server = new HostileServer(_ => HostileAnswer.Json(page));
            _shell.SetVariable("gsk", BackupTools.Auth.SecretText.Protect("demo-secret-key"));
            var (r, _) = Run(server, "$null = Connect-GaussCloud -Endpoint $args[0] -Region eu-de -ProjectId " + GaussProject + " -AccessKey DEMOACCESSKEY0000000 -SecretKey $gsk; Get-BackupCoverage '1d' -Gauss");
            var error = AssertOneError(r, "GaussEndlessPaging", ErrorCategory.InvalidResult);
            Assert.Contains("instances of project " + GaussProject, error.Exception.Message);
            Assert.Contains("offset 100", error.Exception.Message);
            Assert.Equal(2, server.Log.Count(q => q.Path.Contains("/instances", StringComparison.Ordinal)));
            Assert.Empty(r.Objects<BackupTools.Coverage.BackupCoverage>());
        }

        [Fact]
        public void NewGaussBackup_ReadBackAfterALostAnswer_FollowsNoEndlessList()
        {
            var page = "{\"backups\":[" + string.Join(",", Enumerable.Range(0, 100).Select(i => GaussBackupJson("other" + i, "other-" + i))) + "],\"total_count\":99999999}";
            using var server = new HostileServer(req => req.Method == "POST" ? HostileAnswer.Nothing() : HostileAnswer.Json(page));
            var (r, _) = Run(server, "New-GaussBackup -ProjectId " + GaussProject + " -InstanceId " + HostileRun.GaussInstance + " -Name nightly-7 -Endpoint $args[0]");
            AssertOneError(r, "GaussEndlessPaging", ErrorCategory.InvalidResult);
            Assert.Equal(1, server.Log.Count(q => q.Method == "POST"));
            Assert.Equal(3, server.Requests);
        }

        // ---- 3. Wrong or half answers ------------------------------------------------------------------

        [Fact]
        public void GetSpannerBackup_HtmlPageWith200_IsInvalidAnswer_WithUrlStatusTypeExcerptAndRequestId()
        {
            using var server = new HostileServer(_ => HostileAnswer.Html("<html><head><title>Welcome to the hotel Wi-Fi</title></head><body>Please log in</body></html>"));
            var (r, _) = Run(server, "Get-SpannerBackup -Project " + Project + " -Instance " + Instance + " -BackupId b1 -Endpoint $args[0]");
            var error = AssertOneError(r, "SpannerInvalidAnswer", ErrorCategory.InvalidResult);
            var message = error.Exception.Message;
            Assert.Contains(server.BaseAddress.AbsoluteUri + "v1/projects/" + Project + "/instances/" + Instance + "/backups/b1", message);
            Assert.Contains("HTTP 200", message);
            Assert.Contains("text/html", message);
            Assert.Contains("Welcome to the hotel Wi-Fi", message);
            Assert.Contains(HostileServer.RequestId, message);
            Assert.Contains(HostileServer.RequestId, error.ErrorDetails.RecommendedAction);
            Assert.Empty(r.Output);
            Assert.Equal(1, server.Requests); // not retried
        }

        [Theory]
        [InlineData("{\"name\":\"projects/demo-project/instances/demo-instance/backups/b1\",\"sta", "not valid JSON")]
        [InlineData("{}", "'name' is missing")]
        [InlineData("{\"name\":null,\"state\":\"READY\"}", "'name' is missing")]
        [InlineData("{\"name\":\"\",\"state\":\"READY\"}", "'name' is empty")]
        [InlineData("{\"name\":42}", "'name' is a integer")]
        [InlineData("{\"name\":\"backups/b1\"}", "not of the expected form")]
        [InlineData("{\"name\":\"projects/demo-project/instances/demo-instance/backups/b1\u001b[2J\"}", "not of the expected form")]
        [InlineData("{\"name\":\"projects/demo-project/instances/demo-instance/backups/b1\",\"state\":{\"nested\":1}}", "'state' is a object")]
        [InlineData("[1,2,3]", "a JSON array")]
        [InlineData("\"READY\"", "a JSON string")]
        public void GetSpannerBackup_AnswerWithoutWhatTheCallNeeds_IsInvalidAnswer_NeverAnObject(string body, string why)
        {
            using var server = new HostileServer(_ => HostileAnswer.Json(body));
            var (r, _) = Run(server, "Get-SpannerBackup -Project " + Project + " -Instance " + Instance + " -BackupId b1 -Endpoint $args[0]");
            var error = AssertOneError(r, "SpannerInvalidAnswer", ErrorCategory.InvalidResult);
            Assert.Contains(why, error.Exception.Message);
            Assert.Empty(r.Output);
        }

        [Theory]
        [InlineData("{\"backups\":\"oops\"}", "'backups' is a string, not a list")]
        [InlineData("{\"backups\":{\"a\":1}}", "'backups' is a object, not a list")]
        [InlineData("{\"backups\":[1,2]}", "holds something other than objects")]
        [InlineData("{\"backups\":[{\"state\":\"READY\"}]}", "'name' is missing")]
        [InlineData("{\"backups\":[],\"nextPageToken\":{\"t\":1}}", "'nextPageToken' is a object")]
        public void GetSpannerBackup_WrongTypedList_IsInvalidAnswer_NotAnEmptyList(string body, string why)
        {
            using var server = new HostileServer(_ => HostileAnswer.Json(body));
            var (r, _) = Run(server, "Get-SpannerBackup -Project " + Project + " -Instance " + Instance + " -Endpoint $args[0]");
            var error = AssertOneError(r, "SpannerInvalidAnswer", ErrorCategory.InvalidResult);
            Assert.Contains(why, error.Exception.Message);
            Assert.Empty(r.Output);
        }

        [Fact]
        public void GetSpannerBackupOperation_OperationWithoutName_IsInvalidAnswer()
        {
            using var server = new HostileServer(_ => HostileAnswer.Json("{\"operations\":[{\"done\":true,\"metadata\":{}}]}"));
            var (r, _) = Run(server, "Get-SpannerBackupOperation -Project " + Project + " -Instance " + Instance + " -Endpoint $args[0]");
            AssertOneError(r, "SpannerInvalidAnswer", ErrorCategory.InvalidResult);
            Assert.Empty(r.Output);
        }

        [Theory]
        [InlineData("{\"backups\":[{\"id\":null,\"name\":\"nightly\"}],\"total_count\":1}", "'id' is missing")]
        [InlineData("{\"backups\":[{\"id\":\"\",\"name\":\"nightly\"}],\"total_count\":1}", "'id' is empty")]
        [InlineData("{\"backups\":[{\"id\":\"b1\"}],\"total_count\":1}", "'name' is missing")]
        [InlineData("{\"backups\":5,\"total_count\":5}", "'backups' is a integer, not a list")]
        [InlineData("{\"backups\":[],\"total_count\":\"many\"}", "'total_count' is not a number")]
        [InlineData("<html>Service Unavailable</html>", "not valid JSON")]
        public void GetGaussBackup_AnswerWithoutWhatTheCallNeeds_IsInvalidAnswer(string body, string why)
        {
            using var server = new HostileServer(_ => HostileAnswer.Json(body));
            var (r, _) = Run(server, "Get-GaussBackup -ProjectId " + GaussProject + " -Endpoint $args[0]");
            var error = AssertOneError(r, "GaussInvalidAnswer", ErrorCategory.InvalidResult);
            Assert.Contains(why, error.Exception.Message);
            Assert.Empty(r.Output);
        }

        [Theory]
        [InlineData("{\"job\":{\"status\":\"Running\"}}", "'id' is missing")]
        [InlineData("{\"job\":{\"id\":\"" + GaussJobId + "\"}}", "'status' is missing")]
        [InlineData("{}", "'job' is missing")]
        [InlineData("{\"job\":\"done\"}", "'job' is a string")]
        public void GetGaussBackupJob_JobWithoutIdentity_IsInvalidAnswer(string body, string why)
        {
            using var server = new HostileServer(_ => HostileAnswer.Json(body));
            var (r, _) = Run(server, "Get-GaussBackupJob -ProjectId " + GaussProject + " -JobId " + GaussJobId + " -Endpoint $args[0]");
            var error = AssertOneError(r, "GaussInvalidAnswer", ErrorCategory.InvalidResult);
            Assert.Contains(why, error.Exception.Message);
            Assert.Empty(r.Output);
        }

        [Fact]
        public void NewGaussBackup_CreateAnswerWithoutIdentity_IsSettledByReadingBack_NeverAnObjectWithoutId()
        {
            // The create's answer lacks the backup id: the create may have happened, so it is read back (and found), not sent again.
            using var server = new HostileServer(req => req.Method == "POST"
                ? HostileAnswer.Json("{\"backup\":{\"name\":\"nightly-7\"},\"job_id\":\"" + GaussJobId + "\"}", 201, "Created")
                : HostileAnswer.Json("{\"backups\":[" + GaussBackupJson("b-nightly-7", "nightly-7") + "],\"total_count\":1}"));
            var (r, _) = Run(server, "New-GaussBackup -ProjectId " + GaussProject + " -InstanceId " + HostileRun.GaussInstance + " -Name nightly-7 -Endpoint $args[0]");
            Assert.True(!r.AllErrors.Any(), string.Join("\n", r.AllErrors.Select(e => e.FullyQualifiedErrorId + ": " + e.Exception.Message)));
            var backup = Assert.Single(r.Objects<GaussBackup>());
            Assert.Equal("b-nightly-7", backup.Id);
            Assert.True(backup.ResolvedByReadBack);
            Assert.Equal(1, server.Log.Count(q => q.Method == "POST"));
        }

        [Fact]
        public void RemoveSpannerBackup_AnsweredByHtml200_IsAnError_NotSilence()
        {
            using var server = new HostileServer(_ => HostileAnswer.Html("<html><body>Your request has been blocked.</body></html>"));
            var (r, _) = Run(server, "Remove-SpannerBackup -Project " + Project + " -Instance " + Instance + " -BackupId b1 -Force -Endpoint $args[0]");
            var error = AssertOneError(r, "SpannerInvalidAnswer", ErrorCategory.InvalidResult);
            Assert.Contains("DELETE", error.Exception.Message);
            Assert.Contains("has been blocked", error.Exception.Message);
        }

        [Fact]
        public void RemoveGaussBackup_AnsweredByHtml200_IsAnError_NotSilence()
        {
            using var server = new HostileServer(_ => HostileAnswer.Html("<html><body>Your request has been blocked.</body></html>"));
            var (r, _) = Run(server, "Remove-GaussBackup -ProjectId " + GaussProject + " -BackupId " + GaussBackupId + " -Force -Endpoint $args[0]");
            AssertOneError(r, "GaussInvalidAnswer", ErrorCategory.InvalidResult);
        }

        private const string OperationName = "projects/" + Project + "/instances/" + Instance + "/backups/b1/operations/op1";

        [Theory]
        [InlineData("Get-SpannerBackup -Project " + Project + " -Instance " + Instance, "SpannerInvalidAnswer")]
        [InlineData("Get-SpannerBackup -Project " + Project + " -Instance " + Instance + " -BackupId b1", "SpannerInvalidAnswer")]
        [InlineData("Get-SpannerBackupOperation -Project " + Project + " -Instance " + Instance, "SpannerInvalidAnswer")]
        [InlineData("Get-SpannerBackupOperation -Name " + OperationName, "SpannerInvalidAnswer")]
        [InlineData("New-SpannerBackup -Project " + Project + " -Instance " + Instance + " -Database orders -BackupId b9", "SpannerInvalidAnswer")]
        [InlineData("Set-SpannerBackup -Project " + Project + " -Instance " + Instance + " -BackupId b1 -RetentionPeriod '7d'", "SpannerInvalidAnswer")]
        [InlineData("Remove-SpannerBackup -Project " + Project + " -Instance " + Instance + " -BackupId b1 -Force", "SpannerInvalidAnswer")]
        [InlineData("Stop-SpannerBackupOperation -Name " + OperationName + " -Force", "SpannerInvalidAnswer")]
        [InlineData("Get-GaussBackup -ProjectId " + GaussProject, "GaussInvalidAnswer")]
        [InlineData("Get-GaussBackupJob -ProjectId " + GaussProject + " -JobId " + GaussJobId, "GaussInvalidAnswer")]
        [InlineData("New-GaussBackup -ProjectId " + GaussProject + " -InstanceId " + HostileRun.GaussInstance + " -Name nightly-9", "GaussInvalidAnswer")]
        [InlineData("Remove-GaussBackup -ProjectId " + GaussProject + " -BackupId " + GaussBackupId + " -Force", "GaussInvalidAnswer")]
        [InlineData("Connect-GaussCloud -Region eu-de -Credential $portalCred -DomainName acme", "IamInvalidAnswer")]
        public void EveryCommand_AnsweredByAPortalPageWith200_ReportsInvalidAnswer_NeverSilence(string command, string errorId)
        {
            using var server = new HostileServer(_ => HostileAnswer.Html("<html><body><form action='/login'>Sign in to continue</form></body></html>"));
            _shell.SetVariable("portalCred", new PSCredential("robot", BackupTools.Auth.SecretText.Protect("portal-password-7")));
            var (r, _) = Run(server, command + " -Endpoint $args[0]");
            var error = AssertOneError(r, errorId, ErrorCategory.InvalidResult);
            Assert.Contains("Sign in to continue", error.Exception.Message);
            Assert.Empty(r.Output);
            Assert.DoesNotContain("portal-password-7", r.AllText());
            Assert.InRange(server.Requests, 1, 2); // a create reads back once; nothing is retried
        }

        [Theory]
        [InlineData("250", 100)]
        [InlineData("-5", 0)]
        [InlineData("1e30", 100)]
        [InlineData("55.7", 55)]
        [InlineData("\"abc\"", 0)]
        public void SpannerOperationProgress_OutsideZeroToHundred_IsClamped(string progress, int expected)
        {
            using var server = new HostileServer(_ => HostileAnswer.Json("{\"operations\":[" + SpannerOperationJson("b1", progress) + "]}"));
            var (r, _) = Run(server, "Get-SpannerBackupOperation -Project " + Project + " -Instance " + Instance + " -Endpoint $args[0]");
            Assert.Empty(r.AllErrors);
            Assert.Equal(expected, Assert.Single(r.Objects<SpannerBackupOperation>()).ProgressPercent);
        }

        [Theory]
        [InlineData("250%", 100)]
        [InlineData("-3%", 0)]
        [InlineData("99999999999999999999%", 100)]
        [InlineData("60%", 60)]
        public void GaussJobProgress_OutsideZeroToHundred_IsClamped(string process, int expected)
        {
            using var server = new HostileServer(_ => HostileAnswer.Json("{\"job\":{\"id\":\"" + GaussJobId + "\",\"status\":\"Running\",\"process\":\"" + process + "\"}}"));
            var (r, _) = Run(server, "Get-GaussBackupJob -ProjectId " + GaussProject + " -JobId " + GaussJobId + " -Endpoint $args[0]");
            Assert.Empty(r.AllErrors);
            Assert.Equal(expected, Assert.Single(r.Objects<GaussJob>()).Process);
        }

        // ---- 4. Redirects ------------------------------------------------------------------------------

        [Theory]
        [InlineData("GET", 302, "https://login.portal.example/auth?session=SECRET", "login.portal.example")]
        [InlineData("GET", 301, "https://127.0.0.1:1/v1/elsewhere", "https://127.0.0.1:1/v1/elsewhere")]
        [InlineData("POST", 307, "http://mirror.example/v1/projects/demo-project/instances/demo-instance/backups", "mirror.example")]
        [InlineData("GET", 308, null, "no Location header")]
        public void SpannerRedirect_IsReportedWithWhereItPointed_NotFollowed(string method, int status, string? location, string expected)
        {
            using var server = new HostileServer(_ =>
            {
                var answer = new HostileAnswer { Status = status, Reason = "Moved" };
                return location == null ? answer : answer.With("Location", location);
            });
            var command = method == "POST"
                ? "New-SpannerBackup -Project " + Project + " -Instance " + Instance + " -Database orders -BackupId orders-b2 -Endpoint $args[0]"
                : "Get-SpannerBackup -Project " + Project + " -Instance " + Instance + " -BackupId b1 -Endpoint $args[0]";
            var (r, _) = Run(server, command);
            var error = AssertOneError(r, "SpannerRedirected", ErrorCategory.InvalidResult);
            Assert.Contains(expected, error.Exception.Message);
            Assert.Contains("HTTP " + status, error.Exception.Message);
            Assert.DoesNotContain("SECRET", r.AllText());
            Assert.Equal(1, server.Requests); // neither followed nor retried
        }

        [Fact]
        public void GaussAndIamRedirects_AreReportedAsTheirCloudsOwn()
        {
            using var server = new HostileServer(_ => new HostileAnswer { Status = 302, Reason = "Found" }.With("Location", "https://captive.example/"));
            var (gauss, _) = Run(server, "Get-GaussBackup -ProjectId " + GaussProject + " -Endpoint $args[0]");
            AssertOneError(gauss, "GaussRedirected", ErrorCategory.InvalidResult);

            _shell.SetVariable("iamCred", new PSCredential("robot", BackupTools.Auth.SecretText.Protect("iam-password-1")));
            var (iam, _) = Run(server, "Get-GaussBackup -Region eu-de -Credential $iamCred -DomainName acme -Endpoint $args[0]");
            AssertOneError(iam, "IamRedirected", ErrorCategory.InvalidResult);
            Assert.DoesNotContain("iam-password-1", iam.AllText());
        }

        // ---- 5. Huge retry hints -----------------------------------------------------------------------

        [Theory]
        [InlineData("99999999999999999999")]
        [InlineData("1e300")]
        [InlineData("Fri, 31 Dec 9999 23:59:59 GMT")]
        public void HugeRetryAfter_IsClamped_AndEndsAsThrottled(string retryAfter)
        {
            using var server = new HostileServer(_ => HostileAnswer.Json("{\"error\":{\"code\":429,\"status\":\"RESOURCE_EXHAUSTED\",\"message\":\"slow down\"}}", 429, "Too Many Requests").With("Retry-After", retryAfter));
            var (r, elapsed) = Run(server, "Get-SpannerBackup -Project " + Project + " -Instance " + Instance + " -BackupId b1 -Endpoint $args[0]");
            AssertOneError(r, "SpannerThrottled", ErrorCategory.LimitsExceeded);
            Assert.Equal(1, server.Requests); // the wait asked for is past the retry budget: given up at once
            Assert.True(elapsed < TimeSpan.FromSeconds(30), elapsed.ToString());
        }

        [Fact]
        public void HugeRetryInfoDelay_IsClamped_AndEndsAsUnavailable()
        {
            using var server = new HostileServer(_ => HostileAnswer.Json(
                "{\"error\":{\"code\":503,\"status\":\"UNAVAILABLE\",\"message\":\"later\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"1e30s\"}]}}", 503, "Service Unavailable"));
            var (r, _) = Run(server, "Get-SpannerBackup -Project " + Project + " -Instance " + Instance + " -BackupId b1 -Endpoint $args[0]");
            AssertOneError(r, "SpannerUnavailable", ErrorCategory.ResourceUnavailable);
            Assert.Equal(1, server.Requests);
        }

        // ---- 6. Server text ------------------------------------------------------------------------------

        private const string Nasty = "\\u001b]0;pwned\\u0007\\u001b[2J\\u001b[31mred\\u009b31m\\b\\bXX\\u202Eevil\\r\\nFAKE PROMPT> ";

        [Fact]
        public void ControlCharactersInServerMessages_AreNeutralised()
        {
            using var server = new HostileServer(_ => HostileAnswer.Json("{\"error\":{\"code\":400,\"status\":\"INVALID_ARGUMENT\",\"message\":\"" + Nasty + "\"}}", 400, "Bad Request"));
            var (r, _) = Run(server, "Get-SpannerBackup -Project " + Project + " -Instance " + Instance + " -BackupId b1 -Endpoint $args[0] -Verbose");
            var error = AssertOneError(r, "SpannerInvalidArgument", ErrorCategory.InvalidArgument);
            Assert.Contains("\\x1B]0;pwned\\x07", error.Exception.Message); // shown, not acted on
            Assert.Contains("\\u202E", error.Exception.Message);
        }

        [Fact]
        public void ControlCharactersInFieldsOfOutputObjects_AreNeutralised()
        {
            using var server = new HostileServer(_ => HostileAnswer.Json("{\"backups\":[" + GaussBackupJson("b1", "nightly-1", Nasty) + "],\"total_count\":1}"));
            var (r, _) = Run(server, "Get-GaussBackup -ProjectId " + GaussProject + " -Endpoint $args[0]");
            Assert.Empty(r.AllErrors);
            AssertNoControlCharacters(r);
            Assert.StartsWith("\\x1B]0;pwned", Assert.Single(r.Objects<GaussBackup>()).Description);
        }

        [Fact]
        public void AMillionCharacterMessage_IsCut_AndKeepsTheRequestId()
        {
            var huge = new string('A', 1000000);
            using var server = new HostileServer(_ => HostileAnswer.Json("{\"error_code\":\"DBS.280001\",\"error_msg\":\"" + huge + "\",\"request_id\":\"gauss-req-42\"}", 400, "Bad Request"));
            var (r, _) = Run(server, "Get-GaussBackup -ProjectId " + GaussProject + " -Endpoint $args[0]");
            var error = AssertOneError(r, "GaussInvalidArgument", ErrorCategory.InvalidArgument);
            Assert.True(error.Exception.Message.Length < 2000, error.Exception.Message.Length.ToString());
            Assert.Contains("gauss-req-42", error.Exception.Message);
            Assert.Contains("more characters", error.Exception.Message);
            Assert.True(r.AllText().Length < 100000, "all output: " + r.AllText().Length);
        }
    }
}
