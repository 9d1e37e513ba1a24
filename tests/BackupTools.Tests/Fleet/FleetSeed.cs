using System;
using System.Linq;
using BackupTools.Emulator;

namespace BackupTools.Tests.Fleet
{
    /// <summary>
    /// A fleet with a known answer: Spanner instance fleet-a (and fleet-b) and four GaussDB instances, with
    /// backup histories that make each target Covered, Stale, Missing or Failing against a 24-hour maximum age.
    /// </summary>
    internal static class FleetSeed
    {
        public const string Project = "fleet-project";
        public const string GaussProjectId = "0b5c7f3a9d2e4f6a8b1c3d5e7f9a0b2c";
        public const string GaussCovered = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaain07";
        public const string GaussStale = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbin07";
        public const string GaussMissing = "ccccccccccccccccccccccccccccccccin07";
        public const string GaussFailing = "ddddddddddddddddddddddddddddddddin07";

        public static EmulatorSeed Create()
        {
            var seed = EmulatorSeed.CreateDefault();
            var project = new SpannerProjectSeed { Id = Project };
            var a = new SpannerInstanceSeed { Id = "fleet-a" };
            a.Databases.Add(Db("covered", B("covered-old", 50), B("covered-new", 2)));
            a.Databases.Add(Db("stale", B("stale-1", 30)));
            a.Databases.Add(Db("missing"));
            a.Databases.Add(Db("failing", B("failing-good", 3), Failed("failing-try", 1)));
            a.Databases.Add(Db("scheduled", new SpannerBackupSeed { Id = "scheduled-1", Age = TimeSpan.FromHours(1), Schedule = "daily" }));
            a.Databases.Add(Db("recovered", Failed("recovered-try", 5), B("recovered-good", 1)));
            var b = new SpannerInstanceSeed { Id = "fleet-b" };
            b.Databases.Add(Db("never-worked", Failed("never-1", 2)));
            project.Instances.Add(a);
            project.Instances.Add(b);
            seed.Spanner.Projects.Add(project);

            seed.Gauss.Instances.Clear();
            seed.Gauss.Instances.Add(Gauss(GaussCovered, "g-covered", G("auto-1", "auto", 2), G("manual-old", "manual", 80)));
            seed.Gauss.Instances.Add(Gauss(GaussStale, "g-stale", G("manual-1", "manual", 40)));
            seed.Gauss.Instances.Add(Gauss(GaussMissing, "g-missing"));
            seed.Gauss.Instances.Add(Gauss(GaussFailing, "g-failing", G("auto-good", "auto", 10), new GaussBackupSeed { Name = "auto-bad", Type = "auto", Age = TimeSpan.FromHours(1), Failed = true }));
            return seed;
        }

        /// <summary>A Spanner instance of <paramref name="count"/> databases, each with a backup of its own age, for scale runs.</summary>
        public static SpannerInstanceSeed Large(string id, int count, Func<int, TimeSpan?> age)
        {
            var instance = new SpannerInstanceSeed { Id = id };
            for (var i = 0; i < count; i++)
            {
                var db = Db("db-" + i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture));
                if (age(i) is { } a)
                {
                    db.Backups.Add(B("bk-" + i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture), a.TotalHours));
                }

                instance.Databases.Add(db);
            }

            return instance;
        }

        private static SpannerDatabaseSeed Db(string id, params SpannerBackupSeed[] backups)
        {
            var db = new SpannerDatabaseSeed { Id = id };
            db.Backups.AddRange(backups);
            return db;
        }

        private static SpannerBackupSeed B(string id, double hoursAgo) => new SpannerBackupSeed { Id = id, Age = TimeSpan.FromHours(hoursAgo) };

        private static SpannerBackupSeed Failed(string id, double hoursAgo) => new SpannerBackupSeed { Id = id, Age = TimeSpan.FromHours(hoursAgo), Failed = true };

        private static GaussInstanceSeed Gauss(string id, string name, params GaussBackupSeed[] backups)
        {
            var instance = new GaussInstanceSeed { Id = id, Name = name, ProjectId = GaussProjectId };
            instance.Backups.AddRange(backups);
            return instance;
        }

        private static GaussBackupSeed G(string name, string type, double hoursAgo) => new GaussBackupSeed { Name = name, Type = type, Age = TimeSpan.FromHours(hoursAgo) };
    }
}
