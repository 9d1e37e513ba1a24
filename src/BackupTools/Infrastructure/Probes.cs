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
        public static IOperationProbe? For(object? input, IHttpTrace trace)
        {
            var value = input is PSObject pso ? pso.BaseObject : input;
            switch (value)
            {
                case SpannerBackupOperation spanner:
                    return new SpannerOperationProbe(spanner.Client ?? ClientFor(spanner, trace), spanner);
                case GaussBackup gauss when gauss.Client != null:
                    return new GaussBackupProbe(gauss.Client, gauss);
                case GaussJob job when job.Client != null:
                    return new GaussBackupProbe(job.Client, job);
                default:
                    return null;
            }
        }

        /// <summary>An operation built by hand or deserialized has no client: make one from its endpoint with default credentials.</summary>
        private static SpannerClient ClientFor(SpannerBackupOperation operation, IHttpTrace trace)
        {
            var endpoint = ServiceEndpoint.Parse(operation.Endpoint ?? System.Environment.GetEnvironmentVariable(SpannerCmdlet.EndpointVariable) ?? SpannerClient.DefaultEndpoint);
            return new SpannerClient(new ServiceHttpClient("Spanner", endpoint, GoogleCredentials.Resolve(null, endpoint), trace));
        }
    }
}
