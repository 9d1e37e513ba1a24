using System;
using System.Collections.Generic;
using System.Globalization;

namespace BackupTools.Emulator;

public sealed class EmulatorOptions
{
    public string Host { get; set; } = "127.0.0.1";
    /// <summary>0 picks a free port.</summary>
    public int Port { get; set; } = 0;
    /// <summary>Listening on a non-loopback address must be asked for explicitly.</summary>
    public bool AllowRemote { get; set; }
    public TimeSpan SpannerBackupDuration { get; set; } = TimeSpan.FromSeconds(3);
    /// <summary>When set, each backup's duration is drawn uniformly from [SpannerBackupDuration, Max] with <see cref="Seed"/>.</summary>
    public TimeSpan? SpannerBackupDurationMax { get; set; }
    /// <summary>Simulated time a Spanner restore takes before the database is usable (READY_OPTIMIZING).</summary>
    public TimeSpan SpannerRestoreDuration { get; set; } = TimeSpan.FromSeconds(3);
    /// <summary>Simulated time of the optimize operation Spanner starts after a restore (the backup stays in use until it ends).</summary>
    public TimeSpan SpannerOptimizeDuration { get; set; } = TimeSpan.FromSeconds(3);
    public TimeSpan GaussBackupDuration { get; set; } = TimeSpan.FromSeconds(3);
    public TimeSpan? GaussBackupDurationMax { get; set; }
    /// <summary>Whether a running Gauss job reports its progress in "process" ("60%"); the real service may leave it empty.</summary>
    public bool GaussJobProcess { get; set; } = true;
    /// <summary>Simulated time of a GaussDB restore over an existing instance (its job).</summary>
    public TimeSpan GaussRestoreDuration { get; set; } = TimeSpan.FromSeconds(3);
    /// <summary>Until this much time has passed since creation, jobs?id= answers 400 DBS.200543.</summary>
    public TimeSpan GaussJobVisibilityDelay { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>Spanner: require "Authorization: Bearer" with an accepted or emulator-issued token.</summary>
    public bool RequireAuth { get; set; }
    /// <summary>Gauss: require an emulator IAM token or a valid AK/SK signature.</summary>
    public bool GaussRequireAuth { get; set; } = true;
    public List<string> AcceptedSpannerTokens { get; } = new();
    public TimeSpan IamTokenLifetime { get; set; } = TimeSpan.FromHours(24);
    /// <summary>Lifetime of access tokens from the fake OAuth endpoint.</summary>
    public TimeSpan OAuthTokenLifetime { get; set; } = TimeSpan.FromHours(1);
    /// <summary>How far X-Sdk-Date may be from the emulator's clock.</summary>
    public TimeSpan AkSkClockSkew { get; set; } = TimeSpan.FromMinutes(15);
    public int? Seed { get; set; }
    public EmulatorSeed Data { get; set; } = EmulatorSeed.CreateDefault();
    /// <summary>Clock for all time-derived state; tests may pass their own. The emulator can also shift it (see BackupEmulator.AdvanceClock).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
    /// <summary>Random faults active from the start (e.g. from --fault-rate-503).</summary>
    public FaultProfile? Faults { get; set; }
    /// <summary>Keep at most this many request log entries (oldest dropped first).</summary>
    public int RequestLogCapacity { get; set; } = 200_000;
    /// <summary>The process whose end ends the emulator (--parent-pid); null: the emulator's own parent.</summary>
    public int? ParentProcessId { get; set; }
    /// <summary>False with --no-parent-watch: keep running after the starting process ends.</summary>
    public bool WatchParent { get; set; } = true;

    public static EmulatorOptions FromArgs(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var o = new EmulatorOptions();
        FaultProfile? faults = null;
        FaultProfile Faults() => faults ??= new FaultProfile();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string Value()
            {
                if (i + 1 >= args.Length) throw new ArgumentException($"{arg} needs a value.");
                return args[++i];
            }
            double Rate() => double.Parse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture);
            switch (arg.ToLowerInvariant())
            {
                case "--host": o.Host = Value(); break;
                case "--port": o.Port = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--allow-remote": o.AllowRemote = true; break;
                case "--seed": o.Data = EmulatorSeed.FromFile(Value()); break;
                case "--random-seed": o.Seed = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--spanner-duration": o.SpannerBackupDuration = DurationText.Parse(Value()); break;
                case "--spanner-duration-max": o.SpannerBackupDurationMax = DurationText.Parse(Value()); break;
                case "--spanner-restore-duration": o.SpannerRestoreDuration = DurationText.Parse(Value()); break;
                case "--spanner-optimize-duration": o.SpannerOptimizeDuration = DurationText.Parse(Value()); break;
                case "--gauss-duration": o.GaussBackupDuration = DurationText.Parse(Value()); break;
                case "--gauss-duration-max": o.GaussBackupDurationMax = DurationText.Parse(Value()); break;
                case "--gauss-restore-duration": o.GaussRestoreDuration = DurationText.Parse(Value()); break;
                case "--gauss-job-delay": o.GaussJobVisibilityDelay = DurationText.Parse(Value()); break;
                case "--parent-pid": o.ParentProcessId = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--no-parent-watch": o.WatchParent = false; break;
                case "--gauss-no-process": o.GaussJobProcess = false; break;
                case "--require-auth": o.RequireAuth = true; break;
                case "--no-gauss-auth": o.GaussRequireAuth = false; break;
                case "--accept-token": o.AcceptedSpannerTokens.Add(Value()); break;
                case "--iam-token-lifetime": o.IamTokenLifetime = DurationText.Parse(Value()); break;
                case "--fault-rate-503": Faults().Unavailable503Rate = Rate(); break;
                case "--fault-rate-429": Faults().Throttle429Rate = Rate(); break;
                case "--fault-rate-drop": Faults().DropRate = Rate(); break;
                case "--fault-rate-cut": Faults().CutAfterProcessingRate = Rate(); break;
                case "--fault-rate-slow": Faults().SlowRate = Rate(); break;
                case "--slow-delay": Faults().SlowDelay = DurationText.Parse(Value()); break;
                case "--retry-after": Faults().RetryAfter = DurationText.Parse(Value()); break;
                case "--latency": Faults().Latency = DurationText.Parse(Value()); break;
                case "--fault-method": Faults().Method = Value(); break;
                case "--fault-path": Faults().PathContains = Value(); break;
                default: throw new ArgumentException($"Unknown argument '{arg}'. See src/BackupTools.Emulator/README.md.");
            }
        }
        if (faults is not null)
        {
            faults.Seed ??= o.Seed;
            o.Faults = faults;
        }
        return o;
    }
}
