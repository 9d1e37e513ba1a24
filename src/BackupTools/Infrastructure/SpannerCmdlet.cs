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
    public abstract class SpannerCmdlet : AsyncCmdlet
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

        /// <summary>Allows a plain-http endpoint that is not on this machine (credentials would travel unencrypted).</summary>
        [Parameter]
        public SwitchParameter AllowInsecureHttp { get; set; }

        /// <summary>
        /// Time allowed for one HTTP attempt (default 60 s). A slower answer counts as lost: a read is
        /// retried, a create is settled by reading back.
        /// </summary>
        [Parameter]
        [DurationTransformation]
        public TimeSpan? RequestTimeout { get; set; }

        /// <summary>The client for this invocation, created on first use on the pipeline thread.</summary>
        protected SpannerClient Client
        {
            get
            {
                if (_client == null)
                {
                    var endpointText = Endpoint ?? Environment.GetEnvironmentVariable(EndpointVariable);
                    var source = Endpoint != null ? "-Endpoint" : endpointText != null ? "$env:" + EndpointVariable : "the default";
                    endpointText ??= SpannerClient.DefaultEndpoint;
                    ServiceEndpoint endpoint;
                    RetryPolicy retryPolicy;
                    try
                    {
                        endpoint = ServiceEndpoint.Parse(endpointText, AllowInsecureHttp.IsPresent);
                        retryPolicy = RetryPolicies.For(RequestTimeout);
                    }
                    catch (BackupToolsException ex)
                    {
                        ThrowTerminatingError(ErrorRecords.From(ex, endpointText));
                        throw;
                    }

                    var authenticator = GoogleCredentials.Resolve(AccessToken, endpoint);
                    WriteDebug("Spanner endpoint " + endpoint + " (from " + source + "); credential: " + authenticator.Source + ".");
                    _client = new SpannerClient(new ServiceHttpClient("Spanner", endpoint, authenticator, Trace, RetryPolicies.For(RequestTimeout)));
                }

                return _client;
            }
        }
    }
}
