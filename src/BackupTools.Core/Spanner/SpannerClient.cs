using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using BackupTools.Errors;
using BackupTools.Http;
using BackupTools.Validation;
using Newtonsoft.Json.Linq;

namespace BackupTools.Spanner
{
    /// <summary>What New-SpannerBackup asks for, already validated.</summary>
    public sealed class SpannerCreateBackupRequest
    {
        public string Project { get; set; } = string.Empty;

        public string Instance { get; set; } = string.Empty;

        public string Database { get; set; } = string.Empty;

        public string BackupId { get; set; } = string.Empty;

        public DateTimeOffset ExpireTime { get; set; }

        public DateTimeOffset? VersionTime { get; set; }

        public string? EncryptionType { get; set; }

        public string[] KmsKeyNames { get; set; } = Array.Empty<string>();

        public string BackupName => SpannerRules.BackupName(Project, Instance, BackupId);
    }

    /// <summary>
    /// The Cloud Spanner backup REST API (v1), over the shared HTTP core. Creates are never sent twice
    /// blindly: an unknown outcome is settled by reading the backup and its operation back.
    /// </summary>
    public sealed class SpannerClient
    {
        public const string DefaultEndpoint = "https://spanner.googleapis.com/";
        public const string CreateBackupMetadataType = "type.googleapis.com/google.spanner.admin.database.v1.CreateBackupMetadata";

        private readonly ServiceHttpClient _http;

        public SpannerClient(ServiceHttpClient http)
        {
            _http = http;
        }

        public ServiceHttpClient Http => _http;

        public Task<SpannerBackupOperation> CreateBackupAsync(SpannerCreateBackupRequest request, CancellationToken cancellationToken) =>
            SafeCreate.RunAsync(
                "backup " + request.BackupName,
                request.BackupName,
                _http,
                async ct =>
                {
                    // Dated on this machine's clock: the waiter bounds the operation's start by them.
                    var sentAt = DateTimeOffset.UtcNow;
                    var operation = Attach((await _http.SendAsync(CreateRequest(request), ct).ConfigureAwait(false)).Read("a backup operation", SpannerBackupOperation.FromJson));
                    operation.CreateSentAt = sentAt;
                    operation.CreateAnsweredAt = DateTimeOffset.UtcNow;
                    return operation;
                },
                (started, ct) => ReadBackAsync(request, started, ct),
                ex => ex.Kind == ErrorKind.AlreadyExists || ex.Kind == ErrorKind.FailedPrecondition,
                "Check with Get-SpannerBackup -Project " + request.Project + " -Instance " + request.Instance + " -BackupId " + request.BackupId + " before trying again.",
                cancellationToken);

        public async Task<SpannerBackup> GetBackupAsync(string project, string instance, string backupId, CancellationToken cancellationToken)
        {
            var name = SpannerRules.BackupName(project, instance, backupId);
            var response = await _http.SendAsync(new ServiceRequest(HttpMethod.Get, "v1/" + Escape(name)).WithResource(name), cancellationToken).ConfigureAwait(false);
            return response.Read("a backup", SpannerBackup.FromJson);
        }

        /// <summary>Lists backups page by page, handing each to <paramref name="onItem"/> as its page arrives.</summary>
        public Task ListBackupsAsync(string project, string instance, string? filter, int? pageSize, Action<SpannerBackup> onItem, CancellationToken cancellationToken) =>
            ListAsync(SpannerRules.InstanceName(project, instance) + "/backups", filter, pageSize, "backups", json => onItem(SpannerBackup.FromJson(json)), cancellationToken);

        /// <summary>The ids of an instance's databases (for tab completion), all pages.</summary>
        public async Task<IReadOnlyList<string>> ListDatabaseIdsAsync(string project, string instance, CancellationToken cancellationToken)
        {
            var ids = new List<string>();
            await ListAsync(SpannerRules.InstanceName(project, instance) + "/databases", null, null, "databases", json => ids.Add(SpannerRules.LastSegment(AnswerFields.Identity(json, "name"))), cancellationToken).ConfigureAwait(false);
            return ids;
        }

        public async Task DeleteBackupAsync(string project, string instance, string backupId, CancellationToken cancellationToken)
        {
            var name = SpannerRules.BackupName(project, instance, backupId);
            await _http.SendAsync(new ServiceRequest(HttpMethod.Delete, "v1/" + Escape(name)).WithResource(name), cancellationToken).ConfigureAwait(false);
        }

        public async Task<SpannerBackup> UpdateExpireTimeAsync(string project, string instance, string backupId, DateTimeOffset expireTime, CancellationToken cancellationToken)
        {
            var name = SpannerRules.BackupName(project, instance, backupId);
            var request = new ServiceRequest(new HttpMethod("PATCH"), "v1/" + Escape(name))
                .WithQuery("updateMask", "expire_time")
                .WithResource(name);
            request.Body = new JObject { ["expireTime"] = Rfc3339.Format(expireTime) };
            var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return response.Read("a backup", SpannerBackup.FromJson);
        }

        public async Task<SpannerBackupOperation> GetOperationAsync(string operationName, CancellationToken cancellationToken)
        {
            var response = await _http.SendAsync(new ServiceRequest(HttpMethod.Get, "v1/" + Escape(operationName)).WithResource(operationName), cancellationToken).ConfigureAwait(false);
            return Attach(response.Read("a backup operation", SpannerBackupOperation.FromJson));
        }

        public Task ListBackupOperationsAsync(string project, string instance, string? filter, int? pageSize, Action<SpannerBackupOperation> onItem, CancellationToken cancellationToken) =>
            ListAsync(SpannerRules.InstanceName(project, instance) + "/backupOperations", filter, pageSize, "operations", json => onItem(Attach(SpannerBackupOperation.FromJson(json))), cancellationToken);

        public async Task CancelOperationAsync(string operationName, CancellationToken cancellationToken)
        {
            await _http.SendAsync(new ServiceRequest(HttpMethod.Post, "v1/" + Escape(operationName) + ":cancel").WithResource(operationName), cancellationToken).ConfigureAwait(false);
        }

        /// <summary>The filter that finds the create operations of one backup in an instance's backupOperations.</summary>
        public static string OperationsOfBackupFilter(string backupName) =>
            "(metadata.@type:" + CreateBackupMetadataType + ") AND (metadata.name:" + backupName + ")";

        private ServiceRequest CreateRequest(SpannerCreateBackupRequest request)
        {
            var create = new ServiceRequest(HttpMethod.Post, "v1/" + Escape(SpannerRules.InstanceName(request.Project, request.Instance)) + "/backups")
            {
                Idempotency = Idempotency.NotIdempotent,
                Resource = request.BackupName,
            };
            create.WithQuery("backupId", request.BackupId);
            create.WithQuery("encryptionConfig.encryptionType", request.EncryptionType);
            if (request.KmsKeyNames.Length == 1)
            {
                create.WithQuery("encryptionConfig.kmsKeyName", request.KmsKeyNames[0]);
            }
            else
            {
                foreach (var key in request.KmsKeyNames)
                {
                    create.WithQuery("encryptionConfig.kmsKeyNames", key);
                }
            }

            var body = new JObject
            {
                ["database"] = SpannerRules.DatabaseName(request.Project, request.Instance, request.Database),
                ["expireTime"] = Rfc3339.Format(request.ExpireTime),
            };
            if (request.VersionTime.HasValue)
            {
                body["versionTime"] = Rfc3339.Format(request.VersionTime.Value);
            }

            create.Body = body;
            return create;
        }

        /// <summary>
        /// Finds the backup a create with an unknown outcome may have made, and its operation. Null when
        /// the backup does not exist (the create took no effect). Throws when a backup of that id exists
        /// but is not ours (another database, or older than our first attempt).
        /// </summary>
        private async Task<SpannerBackupOperation?> ReadBackAsync(SpannerCreateBackupRequest request, DateTimeOffset started, CancellationToken cancellationToken)
        {
            SpannerBackup backup;
            try
            {
                backup = await GetBackupAsync(request.Project, request.Instance, request.BackupId, cancellationToken).ConfigureAwait(false);
            }
            catch (ServiceException ex) when (ex.Kind == ErrorKind.NotFound)
            {
                return null;
            }

            var ours = backup.Database == request.Database && (!backup.CreateTime.HasValue || backup.CreateTime.Value >= started - TimeSpan.FromMinutes(5));
            if (!ours)
            {
                throw new ServiceException(
                    "Spanner",
                    ErrorKind.AlreadyExists,
                    "Backup " + request.BackupName + " already exists and was not created by this request (database " + backup.Database + ", created " + (backup.CreateTime.HasValue ? Rfc3339.Format(backup.CreateTime.Value) : "at an unknown time") + ").",
                    409,
                    "ALREADY_EXISTS",
                    resource: request.BackupName);
            }

            SpannerBackupOperation? operation = null;
            await ListBackupOperationsAsync(
                request.Project,
                request.Instance,
                OperationsOfBackupFilter(request.BackupName),
                null,
                op =>
                {
                    if (op.BackupId == request.BackupId && (operation == null || (op.StartTime ?? DateTimeOffset.MinValue) > (operation.StartTime ?? DateTimeOffset.MinValue)))
                    {
                        operation = op;
                    }
                },
                cancellationToken).ConfigureAwait(false);

            operation ??= Attach(new SpannerBackupOperation
            {
                // The operation has aged out of the list (kept 7 days): describe the backup's own state.
                Name = request.BackupName,
                Project = request.Project,
                Instance = request.Instance,
                BackupId = request.BackupId,
                Database = request.Database,
                Done = backup.State == "READY",
                ProgressPercent = backup.State == "READY" ? 100 : 0,
                Backup = backup.State == "READY" ? backup : null,
            });
            operation.ResolvedByReadBack = true;
            return operation;
        }

        /// <summary>Every page of a collection, through the bounded pager (a repeated page token or a list past all sense ends it).</summary>
        internal Task ListAsync(string collection, string? filter, int? pageSize, string itemsField, Action<JObject> onItem, CancellationToken cancellationToken) =>
            Pager.ByTokenAsync(
                _http,
                itemsField + " of " + collection,
                pageToken => new ServiceRequest(HttpMethod.Get, "v1/" + Escape(collection))
                    .WithResource(collection)
                    .WithQuery("filter", string.IsNullOrEmpty(filter) ? null : filter)
                    .WithQuery("pageSize", pageSize?.ToString(CultureInfo.InvariantCulture))
                    .WithQuery("pageToken", pageToken),
                itemsField,
                onItem,
                cancellationToken);

        internal SpannerBackupOperation Attach(SpannerBackupOperation operation)
        {
            operation.Client = this;
            operation.Endpoint = _http.Endpoint.ToString();
            return operation;
        }

        /// <summary>Escapes each segment of a resource name; the slashes between segments stay (reserved expansion).</summary>
        internal static string Escape(string resourceName) =>
            string.Join("/", resourceName.Split('/').Select(Uri.EscapeDataString));
    }
}
