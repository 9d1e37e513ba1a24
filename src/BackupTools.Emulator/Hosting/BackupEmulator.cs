using System;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using BackupTools.Emulator.Admin;
using BackupTools.Emulator.Faults;
using BackupTools.Emulator.Gauss;
using BackupTools.Emulator.Spanner;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BackupTools.Emulator;

/// <summary>The running emulator: one Kestrel server answering Spanner (/v1/, /oauth2/token), Gauss (/v3/) and admin (/_emulator/) paths.</summary>
public sealed class BackupEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ShiftableClock _clock;
    private readonly SpannerStore _spanner;
    private readonly GaussStore _gauss;
    private readonly IamService _iam;
    private readonly int? _faultSeed;
    private int _disposed;

    private BackupEmulator(WebApplication app, ShiftableClock clock, SpannerStore spanner, GaussStore gauss, IamService iam, FaultInjector faults, EmulatorState state, EmulatorOptions options)
    {
        _app = app;
        _clock = clock;
        _spanner = spanner;
        _gauss = gauss;
        _iam = iam;
        Faults = faults;
        State = state;
        Options = options;
        _faultSeed = options.Seed;
        BaseAddress = new Uri("http://placeholder/");
    }

    public Uri BaseAddress { get; private set; }
    public FaultInjector Faults { get; }
    public EmulatorState State { get; }
    public EmulatorOptions Options { get; }

    /// <summary>Moves the emulator's clock forward: running backups progress or finish, tokens age.</summary>
    public void AdvanceClock(TimeSpan by) => _clock.Advance(by);

    /// <summary>Back to the seed: no backups, operations, jobs, log entries or faults (issued tokens stay valid).</summary>
    public void Reset()
    {
        _spanner.Reset();
        _gauss.Reset();
        _iam.ResetLockouts();
        Faults.Clear();
        Faults.Counters.Reset();
        State.ClearLog();
    }

    public static async Task<BackupEmulator> StartAsync(EmulatorOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var address = ResolveHost(options);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(BackupEmulator).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(address, options.Port);
        });

        var clock = new ShiftableClock(options.TimeProvider);
        var spanner = new SpannerStore(options, clock);
        var gauss = new GaussStore(options, clock);
        var iam = new IamService(options, clock);
        var oauth = new OAuthTokens(clock, options);
        var faults = new FaultInjector(options.Seed);
        if (options.Faults is not null) faults.Configure(options.Faults);
        var state = new EmulatorState(spanner, gauss, clock, options.RequestLogCapacity);
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, NoConsoleLifetime>();
        builder.Services.AddSingleton(state);
        builder.Services.AddSingleton(faults);
        builder.Services.AddSingleton<TimeProvider>(clock);

        var app = builder.Build();
        var emulator = new BackupEmulator(app, clock, spanner, gauss, iam, faults, state, options);
        var spannerApi = new SpannerApi(spanner, oauth, options);
        var gaussApi = new GaussApi(gauss, iam, options, clock);

        app.UseMiddleware<RequestLogMiddleware>();
        app.UseMiddleware<FaultMiddleware>();
        app.Map("/v1/{**rest}", spannerApi.HandleAsync);
        app.Map("/v3/{**rest}", gaussApi.HandleAsync);
        app.Map("/oauth2/token", oauth.HandleAsync);
        app.Map("/token", oauth.HandleAsync);
        AdminApi.Map(app, emulator);

        await app.StartAsync(ct).ConfigureAwait(false);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                    ?? throw new InvalidOperationException("Kestrel reported no listening address.");
        var port = new Uri(bound.Replace("+", "localhost", StringComparison.Ordinal).Replace("*", "localhost", StringComparison.Ordinal)).Port;
        var hostText = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        if (address.Equals(IPAddress.Any)) hostText = "127.0.0.1";
        if (address.Equals(IPAddress.IPv6Any)) hostText = "[::1]";
        emulator.BaseAddress = new Uri($"http://{hostText}:{port}/");
        return emulator;
    }

    /// <summary>Loopback by default: exposing fake credentials-accepting APIs to the network must be asked for.</summary>
    private static IPAddress ResolveHost(EmulatorOptions options)
    {
        var host = string.IsNullOrWhiteSpace(options.Host) ? "127.0.0.1" : options.Host.Trim();
        IPAddress address;
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)) address = IPAddress.Loopback;
        else if (host is "*" or "+") address = IPAddress.Any;
        else if (!IPAddress.TryParse(host.Trim('[', ']'), out address!))
            throw new ArgumentException($"Host '{host}' is not an IP address (use 127.0.0.1, ::1, localhost or, with AllowRemote, 0.0.0.0).", nameof(options));
        if (!IPAddress.IsLoopback(address) && !options.AllowRemote)
            throw new ArgumentException($"Refusing to listen on non-loopback address {host}: pass --allow-remote (EmulatorOptions.AllowRemote) to expose the emulator.", nameof(options));
        return address;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
