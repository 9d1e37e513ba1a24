using System;
using System.Globalization;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using BackupTools.Errors;
using BackupTools.Http;
using BackupTools.Spanner;
using BackupTools.Validation;
using BackupTools.Waiting;

namespace BackupTools.Drills
{
    /// <summary>
    /// The steps of a Spanner restore drill (the cmdlet runs the user's check between them, on its own
    /// thread): find the newest READY backup of a database, restore it into a scratch database and follow
    /// the restore through optimize with the waiter, and remove the scratch database whatever happened.
    /// </summary>
    public sealed class SpannerRestoreDrill : IRestoreDrill
    {
        /// <summary>How often, and how far apart, the cleanup reads back before it says the scratch database is still there.</summary>
        private const int ConfirmAttempts = 15;
        private static readonly TimeSpan ConfirmInterval = TimeSpan.FromSeconds(2);

        private readonly SpannerClient _spanner;
        private readonly SpannerDatabaseClient _databases;
        private readonly string _project;
        private readonly string _instance;
        private readonly string _database;
        private readonly string _scratchInstance;
        private readonly string _scratchId;
        private SpannerRestoreOperation? _operation;
        private bool _restoreSent;

        /// <summary>A drill of one database, restored into a scratch database of <paramref name="scratchInstance"/> (the database's own instance when null).</summary>
        public SpannerRestoreDrill(SpannerClient spanner, string project, string instance, string database, string? scratchInstance, DateTimeOffset now)
        {
            _spanner = spanner;
            _databases = new SpannerDatabaseClient(spanner);
            _project = project;
            _instance = instance;
            _database = database;
            _scratchInstance = scratchInstance ?? instance;
            _scratchId = ScratchId(now);
        }

        public string Cloud => "Spanner";

        public string Source => SpannerRules.DatabaseName(_project, _instance, _database);

        public string Scratch => SpannerRules.DatabaseName(_project, _scratchInstance, _scratchId);

        async Task<DrillBackup?> IRestoreDrill.FindNewestAsync(CancellationToken cancellationToken)
        {
            var backup = await FindNewestAsync(_project, _instance, _database, cancellationToken).ConfigureAwait(false);
            return backup == null ? null : new DrillBackup(backup.Name, backup.VersionTime ?? backup.CreateTime, backup);
        }

        async Task<object> IRestoreDrill.RestoreAsync(DrillBackup backup, TimeSpan timeout, Action optimizing, CancellationToken cancellationToken)
        {
            _restoreSent = true;
            _operation = await StartRestoreAsync((SpannerBackup)backup.Backup, _scratchInstance, _scratchId, timeout, cancellationToken).ConfigureAwait(false);
            return await WaitAsync(_operation, timeout, optimizing, cancellationToken).ConfigureAwait(false);
        }

        Task<string> IRestoreDrill.CleanUpAsync(CancellationToken cancellationToken) =>
            _restoreSent ? CleanUpAsync(_project, _scratchInstance, _scratchId, _operation, cancellationToken) : Task.FromResult("nothing to clean up: no restore was started");

        /// <summary>A scratch database id: "drill-" and the time, within Spanner's 30 characters.</summary>
        public static string ScratchId(DateTimeOffset now) => "drill-" + now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);

        /// <summary>The newest READY backup of the database, by the moment of its data; null when it has none.</summary>
        public async Task<SpannerBackup?> FindNewestAsync(string project, string instance, string database, CancellationToken cancellationToken)
        {
            SpannerBackup? newest = null;
            var databaseName = SpannerRules.DatabaseName(project, instance, database);
            await _spanner.ListBackupsAsync(project, instance, "database:" + databaseName + " AND state:READY", SpannerInventoryClient.PageSize, b =>
            {
                if (b.DatabaseName == databaseName && b.State == "READY" && (b.VersionTime ?? b.CreateTime).HasValue
                    && (newest == null || (b.VersionTime ?? b.CreateTime) > (newest.VersionTime ?? newest.CreateTime)))
                {
                    newest = b;
                }
            }, cancellationToken).ConfigureAwait(false);
            return newest;
        }

        public Task<SpannerRestoreOperation> StartRestoreAsync(SpannerBackup backup, string scratchInstance, string scratchId, TimeSpan waitForInstance, CancellationToken cancellationToken) =>
            _databases.RestoreDatabaseAsync(
                new SpannerRestoreDatabaseRequest { Backup = backup.Name, Project = backup.Project, Instance = scratchInstance, DatabaseId = scratchId },
                waitForInstance,
                cancellationToken);

        /// <summary>
        /// Follows the restore and its optimize step with the waiter; <paramref name="optimizing"/> is called
        /// once when the database becomes usable. Returns the database as read back at the end.
        /// </summary>
        public async Task<SpannerDatabase> WaitAsync(SpannerRestoreOperation operation, TimeSpan timeout, Action optimizing, CancellationToken cancellationToken)
        {
            var seenOptimize = false;
            var last = await DrillWait.UntilDoneAsync(
                new SpannerRestoreProbe(_databases, operation, followOptimize: true),
                "The restore into " + operation.DatabaseId,
                timeout,
                outcome =>
                {
                    if (!seenOptimize && (outcome.Operation as SpannerRestoreOperation)?.Phase == SpannerRestoreOperation.OptimizePhase)
                    {
                        seenOptimize = true;
                        optimizing();
                    }
                },
                cancellationToken).ConfigureAwait(false);
            return ((SpannerRestoreOperation)last.Operation).Database
                ?? throw new BackupToolsException(ErrorIds.IncompleteAnswer, ErrorKind.InvalidAnswer, "The restore into " + operation.DatabaseId + " ended without its database.", operation.Name);
        }

        /// <summary>
        /// Makes sure the scratch database is gone: a restore still running is cancelled (Spanner then deletes
        /// the database), a database that exists is dropped; then it is read back to confirm. Returns what it did.
        /// </summary>
        public async Task<string> CleanUpAsync(string project, string instance, string scratchId, SpannerRestoreOperation? operation, CancellationToken cancellationToken)
        {
            var name = SpannerRules.DatabaseName(project, instance, scratchId);
            string done;
            var database = await ReadAsync(project, instance, scratchId, cancellationToken).ConfigureAwait(false);
            if (database == null)
            {
                return operation == null ? "nothing to clean up: no restore was started" : "nothing to clean up: " + name + " does not exist";
            }

            if (database.State == "CREATING")
            {
                // Still restoring (a stop may have come before the operation's name was known: find it).
                var restoreName = operation?.Name;
                if (restoreName == null)
                {
                    await _databases.ListRestoreOperationsAsync(project, instance, "metadata.name:" + name, op => restoreName ??= op.DatabaseId == scratchId && !op.Done ? op.Name : null, cancellationToken).ConfigureAwait(false);
                }

                if (restoreName == null)
                {
                    throw new BackupToolsException(ErrorIds.RestoreDrillCleanupFailed, ErrorKind.Internal, "The scratch database " + name + " is being restored but its restore operation was not found to cancel. Cancel it and drop the database by hand.", name);
                }

                await _spanner.Http.SendAsync(new ServiceRequest(HttpMethod.Post, "v1/" + SpannerClient.Escape(restoreName) + ":cancel").WithResource(restoreName), cancellationToken).ConfigureAwait(false);
                done = "restore cancelled (Spanner deletes the half-restored database)";
            }
            else
            {
                await _spanner.Http.SendAsync(new ServiceRequest(HttpMethod.Delete, "v1/" + SpannerClient.Escape(name)).WithResource(name), cancellationToken).ConfigureAwait(false);
                done = "dropped " + name;
            }

            // The service may take a moment to let go of it: read back a bounded number of times.
            for (var attempt = 0; attempt < ConfirmAttempts; attempt++)
            {
                if (await ReadAsync(project, instance, scratchId, cancellationToken).ConfigureAwait(false) == null)
                {
                    return done;
                }

                await Task.Delay(ConfirmInterval, cancellationToken).ConfigureAwait(false);
            }

            throw new BackupToolsException(ErrorIds.RestoreDrillCleanupFailed, ErrorKind.Internal, "The scratch database " + name + " still exists after it was " + done + ". Drop it by hand.", name);
        }

        private async Task<SpannerDatabase?> ReadAsync(string project, string instance, string databaseId, CancellationToken cancellationToken)
        {
            try
            {
                return await _databases.GetDatabaseAsync(project, instance, databaseId, cancellationToken).ConfigureAwait(false);
            }
            catch (ServiceException ex) when (ex.Kind == ErrorKind.NotFound)
            {
                return null;
            }
        }
    }
}
