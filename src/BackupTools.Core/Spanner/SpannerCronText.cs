using System.Globalization;
using System.Linq;

namespace BackupTools.Spanner
{
    /// <summary>
    /// The cron texts a Spanner backup schedule accepts (CrontabSpec.text): five fields in UTC, the minute
    /// and hour fixed, the month "*", and a frequency of every 12 hours, daily, weekly or monthly.
    /// </summary>
    internal static class CronSchedule
    {
        private const string Examples = " Examples: '0 2/12 * * *' or '0 2,14 * * *' (every 12 hours), '0 2 * * *' (daily), '0 2 * * 0' (weekly, on Sunday), '0 2 8 * *' (monthly, on the 8th).";

        /// <summary>Null when the text is accepted, else the rule it breaks, naming it.</summary>
        public static string? Check(string? text)
        {
            var cron = (text ?? string.Empty).Trim();
            if (cron.Length == 0)
            {
                return "A cron text is required: five fields (minute hour day-of-month month day-of-week) in UTC." + Examples;
            }

            if (cron.Length > 100)
            {
                return "CronText is too long: five fields (minute hour day-of-month month day-of-week) in UTC." + Examples;
            }

            if (cron.StartsWith("CRON_TZ=", System.StringComparison.OrdinalIgnoreCase) || cron.StartsWith("TZ=", System.StringComparison.OrdinalIgnoreCase))
            {
                return "CronText '" + cron + "' names a time zone: a backup schedule's cron text is in UTC only.";
            }

            var fields = cron.Split(new[] { ' ', '\t' }, System.StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 5)
            {
                return "CronText '" + cron + "' has " + fields.Length.ToString(CultureInfo.InvariantCulture) + " fields: it needs five (minute hour day-of-month month day-of-week), in UTC." + Examples;
            }

            if (!Number(fields[0], 0, 59))
            {
                return "CronText '" + cron + "': the minute must be one number from 0 to 59 (a schedule runs at most every 12 hours).";
            }

            var twelveHourly = !Number(fields[1], 0, 23);
            if (twelveHourly && !IsTwelveHourly(fields[1]))
            {
                return "CronText '" + cron + "': the hour must be one number from 0 to 23, or every 12 hours ('2/12', '*/12' or '2,14'): a backup schedule runs every 12 hours, daily, weekly or monthly." + Examples;
            }

            if (fields[3] != "*")
            {
                return "CronText '" + cron + "': the month must be '*': a backup schedule runs every 12 hours, daily, weekly or monthly." + Examples;
            }

            var dayOfMonth = fields[2];
            var dayOfWeek = fields[4];
            if (twelveHourly && (dayOfMonth != "*" || dayOfWeek != "*"))
            {
                return "CronText '" + cron + "': a schedule every 12 hours runs every day (day of month and day of week '*')." + Examples;
            }

            if (dayOfMonth != "*" && dayOfWeek != "*")
            {
                return "CronText '" + cron + "' gives both a day of month and a day of week: a backup schedule is weekly (day of week) or monthly (day of month), not both." + Examples;
            }

            if (dayOfMonth != "*" && !Number(dayOfMonth, 1, 31))
            {
                return "CronText '" + cron + "': the day of month must be one number from 1 to 31 (monthly).";
            }

            if (dayOfWeek != "*" && !Number(dayOfWeek, 0, 7))
            {
                return "CronText '" + cron + "': the day of week must be one number from 0 to 7, 0 and 7 being Sunday (weekly).";
            }

            return null;
        }

        private static bool IsTwelveHourly(string hour)
        {
            var slash = hour.Split('/');
            if (slash.Length == 2)
            {
                return slash[1] == "12" && (slash[0] == "*" || Number(slash[0], 0, 11));
            }

            var comma = hour.Split(',');
            return comma.Length == 2 && comma.All(h => Number(h, 0, 23)) && System.Math.Abs(int.Parse(comma[0], CultureInfo.InvariantCulture) - int.Parse(comma[1], CultureInfo.InvariantCulture)) == 12;
        }

        private static bool Number(string text, int min, int max) =>
            text.Length > 0 && text.Length <= 2 && text.All(c => c >= '0' && c <= '9') && int.Parse(text, CultureInfo.InvariantCulture) is var n && n >= min && n <= max;
    }
}
