using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace BackupTools.Emulator;

/// <summary>The resources the emulator starts with (and returns to on reset). JSON shape: see README.md.</summary>
public sealed class EmulatorSeed
{
    public SpannerSeed Spanner { get; set; } = new();
    public GaussSeed Gauss { get; set; } = new();

    internal static readonly JsonSerializerOptions JsonOptions = CreateJsonOptions();

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web) { ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        o.Converters.Add(new DurationJsonConverter());
        o.Converters.Add(new NullableDurationJsonConverter());
        return o;
    }

    public static EmulatorSeed FromJson(string json)
        => JsonSerializer.Deserialize<EmulatorSeed>(json, JsonOptions) ?? throw new InvalidDataException("The seed file is empty.");

    public static EmulatorSeed FromFile(string path) => FromJson(File.ReadAllText(path));

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>The seed used when none is given: one Spanner instance with five databases and an empty one (dr-instance), one Gauss project with three ACTIVE instances.</summary>
    public static EmulatorSeed CreateDefault()
    {
        var seed = new EmulatorSeed();
        var instance = new SpannerInstanceSeed { Id = "demo-instance" };
        foreach (var db in new[] { "orders", "customers", "inventory", "billing", "audit" })
            instance.Databases.Add(new SpannerDatabaseSeed { Id = db });
        var project = new SpannerProjectSeed { Id = "demo-project" };
        project.Instances.Add(instance);
        // An empty second instance of the same configuration: where copies and restores of demo-instance's backups go.
        project.Instances.Add(new SpannerInstanceSeed { Id = "dr-instance" });
        seed.Spanner.Projects.Add(project);

        const string projectId = "0b5c7f3a9d2e4f6a8b1c3d5e7f9a0b2c";
        seed.Gauss.Projects.Add(new GaussProjectSeed { Id = projectId, Name = "eu-de" });
        seed.Gauss.Instances.Add(new GaussInstanceSeed { Id = "07033b125fd94a8a96896f8bcfee6ddain07", Name = "gauss-orders", ProjectId = projectId });
        seed.Gauss.Instances.Add(new GaussInstanceSeed { Id = "1a2b3c4d5e6f40718293a4b5c6d7e8f9in07", Name = "gauss-customers", ProjectId = projectId });
        seed.Gauss.Instances.Add(new GaussInstanceSeed { Id = "9f8e7d6c5b4a43210fedcba987654321in07", Name = "gauss-billing", ProjectId = projectId });
        seed.Gauss.Users.Add(new GaussUserSeed { Name = "demo-user", Password = "demo-password", Domain = "demo-account" });
        seed.Gauss.AccessKeys.Add(new GaussAccessKeySeed { AccessKey = "DEMOACCESSKEY0000000", SecretKey = "demo-secret-key" });
        return seed;
    }
}

public sealed class SpannerSeed
{
    public List<SpannerProjectSeed> Projects { get; set; } = new();
}

public sealed class SpannerProjectSeed
{
    public string Id { get; set; } = "";
    public List<SpannerInstanceSeed> Instances { get; set; } = new();
}

public sealed class SpannerInstanceSeed
{
    public string Id { get; set; } = "";
    /// <summary>The instance configuration; a backup restores only into an instance of the same configuration.</summary>
    public string Config { get; set; } = "regional-europe-west1";
    public List<SpannerDatabaseSeed> Databases { get; set; } = new();
}

public sealed class SpannerDatabaseSeed
{
    public string Id { get; set; } = "";
    /// <summary>How far back versionTime may go (Spanner's version_retention_period; 1 hour by default, 7 days at most).</summary>
    public TimeSpan VersionRetention { get; set; } = TimeSpan.FromHours(1);
    /// <summary>When true every backup of this database fails at the end of its run (operation error 13 INTERNAL).</summary>
    public bool FailBackups { get; set; }
    public string FailMessage { get; set; } = "simulated failure";
    public string Dialect { get; set; } = "GOOGLE_STANDARD_SQL";
    /// <summary>Spanner's enableDropProtection: dropping the database is refused (FAILED_PRECONDITION) while it is on.</summary>
    public bool EnableDropProtection { get; set; }
    /// <summary>Size reported by finished backups.</summary>
    public long SizeBytes { get; set; } = 1_073_741_824;
    /// <summary>Overrides the emulator-wide simulated backup duration for this database.</summary>
    public TimeSpan? BackupDuration { get; set; }
    /// <summary>Backups (and failed attempts) that already exist when the emulator starts: a history to rate and prune.</summary>
    public List<SpannerBackupSeed> Backups { get; set; } = new();
}

/// <summary>A backup made before the emulator started. Its create operation is in backupOperations while younger than 7 days.</summary>
public sealed class SpannerBackupSeed
{
    public string Id { get; set; } = "";
    /// <summary>How long before the emulator's start (or reset) the backup was created; its versionTime is the same.</summary>
    public TimeSpan Age { get; set; } = TimeSpan.FromHours(1);
    /// <summary>Expiry, counted from now; Spanner deletes an expired backup.</summary>
    public TimeSpan ExpiresIn { get; set; } = TimeSpan.FromDays(7);
    /// <summary>A failed attempt: no backup exists, its create operation ended with error 13 INTERNAL.</summary>
    public bool Failed { get; set; }
    /// <summary>The id of the backup schedule that made it (listed in backupSchedules); null for a manual backup.</summary>
    public string? Schedule { get; set; }
    /// <summary>Size; the database's when null.</summary>
    public long? SizeBytes { get; set; }
    /// <summary>An incremental chain id: backups of one database with the same chain form a chain (the oldest full, then incrementals, by version time). A backup a younger one of its chain still needs has freeableSizeBytes 0.</summary>
    public string? Chain { get; set; }
}

public sealed class GaussSeed
{
    public string Region { get; set; } = "eu-de";
    /// <summary>HuaweiCloud, or OpenTelekomCloud: OTC's API has no restore to an existing instance and no restore-time (404).</summary>
    public string Cloud { get; set; } = "HuaweiCloud";
    /// <summary>The offset Gauss writes its times in (the real service answers in +0800).</summary>
    public TimeSpan TimeOffset { get; set; } = TimeSpan.FromHours(8);
    public List<GaussProjectSeed> Projects { get; set; } = new();
    public List<GaussInstanceSeed> Instances { get; set; } = new();
    public List<GaussUserSeed> Users { get; set; } = new();
    public List<GaussAccessKeySeed> AccessKeys { get; set; } = new();
}

public sealed class GaussProjectSeed
{
    public string Id { get; set; } = "";
    /// <summary>IAM project name, which is the region name (e.g. "eu-de").</summary>
    public string Name { get; set; } = "";
}

public sealed class GaussInstanceSeed
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string ProjectId { get; set; } = "";
    /// <summary>ACTIVE allows backups; anything else (e.g. "FROZEN", "BACKING UP") answers 400 DBS.200086.</summary>
    public string Status { get; set; } = "ACTIVE";
    public bool FailBackups { get; set; }
    public string FailReason { get; set; } = "simulated failure";
    public double SizeMb { get; set; } = 2048;
    public string DatastoreVersion { get; set; } = "8.0";
    public TimeSpan? BackupDuration { get; set; }
    /// <summary>Backups (manual or automated, completed or failed) that already exist when the emulator starts.</summary>
    public List<GaussBackupSeed> Backups { get; set; } = new();
    // What a restore to a new instance copies unless told otherwise (the instance's specification and network).
    public string FlavorRef { get; set; } = "gaussdb.mysql.xlarge.x86.4";
    public string VpcId { get; set; } = "3ec6c2a6-3d59-4b67-9d6e-6e4a3b0c1f21";
    public string SubnetId { get; set; } = "7b1d5b2e-0c4f-4c51-a3c8-9f0d5e2b6a14";
    public string SecurityGroupId { get; set; } = "c6a0e1f8-5b3d-4e2a-8f71-2d9b4c0e7a35";
    /// <summary>single or multi.</summary>
    public string AvailabilityZoneMode { get; set; } = "single";
    public string MasterAvailabilityZone { get; set; } = "eu-de-01";
    /// <summary>The primary and its read replicas.</summary>
    public int NodeCount { get; set; } = 2;
    public string TimeZone { get; set; } = "UTC";
    /// <summary>Billed yearly/monthly: a delete is an order (the answer has order_id and no job_id).</summary>
    public bool Prepaid { get; set; }
}

/// <summary>A GaussDB backup made before the emulator started: manual, or automated ("auto", made by the instance's policy).</summary>
public sealed class GaussBackupSeed
{
    public string Name { get; set; } = "";
    /// <summary>manual or auto.</summary>
    public string Type { get; set; } = "auto";
    /// <summary>How long before the emulator's start (or reset) the backup began.</summary>
    public TimeSpan Age { get; set; } = TimeSpan.FromHours(1);
    /// <summary>How long it took; at most a minute when not given (and never longer than its age).</summary>
    public TimeSpan? Duration { get; set; }
    /// <summary>Ended FAILED (size 0).</summary>
    public bool Failed { get; set; }
    /// <summary>Size; the instance's when null.</summary>
    public double? SizeMb { get; set; }
}

public sealed class GaussUserSeed
{
    public string Name { get; set; } = "";
    public string Password { get; set; } = "";
    /// <summary>Account (domain) name.</summary>
    public string Domain { get; set; } = "";
}

public sealed class GaussAccessKeySeed
{
    public string AccessKey { get; set; } = "";
    public string SecretKey { get; set; } = "";
}
