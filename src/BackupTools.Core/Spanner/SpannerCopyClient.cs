using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using BackupTools.Errors;
using BackupTools.Http;
using BackupTools.Validation;
using Newtonsoft.Json.Linq;

namespace BackupTools.Spanner
{
    /// <summary>What Copy-SpannerBackup asks for, already validated (the expiry is checked against the source here).</summary>
    public sealed class SpannerCopyBackupRequest
    {
        /// <summary>The source backup's full name (any instance or project).</summary>
        public string SourceBackup { get; set; } = string.Empty;

        public string Project { get; set; } = string.Empty;

        public string Instance { get; set; } = string.Empty;

        public string BackupId { get; set; } = string.Empty;

        /// <summary>The expiry; when null, the source's own expiry is kept.</summary>
        public DateTimeOffset? ExpireTime { get; set; }

        public string? EncryptionType { get; set; }

        public string[] KmsKeyNames { get; set; } = Array.Empty<string>();

        public string BackupName => SpannerRules.BackupName(Project, Instance, BackupId);
    }

    /// <summary>
    /// Copies backups (backups:copy). The source is read first, so a source still being created and an
    /// expiry outside the source's window are refused before the copy is sent; an unknown outcome is
    /// settled by reading the destination back, never by copying twice.
    /// </summary>
    public sealed class SpannerCopyClient
    {
        public const string CopyBackupMetadataType = "type.googleapis.com/google.spanner.admin.database.v1.CopyBackupMetadata";

        private readonly SpannerClient _spanner;

        public SpannerCopyClient(SpannerClient spanner)
        {
            _spanner = spanner;
        }

        public async Task<SpannerBackupOperation> CopyBackupAsync(SpannerCopyBackupRequest request, CancellationToken cancellationToken)
        {
            SpannerRules.TryParseBackupName(request.SourceBackup, out var sourceProject, out var sourceInstance, out var sourceId);
            var source = await _spanner.GetBackupAsync(sourceProject, sourceInstance, sourceId, cancellationToken).ConfigureAwait(false);
            if (source.State != "READY")
            {
                throw new BackupToolsException(
                    ErrorIds.SpannerBackupNotReady,
                    ErrorKind.FailedPrecondition,
                    "Cannot copy backup " + request.SourceBackup + ": it is still being created (state " + (source.State.Length > 0 ? source.State : "unknown") + "). Wait for it (Get-SpannerBackupOperation ... | Wait-BackupOperation) and copy it when READY.",
                    request.SourceBackup);
            }

            if (!source.CreateTime.HasValue)
            {
                throw new BackupToolsException(ErrorIds.IncompleteAnswer, ErrorKind.InvalidAnswer, "The service described backup " + request.SourceBackup + " without its createTime, which a copy's expiry is measured from.", request.SourceBackup);
            }

            var expire = request.ExpireTime ?? source.ExpireTime ?? throw new BackupToolsException(ErrorIds.IncompleteAnswer, ErrorKind.InvalidAnswer, "The service described backup " + request.SourceBackup + " without its expireTime; give -ExpireTime or -RetentionPeriod.", request.SourceBackup);
            var problem = SpannerRules.CheckCopyExpireTime(expire, source.CreateTime.Value, source.MaxExpireTime);
            if (problem != null)
            {
                throw ValidationError.Create(problem, request.BackupName);
            }

            return await SafeCreate.RunAsync(
                "backup " + request.BackupName + " (copy of " + request.SourceBackup + ")",
                request.BackupName,
                _spanner.Http,
                async ct => Checked(_spanner.Attach((await _spanner.Http.SendAsync(CopyRequest(request, expire), ct).ConfigureAwait(false)).Read("a copy operation", SpannerBackupOperation.FromJson)), request),
                (started, ct) => ReadBackAsync(request, source, started, ct),
                ex => ex.Kind == ErrorKind.AlreadyExists,
                "Check with Get-SpannerBackup -Project " + request.Project + " -Instance " + request.Instance + " -BackupId " + request.BackupId + " before trying again.",
                cancellationToken).ConfigureAwait(false);
        }

        /// <summary>The filter that finds the copy operations making one backup in an instance's backupOperations.</summary>
        public static string OperationsOfCopyFilter(string backupName) =>
            "(metadata.@type:" + CopyBackupMetadataType + ") AND (metadata.name:" + backupName + ")";

        private ServiceRequest CopyRequest(SpannerCopyBackupRequest request, DateTimeOffset expire)
        {
            var body = new JObject
            {
                ["backupId"] = request.BackupId,
                ["sourceBackup"] = request.SourceBackup,
                ["expireTime"] = Rfc3339.Format(expire),
            };
            var encryption = SpannerEncryption.ToJson(request.EncryptionType, request.KmsKeyNames);
            if (encryption != null)
            {
                body["encryptionConfig"] = encryption;
            }

            var instance = SpannerRules.InstanceName(request.Project, request.Instance);
            return new ServiceRequest(HttpMethod.Post, "v1/" + SpannerClient.Escape(instance) + "/backups:copy")
            {
                Idempotency = Idempotency.NotIdempotent,
                Resource = request.BackupName,
                Body = body,
            };
        }

        /// <summary>An operation without a name cannot be followed: that answer is an error, not an object.</summary>
        private static SpannerBackupOperation Checked(SpannerBackupOperation operation, SpannerCopyBackupRequest request)
        {
            if (operation.Name.Length == 0 || operation.BackupId != request.BackupId)
            {
                throw new BackupToolsException(ErrorIds.IncompleteAnswer, ErrorKind.InvalidAnswer, "The service accepted the copy to " + request.BackupName + " but answered without its operation's name, so it cannot be followed. Check with Get-SpannerBackupOperation -Project " + request.Project + " -Instance " + request.Instance + ".", request.BackupName);
            }

            operation.Kind = "CopyBackup";
            operation.SourceBackup ??= request.SourceBackup;
            return operation;
        }

        /// <summary>
        /// Finds the copy a request with an unknown outcome may have made, and its operation; null when the
        /// destination does not exist. A destination that exists but is not a copy of this source is an error.
        /// </summary>
        private async Task<SpannerBackupOperation?> ReadBackAsync(SpannerCopyBackupRequest request, SpannerBackup source, DateTimeOffset started, CancellationToken cancellationToken)
        {
            SpannerBackup backup;
            try
            {
                backup = await _spanner.GetBackupAsync(request.Project, request.Instance, request.BackupId, cancellationToken).ConfigureAwait(false);
            }
            catch (ServiceException ex) when (ex.Kind == ErrorKind.NotFound)
            {
                return null;
            }

            SpannerBackupOperation? operation = null;
            await _spanner.ListBackupOperationsAsync(
                request.Project,
                request.Instance,
                OperationsOfCopyFilter(request.BackupName),
                null,
                op =>
                {
                    if (op.BackupId == request.BackupId && op.SourceBackup == request.SourceBackup && (operation == null || (op.StartTime ?? DateTimeOffset.MinValue) > (operation.StartTime ?? DateTimeOffset.MinValue)))
                    {
                        operation = op;
                    }
                },
                cancellationToken).ConfigureAwait(false);

            var ours = backup.DatabaseName == source.DatabaseName && (!backup.CreateTime.HasValue || backup.CreateTime.Value >= started - TimeSpan.FromMinutes(5)) && operation != null;
            if (!ours)
            {
                throw new ServiceException(
                    "Spanner",
                    ErrorKind.AlreadyExists,
                    "Backup " + request.BackupName + " already exists and is not the copy of " + request.SourceBackup + " this request made.",
                    409,
                    "ALREADY_EXISTS",
                    resource: request.BackupName);
            }

            operation!.Kind = "CopyBackup";
            operation.ResolvedByReadBack = true;
            return operation;
        }
    }
}
