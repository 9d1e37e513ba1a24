using System;
using System.Collections.Generic;
using System.Text;
using BackupTools.Auth.Huawei;
using BackupTools.Gauss;
using Xunit;

namespace BackupTools.Tests.Gauss
{
    /// <summary>The AK/SK signer against the SDK's published vectors, and the pure Gauss rules.</summary>
    public sealed class GaussUnitTests
    {
        private static Dictionary<string, string> VectorHeaders() => new Dictionary<string, string>
        {
            ["host"] = "service.endpoint.myhuaweicloud.com",
            ["x-sdk-date"] = "20200608T023900Z",
        };

        [Fact]
        public void Signer_MatchesPublishedGetVector()
        {
            var signature = AkSkSigner.Sign("SecretKey", "GET", "/resources", "size=1", VectorHeaders(), Array.Empty<byte>(), "20200608T023900Z");
            Assert.Equal("cfb4171acec81de07d50e53d57eb77edd537414d66ddb1d7d780f128e12cd842", signature);
        }

        [Fact]
        public void Signer_MatchesPublishedPostVector()
        {
            var body = Encoding.UTF8.GetBytes("{\"name\":\"test\",\"id\":1}");
            var signature = AkSkSigner.Sign("SecretKey", "POST", "/resources", "size=1", VectorHeaders(), body, "20200608T023900Z");
            Assert.Equal("436b1ac0a1ae03705934bb70ef2f2e09f7bfed2117d731a38235053199323a1f", signature);
        }

        [Fact]
        public void Signer_CanonicalForms()
        {
            Assert.Equal("/v3/p/jobs/", AkSkSigner.CanonicalUri("/v3/p/jobs"));
            Assert.Equal("/v3/p/jobs/", AkSkSigner.CanonicalUri("/v3/p/jobs/"));
            Assert.Equal("a=1&b=x%20y&begin_time=2020-07-07T01%3A17%3A05%2B0800", AkSkSigner.CanonicalQuery("?begin_time=2020-07-07T01%3A17%3A05%2B0800&b=x%20y&a=1"));
            Assert.Equal(string.Empty, AkSkSigner.CanonicalQuery(string.Empty));
        }

        [Theory]
        [InlineData("2020-07-07T01:17:05+0800", "2020-07-06T17:17:05Z")]
        [InlineData("2020-07-07T01:17:05-0130", "2020-07-07T02:47:05Z")]
        [InlineData("2020-07-07T01:17:05+08:00", "2020-07-06T17:17:05Z")]
        [InlineData("2020-07-07T01:17:05Z", "2020-07-07T01:17:05Z")]
        [InlineData("2020-07-07T01:17:05 0800", "2020-07-06T17:17:05Z")]
        public void GaussTime_ParsesTheServiceForm(string text, string utc)
        {
            var parsed = GaussTime.Parse(text);
            Assert.NotNull(parsed);
            Assert.Equal(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), parsed!.Value);
        }

        [Fact]
        public void GaussTime_FormatsAtPlusEight_AndRoundTrips()
        {
            var t = new DateTimeOffset(2020, 7, 6, 17, 17, 5, TimeSpan.Zero);
            Assert.Equal("2020-07-07T01:17:05+0800", GaussTime.Format(t));
            Assert.Equal(t, GaussTime.Parse(GaussTime.Format(t)));
            Assert.Null(GaussTime.Parse("yesterday"));
            Assert.Null(GaussTime.Parse(null));
        }

        [Theory]
        [InlineData("07033b125fd94a8a96896f8bcfee6ddain07")]
        [InlineData("gauss-orders")]
        [InlineData("a")]
        [InlineData("")]
        [InlineData("an-instance-name-that-is-very-long-indeed-and-goes-on-and-on-and-on")]
        public void GeneratedNames_AreValid(string instance)
        {
            var name = GaussRules.GenerateName(instance, DateTimeOffset.UtcNow);
            Assert.True(GaussRules.Name.IsValid(name), name);
        }

        [Fact]
        public void Rules_MatchTheReference()
        {
            Assert.True(GaussRules.Name.IsValid("Abcd"));
            Assert.False(GaussRules.Name.IsValid("Abc"));
            Assert.False(GaussRules.Name.IsValid("1abc"));
            Assert.False(GaussRules.Name.IsValid(new string('a', 65)));
            Assert.Null(GaussRules.CheckDescription(null));
            Assert.Null(GaussRules.CheckDescription(new string('x', 256)));
            Assert.NotNull(GaussRules.CheckDescription(new string('x', 257)));
            foreach (var c in "><!\"&'=\r")
            {
                Assert.NotNull(GaussRules.CheckDescription("bad " + c));
            }

            Assert.True(GaussRules.InstanceId.IsValid("07033b125fd94a8a96896f8bcfee6ddain07"));
            Assert.False(GaussRules.InstanceId.IsValid("07033b12-5fd9"));
            Assert.True(GaussRules.ProjectId.IsValid("0b5c7f3a9d2e4f6a8b1c3d5e7f9a0b2c"));
            Assert.False(GaussRules.ProjectId.IsValid("0b5c7f3a"));
        }

        [Fact]
        public void Endpoints_ComeFromTheTable()
        {
            Assert.Equal("https://gaussdb.cn-north-4.myhuaweicloud.com/", GaussEndpoints.Service(GaussCloud.HuaweiCloud, "cn-north-4"));
            Assert.Equal("https://gaussdbformysql.ap-southeast-1.myhuaweicloud.com/", GaussEndpoints.Service(GaussCloud.HuaweiCloud, "ap-southeast-1"));
            Assert.Equal("https://gaussdb-mysql.af-south-1.myhuaweicloud.com/", GaussEndpoints.Service(GaussCloud.HuaweiCloud, "af-south-1"));
            Assert.Equal("https://gaussdb-mysql.eu-de.otc.t-systems.com/", GaussEndpoints.Service(GaussCloud.OpenTelekomCloud, "eu-de"));
            Assert.Equal("https://iam.eu-de.otc.t-systems.com/", GaussEndpoints.Iam(GaussCloud.OpenTelekomCloud, "eu-de"));
            Assert.Throws<BackupTools.Errors.BackupToolsException>(() => GaussEndpoints.Service(GaussCloud.HuaweiCloud, "xx-nowhere-1"));
        }
    }
}
