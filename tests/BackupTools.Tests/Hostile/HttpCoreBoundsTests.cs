using System;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using BackupTools.Auth;
using BackupTools.Errors;
using BackupTools.Gauss;
using BackupTools.Http;
using BackupTools.Spanner;
using BackupTools.Tests.Spanner;
using Xunit;

namespace BackupTools.Tests.Hostile
{
    /// <summary>The HTTP core's bounds and cleaning rules, driven directly (no PowerShell) against the misbehaving server.</summary>
    public sealed class HttpCoreBoundsTests
    {
        private static SpannerClient Spanner(HostileServer server, PagingLimits limits) =>
            new SpannerClient(new ServiceHttpClient("Spanner", ServiceEndpoint.Parse(server.BaseAddress.AbsoluteUri), new AnonymousAuthenticator("test")) { PagingLimits = limits });

        [Fact]
        public async Task EverNewPageTokens_StopAtThePageBound()
        {
            var n = 0;
            using var server = new HostileServer(_ => HostileAnswer.Json("{\"backups\":[],\"nextPageToken\":\"t" + Interlocked.Increment(ref n) + "\"}"));
            var client = Spanner(server, new PagingLimits { MaxPages = 50 });
            var ex = await Assert.ThrowsAsync<ServiceException>(() => client.ListBackupsAsync(HostileRun.Project, HostileRun.Instance, null, null, _ => { }, CancellationToken.None));
            Assert.Equal("SpannerEndlessPaging", ex.ErrorId);
            Assert.Contains("50 pages", ex.Message);
            Assert.Equal(50, server.Requests);
        }

        [Fact]
        public async Task ASlowEndlessList_StopsAtTheDeadline()
        {
            var n = 0;
            using var server = new HostileServer(_ =>
            {
                Thread.Sleep(100);
                return HostileAnswer.Json("{\"backups\":[],\"nextPageToken\":\"t" + Interlocked.Increment(ref n) + "\"}");
            });
            var client = Spanner(server, new PagingLimits { MaxDuration = TimeSpan.FromSeconds(1) });
            var ex = await Assert.ThrowsAsync<ServiceException>(() => client.ListBackupOperationsAsync(HostileRun.Project, HostileRun.Instance, null, null, _ => { }, CancellationToken.None));
            Assert.Equal(ErrorKind.EndlessPaging, ex.Kind);
            Assert.InRange(server.Requests, 2, 15); // about 1 s of 100 ms pages; the count is not the point, the end is
        }

        [Fact]
        public async Task GaussTotalThatNeverShrinks_StopsAtTheItemBound_WithEverNewItems()
        {
            var page = 0;
            using var server = new HostileServer(_ =>
            {
                var p = Interlocked.Increment(ref page);
                return HostileAnswer.Json("{\"backups\":[" + string.Join(",", Enumerable.Range(0, 100).Select(i => HostileAnswerTests.GaussBackupJson("p" + p + "-" + i))) + "],\"total_count\":2147483647}");
            });
            var http = new ServiceHttpClient("Gauss", ServiceEndpoint.Parse(server.BaseAddress.AbsoluteUri), new AnonymousAuthenticator("test")) { PagingLimits = new PagingLimits { MaxItems = 1000 } };
            var client = new GaussClient(http, HostileRun.GaussProject);
            var seen = 0;
            var ex = await Assert.ThrowsAsync<ServiceException>(() => client.ListBackupsAsync(new GaussBackupQuery(), _ => seen++, CancellationToken.None));
            Assert.Equal("GaussEndlessPaging", ex.ErrorId);
            Assert.Equal(1000, seen);
            Assert.Equal(11, server.Requests);
        }

        [Theory]
        [InlineData("99999999999999999999", 86400)]
        [InlineData("1e300", 86400)]
        [InlineData("Infinity", 86400)]
        [InlineData("-5", 0)]
        [InlineData("2.5", 2.5)]
        public void RetryAfter_IsClampedToADay(string value, double seconds)
        {
            var hint = ServiceErrorParser.ParseRetryAfterHeader(new System.Collections.Generic.Dictionary<string, string> { ["Retry-After"] = value });
            Assert.Equal(TimeSpan.FromSeconds(seconds), hint);
        }

        [Fact]
        public void RetryAfter_NaN_IsNoHint_AndRetryInfoIsClampedToo()
        {
            Assert.Null(ServiceErrorParser.ParseRetryAfterHeader(new System.Collections.Generic.Dictionary<string, string> { ["Retry-After"] = "NaN" }));
            var details = Newtonsoft.Json.Linq.JArray.Parse("[{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"1e30s\"}]");
            Assert.Equal(ServiceErrorParser.MaxHint, ServiceErrorParser.RetryInfoDelay(details));
            Assert.False(RetryPolicy.Default.AllowsAnother(1, TimeSpan.Zero, ServiceErrorParser.MaxHint));
        }

        [Theory]
        [InlineData("plain text", "plain text")]
        [InlineData("\u001b]0;title\u0007", "\\x1B]0;title\\x07")]
        [InlineData("\u001b[2J\u009b31m", "\\x1B[2J\\x9B31m")]
        [InlineData("a\bb\u007fc", "a\\x08b\\x7Fc")]
        [InlineData("line1\r\nline2\tend", "line1  line2 end")]
        [InlineData("abc\u202Eevil\u2066x\u2028", "abc\\u202Eevil\\u2066x\\u2028")]
        public void ServerText_NeutralisesEveryControlCharacter(string raw, string shown)
        {
            Assert.Equal(shown, ServerText.Clean(raw));
            Assert.DoesNotContain(ServerText.Clean(raw), ServerText.IsUnsafe);
        }

        [Fact]
        public void ServerText_CutsLongText_SayingHowMuch_WithoutSplittingASurrogatePair()
        {
            Assert.Equal(new string('A', 1000) + "...(999,000 more characters)", ServerText.Clean(new string('A', 1000000)));
            var emoji = new string('x', 9) + "\U0001F600" + "tail";
            Assert.Equal(new string('x', 9) + "...(6 more characters)", ServerText.Clean(emoji, 10));
        }

        [Theory]
        [InlineData("connect to http://user:secret@proxy:3128/ failed", "connect to http://***@proxy:3128/ failed")]
        [InlineData("https://token@host/x and socks5://a:b@h", "https://***@host/x and socks5://***@h")]
        [InlineData("no url here: user@example.com", "no url here: user@example.com")]
        public void Redaction_MasksUserInformationInAnyUrl(string text, string masked)
        {
            Assert.Equal(masked, Redaction.UserInfo(text));
        }
    }

    /// <summary>The proxy decision (environment variables are process-wide: these run alone).</summary>
    [Collection(EnvironmentCollection.Name)]
    public sealed class ProxySettingsTests
    {
        private static readonly Uri Https = new Uri("https://spanner.googleapis.com/");
        private static readonly Uri Http = new Uri("http://gauss.internal.example:8080/");

        [Fact]
        public void LoopbackIsNeverProxied_EvenWithAnExplicitProxy()
        {
            using var env = new EnvironmentScope(("HTTPS_PROXY", "http://proxy:3128"), ("HTTP_PROXY", "http://proxy:3128"));
            var explicitProxy = ProxySettings.Explicit(new Uri("http://proxy:3128"), null);
            foreach (var target in new[] { "http://127.0.0.1:9020/", "http://localhost:9020/", "http://[::1]:9020/", "https://127.5.6.7/" })
            {
                Assert.Null(ProxySettings.FromEnvironment.RouteFor(new Uri(target)));
                Assert.Null(explicitProxy.RouteFor(new Uri(target)));
            }
        }

        [Fact]
        public void EnvironmentVariables_ByScheme_LowerCaseFirst_WithTheirCredential()
        {
            using var env = new EnvironmentScope(("https_proxy", "http://u%40corp:p%3Ass@secure-proxy:3128"), ("HTTPS_PROXY", "http://other:1"), ("HTTP_PROXY", "plain-proxy:8080"));
            var https = ProxySettings.FromEnvironment.RouteFor(Https)!;
            Assert.Equal("http://secure-proxy:3128/", https.Address.AbsoluteUri);
            Assert.Equal("$env:https_proxy", https.Source);
            Assert.Equal("u@corp", https.Credential!.UserName);
            Assert.Equal("p:ss", https.Credential.Password);
            Assert.DoesNotContain("p:ss", https.ToString());

            var http = ProxySettings.FromEnvironment.RouteFor(Http)!;
            Assert.Equal("http://plain-proxy:8080/", http.Address.AbsoluteUri);
            Assert.Null(http.Credential);
        }

        [Theory]
        [InlineData("*", true)]
        [InlineData("googleapis.com", true)]
        [InlineData(".googleapis.com", true)]
        [InlineData("*.googleapis.com", true)]
        [InlineData("spanner.googleapis.com:443", true)]
        [InlineData("spanner.googleapis.com:8443", false)]
        [InlineData("apis.com", false)]
        [InlineData("example.com, internal", false)]
        public void NoProxy_HostsDomainsPortsAndWildcard(string noProxy, bool bypassed)
        {
            using var env = new EnvironmentScope(("HTTPS_PROXY", "http://proxy:3128"), ("NO_PROXY", noProxy));
            Assert.Equal(bypassed, ProxySettings.FromEnvironment.RouteFor(Https) == null);
        }

        [Fact]
        public void NoEnvironmentProxy_OffWindows_IsDirect()
        {
            using var env = new EnvironmentScope();
            Assert.Null(ProxySettings.FromEnvironment.RouteFor(Https));
        }

        [Fact]
        public void AProxyVariableThatIsNoUrl_IsRefused_WithThePasswordMasked()
        {
            using var env = new EnvironmentScope(("HTTPS_PROXY", "ftp://user:hunter2@proxy:21"));
            var ex = Assert.Throws<BackupToolsException>(() => ProxySettings.FromEnvironment.RouteFor(Https));
            Assert.Equal(ErrorIds.InvalidParameter, ex.ErrorId);
            Assert.Contains("$env:HTTPS_PROXY", ex.Message);
            Assert.DoesNotContain("hunter2", ex.Message);
        }

        [Fact]
        public void TheCachedClientsKey_ChangesWithTheProxyAndItsPassword_AndHoldsNoPassword()
        {
            var a = ProxySettings.Explicit(new Uri("http://proxy:3128"), new NetworkCredential("u", "one")).RouteFor(Https)!;
            var b = ProxySettings.Explicit(new Uri("http://proxy:3128"), new NetworkCredential("u", "two")).RouteFor(Https)!;
            var c = ProxySettings.Explicit(new Uri("http://proxy2:3128"), new NetworkCredential("u", "one")).RouteFor(Https)!;
            Assert.Equal(3, new[] { a.Key, b.Key, c.Key }.Distinct().Count());
            Assert.DoesNotContain("one", a.Key.Replace("proxy", string.Empty));
        }
    }
}
