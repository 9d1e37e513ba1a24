using System.IO;
using BackupTools.Errors;
using BackupTools.Tests.Infrastructure;
using Xunit;

namespace BackupTools.Tests.Hostile
{
    /// <summary>The error ids this work added are in the catalogue and documented where users look: README's table and about_BackupTools.</summary>
    public sealed class ErrorDocsTests
    {
        [Theory]
        [InlineData("Spanner", ErrorKind.InvalidAnswer, "SpannerInvalidAnswer")]
        [InlineData("Gauss", ErrorKind.InvalidAnswer, "GaussInvalidAnswer")]
        [InlineData("Iam", ErrorKind.InvalidAnswer, "IamInvalidAnswer")]
        [InlineData("Spanner", ErrorKind.AnswerTooLarge, "SpannerAnswerTooLarge")]
        [InlineData("Gauss", ErrorKind.EndlessPaging, "GaussEndlessPaging")]
        [InlineData("Spanner", ErrorKind.Redirected, "SpannerRedirected")]
        [InlineData("Spanner", ErrorKind.ProxyRefused, ErrorIds.ProxyRefused)]
        [InlineData("Gauss", ErrorKind.ProxyAuthenticationRequired, ErrorIds.ProxyAuthenticationRequired)]
        [InlineData("Iam", ErrorKind.ProxyUnreachable, ErrorIds.ProxyUnreachable)]
        [InlineData("Spanner", ErrorKind.TlsHandshakeFailed, ErrorIds.TlsHandshakeFailed)]
        public void NewIds_ComeFromTheCatalogue_AndAreDocumented(string cloud, ErrorKind kind, string id)
        {
            Assert.Equal(id, ErrorIds.ForService(cloud, kind, null));
            Assert.Contains(id, File.ReadAllText(Repo.File("README.md")));
            Assert.Contains(id, File.ReadAllText(Repo.File("docs", "about_BackupTools.md")));
        }

        [Fact]
        public void AboutTopic_DocumentsProxiesAndTls()
        {
            var about = File.ReadAllText(Repo.File("docs", "about_BackupTools.md"));
            foreach (var word in new[] { "### Proxies", "HTTPS_PROXY", "NO_PROXY", "-ProxyCredential", "system proxy", "$PSDefaultParameterValues['*-Spanner*:Proxy']", "### TLS", "SecurityProtocol" })
            {
                Assert.Contains(word, about);
            }
        }
    }
}
