using System;
using System.Net;

namespace BackupTools.Http
{
    /// <summary>
    /// <see cref="ProxySettings"/> as an <see cref="IWebProxy"/>, for HTTP the module does not send itself
    /// (Google.Apis.Auth fetching Application Default Credentials tokens): the same decision per destination,
    /// loopback and the metadata server (link-local, never behind a proxy) called directly, and each
    /// proxy's credential given only to that proxy.
    /// </summary>
    public sealed class ModuleWebProxy : IWebProxy, ICredentials
    {
        private readonly ProxySettings _settings;

        // The credential of each proxy a destination was routed to, by the proxy's authority: .NET asks for it with the proxy's URL.
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, NetworkCredential> _credentials =
            new System.Collections.Concurrent.ConcurrentDictionary<string, NetworkCredential>(StringComparer.OrdinalIgnoreCase);

        public ModuleWebProxy(ProxySettings settings)
        {
            _settings = settings;
        }

        public ICredentials? Credentials
        {
            get => this;
            set => throw new NotSupportedException("The proxy's credential comes from -ProxyCredential or the proxy URL.");
        }

        public Uri GetProxy(Uri destination) => Route(destination)?.Address ?? destination;

        public bool IsBypassed(Uri host) => Route(host) == null;

        public NetworkCredential? GetCredential(Uri uri, string authType) =>
            _credentials.TryGetValue(uri.Authority, out var credential) ? credential : null;

        private ProxyRoute? Route(Uri destination)
        {
            var host = destination.Host.Trim('[', ']');
            if (host == "169.254.169.254" || host.Equals("metadata.google.internal", StringComparison.OrdinalIgnoreCase) || host.Equals("metadata", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            var route = _settings.RouteFor(destination);
            if (route?.Credential != null)
            {
                _credentials[route.Address.Authority] = route.Credential;
            }

            return route;
        }
    }
}
