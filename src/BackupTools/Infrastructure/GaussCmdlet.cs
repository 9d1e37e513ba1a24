using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using BackupTools.Auth;
using BackupTools.Auth.Huawei;
using BackupTools.Errors;
using BackupTools.Gauss;
using BackupTools.Http;
using BackupTools.Validation;

namespace BackupTools.Infrastructure
{
    /// <summary>
    /// What every GaussDB cmdlet shares: where to send calls and with which credential.
    /// Endpoint: -Endpoint, else $env:BACKUPTOOLS_GAUSS_ENDPOINT, else the Connect-GaussCloud session's,
    /// else the region table for -Cloud and -Region.
    /// Credential, first found wins: -AccessKey/-SecretKey (AK/SK signing); -Token (an IAM token);
    /// -Credential with -DomainName (IAM password, token cached); the Connect-GaussCloud session;
    /// $env:HUAWEICLOUD_SDK_AK / HUAWEICLOUD_SDK_SK (with HUAWEICLOUD_SDK_PROJECT_ID).
    /// -Debug names the source used, never the value.
    /// </summary>
    public abstract class GaussCmdlet : CloudCmdlet
    {
        public const string EndpointVariable = "BACKUPTOOLS_GAUSS_ENDPOINT";
        public const string AccessKeyVariable = "HUAWEICLOUD_SDK_AK";
        public const string SecretKeyVariable = "HUAWEICLOUD_SDK_SK";
        public const string ProjectIdVariable = "HUAWEICLOUD_SDK_PROJECT_ID";

        // One session per runspace: several runspaces in one process (jobs, tests) must not share credentials.
        private static readonly ConcurrentDictionary<Guid, GaussSession> Sessions = new ConcurrentDictionary<Guid, GaussSession>();

        private GaussClient? _client;

        /// <summary>Base URL of the GaussDB(for MySQL) API, e.g. the emulator's http://127.0.0.1:9020/.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Endpoint { get; set; }

        /// <summary>The region (e.g. eu-de, ap-southeast-1): picks the endpoint, and scopes an IAM password token.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(GaussRegionCompleter))]
        public string? Region { get; set; }

        [Parameter]
        [ValidateGaussProjectId]
        public string? ProjectId { get; set; }

        /// <summary>
        /// HuaweiCloud or OpenTelekomCloud (a string, not the core's enum: an enum-typed field here would
        /// make PowerShell load the core while scanning the module at import).
        /// </summary>
        [Parameter]
        [ValidateSet("HuaweiCloud", "OpenTelekomCloud")]
        public string? Cloud { get; set; }

        /// <summary>Access key id for AK/SK signing; goes with -SecretKey.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? AccessKey { get; set; }

        [Parameter]
        public SecureString? SecretKey { get; set; }

        /// <summary>An IAM token obtained elsewhere (sent as X-Auth-Token); needs -ProjectId.</summary>
        [Parameter]
        public SecureString? Token { get; set; }

        /// <summary>IAM user name and password; goes with -DomainName (the account name).</summary>
        [Parameter]
        [Credential]
        public PSCredential? Credential { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? DomainName { get; set; }

        /// <summary>The IAM endpoint for -Credential (default: the region's, or the -Endpoint itself when that is a local emulator).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? IamEndpoint { get; set; }

        /// <summary>The client for this invocation, created on first use on the pipeline thread.</summary>
        protected GaussClient Client => _client ??= Precondition(() => BuildClient(out _));

        /// <summary>The Connect-GaussCloud session of the current runspace, if any.</summary>
        internal static GaussSession? CurrentSession =>
            Runspace.DefaultRunspace != null && Sessions.TryGetValue(Runspace.DefaultRunspace.InstanceId, out var s) ? s : null;

        internal static void SetSession(GaussSession? session)
        {
            if (Runspace.DefaultRunspace == null)
            {
                return;
            }

            if (session == null)
            {
                Sessions.TryRemove(Runspace.DefaultRunspace.InstanceId, out _);
            }
            else
            {
                Sessions[Runspace.DefaultRunspace.InstanceId] = session;
            }
        }

        /// <summary>The cloud this command talks to: -Cloud, else the Connect-GaussCloud session's, else Huawei Cloud.</summary>
        internal GaussCloud TargetCloud => Cloud != null ? (GaussCloud)Enum.Parse(typeof(GaussCloud), Cloud, ignoreCase: true) : CurrentSession?.Cloud ?? GaussCloud.HuaweiCloud;

        /// <summary>
        /// Refuses, before any request, what Open Telekom Cloud's GaussDB API does not offer (it would answer
        /// 404): terminating, since no pipeline item can escape it. <paramref name="what"/> names the feature.
        /// </summary>
        protected void RequireNotOpenTelekomCloud(string what, string instead)
        {
            if (TargetCloud == GaussCloud.OpenTelekomCloud)
            {
                ThrowTerminatingError(ErrorRecords.From(
                    new BackupToolsException(ErrorIds.NotOfferedByCloud, ErrorKind.InvalidArgument, "Open Telekom Cloud's GaussDB(for MySQL) API offers no " + what + ". " + instead),
                    null));
            }
        }

        /// <summary>
        /// A restore's -RestoreTime as UTC, or null (after refusing it: terminating when typed, for that item when piped)
        /// when it is in the future: an instance can only be restored to a moment that has passed.
        /// </summary>
        protected DateTimeOffset? PastRestoreTime(DateTime restoreTime, object target)
        {
            var utc = TypedTime.ToUtc(restoreTime);
            if (utc <= DateTimeOffset.UtcNow)
            {
                return utc;
            }

            RefuseInput(ValidationError.Create("-RestoreTime " + Rfc3339.Format(utc) + " is in the future: an instance can only be restored to a moment that has passed."), target);
            return null;
        }

        /// <summary>Resolves endpoint, project and credential, in the documented order.</summary>
        internal GaussClient BuildClient(out GaussSession resolved)
        {
            var session = CurrentSession;
            var cloud = TargetCloud;
            var region = Region ?? session?.Region;

            var envEndpoint = Environment.GetEnvironmentVariable(EndpointVariable);
            string endpointText;
            string endpointSource;
            if (Endpoint != null)
            {
                endpointText = Endpoint;
                endpointSource = "-Endpoint";
            }
            else if (!string.IsNullOrEmpty(envEndpoint))
            {
                endpointText = envEndpoint!;
                endpointSource = "$env:" + EndpointVariable;
            }
            else if (session?.Endpoint != null)
            {
                endpointText = session.Endpoint;
                endpointSource = "the Connect-GaussCloud session";
            }
            else if (region != null)
            {
                endpointText = GaussEndpoints.Service(cloud, region);
                endpointSource = "the " + cloud + " region table (" + region + ")";
            }
            else
            {
                throw new BackupToolsException(ErrorIds.InvalidParameter, ErrorKind.InvalidArgument, "No GaussDB endpoint: give -Region (and -Cloud), -Endpoint, set $env:" + EndpointVariable + ", or run Connect-GaussCloud.");
            }

            var endpoint = ParseEndpoint(endpointText);
            var proxy = ExplicitProxy ?? session?.Proxy;
            var projectId = ProjectId ?? session?.ProjectId;
            IRequestAuthenticator authenticator;
            Func<CancellationToken, Task<string>>? projectResolver = null;

            if (AccessKey != null || SecretKey != null)
            {
                if (AccessKey == null || SecretKey == null || SecretKey.Length == 0)
                {
                    throw new BackupToolsException(ErrorIds.ConflictingParameters, ErrorKind.InvalidArgument, "-AccessKey and -SecretKey go together: give both or neither.");
                }

                projectId ??= EnvProjectId();
                authenticator = new AkSkSigner(AccessKey, SecretKey, RequireProject(projectId, "AK/SK signing"), "AK/SK from -AccessKey/-SecretKey");
            }
            else if (Token != null && Token.Length > 0)
            {
                RequireProject(projectId, "-Token");
                authenticator = StaticTokenAuthenticator.XAuthToken(Token, "the -Token parameter");
            }
            else if (Credential != null)
            {
                if (string.IsNullOrEmpty(DomainName))
                {
                    throw new BackupToolsException(ErrorIds.ConflictingParameters, ErrorKind.InvalidArgument, "-Credential needs -DomainName (the account name the IAM user belongs to).");
                }

                var iamText = IamEndpoint ?? (endpoint.IsLocalEmulator ? endpoint.ToString() : GaussEndpoints.Iam(cloud, region));
                var iam = new ServiceHttpClient("Iam", ParseEndpoint(iamText), new AnonymousAuthenticator("none (token request)"), Trace, RetryPolicy, proxy);
                var provider = new IamTokenProvider(iam, Credential.UserName, Credential.Password, DomainName!, region, ProjectId, "IAM password of user " + Credential.UserName + " via " + iamText);
                authenticator = provider;
                projectResolver = ProjectId != null ? null : new Func<CancellationToken, Task<string>>(provider.GetProjectIdAsync);
            }
            else if (session?.Authenticator != null)
            {
                authenticator = session.Authenticator;
                projectResolver = projectId != null ? null : session.ProjectResolver;
            }
            else if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(AccessKeyVariable)) && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(SecretKeyVariable)))
            {
                projectId ??= EnvProjectId();
                authenticator = new AkSkSigner(
                    Environment.GetEnvironmentVariable(AccessKeyVariable)!,
                    SecretText.Protect(Environment.GetEnvironmentVariable(SecretKeyVariable)!),
                    RequireProject(projectId, "AK/SK signing"),
                    "AK/SK from $env:" + AccessKeyVariable + " / $env:" + SecretKeyVariable);
            }
            else if (endpoint.IsLocalEmulator)
            {
                projectId ??= EnvProjectId();
                RequireProject(projectId, "the emulator");
                authenticator = new AnonymousAuthenticator("none: " + endpoint + " is a plain-http loopback emulator");
            }
            else
            {
                throw new BackupToolsException(
                    ErrorIds.NoCredentials,
                    ErrorKind.NoCredentials,
                    "No GaussDB credentials: give -AccessKey/-SecretKey, -Token, or -Credential with -DomainName; run Connect-GaussCloud; or set $env:" + AccessKeyVariable + " and $env:" + SecretKeyVariable + ".");
            }

            // A credential taken from the session names where it came from, not the parameter Connect-GaussCloud was given.
            var credentialSource = session?.Authenticator != null && ReferenceEquals(authenticator, session.Authenticator)
                ? "the Connect-GaussCloud session (" + authenticator.Source + ")"
                : authenticator.Source;
            WriteDebug("Gauss endpoint " + endpoint + " (from " + endpointSource + "); credential: " + credentialSource + ".");
            var http = new ServiceHttpClient("Gauss", endpoint, authenticator, Trace, RetryPolicy, proxy);
            var client = projectResolver != null ? new GaussClient(http, projectResolver, region) : new GaussClient(http, projectId!, region);
            resolved = new GaussSession(cloud, region, projectId, endpoint.ToString(), authenticator, projectResolver ?? (_ => Task.FromResult(projectId!))) { Proxy = proxy };
            return client;
        }

        private static string? EnvProjectId()
        {
            var value = Environment.GetEnvironmentVariable(ProjectIdVariable);
            return string.IsNullOrEmpty(value) ? null : value;
        }

        private static string RequireProject(string? projectId, string what)
        {
            if (string.IsNullOrEmpty(projectId))
            {
                throw new BackupToolsException(ErrorIds.InvalidParameter, ErrorKind.InvalidArgument, "A project id is needed with " + what + ": give -ProjectId, set $env:" + ProjectIdVariable + ", or run Connect-GaussCloud.");
            }

            return GaussRules.ProjectId.Require(projectId);
        }
    }

    /// <summary>What Connect-GaussCloud remembers for the runspace: defaults and a ready credential (an IAM token stays cached in it).</summary>
    internal sealed class GaussSession
    {
        public GaussSession(GaussCloud cloud, string? region, string? projectId, string? endpoint, IRequestAuthenticator? authenticator, Func<CancellationToken, Task<string>> projectResolver)
        {
            Cloud = cloud;
            Region = region;
            ProjectId = projectId;
            Endpoint = endpoint;
            Authenticator = authenticator;
            ProjectResolver = projectResolver;
        }

        public GaussCloud Cloud { get; }

        public string? Region { get; }

        public string? ProjectId { get; set; }

        public string? Endpoint { get; }

        public IRequestAuthenticator? Authenticator { get; }

        public Func<CancellationToken, Task<string>> ProjectResolver { get; }

        /// <summary>The proxy given to Connect-GaussCloud (-Proxy): used by every GaussDB command of the session that gives none.</summary>
        public ProxySettings? Proxy { get; set; }

        /// <summary>
        /// A client with the session's endpoint and credential, for what has no command of its own to
        /// build one (hand-built objects waited on, tab completion); null when the session has no credential.
        /// </summary>
        public GaussClient? CreateClient(IHttpTrace? trace = null, RetryPolicy? retryPolicy = null)
        {
            if (Authenticator == null || Endpoint == null)
            {
                return null;
            }

            var http = new ServiceHttpClient("Gauss", ServiceEndpoint.Parse(Endpoint), Authenticator, trace, retryPolicy, Proxy);
            return new GaussClient(http, ProjectResolver, Region);
        }
    }
}
