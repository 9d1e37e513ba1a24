using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace BackupTools.Auth
{
    /// <summary>A request as it will be sent: what an authenticator may read (to sign it) and add headers to.</summary>
    public sealed class OutgoingRequest
    {
        public OutgoingRequest(HttpMethod method, Uri uri, byte[] body, IDictionary<string, string> headers)
        {
            Method = method;
            Uri = uri;
            Body = body;
            Headers = headers;
        }

        public HttpMethod Method { get; }

        public Uri Uri { get; }

        /// <summary>The exact bytes of the body (empty for none).</summary>
        public byte[] Body { get; }

        /// <summary>Headers to send; authenticators add theirs here.</summary>
        public IDictionary<string, string> Headers { get; }
    }

    /// <summary>
    /// Adds credentials to each request: a bearer token, an IAM token, an AK/SK signature, or nothing
    /// (the emulator). <see cref="Source"/> names where the credential came from, for -Debug; it never
    /// contains the credential itself.
    /// </summary>
    public interface IRequestAuthenticator
    {
        string Source { get; }

        Task AuthenticateAsync(OutgoingRequest request, CancellationToken cancellationToken);
    }

    /// <summary>No credentials: for a plain-http loopback emulator.</summary>
    public sealed class AnonymousAuthenticator : IRequestAuthenticator
    {
        public AnonymousAuthenticator(string source) => Source = source;

        public string Source { get; }

        public Task AuthenticateAsync(OutgoingRequest request, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
