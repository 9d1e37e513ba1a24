using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using BackupTools.Auth;
using BackupTools.Errors;
using BackupTools.Http;
using BackupTools.Tests.Infrastructure;
using Xunit;

namespace BackupTools.Tests.Reliability
{
    /// <summary>
    /// Plain http never carries credentials off the machine unless asked, and TLS certificates are always
    /// checked. No test here sends traffic to a non-loopback address: refusals are asserted, never connections.
    /// </summary>
    public sealed class TransportSafetyTests
    {
        // TEST-NET-1 (RFC 5737) and a documentation host: never reachable, and never contacted (refused first).
        private static readonly string[] NonLoopbackHttp =
        {
            "http://192.0.2.10:9020/", "http://spanner.example.com/", "http://10.0.0.1/", "http://[2001:db8::1]:8080/", "http://0.0.0.0:9020/",
        };

        [Fact]
        public void Parse_RefusesNonLoopbackHttp_UnlessAllowed()
        {
            foreach (var url in NonLoopbackHttp)
            {
                var ex = Assert.Throws<BackupToolsException>(() => ServiceEndpoint.Parse(url));
                Assert.Equal(ErrorIds.InsecureEndpoint, ex.ErrorId);
                Assert.Equal(ErrorKind.InsecureEndpoint, ex.Kind);
                Assert.True(ServiceEndpoint.Parse(url, allowInsecureHttp: true).IsPlainHttp);
            }

            foreach (var url in new[] { "http://127.0.0.1:9020/", "http://localhost:1/", "http://[::1]:9020/", "http://127.5.6.7/" })
            {
                Assert.True(ServiceEndpoint.Parse(url).IsLocalEmulator, url);
            }
        }

        [Theory]
        [InlineData("New-SpannerBackup -Project p1-x -Instance inst-1 -Database db1 -Endpoint $args[0]")]
        [InlineData("Get-SpannerBackup -Project p1-x -Instance inst-1 -Endpoint $args[0]")]
        [InlineData("Get-SpannerBackupOperation -Project p1-x -Instance inst-1 -Endpoint $args[0]")]
        [InlineData("Remove-SpannerBackup -Project p1-x -Instance inst-1 -BackupId b1 -Force -Endpoint $args[0]")]
        [InlineData("Set-SpannerBackup -Project p1-x -Instance inst-1 -BackupId b1 -RetentionPeriod '7d' -Endpoint $args[0]")]
        [InlineData("New-GaussBackup -InstanceId 07033b125fd94a8a96896f8bcfee6ddain07 -ProjectId 0b5c7f3a9d2e4f6a8b1c3d5e7f9a0b2c -AccessKey AK -SecretKey $sk -Endpoint $args[0]")]
        [InlineData("Get-GaussBackup -ProjectId 0b5c7f3a9d2e4f6a8b1c3d5e7f9a0b2c -AccessKey AK -SecretKey $sk -Endpoint $args[0]")]
        [InlineData("Remove-GaussBackup -BackupId 2f4c6e8a0b1d4f3e5a7c9e1b3d5f7a9bbr01 -ProjectId 0b5c7f3a9d2e4f6a8b1c3d5e7f9a0b2c -AccessKey AK -SecretKey $sk -Force -Endpoint $args[0]")]
        public void Cmdlets_RefuseNonLoopbackHttp_WithInsecureEndpoint_BeforeAnyRequest(string command)
        {
            using var shell = new PsSession();
            shell.SetVariable("sk", SecretText.Protect("not-a-real-secret"));
            var before = TransportStatistics.Requests;
            var r = shell.Run(command, "http://192.0.2.10:9020/");
            var error = Assert.Single(r.AllErrors);
            Assert.StartsWith(ErrorIds.InsecureEndpoint, error.FullyQualifiedErrorId);
            Assert.Contains("-AllowInsecureHttp", error.Exception.Message);

            // Nothing left this process for that host: the refusal comes before the HTTP core is used.
            // (Other tests run in parallel, so only this runspace's own trace is conclusive.)
            Assert.DoesNotContain(r.Verbose, v => v.Contains("192.0.2.10", StringComparison.Ordinal) && v.Contains("->", StringComparison.Ordinal));
            _ = before;
        }

        [Fact]
        public void HttpCore_NeverDisablesCertificateValidation()
        {
            // The handler the HTTP core builds for every client: no custom validation callback, no
            // "accept any" settings, on every handler type it could make.
            var factoryType = typeof(ServiceHttpClient).GetNestedType("HandlerFactory", BindingFlags.NonPublic);
            Assert.NotNull(factoryType);
            var factory = Activator.CreateInstance(factoryType!, nonPublic: true)!;
            var handler = factoryType!.GetMethod("CreateMessageHandler")!.Invoke(factory, null);
            var clientHandler = Assert.IsType<HttpClientHandler>(handler);
            Assert.Null(clientHandler.ServerCertificateCustomValidationCallback);
            Assert.Equal(ClientCertificateOption.Manual, clientHandler.ClientCertificateOptions);
        }

        [Fact]
        public void NoSourceFile_DisablesCertificateValidation()
        {
            // A source-level guard: nothing in the product sets a certificate callback or a "dangerous" accept-all.
            var src = Repo.File("src");
            var offenders = System.IO.Directory.EnumerateFiles(src, "*.cs", System.IO.SearchOption.AllDirectories)
                .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))
                .Where(f =>
                {
                    var text = System.IO.File.ReadAllText(f);
                    return text.Contains("ServerCertificateCustomValidationCallback", StringComparison.Ordinal)
                        || text.Contains("ServerCertificateValidationCallback", StringComparison.Ordinal)
                        || text.Contains("DangerousAcceptAnyServerCertificateValidator", StringComparison.Ordinal)
                        || text.Contains("RemoteCertificateValidationCallback", StringComparison.Ordinal);
                })
                .ToList();
            Assert.Empty(offenders);
        }
    }
}
