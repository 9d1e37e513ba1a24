using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using BackupTools.Auth;
using BackupTools.Errors;
using BackupTools.Gauss;
using BackupTools.Http;
using BackupTools.Spanner;
using BackupTools.Tests.Infrastructure;
using BackupTools.Validation;
using FsCheck;
using FsCheck.Xunit;
using Xunit;

namespace BackupTools.Tests.Reliability
{
    /// <summary>
    /// Property-based tests over every validated value. Each rule is compared with an oracle written
    /// here from the reference notes (/work/shared/reference/*.md) and the services' published formats,
    /// not from the product's regexes: a value is accepted exactly when the service would accept it, and a
    /// refusal names the rule. Inputs: FsCheck's own strings (unicode, control characters) plus candidates
    /// built from a seed that sit near the rules' edges (boundary lengths, a trailing newline, look-alike
    /// letters, very long strings).
    /// </summary>
    public sealed class FuzzTests
    {
        private const int Runs = 400;

        // Characters near the rules' edges: allowed ones, separators, whitespace and controls, look-alikes
        // (Kelvin sign, dotless i, fullwidth a, Arabic-Indic digit), an emoji (surrogate pair).
        private static readonly string[] Pieces =
        {
            "a", "b", "z", "q", "A", "Z", "0", "9", "-", "_", ".", ":", "/", " ", "\n", "\r", "\t", "\0", "\u007f",
            "\u212a", "\u0131", "\uff41", "\u0663", "é", "\U0001F600", ">", "<", "!", "\"", "&", "'", "=", "%", "+", "#", "?",
        };

        /// <summary>A candidate from a seed: mostly rule-shaped, with one edge piece inserted, boundary lengths.</summary>
        public static string Candidate(int seed)
        {
            var r = new Random(seed);
            var lengths = new[] { 0, 1, 2, 3, 4, 5, 29, 30, 31, 32, 33, 36, 39, 40, 41, 59, 60, 61, 63, 64, 65, 93, 94, 95, 255, 256, 257, 1024, 1025, 5000 };
            var length = r.Next(3) == 0 ? r.Next(0, 12) : lengths[r.Next(lengths.Length)];
            var sb = new StringBuilder();
            sb.Append(r.Next(4) == 0 ? Pieces[r.Next(Pieces.Length)] : ((char)('a' + r.Next(26))).ToString());
            while (sb.Length < length)
            {
                var roll = r.Next(20);
                sb.Append(roll == 0 ? Pieces[r.Next(Pieces.Length)] : roll < 4 ? ((char)('0' + r.Next(10))).ToString() : roll < 5 ? "-" : roll < 6 ? "_" : roll < 7 ? ((char)('A' + r.Next(26))).ToString() : ((char)('a' + r.Next(26))).ToString());
            }

            var s = sb.ToString();
            if (s.Length > length && length > 0)
            {
                s = s.Substring(0, length);
            }

            switch (r.Next(8))
            {
                case 0: return s + "\n";
                case 1: return " " + s;
                case 2: return s.ToUpperInvariant();
                default: return s;
            }
        }

        private static IEnumerable<string> Inputs(string fsCheckString, int seed)
        {
            yield return fsCheckString ?? string.Empty;
            yield return Candidate(seed);
            yield return Candidate(seed ^ 0x5bd1e995);
        }

        // ---------- oracles, from the reference notes ----------
        private static bool Lower(char c) => c >= 'a' && c <= 'z';

        private static bool Digit(char c) => c >= '0' && c <= '9';

        private static bool AsciiLetter(char c) => Lower(c) || (c >= 'A' && c <= 'Z');

        /// <summary>spanner-backups.md: backupId `[a-z][a-z0-9_\-]*[a-z0-9]`, 2 to 60 characters (database ids: the same shape, 2 to 30).</summary>
        private static bool SpannerIdOracle(string s, int max, bool underscore) =>
            s.Length >= 2 && s.Length <= max && Lower(s[0]) && (Lower(s[s.Length - 1]) || Digit(s[s.Length - 1]))
            && s.All(c => Lower(c) || Digit(c) || c == '-' || (underscore && c == '_'));

        /// <summary>Google project ids: lowercase letters, digits, hyphens, a letter first, not a hyphen last; legacy "domain.com:" prefix.</summary>
        private static bool ProjectOracle(string s)
        {
            if (s.Length < 2 || s.Length > 94)
            {
                return false;
            }

            var colon = s.IndexOf(':');
            var rest = colon < 0 ? s : s.Substring(colon + 1);
            if (colon >= 0)
            {
                var domain = s.Substring(0, colon);
                if (domain.Length < 2 || !Lower(domain[0]) || !(Lower(domain[domain.Length - 1]) || Digit(domain[domain.Length - 1])) || !domain.All(c => Lower(c) || Digit(c) || c == '-' || c == '.'))
                {
                    return false;
                }
            }

            return SpannerIdOracle(rest, 94, underscore: false);
        }

        /// <summary>Cloud KMS: projects/{project}/locations/{location}/keyRings/{ring}/cryptoKeys/{key}; ring and key ids 1-63 of [A-Za-z0-9_-]; the project lowercase, digits, '.', ':', '-'.</summary>
        private static bool KmsOracle(string s)
        {
            var parts = s.Split('/');
            bool KmsId(string id) => id.Length >= 1 && id.Length <= 63 && id.All(c => AsciiLetter(c) || Digit(c) || c == '_' || c == '-');
            return parts.Length == 8 && parts[0] == "projects" && parts[1].Length > 0 && (Lower(parts[1][0]) || Digit(parts[1][0])) && parts[1].All(c => Lower(c) || Digit(c) || c == '.' || c == ':' || c == '-') && parts[2] == "locations"
                && parts[3].Length > 0 && parts[3].All(c => Lower(c) || Digit(c) || c == '-')
                && parts[4] == "keyRings" && KmsId(parts[5]) && parts[6] == "cryptoKeys" && KmsId(parts[7]);
        }

        /// <summary>gauss-backups.md: name 4 to 64, a letter first, then letters, digits, '-', '_'.</summary>
        private static bool GaussNameOracle(string s) =>
            s.Length >= 4 && s.Length <= 64 && AsciiLetter(s[0]) && s.All(c => AsciiLetter(c) || Digit(c) || c == '-' || c == '_');

        /// <summary>gauss-backups.md: description at most 256, none of &gt; ! &lt; " &amp; ' = nor a carriage return (optional: empty is none).</summary>
        private static bool GaussDescriptionOracle(string s) => s.Length <= 256 && s.IndexOfAny(new[] { '>', '!', '<', '"', '&', '\'', '=', '\r' }) < 0;

        private static bool AlnumOracle(string s, int min, int max) => s.Length >= min && s.Length <= max && s.All(c => AsciiLetter(c) || Digit(c));

        private static bool GaussIdOracle(string s) => s.Length >= 1 && s.Length <= 64 && s.All(c => AsciiLetter(c) || Digit(c) || c == '-');

        private static void AgreesWithOracle(TextRule rule, string value, bool oracle)
        {
            var problem = rule.Check(value);
            Assert.True((problem == null) == oracle, rule.What + " '" + Escape(value) + "': rule says " + (problem ?? "valid") + ", oracle says " + (oracle ? "valid" : "invalid"));
            if (problem != null)
            {
                Assert.Contains(rule.What, problem);
                var ex = Assert.Throws<BackupToolsException>(() => rule.Require(value));
                Assert.Equal(ErrorIds.InvalidParameter, ex.ErrorId);

                // The message never carries a raw control character (it is shown on a console line).
                Assert.DoesNotContain(problem, c => c == '\n' || c == '\r' || c == '\0');
            }
        }

        private static string Escape(string s) => string.Concat(s.Take(120).Select(c => char.IsControl(c) ? "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture) : c.ToString()));

        [Property(MaxTest = Runs)]
        public void SpannerBackupId(string raw, int seed)
        {
            foreach (var v in Inputs(raw, seed))
            {
                AgreesWithOracle(SpannerRules.BackupId, v, SpannerIdOracle(v, 60, underscore: true));
            }
        }

        [Property(MaxTest = Runs)]
        public void SpannerDatabaseAndInstanceIds(string raw, int seed)
        {
            foreach (var v in Inputs(raw, seed))
            {
                AgreesWithOracle(SpannerRules.DatabaseId, v, SpannerIdOracle(v, 30, underscore: true));
                AgreesWithOracle(SpannerRules.InstanceId, v, SpannerIdOracle(v, 64, underscore: false));
            }
        }

        [Property(MaxTest = Runs)]
        public void SpannerProjectId(string raw, int seed)
        {
            foreach (var v in Inputs(raw, seed).Concat(new[] { "example.com:" + Candidate(seed), Candidate(seed) + ":" + Candidate(seed + 1) }))
            {
                AgreesWithOracle(SpannerRules.ProjectId, v, ProjectOracle(v));
            }
        }

        [Property(MaxTest = Runs)]
        public void KmsKeyName(string raw, int seed)
        {
            var r = new Random(seed);
            string Seg() => r.Next(3) == 0 ? Candidate(r.Next()) : "k" + r.Next(1000).ToString(CultureInfo.InvariantCulture);
            var shaped = "projects/" + (r.Next(2) == 0 ? "demo-project" : Seg()) + "/locations/" + (r.Next(2) == 0 ? "eu-west1" : Seg()) + "/keyRings/" + Seg() + "/cryptoKeys/" + Seg();
            foreach (var v in Inputs(raw, seed).Append(shaped).Append(shaped + "/cryptoKeyVersions/1").Append(shaped + "\n"))
            {
                AgreesWithOracle(SpannerRules.KmsKeyName, v, KmsOracle(v));
            }
        }

        [Property(MaxTest = Runs)]
        public void GaussNameDescriptionAndIds(string raw, int seed)
        {
            foreach (var v in Inputs(raw, seed))
            {
                AgreesWithOracle(GaussRules.Name, v, GaussNameOracle(v));
                Assert.True((GaussRules.CheckDescription(v) == null) == GaussDescriptionOracle(v), "description '" + Escape(v) + "'");
                AgreesWithOracle(GaussRules.InstanceId, v, AlnumOracle(v, 32, 40));
                AgreesWithOracle(GaussRules.ProjectId, v, AlnumOracle(v, 32, 32));
                AgreesWithOracle(GaussRules.BackupId, v, GaussIdOracle(v));
                AgreesWithOracle(GaussRules.JobId, v, GaussIdOracle(v));
            }
        }

        [Property(MaxTest = Runs)]
        public void GeneratedNamesAndIds_AlwaysPassTheirOwnRules(string raw, int seed, int millis)
        {
            var now = DateTimeOffset.FromUnixTimeMilliseconds(1_500_000_000_000L + Math.Abs((long)millis) * 1000L);
            foreach (var v in Inputs(raw, seed).Where(v => v.Length > 0))
            {
                Assert.True(SpannerIdOracle(SpannerRules.GenerateBackupId(v, now), 60, underscore: true), "generated from '" + Escape(v) + "'");
                Assert.True(GaussNameOracle(GaussRules.GenerateName(v, now)), "generated from '" + Escape(v) + "'");
            }
        }

        [Property(MaxTest = Runs)]
        public void Durations_ParseExactly_OrAreRefusedNamingTheRule(NonNegativeInt n, int unitIndex, string raw)
        {
            var units = new[] { ("ms", TimeSpan.FromMilliseconds(1)), ("s", TimeSpan.FromSeconds(1)), ("m", TimeSpan.FromMinutes(1)), ("h", TimeSpan.FromHours(1)), ("d", TimeSpan.FromDays(1)), ("", TimeSpan.FromSeconds(1)) };
            var (suffix, unit) = units[Math.Abs(unitIndex % units.Length)];
            var count = n.Get % 100000;
            Assert.Equal(TimeSpan.FromTicks(unit.Ticks * count), DurationText.Parse(count.ToString(CultureInfo.InvariantCulture) + suffix));
            Assert.Equal(TimeSpan.FromTicks(unit.Ticks * count), DurationText.Parse(" " + count.ToString(CultureInfo.InvariantCulture) + suffix.ToUpperInvariant() + " "));

            foreach (var text in new[] { raw ?? string.Empty, "1e300d", "1e300", "Infinity", "-Infinitys", "NaN", "∞", "99999999999999d", "-1d", "7 d", "7dd", "1.5.5", "10675199.02:48:05.4775808", "-00:00:01" })
            {
                try
                {
                    var value = DurationText.Parse(text);
                    Assert.True(value >= TimeSpan.Zero, "'" + Escape(text) + "' gave " + value);
                }
                catch (BackupToolsException ex)
                {
                    Assert.Equal(ErrorIds.InvalidParameter, ex.ErrorId);
                    Assert.Contains("duration", ex.Message, StringComparison.OrdinalIgnoreCase);
                }
            }
        }

        [Property(MaxTest = Runs)]
        public void RetentionAndExpiry_InAnyTimeZone_FollowTheServiceWindow(int minutes, int offsetQuarterHours)
        {
            var now = new DateTimeOffset(2026, 11, 22, 10, 15, 0, TimeSpan.Zero);
            var offset = TimeSpan.FromMinutes(15 * (Math.Abs(offsetQuarterHours) % 113 - 56)); // -14:00 .. +14:00
            var delta = TimeSpan.FromMinutes(minutes % (400 * 24 * 60));
            var expire = (now + delta).ToOffset(offset);
            var oracle = delta >= TimeSpan.FromHours(6) && delta <= TimeSpan.FromDays(366);
            var problem = SpannerRules.CheckExpireTime(expire, now);
            Assert.True((problem == null) == oracle, "expire " + expire.ToString("o", CultureInfo.InvariantCulture) + ": " + problem);
            if (problem != null)
            {
                Assert.Contains("ExpireTime", problem);
            }

            // What is sent: RFC 3339 in UTC ('Z'), the same instant.
            var sent = Rfc3339.Format(expire);
            Assert.EndsWith("Z", sent);
            Assert.Equal(expire.UtcDateTime, Rfc3339.Parse(sent)!.Value.UtcDateTime);

            var retentionProblem = SpannerRules.CheckRetentionPeriod(delta);
            Assert.True((retentionProblem == null) == oracle, "retention " + delta + ": " + retentionProblem);
            if (retentionProblem == null)
            {
                var expiry = SpannerRules.ExpireTimeFor(delta, now);
                Assert.Null(SpannerRules.CheckExpireTime(expiry, now));
                Assert.Null(SpannerRules.CheckExpireTime(expiry, now + TimeSpan.FromSeconds(30))); // the service checks a little later
            }
        }

        [Property(MaxTest = Runs)]
        public void GaussTimes_PlusHhmmForm_ReadAndWrittenExactly(int seconds, int offsetQuarterHours, string raw)
        {
            var instant = DateTimeOffset.FromUnixTimeSeconds(1_600_000_000L + (seconds % 400_000_000));
            var offset = TimeSpan.FromMinutes(15 * (Math.Abs(offsetQuarterHours) % 113 - 56));
            var local = instant.ToOffset(offset);
            var sign = offset < TimeSpan.Zero ? "-" : "+";
            var text = local.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + sign + offset.Duration().Hours.ToString("00", CultureInfo.InvariantCulture) + offset.Duration().Minutes.ToString("00", CultureInfo.InvariantCulture);
            Assert.Equal(instant, GaussTime.Parse(text));
            Assert.Equal(instant, GaussTime.Parse(text.Replace('+', ' ')));

            // Written as the service writes it: +0800, whole seconds, the same instant.
            var written = GaussTime.Format(instant);
            Assert.Matches("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\+0800$", written);
            Assert.Equal(instant, GaussTime.Parse(written));

            // Anything else is read or refused (null), never an exception.
            foreach (var junk in new[] { raw ?? string.Empty, text + "\n", text.Substring(0, 19) + "+9999", text.Substring(0, 19) + "+08", "2026-02-30T00:00:00+0800", text.Replace('T', ' ') })
            {
                _ = GaussTime.Parse(junk);
            }
        }

        [Property(MaxTest = Runs)]
        public void Endpoints_AcceptedSafely_OrRefusedNamingTheRule(string raw, int seed)
        {
            var r = new Random(seed);
            var hosts = new[] { "127.0.0.1", "localhost", "[::1]", "spanner.googleapis.com", "192.0.2.1", "example.com", "127.0.0.1.example.com", "xn--bcher-kva.example", "bücher.example", "0x7f.1", "2130706433", "[::ffff:127.0.0.1]" };
            var schemes = new[] { "http://", "https://", "ftp://", "HTTP://", "", "file://", "javascript:" };
            var tails = new[] { "", "/", ":9020", ":9020/v1", "/?a=b", "#x", ":0", ":65536", "/\n", " " };
            var built = schemes[r.Next(schemes.Length)] + (r.Next(6) == 0 ? "user:pw@" : string.Empty) + hosts[r.Next(hosts.Length)] + tails[r.Next(tails.Length)];
            foreach (var v in new[] { raw ?? string.Empty, built })
            {
                foreach (var allow in new[] { false, true })
                {
                    ServiceEndpoint endpoint;
                    try
                    {
                        endpoint = ServiceEndpoint.Parse(v, allow);
                    }
                    catch (BackupToolsException ex)
                    {
                        Assert.True(ex.ErrorId == ErrorIds.InvalidParameter || ex.ErrorId == ErrorIds.InsecureEndpoint, ex.ErrorId);
                        Assert.Contains("ndpoint", ex.Message);
                        Assert.DoesNotContain(":pw@", ex.Message);
                        continue;
                    }

                    var uri = endpoint.BaseAddress;
                    Assert.True(uri.Scheme == "http" || uri.Scheme == "https");
                    Assert.Equal(string.Empty, uri.UserInfo);
                    Assert.Equal(string.Empty, uri.Query);
                    Assert.EndsWith("/", uri.AbsoluteUri);
                    if (uri.Scheme == "http" && !allow)
                    {
                        Assert.True(endpoint.IsLoopback, v);
                    }
                }
            }
        }

        /// <summary>Bad values of every validated parameter, per cmdlet, are refused with the rule named and cause no request at all.</summary>
        [Fact]
        public async Task RefusedValues_CauseNoRequest_InAnyCmdlet()
        {
            await using var s = await EmulatorSession.StartAsync();
            s.SignGaussWithDemoKey();
            var baseline = s.Emulator.State.Requests.Count;

            IEnumerable<string> Bad(Func<string, bool> oracle, int count, int seed) =>
                Enumerable.Range(seed, 5000).Select(Candidate).Where(v => v.Trim().Length > 0 && !oracle(v)).Distinct().Take(count);

            const string Orders = "07033b125fd94a8a96896f8bcfee6ddain07";
            var cases = new List<(string Script, string Value)>();
            foreach (var v in Bad(x => SpannerIdOracle(x, 60, true), 6, 1))
            {
                cases.Add(("New-SpannerBackup demo-project demo-instance orders -BackupId $args[0]", v));
                cases.Add(("Get-SpannerBackup demo-project demo-instance -BackupId $args[0]", v));
                cases.Add(("Set-SpannerBackup demo-project demo-instance $args[0] -RetentionPeriod '7d'", v));
                cases.Add(("Remove-SpannerBackup demo-project demo-instance $args[0] -Force", v));
            }

            foreach (var v in Bad(ProjectOracle, 4, 100))
            {
                cases.Add(("New-SpannerBackup $args[0] demo-instance orders", v));
                cases.Add(("Get-SpannerBackupOperation $args[0] demo-instance", v));
            }

            foreach (var v in Bad(x => SpannerIdOracle(x, 64, false), 4, 200))
            {
                cases.Add(("New-SpannerBackup demo-project $args[0] orders", v));
            }

            foreach (var v in Bad(x => SpannerIdOracle(x, 30, true), 4, 300))
            {
                cases.Add(("New-SpannerBackup demo-project demo-instance $args[0]", v));
            }

            foreach (var v in Bad(KmsOracle, 3, 400).Append("projects/p1-x/locations/eu/keyRings/r 1/cryptoKeys/k"))
            {
                cases.Add(("New-SpannerBackup demo-project demo-instance orders -EncryptionType CUSTOMER_MANAGED_ENCRYPTION -KmsKeyName $args[0]", v));
            }

            foreach (var v in new[] { "1h", "367d", "abc", "1e300d", "-1d" })
            {
                cases.Add(("New-SpannerBackup demo-project demo-instance orders -RetentionPeriod $args[0]", v));
            }

            foreach (var v in Bad(GaussNameOracle, 5, 500))
            {
                cases.Add(("New-GaussBackup -InstanceId " + Orders + " -Name $args[0]", v));
            }

            foreach (var v in Bad(GaussDescriptionOracle, 4, 600).Append("a\rb").Append(new string('x', 257)))
            {
                cases.Add(("New-GaussBackup -InstanceId " + Orders + " -Name good-name -Description $args[0]", v));
            }

            foreach (var v in Bad(x => AlnumOracle(x, 32, 40), 4, 700).Append(Orders + "\n"))
            {
                cases.Add(("New-GaussBackup -InstanceId $args[0]", v));
                cases.Add(("Get-GaussBackup -InstanceId $args[0]", v));
            }

            foreach (var v in Bad(GaussIdOracle, 3, 800))
            {
                cases.Add(("Get-GaussBackupJob -JobId $args[0]", v));
                cases.Add(("Remove-GaussBackup -BackupId $args[0] -Force", v));
                cases.Add(("Get-GaussBackup -BackupId $args[0]", v));
            }

            foreach (var v in Bad(x => AlnumOracle(x, 32, 32), 3, 900))
            {
                cases.Add(("Get-GaussBackup -ProjectId $args[0]", v));
            }

            Assert.True(cases.Count > 60);
            foreach (var (script, value) in cases)
            {
                var r = s.Run(script, value);
                var error = Assert.Single(r.AllErrors);
                var message = error.Exception.Message + " " + error.ErrorDetails?.Message;
                Assert.True(
                    message.Contains("not a valid", StringComparison.Ordinal) || message.Contains("duration", StringComparison.OrdinalIgnoreCase)
                    || message.Contains("RetentionPeriod", StringComparison.Ordinal) || message.Contains("is required", StringComparison.Ordinal),
                    script + " '" + Escape(value) + "': " + message);
                Assert.True(s.Emulator.State.Requests.Count == baseline, script + " '" + Escape(value) + "' sent a request");
            }
        }
    }
}
