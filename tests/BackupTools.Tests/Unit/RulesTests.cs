using System;
using BackupTools.Spanner;
using BackupTools.Validation;
using Xunit;

namespace BackupTools.Tests.Unit
{
    public sealed class RulesTests
    {
        [Theory]
        [InlineData("ab", true)]
        [InlineData("orders-2026_11", true)]
        [InlineData("a", false)]
        [InlineData("1abc", false)]
        [InlineData("abc-", false)]
        [InlineData("Abc", false)]
        [InlineData("ab c", false)]
        [InlineData("ab/c", false)]
        [InlineData("", false)]
        public void BackupIdRule(string id, bool valid) => Assert.Equal(valid, SpannerRules.BackupId.IsValid(id));

        [Fact]
        public void BackupIdRule_BoundaryLengths()
        {
            Assert.True(SpannerRules.BackupId.IsValid("a" + new string('b', 59)));
            Assert.False(SpannerRules.BackupId.IsValid("a" + new string('b', 60)));
        }

        [Theory]
        [InlineData("orders")]
        [InlineData("a_database_with_a_long_name_x1")]
        [InlineData("db")]
        public void GeneratedBackupIds_AreValid(string database)
        {
            var id = SpannerRules.GenerateBackupId(database, new DateTimeOffset(2026, 11, 22, 10, 15, 0, 123, TimeSpan.Zero));
            Assert.True(SpannerRules.BackupId.IsValid(id), id);
            Assert.EndsWith("-20261122-101500-123", id);
            Assert.StartsWith(database.Substring(0, 2), id);
        }

        [Fact]
        public void ExpiryWindow_IsSixHoursTo366Days()
        {
            var now = DateTimeOffset.UtcNow;
            Assert.Null(SpannerRules.CheckExpireTime(now.AddHours(6), now));
            Assert.Null(SpannerRules.CheckExpireTime(now.AddDays(366), now));
            Assert.Contains("at least 6 hours", SpannerRules.CheckExpireTime(now.AddHours(6).AddSeconds(-1), now));
            Assert.Contains("at most 366 days", SpannerRules.CheckExpireTime(now.AddDays(366).AddSeconds(1), now));
            Assert.True(SpannerRules.ExpireTimeFor(TimeSpan.FromHours(6), now) > now.AddHours(6));
        }

        [Fact]
        public void VersionTime_NotInTheFuture_NorOlderThanSevenDays()
        {
            var now = DateTimeOffset.UtcNow;
            Assert.Null(SpannerRules.CheckVersionTime(now.AddMinutes(-30), now));
            Assert.Contains("in the future", SpannerRules.CheckVersionTime(now.AddSeconds(1), now));
            Assert.Contains("older than 7 days", SpannerRules.CheckVersionTime(now.AddDays(-7).AddSeconds(-1), now));
        }

        [Fact]
        public void Messages_EscapeControlCharacters()
        {
            var message = SpannerRules.BackupId.Check("bad\r\nid");
            Assert.Contains("bad\\u000d\\u000aid", message);
        }

        [Theory]
        [InlineData("2026-11-22T10:00:00Z", "2026-11-22T10:00:00Z")]
        [InlineData("2026-11-22T10:00:00.123Z", "2026-11-22T10:00:00.123Z")]
        [InlineData("2026-11-22T10:00:00.123456789Z", "2026-11-22T10:00:00.123456Z")]
        [InlineData("2026-11-22T11:00:00+01:00", "2026-11-22T10:00:00Z")]
        public void Rfc3339_RoundTripsInUtc(string input, string expected)
        {
            Assert.Equal(expected, Rfc3339.Format(Rfc3339.Parse(input)!.Value));
        }

        [Theory]
        [InlineData("7d", 7 * 24 * 3600)]
        [InlineData("12h", 12 * 3600)]
        [InlineData("90m", 90 * 60)]
        [InlineData("30s", 30)]
        [InlineData("250ms", 0.25)]
        [InlineData("1.02:00:00", 26 * 3600)]
        [InlineData("300", 300)]
        public void Durations_ParseAsPeopleWriteThem(string text, double seconds) =>
            Assert.Equal(TimeSpan.FromSeconds(seconds), DurationText.Parse(text));

        [Theory]
        [InlineData("")]
        [InlineData("soon")]
        [InlineData("-5s")]
        public void BadDurations_AreRefusedWithTheRule(string text)
        {
            var ex = Assert.ThrowsAny<Errors.BackupToolsException>(() => DurationText.Parse(text));
            Assert.Contains("7d", ex.Message);
        }
    }
}
