using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Threading.Tasks;
using BackupTools.Auth;
using BackupTools.Gauss;
using BackupTools.Spanner;
using BackupTools.Tests.Infrastructure;
using BackupTools.Tests.Spanner;
using Xunit;
using static BackupTools.Tests.Hostile.HostileRun;

namespace BackupTools.Tests.Hostile
{
    /// <summary>Sets process environment variables for one test and puts back what was there; clears every proxy variable first.</summary>
    internal sealed class EnvironmentScope : IDisposable
    {
        public static readonly string[] ProxyVariables = { "http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY" };

        private readonly Dictionary<string, string?> _saved = new Dictionary<string, string?>();

        public EnvironmentScope(params (string Name, string? Value)[] values)
        {
            foreach (var name in ProxyVariables.Concat(values.Select(v => v.Name)).Distinct())
            {
                _saved[name] = Environment.GetEnvironmentVariable(name);
                Environment.SetEnvironmentVariable(name, null);
            }

            foreach (var (name, value) in values)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }

        public void Set(string name, string? value)
        {
            if (!_saved.ContainsKey(name))
            {
                _saved[name] = Environment.GetEnvironmentVariable(name);
            }

            Environment.SetEnvironmentVariable(name, value);
        }

        public void Dispose()
        {
            foreach (var (name, value) in _saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }

    /// <summary>
    /// Proxy support against a forward proxy of our own on loopback (<see cref="TestProxy"/>): the
    /// environment variables with their loopback bypass, an explicit -Proxy with -ProxyCredential per
    /// command and per session, the proxy named as the cause of its errors, settings changed during a
    /// session honoured, and no proxy credential in any output. The services' host names (.invalid) are
    /// resolved by no one: only the proxy knows where to send them (the emulator). These tests change
    /// process-wide environment variables, so they run alone.
    /// </summary>
    [Collection(EnvironmentCollection.Name)]
    public sealed class ProxyTests : IAsyncLifetime
    {
        private const string ProxyUser = "proxy-user";
        private const string ProxyPassword = "Pr0xy-S3cret-9f1c";

        private EmulatorSession _session = null!;

        private PsSession Shell => _session.Shell;

        /// <summary>The emulator under a name no DNS knows; plain http needs -AllowInsecureHttp off loopback.</summary>
        private string SpannerByName => "http://spanner.proxytest.invalid:" + _session.Emulator.BaseAddress.Port + "/";

        private IPEndPoint EmulatorEndPoint => new IPEndPoint(IPAddress.Loopback, _session.Emulator.BaseAddress.Port);

        public async Task InitializeAsync()
        {
            _session = await EmulatorSession.StartAsync();
            Shell.SetVariable("tok", SecretText.Protect("ya29.test-access-token"));
            Shell.SetVariable("pcred", new PSCredential(ProxyUser, SecretText.Protect(ProxyPassword)));
            Shell.Run("$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'");
        }

        public async Task DisposeAsync() => await _session.DisposeAsync();

        [Fact]
        public void ExplicitProxyWithCredential_CarriesTheCalls_AndTheCredentialAppearsNowhere()
        {
            using var env = new EnvironmentScope();
            using var proxy = new TestProxy(EmulatorEndPoint) { RequireCredentials = (ProxyUser, ProxyPassword) };
            var (r, _) = HostileRun.Run(
                Shell,
                "New-SpannerBackup -Project demo-project -Instance demo-instance -Database orders -BackupId proxied-1 -Endpoint $args[0] -AllowInsecureHttp -AccessToken $tok -Proxy $args[1] -ProxyCredential $pcred",
                new Uri(SpannerByName),
                null,
                proxy.Address);
            Assert.True(!r.AllErrors.Any(), string.Join("\n", r.AllErrors.Select(e => e.Exception.Message)));
            Assert.Equal("proxied-1", Assert.Single(r.Objects<SpannerBackupOperation>()).BackupId);
            Assert.Contains(proxy.Log, l => l.StartsWith("POST " + SpannerByName + "v1/projects/demo-project/instances/demo-instance/backups?backupId=proxied-1", StringComparison.Ordinal) && l.EndsWith(" " + ProxyUser, StringComparison.Ordinal));
            Assert.Contains(r.Verbose, v => v.Contains("go through proxy " + proxy.Address.AbsoluteUri + " (from -Proxy)", StringComparison.Ordinal));
            Assert.DoesNotContain(ProxyPassword, r.AllText());
        }

        [Fact]
        public void ProxyForTheWholeSession_ThroughPSDefaultParameterValues()
        {
            using var env = new EnvironmentScope();
            using var proxy = new TestProxy(EmulatorEndPoint) { RequireCredentials = (ProxyUser, ProxyPassword) };
            Shell.Run("$PSDefaultParameterValues['*-Spanner*:Proxy'] = $args[0]; $PSDefaultParameterValues['*-Spanner*:ProxyCredential'] = $pcred", proxy.Address);
            try
            {
                var (r, _) = HostileRun.Run(Shell, "Get-SpannerBackupOperation -Project demo-project -Instance demo-instance -Endpoint $args[0] -AllowInsecureHttp -AccessToken $tok", new Uri(SpannerByName));
                Assert.True(!r.AllErrors.Any(), string.Join("\n", r.AllErrors.Select(e => e.Exception.Message)));
                Assert.Contains(proxy.Log, l => l.StartsWith("GET " + SpannerByName + "v1/projects/demo-project/instances/demo-instance/backupOperations", StringComparison.Ordinal) && l.EndsWith(" " + ProxyUser, StringComparison.Ordinal));
                Assert.DoesNotContain(ProxyPassword, r.AllText());
            }
            finally
            {
                Shell.Run("$PSDefaultParameterValues.Remove('*-Spanner*:Proxy'); $PSDefaultParameterValues.Remove('*-Spanner*:ProxyCredential')");
            }
        }

        [Fact]
        public void EnvironmentProxyWithPasswordInItsUrl_RefusingTheTunnel_IsProxyRefused_NotRetried_AndThePasswordAppearsNowhere()
        {
            using var proxy = new TestProxy { RequireCredentials = (ProxyUser, ProxyPassword), RefuseWith = 403 };
            using var env = new EnvironmentScope(("HTTPS_PROXY", "http://" + ProxyUser + ":" + ProxyPassword + "@127.0.0.1:" + proxy.Address.Port + "/"));
            var (r, elapsed) = HostileRun.Run(Shell, "Get-SpannerBackup -Project demo-project -Instance demo-instance -Endpoint $args[0] -AccessToken $tok", new Uri("https://spanner.proxytest.invalid/"));
            var error = AssertOneError(r, "ProxyRefused", ErrorCategory.ConnectionError);
            Assert.Contains("proxy " + proxy.Address.AbsoluteUri + " (from $env:HTTPS_PROXY)", error.Exception.Message);
            Assert.Contains("HTTP 403", error.Exception.Message);
            Assert.DoesNotContain(ProxyPassword, r.AllText());
            Assert.Equal(1, proxy.Log.Count(l => l.StartsWith("CONNECT spanner.proxytest.invalid:443 " + ProxyUser, StringComparison.Ordinal))); // not retried
            Console.WriteLine("Tunnel refused: reported in " + elapsed.TotalSeconds.ToString("0.0") + " s after " + proxy.Log.Count + " CONNECT(s).");
        }

        [Fact]
        public void ProxyWantingCredentialsItWasNotGiven_IsProxyAuthenticationRequired()
        {
            using var proxy = new TestProxy { RequireCredentials = (ProxyUser, ProxyPassword) };
            using var env = new EnvironmentScope(("https_proxy", proxy.Address.AbsoluteUri));
            var (r, _) = HostileRun.Run(Shell, "Get-SpannerBackup -Project demo-project -Instance demo-instance -Endpoint $args[0] -AccessToken $tok", new Uri("https://spanner.proxytest.invalid/"));
            var error = AssertOneError(r, "ProxyAuthenticationRequired", ErrorCategory.AuthenticationError);
            Assert.Contains("-ProxyCredential", error.Exception.Message);
        }

        [Fact]
        public void ProxysOwn403OnPlainHttp_IsProxyRefused_NotTheServicesPermissionDenied()
        {
            using var env = new EnvironmentScope();
            using var proxy = new TestProxy { RefuseWith = 403 };
            var (r, _) = HostileRun.Run(Shell, "Get-SpannerBackup -Project demo-project -Instance demo-instance -Endpoint $args[0] -AllowInsecureHttp -AccessToken $tok -Proxy $args[1]", new Uri(SpannerByName), null, proxy.Address);
            var error = AssertOneError(r, "ProxyRefused", ErrorCategory.ConnectionError);
            Assert.Contains("answered HTTP 403 itself", error.Exception.Message);
        }

        [Fact]
        public void ProxyThatCannotBeReached_IsProxyUnreachable_NotRetried()
        {
            using var env = new EnvironmentScope();
            var closed = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
            closed.Start();
            var port = ((IPEndPoint)closed.LocalEndpoint).Port;
            closed.Stop();
            var (r, elapsed) = HostileRun.Run(Shell, "Get-SpannerBackup -Project demo-project -Instance demo-instance -Endpoint $args[0] -AccessToken $tok -Proxy $args[1]", new Uri("https://spanner.proxytest.invalid/"), null, new Uri("http://127.0.0.1:" + port + "/"));
            AssertOneError(r, "ProxyUnreachable", ErrorCategory.ConnectionError);
            Assert.True(elapsed < TimeSpan.FromSeconds(20), elapsed.ToString());
            Console.WriteLine("Unreachable proxy: reported in " + elapsed.TotalSeconds.ToString("0.0") + " s.");
        }

        [Fact]
        public void ProxyInTheEnvironment_NeverCatchesLoopbackCalls()
        {
            using var proxy = new TestProxy { RefuseWith = 403 };
            using var env = new EnvironmentScope(("HTTP_PROXY", proxy.Address.AbsoluteUri), ("http_proxy", proxy.Address.AbsoluteUri), ("ALL_PROXY", proxy.Address.AbsoluteUri));
            var r = Shell.Run("Get-SpannerBackupOperation -Project demo-project -Instance demo-instance; Get-GaussBackup -ProjectId $args[0] -AccessKey $args[1] -SecretKey $args[2]", EmulatorSession.GaussProjectId, EmulatorSession.GaussAccessKey, SecretText.Protect(EmulatorSession.GaussSecretKey));
            Assert.True(!r.AllErrors.Any(), string.Join("\n", r.AllErrors.Select(e => e.Exception.Message)));
            Assert.Empty(proxy.Log);
        }

        [Fact]
        public void ProxySettingsChangedDuringASession_AreHonouredByTheNextCommand()
        {
            using var refusing = new TestProxy { RefuseWith = 403 };
            using var forwarding = new TestProxy(EmulatorEndPoint);
            using var env = new EnvironmentScope(("HTTP_PROXY", refusing.Address.AbsoluteUri));
            const string Command = "Get-SpannerBackupOperation -Project demo-project -Instance demo-instance -Endpoint $args[0] -AllowInsecureHttp -AccessToken $tok";

            var (first, _) = HostileRun.Run(Shell, Command, new Uri(SpannerByName));
            AssertOneError(first, "ProxyRefused", ErrorCategory.ConnectionError);

            env.Set("HTTP_PROXY", forwarding.Address.AbsoluteUri);
            var (second, _) = HostileRun.Run(Shell, Command, new Uri(SpannerByName));
            Assert.True(!second.AllErrors.Any(), string.Join("\n", second.AllErrors.Select(e => e.Exception.Message)));
            Assert.Single(refusing.Log);
            Assert.Single(forwarding.Log);
        }

        [Fact]
        public void ConnectGaussCloudProxy_IsTheSessionsProxy()
        {
            using var env = new EnvironmentScope();
            using var proxy = new TestProxy(EmulatorEndPoint) { RequireCredentials = (ProxyUser, ProxyPassword) };
            var gaussByName = "http://gauss.proxytest.invalid:" + _session.Emulator.BaseAddress.Port + "/";
            Shell.SetVariable("gsk", SecretText.Protect(EmulatorSession.GaussSecretKey));
            var connect = Shell.Run("Connect-GaussCloud -Endpoint $args[0] -AllowInsecureHttp -ProjectId $args[1] -AccessKey $args[2] -SecretKey $gsk -Proxy $args[3] -ProxyCredential $pcred", gaussByName, EmulatorSession.GaussProjectId, EmulatorSession.GaussAccessKey, proxy.Address);
            Assert.True(!connect.AllErrors.Any(), string.Join("\n", connect.AllErrors.Select(e => e.Exception.Message)));

            // No -Endpoint, no -Proxy: both come from the session (the emulator's loopback default is removed for this call).
            var (r, _) = HostileRun.Run(Shell, "$saved = $PSDefaultParameterValues['*-Gauss*:Endpoint']; $PSDefaultParameterValues.Remove('*-Gauss*:Endpoint'); try { Get-GaussBackup -AllowInsecureHttp } finally { $PSDefaultParameterValues['*-Gauss*:Endpoint'] = $saved }", new Uri(gaussByName));
            Assert.True(!r.AllErrors.Any(), string.Join("\n", r.AllErrors.Select(e => e.Exception.Message)));
            Assert.Contains(proxy.Log, l => l.StartsWith("GET " + gaussByName + "v3/" + EmulatorSession.GaussProjectId + "/backups", StringComparison.Ordinal) && l.EndsWith(" " + ProxyUser, StringComparison.Ordinal));
            Assert.DoesNotContain(ProxyPassword, connect.AllText() + r.AllText());
        }

        [Fact]
        public void ProxyUrlCarryingAPassword_IsRefusedBeforeAnyRequest_WithThePasswordMasked()
        {
            using var env = new EnvironmentScope();
            var r = Shell.Run("Get-SpannerBackup -Project demo-project -Instance demo-instance -AccessToken $tok -Proxy $args[0]", "http://" + ProxyUser + ":" + ProxyPassword + "@127.0.0.1:3128/");
            var error = Assert.Single(r.AllErrors);
            Assert.StartsWith("InvalidParameter", error.FullyQualifiedErrorId);
            Assert.Contains("-ProxyCredential", error.Exception.Message);
            Assert.DoesNotContain(ProxyPassword, r.AllText());

            var lone = Shell.Run("Get-SpannerBackup -Project demo-project -Instance demo-instance -ProxyCredential $pcred");
            Assert.StartsWith("ConflictingParameters", Assert.Single(lone.AllErrors).FullyQualifiedErrorId);
        }

        [Fact]
        public async Task GoogleTokenRequests_FollowTheModulesProxyDecision()
        {
            // Application Default Credentials fetch tokens through Google.Apis.Auth's own HTTP; the module hands it
            // ModuleWebProxy (GoogleCredentials.AdcAuthenticator). Proved here on a key file loaded directly: ADC itself
            // is cached per process by Google.Apis.Auth, and ApplicationDefaultCredentialsTests owns that cache.
            using var env = new EnvironmentScope();
            using var proxy = new TestProxy(EmulatorEndPoint) { RequireCredentials = (ProxyUser, ProxyPassword) };
            using var rsa = System.Security.Cryptography.RSA.Create(2048);
            var key = new Newtonsoft.Json.Linq.JObject
            {
                ["type"] = "service_account",
                ["project_id"] = "demo-project",
                ["private_key_id"] = "k1",
                ["private_key"] = rsa.ExportPkcs8PrivateKeyPem(),
                ["client_email"] = "backup-runner@demo-project.iam.gserviceaccount.com",
                ["client_id"] = "1234567890",
                ["token_uri"] = "http://oauth.proxytest.invalid:" + _session.Emulator.BaseAddress.Port + "/oauth2/token",
            }.ToString();
            var settings = BackupTools.Http.ProxySettings.Explicit(proxy.Address, new NetworkCredential(ProxyUser, ProxyPassword));
#pragma warning disable CS0618 // FromJson: the key is one this test made
            var credential = Google.Apis.Auth.OAuth2.GoogleCredential.FromJson(key)
#pragma warning restore CS0618
                .CreateWithHttpClientFactory(Google.Apis.Http.HttpClientFactory.ForProxy(new BackupTools.Http.ModuleWebProxy(settings)))
                .CreateScoped(GoogleCredentials.SpannerAdminScope);
            var token = await ((Google.Apis.Auth.OAuth2.ITokenAccess)credential).GetAccessTokenForRequestAsync(null, System.Threading.CancellationToken.None);
            Assert.False(string.IsNullOrEmpty(token));
            Assert.Contains(proxy.Log, l => l.StartsWith("POST http://oauth.proxytest.invalid:" + _session.Emulator.BaseAddress.Port + "/oauth2/token", StringComparison.Ordinal) && l.EndsWith(" " + ProxyUser, StringComparison.Ordinal));

            // Loopback and the metadata server never go through it.
            var web = new BackupTools.Http.ModuleWebProxy(settings);
            Assert.True(web.IsBypassed(new Uri("http://169.254.169.254/computeMetadata/v1/")));
            Assert.True(web.IsBypassed(new Uri("http://metadata.google.internal/")));
            Assert.True(web.IsBypassed(_session.Emulator.BaseAddress));
            Assert.False(web.IsBypassed(new Uri("https://oauth2.googleapis.com/token")));
        }

        [Fact]
        public void TlsHandshakeFailureThroughAProxy_IsTlsHandshakeFailed_NamingTheProxy()
        {
            using var tls = new TlsRefusingServer();
            using var proxy = new TestProxy(new IPEndPoint(IPAddress.Loopback, tls.Port));
            using var env = new EnvironmentScope(("HTTPS_PROXY", proxy.Address.AbsoluteUri));
            var (r, _) = HostileRun.Run(Shell, "Get-SpannerBackup -Project demo-project -Instance demo-instance -Endpoint $args[0] -AccessToken $tok", new Uri("https://spanner.proxytest.invalid/"));
            var error = AssertOneError(r, "TlsHandshakeFailed", ErrorCategory.SecurityError);
            Assert.Contains("proxy " + proxy.Address.AbsoluteUri, error.Exception.Message);
            Assert.Equal(1, tls.Connections);
        }
    }
}
