using System;
using System.Globalization;
using System.Text.RegularExpressions;
using BackupTools.Validation;

namespace BackupTools.Gauss
{
    /// <summary>
    /// What GaussDB(for MySQL) accepts, checked before any request so a bad value costs no call. The
    /// service (and the emulator) enforce the same rules with DBS.280277 / .280127 / .280404.
    /// </summary>
    public static class GaussRules
    {
        /// <summary>The offset the service writes its times in; filters are sent in the same form.</summary>
        public static readonly TimeSpan ServiceOffset = TimeSpan.FromHours(8);

        public static readonly TextRule Name = new TextRule(
            "GaussDB backup name",
            "^[A-Za-z][A-Za-z0-9_\\-]*$",
            4,
            64,
            "4 to 64 characters, a letter first, then letters, digits, '-' or '_'");

        /// <summary>Empty is handled by the caller (a description is optional); the rule is for a given one.</summary>
        public static readonly TextRule Description = new TextRule(
            "GaussDB backup description",
            "^[^><!\"&'=\\r]*$",
            1,
            256,
            "at most 256 characters, without > ! < \" & ' = or a carriage return");

        // The docs say "UUID format" but every real id is 32 hex + "in07": be liberal, letters and digits.
        public static readonly TextRule InstanceId = new TextRule(
            "GaussDB instance id",
            "^[A-Za-z0-9]+$",
            32,
            40,
            "32 to 40 letters and digits, typically 32 hex digits followed by 'in07'");

        public static readonly TextRule ProjectId = new TextRule(
            "Huawei Cloud project id",
            "^[A-Za-z0-9]+$",
            32,
            32,
            "32 letters and digits");

        public static readonly TextRule BackupId = new TextRule(
            "GaussDB backup id",
            "^[A-Za-z0-9\\-]+$",
            1,
            64,
            "letters, digits and '-'");

        public static readonly TextRule JobId = new TextRule(
            "GaussDB job id",
            "^[A-Za-z0-9\\-]+$",
            1,
            64,
            "letters, digits and '-' (a UUID)");

        private static readonly Regex NotAllowedInName = new Regex("[^A-Za-z0-9_\\-]", RegexOptions.CultureInvariant);

        /// <summary>Null when the description is acceptable (null or empty means none), else why not.</summary>
        public static string? CheckDescription(string? description) =>
            string.IsNullOrEmpty(description) ? null : Description.Check(description);

        /// <summary>
        /// A backup name when none is given: the instance name (or id) and the UTC time to the
        /// millisecond ("gauss-orders-20261122-101500-123"), always valid by the name rule.
        /// </summary>
        public static string GenerateName(string instance, DateTimeOffset now)
        {
            var stem = NotAllowedInName.Replace(instance ?? string.Empty, "-").Trim('-', '_');
            if (stem.Length == 0 || !IsAsciiLetter(stem[0]))
            {
                stem = "backup-" + stem;
            }

            var suffix = now.UtcDateTime.ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture);
            var maxStem = Name.MaxLength - suffix.Length - 1;
            if (stem.Length > maxStem)
            {
                stem = stem.Substring(0, maxStem).TrimEnd('-', '_');
            }

            return stem.TrimEnd('-', '_') + "-" + suffix;
        }

        private static bool IsAsciiLetter(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /// <summary>
    /// Gauss's time form, "2020-07-07T01:17:05+0800": a numeric offset without a colon, which neither
    /// RFC 3339 parsers nor Newtonsoft read. Parsing also accepts the colon form and 'Z'.
    /// </summary>
    public static class GaussTime
    {
        private static readonly string[] Formats =
        {
            "yyyy-MM-dd'T'HH:mm:sszzz",
            "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
            "yyyy-MM-dd'T'HH:mm:ss'Z'",
            "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
        };

        public static DateTimeOffset? Parse(string? text)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            var t = text!.Trim();

            // A '+' that crossed a query string unencoded arrives as a space.
            if (t.Length == 24 && t[19] == ' ')
            {
                t = t.Substring(0, 19) + "+" + t.Substring(20);
            }

            // "+0800" -> "+08:00" so the standard zzz pattern reads it.
            if (t.Length >= 5 && (t[t.Length - 5] == '+' || t[t.Length - 5] == '-') && IsDigits(t.Substring(t.Length - 4)))
            {
                t = t.Substring(0, t.Length - 2) + ":" + t.Substring(t.Length - 2);
            }

            return DateTimeOffset.TryParseExact(t, Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
                ? value
                : (DateTimeOffset?)null;
        }

        /// <summary>Writes a time as the service does, at its offset (+0800), whole seconds.</summary>
        public static string Format(DateTimeOffset value)
        {
            var local = value.ToOffset(GaussRules.ServiceOffset);
            var offset = GaussRules.ServiceOffset;
            var sign = offset < TimeSpan.Zero ? "-" : "+";
            var abs = offset.Duration();
            return local.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + sign
                + abs.Hours.ToString("00", CultureInfo.InvariantCulture) + abs.Minutes.ToString("00", CultureInfo.InvariantCulture);
        }

        private static bool IsDigits(string s)
        {
            foreach (var c in s)
            {
                if (c < '0' || c > '9')
                {
                    return false;
                }
            }

            return true;
        }
    }
}
