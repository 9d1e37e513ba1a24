using System.Collections.Generic;
using System.Text;
using BackupTools.Emulator.Gauss;
using Xunit;

namespace BackupTools.Emulator.Tests;

public class AkSkSignerTests
{
    private static readonly Dictionary<string, string> Headers = new()
    {
        ["Host"] = "service.endpoint.myhuaweicloud.com",
        ["X-Sdk-Date"] = "20200608T023900Z",
    };

    private static readonly string[] Signed = { "host", "x-sdk-date" };

    [Fact]
    public void Published_get_vector()
        => Assert.Equal("cfb4171acec81de07d50e53d57eb77edd537414d66ddb1d7d780f128e12cd842",
            AkSkSigner.Sign("SecretKey", "GET", "/resources", "size=1", Headers, Signed, default));

    [Fact]
    public void Published_post_vector()
        => Assert.Equal("436b1ac0a1ae03705934bb70ef2f2e09f7bfed2117d731a38235053199323a1f",
            AkSkSigner.Sign("SecretKey", "POST", "/resources", "size=1", Headers, Signed, Encoding.UTF8.GetBytes("{\"name\":\"test\",\"id\":1}")));

    [Theory]
    [InlineData("/v3/p/jobs", "/v3/p/jobs/")]
    [InlineData("/v3/p/jobs/", "/v3/p/jobs/")]
    [InlineData("/a%20b/c:d", "/a%20b/c%3Ad/")]
    public void Canonical_uri_encodes_segments_and_appends_slash(string raw, string expected)
        => Assert.Equal(expected, AkSkSigner.CanonicalUri(raw));

    [Fact]
    public void Canonical_query_sorts_and_encodes()
        => Assert.Equal("a=1&b=x%2By&b=z&t=2020-07-07T01%3A17%3A05%2B0800",
            AkSkSigner.CanonicalQuery("t=2020-07-07T01:17:05%2B0800&b=z&b=x%2By&a=1"));
}
