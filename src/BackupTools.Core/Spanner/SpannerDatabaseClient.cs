using System;
using System.Globalization;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using BackupTools.Errors;
using BackupTools.Http;
using Newtonsoft.Json.Linq;

namespace BackupTools.Spanner
{
    /// <summary>What Restore-SpannerDatabase asks for, already validated.</summary>
    public sealed class SpannerRestoreDatabaseRequest
    {
        /// <summary>The backup's full name (same project as the new database).</summary>
        public string Backup { get; set; } = string.Empty;

        public string Project { get; set; } = string.Empty;

        public string Instance { get; set; } = string.Empty;

        public string DatabaseId { get; set; } = string.Empty;

        public string? EncryptionType { get; set; }

        public string[] KmsKeyNames { get; set; } = Array.Empty<string>();

        public string DatabaseName => SpannerRules.DatabaseName(Project, Instance, DatabaseId);
    }

    /// <summary>
    /// Cloud Spanner databases: restore from a backup (databases:restore), read and drop a database, and the
    /// database operations (restore, then the optimize step Spanner starts after it; cancelling a restore).
    /// </summary>
    public sealed class SpannerDatabaseClient
    {
        public const string RestoreMetadataType = "type.googleapis.com/google.spanner.admin.database.v1.RestoreDatabaseMetadata";

        /// <summary>The text by which Spanner says another restore in the instance is still pending.</summary>
        private const string PendingRestoreText = "maximum number of pending restores";

        private readonly SpannerClient _spanner;

        public SpannerDatabaseClient(SpannerClient spanner)
        {
            _spanner = spanner;
        }

        public ServiceHttpClient Http => _spanner.Http;

        /// <summary>How long -WaitForInstance waits between restores refused because another restore in the instance is pending.</summary>
        public TimeSpan PendingRestoreRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>
        /// Starts a restore. Spanner allows one pending restore per instance: that refusal is the error
        /// <see cref="ErrorIds.SpannerRestorePending"/>, or, with <paramref name="waitForInstance"/>, is
        /// retried every <see cref="PendingRestoreRetryDelay"/> until the instance is free or that much time has passed.
        /// </summary>
        public async Task<SpannerRestoreOperation> RestoreDatabaseAsync(SpannerRestoreDatabaseRequest request, TimeSpan? waitForInstance, CancellationToken cancellationToken)
        {
            var started = DateTimeOffset.UtcNow;
            while (true)
            {
                try
                {
                    return await RestoreOnceAsync(request, cancellationToken).ConfigureAwait(false);
                }
                catch (ServiceException ex) when (IsPendingRestore(ex))
                {
                    if (!waitForInstance.HasValue || DateTimeOffset.UtcNow + PendingRestoreRetryDelay - started > waitForInstance.Value)
                    {
                        throw new BackupToolsException(
                            ErrorIds.SpannerRestorePending,
                            ErrorKind.FailedPrecondition,
                            "Cannot restore " + request.DatabaseName + " now: Spanner runs one restore at a time per instance and another restore into instance " + request.Instance + " is still pending"
                            + (waitForInstance.HasValue ? " after waiting " + ((int)waitForInstance.Value.TotalSeconds).ToString(CultureInfo.InvariantCulture) + " s" : string.Empty)
                            + ". Use -WaitForInstance to wait for it (the next restore may start while the previous one optimizes). Service: " + ex.ServiceMessage,
                            request.DatabaseName,
                            ex);
                    }

                    _spanner.Http.Trace.Verbose("Another restore into instance " + request.Instance + " is pending; trying again in " + PendingRestoreRetryDelay.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s.");
                    await Task.Delay(PendingRestoreRetryDelay, cancellationToken).ConfigureAwait(false);
                }
                catch (ServiceException ex) when (ex.Kind == ErrorKind.FailedPrecondition && (ex.ServiceMessage ?? string.Empty).IndexOf("still being created", StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    throw new BackupToolsException(ErrorIds.SpannerBackupNotReady, ErrorKind.FailedPrecondition, "Cannot restore from backup " + request.Backup + ": it is still being created. Wait for it and restore when READY.", request.DatabaseName, ex);
                }
            }
        }

        public async Task<SpannerDatabase> GetDatabaseAsync(string project, string instance, string databaseId, CancellationToken cancellationToken)
        {
            var name = SpannerRules.DatabaseName(project, instance, databaseId);
            var response = await _spanner.Http.SendAsync(new ServiceRequest(HttpMethod.Get, "v1/" + SpannerClient.Escape(name)).WithResource(name), cancellationToken).ConfigureAwait(false);
            var database = response.Read("a database", SpannerDatabase.FromJson);
            if (database.Name != name)
            {
                throw new BackupToolsException(ErrorIds.IncompleteAnswer, ErrorKind.InvalidAnswer, "The service answered a read of database " + name + " with " + (database.Name.Length == 0 ? "no database name" : "another database"), name);
            }

            return database;
        }

        /// <summary>A database, or null when the service says it does not exist.</summary>
        public async Task<SpannerDatabase?> FindDatabaseAsync(string project, string instance, string databaseId, CancellationToken cancellationToken)
        {
            try
            {
                return await GetDatabaseAsync(project, instance, databaseId, cancellationToken).ConfigureAwait(false);
            }
            catch (ServiceException ex) when (ex.Kind == ErrorKind.NotFound)
            {
                return null;
            }
        }

        /// <summary>The restore still running into a database (its restore operation not done), or null when there is none.</summary>
        public async Task<SpannerRestoreOperation?> FindPendingRestoreAsync(string project, string instance, string databaseId, CancellationToken cancellationToken)
        {
            SpannerRestoreOperation? pending = null;
            var name = SpannerRules.DatabaseName(project, instance, databaseId);
            await ListRestoreOperationsAsync(project, instance, "metadata.name:" + name, op => pending ??= op.DatabaseId == databaseId && op.Project == project && op.Instance == instance && !op.Done ? op : null, cancellationToken).ConfigureAwait(false);
            return pending;
        }

        /// <summary>
        /// Removes a database, for Remove-SpannerDatabase and the drills' cleanup alike. A database still being
        /// restored (CREATING, its restore pending) cannot be dropped: with <paramref name="cancelRestore"/> its
        /// restore is cancelled (Spanner then deletes the half-restored database), else it is refused
        /// (<see cref="ErrorIds.SpannerDatabaseRestoring"/>). Any other is dropped; Spanner keeps its backups, and
        /// refuses a database with drop protection (<see cref="ErrorIds.SpannerDropProtected"/>). Then it is read
        /// back until it is gone. A database that does not exist is the service's NotFound, with the database's
        /// name as its resource. Returns what was done.
        /// </summary>
        /// <param name="restoreOperationName">The restore's operation when the caller knows it (saves a listing).</param>
        public async Task<string> DropDatabaseAsync(string project, string instance, string databaseId, bool cancelRestore, string? restoreOperationName, CancellationToken cancellationToken)
        {
            var name = SpannerRules.DatabaseName(project, instance, databaseId);
            var database = await GetDatabaseAsync(project, instance, databaseId, cancellationToken).ConfigureAwait(false);
            string? done = null;
            var cancelled = false;
            if (database.State == "CREATING")
            {
                // A stop may have come before the restore's operation name was known: find it.
                var restoreName = restoreOperationName ?? (await FindPendingRestoreAsync(project, instance, databaseId, cancellationToken).ConfigureAwait(false))?.Name;
                if (restoreName != null && !cancelRestore)
                {
                    throw Restoring(name, restoreName, null);
                }

                if (restoreName != null && await CancelRestoreAsync(restoreName, cancellationToken).ConfigureAwait(false))
                {
                    done = "restore " + restoreName + " cancelled (Spanner deletes the half-restored database)";
                    cancelled = true;
                }
            }

            if (!cancelled)
            {
                await SendDropAsync(name, cancellationToken).ConfigureAwait(false);
                done = "dropped " + name + " (its backups are kept)";
            }

            // The service may take a moment to let go of it: read back a bounded number of times.
            for (var attempt = 0; attempt < DropConfirmAttempts; attempt++)
            {
                var now = await FindDatabaseAsync(project, instance, databaseId, cancellationToken).ConfigureAwait(false);
                if (now == null)
                {
                    return done!;
                }

                if (cancelled && now.State != "CREATING")
                {
                    // The restore ended before the cancel reached it, so the database stays: drop it.
                    await SendDropAsync(name, cancellationToken).ConfigureAwait(false);
                    done += "; the restore had already ended, so " + name + " was dropped (its backups are kept)";
                    cancelled = false;
                    continue;
                }

                await Task.Delay(DropConfirmInterval, cancellationToken).ConfigureAwait(false);
            }

            throw new BackupToolsException(ErrorIds.OperationFailed, ErrorKind.OperationFailed, "Database " + name + " still exists " + ((int)(DropConfirmAttempts * DropConfirmInterval.TotalSeconds)).ToString(CultureInfo.InvariantCulture) + " s after it was " + done + ". Check it and drop it by hand.", name);
        }

        /// <summary>How many times, and how far apart, a drop reads back before it says the database is still there.</summary>
        public int DropConfirmAttempts { get; set; } = 15;

        public TimeSpan DropConfirmInterval { get; set; } = TimeSpan.FromSeconds(2);

        /// <summary>Cancels a restore; false when it had already ended (nothing left to cancel, the database stays).</summary>
        private async Task<bool> CancelRestoreAsync(string restoreName, CancellationToken cancellationToken)
        {
            try
            {
                await _spanner.Http.SendAsync(new ServiceRequest(HttpMethod.Post, "v1/" + SpannerClient.Escape(restoreName) + ":cancel").WithResource(restoreName), cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (ServiceException ex) when (ex.Kind == ErrorKind.FailedPrecondition)
            {
                _spanner.Http.Trace.Verbose("Restore " + restoreName + " could not be cancelled (" + ex.ServiceMessage + "): it has ended; dropping the database instead.");
                return false;
            }
        }

        /// <summary>databases.dropDatabase, with the refusals a script acts on given ids of their own.</summary>
        private async Task SendDropAsync(string name, CancellationToken cancellationToken)
        {
            try
            {
                await _spanner.Http.SendAsync(new ServiceRequest(HttpMethod.Delete, "v1/" + SpannerClient.Escape(name)).WithResource(name), cancellationToken).ConfigureAwait(false);
            }
            catch (ServiceException ex) when (ex.Kind == ErrorKind.FailedPrecondition && Mentions(ex, "drop_protection", "drop protection"))
            {
                throw new BackupToolsException(
                    ErrorIds.SpannerDropProtected,
                    ErrorKind.FailedPrecondition,
                    "Spanner refuses to drop " + name + ": drop protection is on (enableDropProtection). Turn it off first (gcloud spanner databases update " + SpannerRules.LastSegment(name)
                    + " --instance=" + InstanceOf(name) + " --no-enable-drop-protection), then remove it. Service: " + ex.ServiceMessage,
                    name,
                    ex);
            }
            catch (ServiceException ex) when (ex.Kind == ErrorKind.FailedPrecondition && Mentions(ex, "restor"))
            {
                throw Restoring(name, null, ex);
            }
        }

        private static BackupToolsException Restoring(string name, string? restoreName, Exception? inner) =>
            new BackupToolsException(
                ErrorIds.SpannerDatabaseRestoring,
                ErrorKind.FailedPrecondition,
                "Database " + name + " is still being restored" + (restoreName != null ? " (operation " + restoreName + ")" : string.Empty)
                + " and cannot be dropped. Use -CancelRestore to cancel the restore (Spanner then deletes the half-restored database), or wait for it to end and remove the database then."
                + (inner is ServiceException s ? " Service: " + s.ServiceMessage : string.Empty),
                name,
                inner);

        private static bool Mentions(ServiceException ex, params string[] words)
        {
            var text = ex.ServiceMessage ?? ex.Message;
            foreach (var word in words)
            {
                if (text.IndexOf(word, StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    return true;
                }
            }

            return false;
        }

        private static string InstanceOf(string databaseName)
        {
            var parts = databaseName.Split('/');
            return parts.Length > 3 ? parts[3] : string.Empty;
        }

        /// <summary>Reads a restore operation (or, by its name, the optimize operation that follows one).</summary>
        public async Task<SpannerRestoreOperation> GetOperationAsync(string operationName, CancellationToken cancellationToken)
        {
            var response = await _spanner.Http.SendAsync(new ServiceRequest(HttpMethod.Get, "v1/" + SpannerClient.Escape(operationName)).WithResource(operationName), cancellationToken).ConfigureAwait(false);
            var operation = Attach(response.Read("a restore operation", SpannerRestoreOperation.FromJson));
            if (operation.Name != operationName)
            {
                throw new BackupToolsException(ErrorIds.IncompleteAnswer, ErrorKind.InvalidAnswer, "The service answered a read of operation " + operationName + " with " + (operation.Name.Length == 0 ? "no operation name" : "another operation"), operationName);
            }

            return operation;
        }

        /// <summary>Lists an instance's restore operations (pending, and finished in the last 7 days).</summary>
        public Task ListRestoreOperationsAsync(string project, string instance, string? filter, Action<SpannerRestoreOperation> onItem, CancellationToken cancellationToken)
        {
            var restores = "(metadata.@type:" + RestoreMetadataType + ")" + (string.IsNullOrWhiteSpace(filter) ? string.Empty : " AND (" + filter + ")");
            return _spanner.ListAsync(SpannerRules.InstanceName(project, instance) + "/databaseOperations", restores, null, "operations", json => onItem(Attach(SpannerRestoreOperation.FromJson(json))), cancellationToken);
        }

        private static bool IsPendingRestore(ServiceException ex) =>
            ex.Kind == ErrorKind.FailedPrecondition && (ex.ServiceMessage ?? ex.Message).IndexOf(PendingRestoreText, StringComparison.OrdinalIgnoreCase) >= 0;

        private Task<SpannerRestoreOperation> RestoreOnceAsync(SpannerRestoreDatabaseRequest request, CancellationToken cancellationToken) =>
            SafeCreate.RunAsync(
                "database " + request.DatabaseName + " (restore of " + request.Backup + ")",
                request.DatabaseName,
                _spanner.Http,
                async ct => Checked(Attach((await _spanner.Http.SendAsync(RestoreRequest(request), ct).ConfigureAwait(false)).Read("a restore operation", SpannerRestoreOperation.FromJson)), request),
                (started, ct) => ReadBackAsync(request, started, ct),
                ex => ex.Kind == ErrorKind.AlreadyExists,
                "Check whether database " + request.DatabaseName + " exists (its restore is listed in the instance's databaseOperations) before trying again.",
                cancellationToken);

        private ServiceRequest RestoreRequest(SpannerRestoreDatabaseRequest request)
        {
            var body = new JObject
            {
                ["databaseId"] = request.DatabaseId,
                ["backup"] = request.Backup,
            };
            var encryption = SpannerEncryption.ToJson(request.EncryptionType, request.KmsKeyNames);
            if (encryption != null)
            {
                body["encryptionConfig"] = encryption;
            }

            return new ServiceRequest(HttpMethod.Post, "v1/" + SpannerClient.Escape(SpannerRules.InstanceName(request.Project, request.Instance)) + "/databases:restore")
            {
                Idempotency = Idempotency.NotIdempotent,
                Resource = request.DatabaseName,
                Body = body,
            };
        }

        private static SpannerRestoreOperation Checked(SpannerRestoreOperation operation, SpannerRestoreDatabaseRequest request)
        {
            if (operation.Name.Length == 0 || operation.DatabaseId != request.DatabaseId)
            {
                throw new BackupToolsException(ErrorIds.IncompleteAnswer, ErrorKind.InvalidAnswer, "The service accepted the restore of " + request.DatabaseName + " but answered without its operation's name, so it cannot be followed. Check whether database " + request.DatabaseName + " exists before trying again.", request.DatabaseName);
            }

            if (operation.Backup.Length == 0)
            {
                operation.Backup = request.Backup;
            }

            return operation;
        }

        /// <summary>
        /// Finds the restore a request with an unknown outcome may have started: the database restored from
        /// this backup, and its restore operation. Null when the database does not exist; an error when it
        /// exists but is not this restore's.
        /// </summary>
        private async Task<SpannerRestoreOperation?> ReadBackAsync(SpannerRestoreDatabaseRequest request, DateTimeOffset started, CancellationToken cancellationToken)
        {
            SpannerDatabase database;
            try
            {
                database = await GetDatabaseAsync(request.Project, request.Instance, request.DatabaseId, cancellationToken).ConfigureAwait(false);
            }
            catch (ServiceException ex) when (ex.Kind == ErrorKind.NotFound)
            {
                return null;
            }

            SpannerRestoreOperation? operation = null;
            await ListRestoreOperationsAsync(
                request.Project,
                request.Instance,
                "metadata.name:" + request.DatabaseName,
                op =>
                {
                    if (op.DatabaseId == request.DatabaseId && op.Backup == request.Backup && (operation == null || (op.StartTime ?? DateTimeOffset.MinValue) > (operation.StartTime ?? DateTimeOffset.MinValue)))
                    {
                        operation = op;
                    }
                },
                cancellationToken).ConfigureAwait(false);

            var ours = database.RestoredFromBackup == request.Backup && (!database.CreateTime.HasValue || database.CreateTime.Value >= started - TimeSpan.FromMinutes(5)) && operation != null;
            if (!ours)
            {
                throw new ServiceException("Spanner", ErrorKind.AlreadyExists, "Database " + request.DatabaseName + " already exists and is not the restore of " + request.Backup + " this request started.", 409, "ALREADY_EXISTS", resource: request.DatabaseName);
            }

            operation!.ResolvedByReadBack = true;
            return operation;
        }

        private SpannerRestoreOperation Attach(SpannerRestoreOperation operation)
        {
            operation.Client = this;
            operation.Endpoint = _spanner.Http.Endpoint.ToString();
            return operation;
        }
    }
}
