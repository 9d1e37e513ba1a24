using System;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace BackupTools.Gauss
{
    /// <summary>An instance's automated-backup policy. Automated backups are always on; this says when and how long they are kept.</summary>
    public sealed class GaussBackupPolicy
    {
        public string InstanceId { get; set; } = string.Empty;

        /// <summary>The one-hour window, in UTC, in which the daily automated backup starts ("19:00-20:00").</summary>
        public string StartTime { get; set; } = string.Empty;

        /// <summary>Days automated backups are kept: 1 to 732.</summary>
        public int KeepDays { get; set; }

        /// <summary>The weekdays backups are taken on: 1 (Monday) to 7 (Sunday).</summary>
        public int[] Period { get; set; } = Array.Empty<int>();

        /// <summary>Level-1 backups kept (0 or 1), when the service reports it.</summary>
        public int? RetentionNumBackupLevel1 { get; set; }

        public override string ToString() =>
            string.Format(CultureInfo.InvariantCulture, "{0}: {1} UTC on {2}, kept {3} days", InstanceId, StartTime, string.Join(",", Period), KeepDays);
    }

    /// <summary>What a batch delete did to one backup.</summary>
    public sealed class GaussBackupDeleteResult
    {
        public string BackupId { get; set; } = string.Empty;

        public bool Deleted { get; set; }

        public string? ErrorCode { get; set; }

        public string? ErrorMessage { get; set; }

        public override string ToString() => BackupId + (Deleted ? " deleted" : " not deleted: " + ErrorCode + " " + ErrorMessage);
    }

    /// <summary>The policy's rules, checked before any request (the emulator enforces the same).</summary>
    public static class GaussPolicyRules
    {
        public const int MinKeepDays = 1;
        public const int MaxKeepDays = 732;

        /// <summary>The most backups one batch delete may name.</summary>
        public const int MaxBatchDelete = 50;

        private static readonly Regex Window = new Regex("^([01][0-9]|2[0-3]):00-([01][0-9]|2[0-3]):00$", RegexOptions.CultureInvariant);

        /// <summary>Null when the text is a one-hour window on the hour in UTC ("hh:00-HH:00", HH = hh + 1, 23:00-00:00 included), else why not.</summary>
        public static string? CheckStartTime(string? text)
        {
            var m = Window.Match(text ?? string.Empty);
            if (!m.Success || (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) + 1) % 24 != int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))
            {
                return "StartTime '" + text + "' is not a backup window: give a one-hour window on the hour, in UTC, as hh:00-HH:00 (for example '21:00-22:00').";
            }

            return null;
        }

        /// <summary>Null when the weekdays are 1 (Monday) to 7 (Sunday), at least one, each once.</summary>
        public static string? CheckPeriod(int[]? days)
        {
            if (days == null || days.Length == 0 || days.Any(d => d < 1 || d > 7) || days.Distinct().Count() != days.Length)
            {
                return "Period must list weekdays 1 (Monday) to 7 (Sunday), at least one, each once.";
            }

            return null;
        }

        /// <summary>The "period" text the service takes ("1,3,5").</summary>
        public static string PeriodText(int[] days) => string.Join(",", days.OrderBy(d => d).Select(d => d.ToString(CultureInfo.InvariantCulture)));
    }
}
