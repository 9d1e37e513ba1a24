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
    public sealed class SpannerRestoreDrill
    {
        private readonly SpannerClient _spanner;
        private readonly SpannerDatabaseClient _databases;

        public SpannerRestoreDrill(SpannerClient spanner)
        {
            _spanner = spanner;
            _databases = new SpannerDatabaseClient(spanner);
        }

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
            PollOutcome? last = null;
            var seenOptimize = false;
            void Seen(PollOutcome outcome)
            {
                if (!seenOptimize && (outcome.Operation as SpannerRestoreOperation)?.Phase == SpannerRestoreOperation.OptimizePhase)
                {
                    seenOptimize = true;
                    optimizing();
                }
            }

            BackupToolsException? pollFailure = null;
            using (var waiter = new FleetWaiter(new WaiterOptions { Timeout = timeout }, new DelegateWaitObserver((p, o) => Seen(o), (p, o) => { Seen(o); last = o; }, (p, e) => pollFailure = e), cancellationToken))
            {
                waiter.Add(new SpannerRestoreProbe(_databases, operation, followOptimize: true));
                var unfinished = await waiter.WhenAllAsync(cancellationToken).ConfigureAwait(false);
                if (unfinished.Count > 0 || last == null)
                {
                    throw pollFailure ?? new BackupToolsException(ErrorIds.WaitTimedOut, ErrorKind.Timeout, "The restore into " + operation.DatabaseId + " did not finish within " + timeout + ".", operation.Name);
                }
            }

            var finished = (SpannerRestoreOperation)last.Operation;
            if (last.State != OperationState.Succeeded || finished.Database == null)
            {
                throw new BackupToolsException(ErrorIds.OperationFailed, ErrorKind.OperationFailed, "The restore into " + finished.DatabaseId + " " + (last.State == OperationState.Cancelled ? "was cancelled" : "failed") + ": " + ServerText.Clean(last.FailureReason, 300), finished.Name);
            }

            return finished.Database;
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
