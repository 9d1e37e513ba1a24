using System;
using System.Security;
using System.Threading;
using System.Threading.Tasks;

namespace BackupTools.Auth
{
    /// <summary>A token obtained elsewhere, sent as a header (Authorization: Bearer, or Huawei's X-Auth-Token).</summary>
    public sealed class StaticTokenAuthenticator : IRequestAuthenticator
    {
        private readonly SecureString _token;
        private readonly string _headerName;
        private readonly string _prefix;

        private StaticTokenAuthenticator(SecureString token, string headerName, string prefix, string source)
        {
            _token = token ?? throw new ArgumentNullException(nameof(token));
            _headerName = headerName;
            _prefix = prefix;
            Source = source;
        }

        public string Source { get; }

        public static StaticTokenAuthenticator Bearer(SecureString token, string source) =>
            new StaticTokenAuthenticator(token, "Authorization", "Bearer ", source);

        public static StaticTokenAuthenticator XAuthToken(SecureString token, string source) =>
            new StaticTokenAuthenticator(token, "X-Auth-Token", string.Empty, source);

        public Task AuthenticateAsync(OutgoingRequest request, CancellationToken cancellationToken)
        {
            request.Headers[_headerName] = _prefix + SecretText.Reveal(_token);
            return Task.CompletedTask;
        }
    }
}
