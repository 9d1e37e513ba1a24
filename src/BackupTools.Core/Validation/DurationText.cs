using System;
using System.Globalization;

namespace BackupTools.Validation
{
    /// <summary>Durations as people write them: "7d", "12h", "90m", "30s", "250ms", "1.02:00:00", or seconds.</summary>
    public static class DurationText
    {
        public static TimeSpan Parse(string text)
        {
            try
            {
                return ParseCore(text);
            }
            catch (Exception ex) when (ex is OverflowException || ex is ArgumentException)
            {
                // "1e300d", "Infinity": a number no TimeSpan can hold (found by the fuzz tests).
                throw ValidationError.Create("'" + TextRule.Printable((text ?? string.Empty).Trim()) + "' is not a duration a TimeSpan can hold (at most about 10,675,199 days).", text);
            }
        }

        private static TimeSpan ParseCore(string text)
        {
            var t = (text ?? string.Empty).Trim();
            if (t.Length == 0)
            {
                throw ValidationError.Create("A duration is required, e.g. 7d, 12h, 90m, 30s or 1.02:00:00.");
            }

            string[] units = { "ms", "d", "h", "m", "s" };
            foreach (var unit in units)
            {
                if (t.EndsWith(unit, StringComparison.OrdinalIgnoreCase)
                    && double.TryParse(t.Substring(0, t.Length - unit.Length), NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
                    && n >= 0)
                {
                    switch (unit)
                    {
                        case "ms":
                            return TimeSpan.FromMilliseconds(n);
                        case "d":
                            return TimeSpan.FromDays(n);
                        case "h":
                            return TimeSpan.FromHours(n);
                        case "m":
                            return TimeSpan.FromMinutes(n);
                        default:
                            return TimeSpan.FromSeconds(n);
                    }
                }
            }

            if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
            {
                return TimeSpan.FromSeconds(seconds);
            }

            if (TimeSpan.TryParse(t, CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero)
            {
                return span;
            }

            throw ValidationError.Create("'" + TextRule.Printable(t) + "' is not a duration: write e.g. 7d, 12h, 90m, 30s, 250ms, 1.02:00:00, or a number of seconds.", t);
        }
    }
}
