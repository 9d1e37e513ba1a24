using System;
using System.Globalization;

namespace BackupTools.Validation
{
    /// <summary>Google's timestamp form: RFC 3339 in UTC with 'Z' and 0, 3 or 6 fractional digits.</summary>
    public static class Rfc3339
    {
        public static string Format(DateTimeOffset value)
        {
            var utc = value.UtcDateTime;
            var subSecondTicks = utc.Ticks % TimeSpan.TicksPerSecond;
            if (subSecondTicks == 0)
            {
                return utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            }

            if (subSecondTicks % TimeSpan.TicksPerMillisecond == 0)
            {
                return utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            }

            return utc.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        }

        public static DateTimeOffset? Parse(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return null;
            }

            // Up to 9 fractional digits may arrive; .NET keeps 7, so trim the rest before parsing.
            var t = text!;
            var dot = t.IndexOf('.');
            if (dot > 0)
            {
                var end = dot + 1;
                while (end < t.Length && char.IsDigit(t[end]))
                {
                    end++;
                }

                if (end - dot - 1 > 7)
                {
                    t = t.Substring(0, dot + 8) + t.Substring(end);
                }
            }

            return DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : (DateTimeOffset?)null;
        }
    }
}
