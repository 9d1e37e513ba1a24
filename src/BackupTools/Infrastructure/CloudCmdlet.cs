using System;
using System.Management.Automation;
using BackupTools.Errors;
using BackupTools.Http;

namespace BackupTools.Infrastructure
{
    /// <summary>What the cmdlets that talk to a cloud share, whichever the cloud: the transport rule and how preconditions stop the command.</summary>
    public abstract class CloudCmdlet : AsyncCmdlet
    {
        /// <summary>Allows a plain-http endpoint that is not on this machine (credentials would travel unencrypted).</summary>
        [Parameter]
        public SwitchParameter AllowInsecureHttp { get; set; }

        /// <summary>
        /// Time allowed for one HTTP attempt (default 60 s). A slower answer counts as lost: a read is
        /// retried, a create is settled by reading back.
        /// </summary>
        [Parameter]
        [DurationTransformation]
        public Duration? RequestTimeout { get; set; }

        /// <summary>
        /// A proxy for this command's calls (http://host:port), instead of the environment's
        /// (HTTPS_PROXY, HTTP_PROXY, NO_PROXY) or the system's. Loopback endpoints are never proxied.
        /// For a whole session: $PSDefaultParameterValues['*-Spanner*:Proxy'] (or Connect-GaussCloud -Proxy).
        /// </summary>
        [Parameter]
        [ValidateNotNull]
        public Uri? Proxy { get; set; }

        /// <summary>The user name and password the -Proxy asks for (HTTP 407); never shown in any output.</summary>
        [Parameter]
        [Credential]
        public PSCredential? ProxyCredential { get; set; }

        /// <summary>How long -WaitForInstance waits out a busy instance when no -Timeout is given.</summary>
        internal static readonly TimeSpan DefaultInstanceWait = TimeSpan.FromMinutes(30);

        /// <summary>One rule for every -WaitForInstance: null when not asked for, else -Timeout or the default.</summary>
        internal static TimeSpan? InstanceWait(SwitchParameter waitForInstance, Duration? timeout) =>
            waitForInstance.IsPresent ? timeout?.TimeSpan ?? DefaultInstanceWait : (TimeSpan?)null;

        /// <summary>The retry policy of this command's HTTP client: the default, with -RequestTimeout per attempt.</summary>
        internal RetryPolicy RetryPolicy => RetryPolicies.For(RequestTimeout?.TimeSpan);

        /// <summary>The proxy choice of this command: -Proxy (with -ProxyCredential), else null (the environment's, then the system's).</summary>
        internal ProxySettings? ExplicitProxy
        {
            get
            {
                if (Proxy == null)
                {
                    if (ProxyCredential != null)
                    {
                        throw new BackupToolsException(ErrorIds.ConflictingParameters, ErrorKind.InvalidArgument, "-ProxyCredential goes with -Proxy: give the proxy too (credentials for an environment proxy go in its URL).", "-ProxyCredential");
                    }

                    return null;
                }

                return ProxySettings.Explicit(Proxy, ProxyCredential?.GetNetworkCredential());
            }
        }

        /// <summary>An endpoint under the transport rule: plain http only to loopback, unless -AllowInsecureHttp.</summary>
        internal ServiceEndpoint ParseEndpoint(string text) => ServiceEndpoint.Parse(text, AllowInsecureHttp.IsPresent);

        /// <summary>Builds what the whole command depends on (its client): a refusal stops the command with the error's own id.</summary>
        protected T Precondition<T>(Func<T> build)
        {
            try
            {
                return build();
            }
            catch (BackupToolsException ex)
            {
                ThrowTerminatingError(ErrorRecords.From(ex, ex.Resource));
                throw;
            }
        }
    }
}
