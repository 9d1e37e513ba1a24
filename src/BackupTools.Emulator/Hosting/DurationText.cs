using System;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BackupTools.Emulator;

/// <summary>Parses the short duration forms used on the command line and in seed/admin JSON: "250ms", "5s", "2m", "1h", "7d", "00:00:05", or a bare number of seconds.</summary>
public static class DurationText
{
    public static TimeSpan Parse(string text)
    {
        if (!TryParse(text, out var value))
            throw new FormatException($"Not a duration: '{text}' (use e.g. 250ms, 5s, 2m, 1h, 7d or hh:mm:ss).");
        return value;
    }

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim();
        (string suffix, double factorMs)[] units = { ("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000) };
        foreach (var (suffix, factor) in units)
        {
            if (s.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(s.AsSpan(0, s.Length - suffix.Length), NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
                && n >= 0)
            {
                value = TimeSpan.FromMilliseconds(n * factor);
                return true;
            }
        }
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            value = TimeSpan.FromSeconds(seconds);
            return true;
        }
        return TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out value) && value >= TimeSpan.Zero;
    }
}

/// <summary>JSON converter so seed files and admin bodies can say "5s" or 5 (seconds).</summary>
public sealed class DurationJsonConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number) return TimeSpan.FromSeconds(reader.GetDouble());
        var s = reader.GetString();
        if (DurationText.TryParse(s, out var v)) return v;
        throw new JsonException($"Not a duration: '{s}'.");
    }

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options)
        => writer.WriteStringValue(value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s");
}

public sealed class NullableDurationJsonConverter : JsonConverter<TimeSpan?>
{
    private static readonly DurationJsonConverter Inner = new();
    public override TimeSpan? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => reader.TokenType == JsonTokenType.Null ? null : Inner.Read(ref reader, typeof(TimeSpan), options);

    public override void Write(Utf8JsonWriter writer, TimeSpan? value, JsonSerializerOptions options)
    {
        if (value is null) writer.WriteNullValue(); else Inner.Write(writer, value.Value, options);
    }
}
