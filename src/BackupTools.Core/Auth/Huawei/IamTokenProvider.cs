using System;
using System.Globalization;
using System.Net.Http;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using BackupTools.Errors;
using BackupTools.Http;
using Newtonsoft.Json.Linq;

namespace BackupTools.Auth.Huawei
{
    /// <summary>
    /// IAM password authentication: asks IAM for a token (user, password, account name, scoped to a
    /// project by name or id), sends it as X-Auth-Token, and reuses it until 5 minutes before it
    /// expires. The token's project id is learned from the answer. Neither the password nor the token
    /// is ever written to a trace or message (the HTTP core redacts both).
    /// </summary>
    public sealed class IamTokenProvider : IRequestAuthenticator
    {
        /// <summary>A token is renewed this long before IAM says it expires, so no call carries a dying one.</summary>
        public static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(5);

        private readonly ServiceHttpClient _iam;
        private readonly string _userName;
        private readonly SecureString _password;
        private readonly string _domainName;
        private readonly string? _projectName;
        private readonly string? _projectId;
        private readonly SemaphoreSlim _gate = new SemaphoreSlim(1, 1);
        private SecureString? _token;
        private DateTimeOffset _expiresAt;
        private string? _learnedProjectId;

        /// <param name="iam">A client for the IAM endpoint with no authenticator of its own.</param>
        /// <param name="projectName">The project (region) name to scope the token to, e.g. eu-de; or give <paramref name="projectId"/>.</param>
        public IamTokenProvider(ServiceHttpClient iam, string userName, SecureString password, string domainName, string? projectName, string? projectId, string source)
        {
            _iam = iam;
            _userName = userName;
            _password = password;
            _domainName = domainName;
            _projectName = projectName;
            _projectId = projectId;
            Source = source;
            if (string.IsNullOrEmpty(projectName) && string.IsNullOrEmpty(projectId))
            {
                throw new BackupToolsException(ErrorIds.InvalidParameter, ErrorKind.InvalidArgument, "IAM password authentication needs a project to scope the token to: give -Region (the project name, e.g. eu-de) or -ProjectId.");
            }
        }

        public string Source { get; }

        /// <summary>The token's expiry, once one has been obtained.</summary>
        public DateTimeOffset? ExpiresAt => _token == null ? (DateTimeOffset?)null : _expiresAt;

        public async Task AuthenticateAsync(OutgoingRequest request, CancellationToken cancellationToken)
        {
            var token = await GetTokenAsync(cancellationToken).ConfigureAwait(false);
            request.Headers["X-Auth-Token"] = SecretText.Reveal(token);
        }

        /// <summary>The project id of the token's scope (asks IAM for a token when none is cached).</summary>
        public async Task<string> GetProjectIdAsync(CancellationToken cancellationToken)
        {
            await GetTokenAsync(cancellationToken).ConfigureAwait(false);
            return _learnedProjectId ?? _projectId ?? string.Empty;
        }

        private async Task<SecureString> GetTokenAsync(CancellationToken cancellationToken)
        {
            var cached = _token;
            if (cached != null && DateTimeOffset.UtcNow < _expiresAt - RenewBefore)
            {
                return cached;
            }

            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (_token != null && DateTimeOffset.UtcNow < _expiresAt - RenewBefore)
                {
                    return _token;
                }

                await RequestTokenAsync(cancellationToken).ConfigureAwait(false);
                return _token!;
            }
            finally
            {
                _gate.Release();
            }
        }

        private async Task RequestTokenAsync(CancellationToken cancellationToken)
        {
            var project = !string.IsNullOrEmpty(_projectId) ? new JObject { ["id"] = _projectId } : new JObject { ["name"] = _projectName };
            var body = new JObject
            {
                ["auth"] = new JObject
                {
                    ["identity"] = new JObject
                    {
                        ["methods"] = new JArray("password"),
                        ["password"] = new JObject
                        {
                            ["user"] = new JObject
                            {
                                ["name"] = _userName,
                                ["password"] = SecretText.Reveal(_password),
                                ["domain"] = new JObject { ["name"] = _domainName },
                            },
                        },
                    },
                    ["scope"] = new JObject { ["project"] = project },
                },
            };

            // The body is serialized here so the revealed password lives in one short-lived string only.
            var request = new ServiceRequest(HttpMethod.Post, "v3/auth/tokens") { Body = Json.Serialize(body), Resource = _userName + "@" + _domainName };
            var response = await _iam.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var token = response.Header("X-Subject-Token");
            if (string.IsNullOrEmpty(token))
            {
                throw new ServiceException(_iam.Cloud, ErrorKind.Unauthenticated, "IAM answered without an X-Subject-Token header: no token was issued.", response.Status, resource: request.Resource);
            }

            var (expires, learned) = response.Read("a token", json =>
            {
                var details = AnswerFields.Object(json, "token");
                return (AnswerFields.Text(details, "expires_at"), AnswerFields.Text(AnswerFields.Object(details, "project"), "id"));
            });
            _expiresAt = DateTimeOffset.TryParse(expires, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
                ? at
                : DateTimeOffset.UtcNow + TimeSpan.FromHours(1);
            _learnedProjectId = learned ?? _projectId;
            _token = SecretText.Protect(token!);
            _iam.Trace.Verbose("IAM issued a token for " + request.Resource + " (project " + _learnedProjectId + "), valid until " + _expiresAt.ToString("u", CultureInfo.InvariantCulture) + ".");
        }
    }
}
