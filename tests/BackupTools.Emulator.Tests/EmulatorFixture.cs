using System;
using System.Globalization;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;

namespace BackupTools.Emulator.Tests;

internal static class TestHelpers
{
    public const string Instance = "projects/demo-project/instances/demo-instance";
    public const string GaussProject = "0b5c7f3a9d2e4f6a8b1c3d5e7f9a0b2c";
    public const string GaussInstance = "07033b125fd94a8a96896f8bcfee6ddain07";

    public static async Task<(BackupEmulator Emulator, HttpClient Http)> StartAsync(Action<EmulatorOptions>? configure = null)
    {
        var options = new EmulatorOptions
        {
            SpannerBackupDuration = TimeSpan.FromMilliseconds(300),
            GaussBackupDuration = TimeSpan.FromSeconds(2),
            GaussJobVisibilityDelay = TimeSpan.FromMilliseconds(500),
            Seed = 42,
        };
        configure?.Invoke(options);
        var emulator = await BackupEmulator.StartAsync(options);
        return (emulator, new HttpClient { BaseAddress = emulator.BaseAddress, Timeout = TimeSpan.FromSeconds(10) });
    }

    public static string Rfc3339(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<JsonObject> ReadAsync(HttpResponseMessage response)
        => (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    public static Task<HttpResponseMessage> CreateSpannerBackup(HttpClient http, string id, string database = "orders", DateTimeOffset? expire = null)
        => http.PostAsync($"v1/{Instance}/backups?backupId={id}",
            Json($"{{\"database\":\"{Instance}/databases/{database}\",\"expireTime\":\"{Rfc3339(expire ?? DateTimeOffset.UtcNow.AddDays(1))}\"}}"));
}
