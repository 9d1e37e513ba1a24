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
        /// the database), a database that exists is dropped; then it is read back to confirm
        /// (<see cref="SpannerDatabaseClient.DropDatabaseAsync"/>, what Remove-SpannerDatabase uses). Returns what it did.
        /// </summary>
        public async Task<string> CleanUpAsync(string project, string instance, string scratchId, SpannerRestoreOperation? operation, CancellationToken cancellationToken)
        {
            var name = SpannerRules.DatabaseName(project, instance, scratchId);
            try
            {
                return await _databases.DropDatabaseAsync(project, instance, scratchId, cancelRestore: true, operation?.Name, cancellationToken).ConfigureAwait(false);
            }
            catch (ServiceException ex) when (ex.Kind == ErrorKind.NotFound && ex.Resource == name)
            {
                return operation == null ? "nothing to clean up: no restore was started" : "nothing to clean up: " + name + " does not exist";
            }
        }
    }
}
