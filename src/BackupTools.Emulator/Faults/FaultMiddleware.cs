using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using BackupTools.Emulator.Gauss;
using BackupTools.Emulator.Spanner;
using Microsoft.AspNetCore.Http;

namespace BackupTools.Emulator.Faults;

/// <summary>Outermost middleware: gives every response an X-Request-Id and records the request in the log.</summary>
internal sealed class RequestLogMiddleware
{
    internal const string FaultKey = "emulator.fault";
    private readonly RequestDelegate _next;
    private readonly EmulatorState _state;
    private readonly TimeProvider _clock;

    public RequestLogMiddleware(RequestDelegate next, EmulatorState state, TimeProvider clock)
    {
        _next = next;
        _state = state;
        _clock = clock;
    }

    public async Task InvokeAsync(HttpContext ctx)
    {
        var started = _clock.GetUtcNow();
        var watch = Stopwatch.StartNew();
        ctx.Response.Headers["X-Request-Id"] = HttpJson.NewRequestId();
        try
        {
            await _next(ctx).ConfigureAwait(false);
        }
        finally
        {
            if (!ctx.Request.Path.StartsWithSegments("/_emulator"))
            {
                var fault = ctx.Items.TryGetValue(FaultKey, out var f) ? (FaultKind?)f : null;
                var status = fault == FaultKind.Drop ? 0 : ctx.Response.StatusCode;
                _state.Record(started, ctx.Request.Method, ctx.Request.Path.ToString() + ctx.Request.QueryString.ToString(), status, fault, watch.Elapsed);
            }
        }
    }
}

/// <summary>Applies injected faults in front of both clouds (never to /_emulator/ admin paths).</summary>
internal sealed class FaultMiddleware
{
    private readonly RequestDelegate _next;
    private readonly FaultInjector _faults;

    public FaultMiddleware(RequestDelegate next, FaultInjector faults)
    {
        _next = next;
        _faults = faults;
    }

    public async Task InvokeAsync(HttpContext ctx)
    {
        if (ctx.Request.Path.StartsWithSegments("/_emulator"))
        {
            await _next(ctx).ConfigureAwait(false);
            return;
        }
        var decision = _faults.Decide(ctx.Request.Method, ctx.Request.Path.ToString() + ctx.Request.QueryString.ToString());
        if (decision.Latency > TimeSpan.Zero) await Task.Delay(decision.Latency, ctx.RequestAborted).ConfigureAwait(false);
        if (decision.Kind is not { } kind)
        {
            await _next(ctx).ConfigureAwait(false);
            return;
        }
        ctx.Items[RequestLogMiddleware.FaultKey] = kind;
        switch (kind)
        {
            case FaultKind.Throttle429:
            case FaultKind.Unavailable503:
                ctx.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(decision.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (ctx.Request.Path.StartsWithSegments("/v3")) await GaussApi.WriteFaultAsync(ctx, kind).ConfigureAwait(false);
                else await SpannerApi.WriteFaultAsync(ctx, kind, decision.RetryAfter).ConfigureAwait(false);
                return;
            case FaultKind.Drop:
                ctx.Abort();
                return;
            case FaultKind.CutAfterProcessing:
                // Let the handler take effect, but keep its answer from reaching the wire, then reset the connection.
                var original = ctx.Response.Body;
                await using (var sink = new MemoryStream())
                {
                    ctx.Response.Body = sink;
                    try
                    {
                        await _next(ctx).ConfigureAwait(false);
                    }
                    finally
                    {
                        ctx.Response.Body = original;
                        ctx.Abort();
                    }
                }
                return;
            default:
                // A slow server has already accepted the request: the effect happens even if the client gives up meanwhile.
                await Task.Delay(decision.SlowDelay, CancellationToken.None).ConfigureAwait(false);
                await _next(ctx).ConfigureAwait(false);
                return;
        }
    }
}
