using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace BackupTools.Emulator.Admin;

/// <summary>/_emulator/ endpoints so non-.NET users (Pester, curl) can inspect state and steer faults.</summary>
internal static class AdminApi
{
    private sealed record EnqueueRequest(FaultKind Kind, int Count = 1, string? Method = null, string? PathContains = null);
    private sealed record AdvanceRequest(TimeSpan By);

    public static void Map(IEndpointRouteBuilder app, BackupEmulator emulator)
    {
        var json = EmulatorSeed.JsonOptions;
        app.MapGet("/_emulator/health", () => Results.Json(new { status = "ok", baseAddress = emulator.BaseAddress.ToString() }, json));

        app.MapGet("/_emulator/requests", (string? method, string? pathContains, long? since) =>
        {
            var items = emulator.State.Requests.Where(r =>
                (string.IsNullOrEmpty(method) || string.Equals(r.Method, method, StringComparison.OrdinalIgnoreCase))
                && (string.IsNullOrEmpty(pathContains) || r.PathAndQuery.Contains(pathContains, StringComparison.OrdinalIgnoreCase))
                && (since is null || r.Sequence > since));
            return Results.Json(items, json);
        });

        app.MapGet("/_emulator/state", () =>
        {
            var s = emulator.State;
            var faults = emulator.Faults;
            return Results.Json(new
            {
                now = s.Now,
                requestCount = s.Requests.Count,
                spanner = new { createsTakenEffect = s.SpannerCreatesTakenEffect, backups = s.SpannerBackups },
                gauss = new { createsTakenEffect = s.GaussCreatesTakenEffect, backups = s.GaussBackups, instances = s.GaussInstances },
                faults = new { counters = faults.Counters, profile = faults.Profile, pending = faults.Pending },
            }, json);
        });

        app.MapPost("/_emulator/faults", async (HttpContext ctx) =>
        {
            var profile = await Read<FaultProfile>(ctx).ConfigureAwait(false);
            if (profile is null) return BadRequest("Expected a JSON FaultProfile.");
            try
            {
                emulator.Faults.Configure(profile);
            }
            catch (ArgumentException e)
            {
                return BadRequest(e.Message);
            }
            return Results.Json(emulator.Faults.Profile, json);
        });

        app.MapPost("/_emulator/faults/enqueue", async (HttpContext ctx) =>
        {
            var r = await Read<EnqueueRequest>(ctx).ConfigureAwait(false);
            if (r is null || r.Count < 1) return BadRequest("Expected {\"kind\":\"Unavailable503\",\"count\":1,\"method\":null,\"pathContains\":null}.");
            emulator.Faults.Enqueue(r.Kind, r.Count, r.Method, r.PathContains);
            return Results.Json(new { pending = emulator.Faults.Pending }, json);
        });

        app.MapDelete("/_emulator/faults", () =>
        {
            emulator.Faults.Clear();
            return Results.Json(new { cleared = true }, json);
        });

        app.MapPost("/_emulator/reset", () =>
        {
            emulator.Reset();
            return Results.Json(new { reset = true }, json);
        });

        app.MapPost("/_emulator/clock/advance", async (HttpContext ctx) =>
        {
            var r = await Read<AdvanceRequest>(ctx).ConfigureAwait(false);
            if (r is null || r.By < TimeSpan.Zero) return BadRequest("Expected {\"by\":\"10m\"} (a non-negative duration).");
            emulator.AdvanceClock(r.By);
            return Results.Json(new { now = emulator.State.Now }, json);
        });
    }

    private static IResult BadRequest(string message) => Results.Json(new { error = message }, EmulatorSeed.JsonOptions, statusCode: 400);

    private static async Task<T?> Read<T>(HttpContext ctx) where T : class
    {
        try
        {
            var bytes = await HttpJson.ReadBodyAsync(ctx).ConfigureAwait(false);
            return bytes.Length == 0 ? null : JsonSerializer.Deserialize<T>(bytes, EmulatorSeed.JsonOptions);
        }
        catch (JsonException)
        {
            return null;
        }
    }

}
