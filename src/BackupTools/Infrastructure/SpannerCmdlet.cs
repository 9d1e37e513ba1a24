using System;
using System.Management.Automation;
using System.Security;
using BackupTools.Auth;
using BackupTools.Errors;
using BackupTools.Http;
using BackupTools.Spanner;

namespace BackupTools.Infrastructure
{
    /// <summary>
    /// What every Spanner cmdlet shares: where to send calls and with which credential. The endpoint is
    /// -Endpoint, else $env:BACKUPTOOLS_SPANNER_ENDPOINT, else the public service.
    /// </summary>
    public abstract class SpannerCmdlet : CloudCmdlet
    {
        public const string EndpointVariable = "BACKUPTOOLS_SPANNER_ENDPOINT";

        private SpannerClient? _client;

        /// <summary>Base URL of the Spanner REST API, e.g. the emulator's http://127.0.0.1:9020/.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Endpoint { get; set; }

        /// <summary>An OAuth 2.0 access token; overrides Application Default Credentials.</summary>
        [Parameter]
        public SecureString? AccessToken { get; set; }

        /// <summary>The client for this invocation, created on first use on the pipeline thread.</summary>
        protected SpannerClient Client => _client ??= Precondition(BuildClient);

        /// <summary>The endpoint in the documented order: the one given, else $env:BACKUPTOOLS_SPANNER_ENDPOINT, else the public service.</summary>
        internal static string EndpointText(string? given) =>
            given ?? Environment.GetEnvironmentVariable(EndpointVariable) ?? SpannerClient.DefaultEndpoint;

        private SpannerClient BuildClient() => CreateClient(this, Endpoint, "-Endpoint", AccessToken);

        /// <summary>A Spanner client for any cloud command (the fleet commands too): endpoint in the documented order, credential resolved, both named on -Debug.</summary>
        internal static SpannerClient CreateClient(CloudCmdlet cmdlet, string? endpointGiven, string endpointParameter, SecureString? accessToken)
        {
            var source = endpointGiven != null ? endpointParameter : Environment.GetEnvironmentVariable(EndpointVariable) != null ? "$env:" + EndpointVariable : "the default";
            var endpoint = cmdlet.ParseEndpoint(EndpointText(endpointGiven));
            var proxy = cmdlet.ExplicitProxy;
            var authenticator = GoogleCredentials.Resolve(accessToken, endpoint, proxy: proxy);
            cmdlet.WriteDebug("Spanner endpoint " + endpoint + " (from " + source + "); credential: " + authenticator.Source + ".");
            return new SpannerClient(new ServiceHttpClient("Spanner", endpoint, authenticator, cmdlet.Trace, cmdlet.RetryPolicy, proxy));
        }
    }
}

namespace BackupTools.Infrastructure
{
    using System.Management.Automation;

    /// <summary>The Spanner cmdlets that work on one instance's backups: -Project and -Instance, first and second by position, bound by property name.</summary>
    public abstract class SpannerInstanceCmdlet : SpannerCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("ProjectId")]
        [ValidateSpannerProjectId]
        public string Project { get; set; } = string.Empty;

        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("InstanceId")]
        [ValidateSpannerInstanceId]
        public string Instance { get; set; } = string.Empty;
    }
}
