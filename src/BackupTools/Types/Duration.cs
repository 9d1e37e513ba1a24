using System;
using System.Globalization;
using BackupTools.Errors;
using BackupTools.Validation;

namespace BackupTools
{
    /// <summary>
    /// A duration parameter's type: '14d', '2h', '90m', '30s', '250ms', '1.02:00:00', a number of
    /// seconds (1800), or a [timespan]. The conversion lives in the type, not in an attribute, because
    /// proxies (ProxyCommand.Create) and Pester mocks keep a parameter's type but drop its
    /// transformation attributes: a mocked -RetentionPeriod '14d' converts the same way, and a
    /// -ParameterFilter can write [timespan]$RetentionPeriod, $RetentionPeriod -eq '14d' or
    /// $Timeout.TotalSeconds. It lives in the module's own assembly (not the core's private load
    /// context) so PowerShell finds it by name in a proxy's param block.
    /// </summary>
    public readonly struct Duration : IEquatable<Duration>, IComparable<Duration>, IComparable, IFormattable
    {
        public Duration(TimeSpan value)
        {
            if (value < TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(value), "A duration cannot be negative.");
            }

            TimeSpan = value;
        }

        public TimeSpan TimeSpan { get; }

        public double TotalSeconds => TimeSpan.TotalSeconds;

        public double TotalMinutes => TimeSpan.TotalMinutes;

        public double TotalHours => TimeSpan.TotalHours;

        public double TotalDays => TimeSpan.TotalDays;

        /// <summary>PowerShell's string conversion: the rule's own message when the text is not a duration.</summary>
        public static Duration Parse(string text)
        {
            try
            {
                return new Duration(DurationText.Parse(text));
            }
            catch (BackupToolsException e)
            {
                throw new FormatException(e.Message, e);
            }
        }

        /// <summary>A [timespan] as it is.</summary>
        public static implicit operator Duration(TimeSpan value) => new Duration(value);

        /// <summary>A number is seconds (so -Timeout 300 is five minutes, not 300 ticks).</summary>
        public static implicit operator Duration(int seconds) => FromSeconds(seconds);

        public static implicit operator Duration(long seconds) => FromSeconds(seconds);

        public static implicit operator Duration(double seconds) => FromSeconds(seconds);

        /// <summary>
        /// PowerShell reads an unquoted 7d as the decimal number 7: refused with that explanation rather
        /// than taken as 7 seconds.
        /// </summary>
        public static implicit operator Duration(decimal value) =>
            throw new FormatException("The duration " + value.ToString(CultureInfo.InvariantCulture) + " arrived as a decimal number (PowerShell reads an unquoted 7d as the decimal 7): quote it, e.g. '7d', or give a [timespan].");

        public static implicit operator TimeSpan(Duration value) => value.TimeSpan;

        public static bool operator ==(Duration left, Duration right) => left.Equals(right);

        public static bool operator !=(Duration left, Duration right) => !left.Equals(right);

        public static bool operator <(Duration left, Duration right) => left.CompareTo(right) < 0;

        public static bool operator >(Duration left, Duration right) => left.CompareTo(right) > 0;

        public static bool operator <=(Duration left, Duration right) => left.CompareTo(right) <= 0;

        public static bool operator >=(Duration left, Duration right) => left.CompareTo(right) >= 0;

        public static Duration FromSeconds(double seconds)
        {
            if (double.IsNaN(seconds) || seconds < 0 || seconds > TimeSpan.MaxValue.TotalSeconds)
            {
                throw new FormatException("A duration in seconds must be a number from 0 to about 10,675,199 days; got " + seconds.ToString(CultureInfo.InvariantCulture) + ".");
            }

            return new Duration(TimeSpan.FromSeconds(seconds));
        }

        public bool Equals(Duration other) => TimeSpan == other.TimeSpan;

        public override bool Equals(object? obj) => obj is Duration other && Equals(other);

        public override int GetHashCode() => TimeSpan.GetHashCode();

        public int CompareTo(Duration other) => TimeSpan.CompareTo(other.TimeSpan);

        public int CompareTo(object? obj) => obj is Duration other ? CompareTo(other) : throw new ArgumentException("Not a Duration.", nameof(obj));

        /// <summary>The shortest exact form people write: 14d, 2h, 90m, 30s, 250ms, else d.hh:mm:ss.</summary>
        public override string ToString()
        {
            var t = TimeSpan;
            if (t == TimeSpan.Zero)
            {
                return "0s";
            }

            if (t.Ticks % TimeSpan.TicksPerDay == 0)
            {
                return Whole(t.TotalDays, "d");
            }

            if (t.Ticks % TimeSpan.TicksPerHour == 0)
            {
                return Whole(t.TotalHours, "h");
            }

            if (t.Ticks % TimeSpan.TicksPerMinute == 0)
            {
                return Whole(t.TotalMinutes, "m");
            }

            if (t.Ticks % TimeSpan.TicksPerSecond == 0)
            {
                return Whole(t.TotalSeconds, "s");
            }

            return t.Ticks % TimeSpan.TicksPerMillisecond == 0 ? Whole(t.TotalMilliseconds, "ms") : t.ToString("c", CultureInfo.InvariantCulture);
        }

        public string ToString(string? format, IFormatProvider? formatProvider) => format == null ? ToString() : TimeSpan.ToString(format, formatProvider);

        private static string Whole(double value, string unit) => ((long)Math.Round(value)).ToString(CultureInfo.InvariantCulture) + unit;
    }
}
