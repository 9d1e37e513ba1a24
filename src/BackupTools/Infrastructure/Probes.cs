using System.Management.Automation;
using BackupTools.Auth;
using BackupTools.Gauss;
using BackupTools.Http;
using BackupTools.Spanner;
using BackupTools.Waiting;

namespace BackupTools.Infrastructure
{
    /// <summary>Finds how to follow whatever object reached Wait-BackupOperation, whichever cloud it came from.</summary>
    internal static class Probes
    {
        /// <param name="followOptimize">For a Spanner restore: follow the optimize step after it (the default), or stop when the restore ends.</param>
        public static IOperationProbe? For(object? input, IHttpTrace trace, bool followOptimize = true)
        {
            var value = input is PSObject pso ? pso.BaseObject : input;
            switch (value)
            {
                case SpannerBackupOperation spanner:
                    return new SpannerOperationProbe(spanner.Client ?? ClientFor(spanner.Endpoint, trace), spanner);
                case SpannerRestoreOperation restore:
                    return new SpannerRestoreProbe(restore.Client ?? new SpannerDatabaseClient(ClientFor(restore.Endpoint, trace)), restore, followOptimize);
                case GaussBackup gauss:
                    var backupClient = gauss.Client ?? SessionClient(trace);
                    return backupClient == null ? null : new GaussBackupProbe(backupClient, gauss);
                case GaussInstance instance:
                    var instanceClient = instance.Client ?? SessionClient(trace);
                    return instanceClient == null ? null : new GaussInstanceProbe(instanceClient, instance);
                case GaussJob job:
                    var jobClient = job.Client ?? SessionClient(trace);
                    return jobClient == null ? null : new GaussBackupProbe(jobClient, job);
                default:
                    return null;
            }
        }

        /// <summary>A GaussDB object built by hand or deserialized has no client: use the Connect-GaussCloud session's credential, when there is one.</summary>
        private static GaussClient? SessionClient(IHttpTrace trace) => GaussCmdlet.CurrentSession?.CreateClient(trace);

        /// <summary>An operation built by hand or deserialized has no client: make one from its endpoint with default credentials.</summary>
        private static SpannerClient ClientFor(string? operationEndpoint, IHttpTrace trace)
        {
            var endpoint = ServiceEndpoint.Parse(SpannerCmdlet.EndpointText(operationEndpoint));
            return new SpannerClient(new ServiceHttpClient("Spanner", endpoint, GoogleCredentials.Resolve(null, endpoint), trace));
        }
    }
}
