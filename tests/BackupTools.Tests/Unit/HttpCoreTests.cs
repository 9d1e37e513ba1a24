using System;
using System.Collections.Generic;
using BackupTools.Errors;
using BackupTools.Http;
using Xunit;

namespace BackupTools.Tests.Unit
{
    public sealed class HttpCoreTests
    {
        private static readonly IReadOnlyDictionary<string, string> NoHeaders = new Dictionary<string, string>();

        [Fact]
        public void GoogleErrorBody_IsParsedIntoKindCodeMessageAndRetryInfo()
        {
            var body = "{\"error\":{\"code\":429,\"message\":\"Quota exceeded\",\"status\":\"RESOURCE_EXHAUSTED\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"3.5s\"}],\"unknownField\":1}}";
            var ex = ServiceErrorParser.Parse("Spanner", 429, "Too Many Requests", body, NoHeaders, "projects/p/instances/i", false);

            Assert.Equal(ErrorKind.Throttled, ex.Kind);
            Assert.Equal("RESOURCE_EXHAUSTED", ex.ServiceCode);
            Assert.Equal("Quota exceeded", ex.ServiceMessage);
            Assert.Equal(TimeSpan.FromSeconds(3.5), ex.RetryAfter);
            Assert.Equal("SpannerThrottled", ex.ErrorId);
            Assert.Equal("projects/p/instances/i", ex.Resource);
            Assert.Contains("HTTP 429 RESOURCE_EXHAUSTED: Quota exceeded", ex.Message);
        }

        [Theory]
        [InlineData(400, "FAILED_PRECONDITION", ErrorKind.FailedPrecondition, "SpannerFailedPrecondition")]
        [InlineData(400, "INVALID_ARGUMENT", ErrorKind.InvalidArgument, "SpannerInvalidArgument")]
        [InlineData(409, "ALREADY_EXISTS", ErrorKind.AlreadyExists, "SpannerAlreadyExists")]
        [InlineData(409, "ABORTED", ErrorKind.Conflict, "SpannerConflict")]
        [InlineData(500, "INTERNAL", ErrorKind.Internal, "SpannerInternal")]
        [InlineData(503, "UNAVAILABLE", ErrorKind.Unavailable, "SpannerUnavailable")]
        [InlineData(401, "UNAUTHENTICATED", ErrorKind.Unauthenticated, "SpannerUnauthenticated")]
        public void GoogleStatus_WinsOverHttpStatus(int http, string status, ErrorKind kind, string id)
        {
            var ex = ServiceErrorParser.Parse("Spanner", http, null, "{\"error\":{\"code\":" + http + ",\"message\":\"m\",\"status\":\"" + status + "\"}}", NoHeaders, null, false);
            Assert.Equal(kind, ex.Kind);
            Assert.Equal(id, ex.ErrorId);
        }

        [Fact]
        public void HuaweiBodies_AndRetryAfterHeader_AreParsed()
        {
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Retry-After"] = "7" };
            var gateway = ServiceErrorParser.Parse("Gauss", 429, null, "{\"error_code\":\"APIGW.0308\",\"error_msg\":\"The throttling threshold has been reached\",\"request_id\":\"abc123\"}", headers, "i1", false);
            Assert.Equal("GaussThrottled", gateway.ErrorId);
            Assert.Equal("APIGW.0308", gateway.ServiceCode);
            Assert.Equal("abc123", gateway.RequestId);
            Assert.Equal(TimeSpan.FromSeconds(7), gateway.RetryAfter);
            Assert.Contains("(request id abc123)", gateway.Message);

            var busy = ServiceErrorParser.Parse("Gauss", 409, null, "{\"error_code\":\"DBS.201205\",\"error_msg\":\"A backup is in progress.\"}", NoHeaders, "i1", false);
            Assert.Equal("GaussBackupInProgress", busy.ErrorId);
            Assert.Equal(ErrorKind.Conflict, busy.Kind);
        }

        [Fact]
        public void RetryAfter_AsHttpDate_IsHonoured()
        {
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Retry-After"] = DateTimeOffset.UtcNow.AddSeconds(30).ToString("r") };
            var delay = ServiceErrorParser.ParseRetryAfterHeader(headers);
            Assert.NotNull(delay);
            Assert.InRange(delay!.Value.TotalSeconds, 25, 31);
        }

        [Fact]
        public void NonJsonBody_StillGivesAUsefulMessage()
        {
            var ex = ServiceErrorParser.Parse("Spanner", 502, "Bad Gateway", "<html>upstream</html>", NoHeaders, null, true);
            Assert.Equal(ErrorKind.Unavailable, ex.Kind);
            Assert.True(ex.OutcomeUnknown);
            Assert.Contains("HTTP 502", ex.Message);
        }

        [Fact]
        public void Backoff_GrowsExponentially_WithJitter_AndServerHintWins()
        {
            var policy = new RetryPolicy();
            for (var attempt = 1; attempt <= 8; attempt++)
            {
                var step = Math.Min(1000 * Math.Pow(2, attempt - 1), 30000);
                var d = policy.DelayBefore(attempt, null).TotalMilliseconds;
                Assert.InRange(d, step * 0.5, step);
            }

            Assert.Equal(TimeSpan.FromSeconds(12), policy.DelayBefore(1, TimeSpan.FromSeconds(12)));
            Assert.False(policy.AllowsAnother(6, TimeSpan.Zero, TimeSpan.FromSeconds(1)));
            Assert.False(policy.AllowsAnother(1, TimeSpan.FromSeconds(115), TimeSpan.FromSeconds(10)));
            Assert.True(policy.AllowsAnother(1, TimeSpan.Zero, TimeSpan.FromSeconds(1)));
        }

        [Theory]
        [InlineData(ErrorKind.Unavailable, 503, Idempotency.Idempotent, true)]
        [InlineData(ErrorKind.Timeout, null, Idempotency.Idempotent, true)]
        [InlineData(ErrorKind.Throttled, 429, Idempotency.NotIdempotent, true)]
        [InlineData(ErrorKind.ConnectionFailed, null, Idempotency.NotIdempotent, true)]
        [InlineData(ErrorKind.Unavailable, 503, Idempotency.NotIdempotent, false)]
        [InlineData(ErrorKind.Timeout, null, Idempotency.NotIdempotent, false)]
        [InlineData(ErrorKind.Unavailable, null, Idempotency.NotIdempotent, false)]
        [InlineData(ErrorKind.InvalidArgument, 400, Idempotency.Idempotent, false)]
        [InlineData(ErrorKind.Internal, 500, Idempotency.Idempotent, false)]
        public void OnlySafeFailuresAreRetried(ErrorKind kind, int? status, Idempotency idempotency, bool retried)
        {
            var ex = new ServiceException("Spanner", kind, "x", status);
            Assert.Equal(retried, ServiceHttpClient.IsRetryable(ex, idempotency));
        }

        [Fact]
        public void Redaction_MasksSecretHeadersAndJsonFields()
        {
            Assert.Equal("***", Redaction.HeaderValue("authorization", "Bearer abc"));
            Assert.Equal("***", Redaction.HeaderValue("X-Auth-Token", "t"));
            Assert.Equal("application/json", Redaction.HeaderValue("Content-Type", "application/json"));
            var body = Redaction.Body("{\"auth\":{\"password\":\"p@ss \\\"quoted\\\"\",\"name\":\"u\"},\"access_token\":\"ya29.x\",\"token\":{\"id\":1}}");
            Assert.DoesNotContain("p@ss", body);
            Assert.DoesNotContain("ya29", body);
            Assert.Contains("\"name\":\"u\"", body);
        }

        [Theory]
        [InlineData("http://127.0.0.1:9020", true)]
        [InlineData("http://localhost:9020/", true)]
        [InlineData("http://[::1]:9020/", true)]
        [InlineData("https://spanner.googleapis.com", false)]
        public void Endpoints_KnowWhetherTheyAreALocalEmulator(string text, bool emulator)
        {
            var endpoint = ServiceEndpoint.Parse(text);
            Assert.Equal(emulator, endpoint.IsLocalEmulator);
            Assert.EndsWith("/", endpoint.BaseAddress.AbsoluteUri);
        }

        [Theory]
        [InlineData("http://10.1.2.3:9020/", "InsecureEndpoint")]
        [InlineData("http://spanner.example.com/", "InsecureEndpoint")]
        [InlineData("ftp://x/", "InvalidParameter")]
        [InlineData("not a url", "InvalidParameter")]
        [InlineData("https://user:pw@x.example.com/", "InvalidParameter")]
        [InlineData("https://x.example.com/?a=b", "InvalidParameter")]
        public void BadOrInsecureEndpoints_AreRefused(string text, string id)
        {
            var ex = Assert.ThrowsAny<BackupToolsException>(() => ServiceEndpoint.Parse(text));
            Assert.Equal(id, ex.ErrorId);
            Assert.DoesNotContain("pw@", ex.Message);
        }

        [Fact]
        public void PlainHttpToARemoteHost_NeedsTheExplicitOptIn()
        {
            Assert.False(ServiceEndpoint.Parse("http://10.1.2.3:9020/", allowInsecureHttp: true).IsLocalEmulator);
        }
    }
}
