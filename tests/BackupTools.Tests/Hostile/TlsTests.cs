using System;
using System.Management.Automation;
using System.Net;
using BackupTools.Auth;
using BackupTools.Http;
using BackupTools.Tests.Infrastructure;
using Xunit;
using static BackupTools.Tests.Hostile.HostileRun;

namespace BackupTools.Tests.Hostile
{
    /// <summary>TLS: a refused handshake is a clear, unretried error; TLS 1.2 is added on .NET Framework without removing anything.</summary>
    public sealed class TlsTests
    {
        [Fact]
        public void RefusedTlsHandshake_IsTlsHandshakeFailed_SayingWhatToCheck_NotRetried()
        {
            using var tls = new TlsRefusingServer();
            using var shell = new PsSession();
            shell.SetVariable("tok", SecretText.Protect("ya29.test-access-token"));
            var (r, elapsed) = HostileRun.Run(shell, "Get-SpannerBackup -Project " + Project + " -Instance " + Instance + " -Endpoint $args[0] -AccessToken $tok", new Uri("https://127.0.0.1:" + tls.Port + "/"));
            var error = AssertOneError(r, "TlsHandshakeFailed", ErrorCategory.SecurityError);
            Assert.Contains("TLS 1.2", error.Exception.Message);
            Assert.Contains("clock", error.Exception.Message);
            Assert.Equal(1, tls.Connections); // not retried as "unavailable" for two minutes
            Assert.True(elapsed < TimeSpan.FromSeconds(20), elapsed.ToString());
            Console.WriteLine("Refused TLS handshake: reported in " + elapsed.TotalSeconds.ToString("0.0") + " s after " + tls.Connections + " connection(s).");
        }

        [Fact]
        public void NewGaussBackup_RefusedTlsHandshake_IsTlsHandshakeFailed_WithoutReadBack()
        {
            using var tls = new TlsRefusingServer();
            using var shell = new PsSession();
            shell.SetVariable("sk", SecretText.Protect("demo-secret-key"));
            var (r, _) = HostileRun.Run(shell, "New-GaussBackup -ProjectId " + GaussProject + " -InstanceId " + GaussInstance + " -Name nightly-1 -AccessKey AKDEMO -SecretKey $sk -Endpoint $args[0]", new Uri("https://127.0.0.1:" + tls.Port + "/"));
            AssertOneError(r, "TlsHandshakeFailed", ErrorCategory.SecurityError);
            Assert.Equal(1, tls.Connections); // nothing was sent, so nothing to read back
        }

        [Theory]
        [InlineData((int)(SecurityProtocolType.Tls), (int)(SecurityProtocolType.Tls | SecurityProtocolType.Tls12))]
        [InlineData(48 | 192, 48 | 192 | 3072)] // Ssl3 | Tls (the .NET Framework 4.5 default) gains Tls12, keeps the rest
        [InlineData(3072, 3072)] // Tls12 alone: unchanged
        [InlineData(768 | 3072 | 12288, 768 | 3072 | 12288)] // Tls11 | Tls12 | Tls13 set by the user: unchanged
        [InlineData(12288, 12288 | 3072)] // Tls13 alone: Tls12 added, Tls13 kept
        [InlineData(0, 0)] // SystemDefault: the OS decides (it has TLS 1.2), left alone
        public void Tls12_IsAddedToWhatIsAllowed_NothingRemoved(int current, int expected)
        {
            Assert.Equal((SecurityProtocolType)expected, TlsProtocols.WithTls12((SecurityProtocolType)current));
        }

#pragma warning disable SYSLIB0014 // ServicePointManager: the .NET Framework setting, read here to prove it is left alone on .NET
        [Fact]
        public void OnDotNet_TheProcessSettingIsNotTouched()
        {
            var before = ServicePointManager.SecurityProtocol;
            Assert.False(TlsProtocols.IsNetFramework);
            TlsProtocols.EnsureTls12();
            Assert.Equal(before, ServicePointManager.SecurityProtocol);
        }
#pragma warning restore SYSLIB0014
    }
}
