using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BackupTools.Waiting;

namespace BackupTools.Spanner
{
    /// <summary>
    /// The earlier backups of a Spanner database, from the instance's backup operations (the service
    /// keeps finished ones for 7 days, with their exact start and end), read once per database and
    /// session. Spanner reports progress, so this is read only when that progress is not to be trusted.
    /// </summary>
    public static class SpannerBackupHistory
    {
        private static readonly SessionCache<IReadOnlyList<PastRun>> Cache = new SessionCache<IReadOnlyList<PastRun>>(TimeSpan.FromHours(1));

        /// <summary>The database's finished, successful backups, newest first.</summary>
        public static Task<IReadOnlyList<PastRun>> ForDatabaseAsync(SpannerClient client, string project, string instance, string database, CancellationToken cancellationToken)
        {
            var databaseName = SpannerRules.InstanceName(project, instance) + "/databases/" + database;
            return Cache.GetAsync(client.Http.Endpoint.BaseAddress.AbsoluteUri + "|" + databaseName, () => ReadAsync(client, project, instance, database, databaseName), cancellationToken);
        }

        /// <summary>Forgets everything read (tests; a new session).</summary>
        public static void Clear() => Cache.Clear();

        private static async Task<IReadOnlyList<PastRun>> ReadAsync(SpannerClient client, string project, string instance, string database, string databaseName)
        {
            var runs = new List<PastRun>();
            var filter = "(metadata.@type:" + SpannerClient.CreateBackupMetadataType + ") AND (done:true) AND (metadata.database:\"" + databaseName + "\")";
            await client.ListBackupOperationsAsync(
                project,
                instance,
                filter,
                null,
                op =>
                {
                    // The filter matches substrings: keep this database's own, finished without error.
                    if (string.Equals(op.Database, database, StringComparison.Ordinal) && op.Outcome == OperationState.Succeeded && op.StartTime.HasValue && op.EndTime > op.StartTime)
                    {
                        var megabytes = op.Backup?.SizeBytes / (1024 * 1024);
                        runs.Add(new PastRun(op.StartTime.Value, op.EndTime!.Value, megabytes > 0 ? megabytes : null));
                    }
                },
                CancellationToken.None).ConfigureAwait(false);
            return runs.OrderByDescending(r => r.Ended).ToList();
        }
    }
}
