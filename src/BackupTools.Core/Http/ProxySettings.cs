using System;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using BackupTools.Errors;

namespace BackupTools.Http
{
    /// <summary>
    /// Which proxy the module's calls go through, decided by the module rather than left to .NET's
    /// process-wide defaults (which are read once per process, ignore later changes, proxy loopback
    /// calls, and keep a proxy password inside URLs that reach error messages). In order:
    /// <list type="number">
    /// <item>a loopback endpoint (an emulator) is always called directly;</item>
    /// <item>an explicit proxy (<c>-Proxy</c>, with <c>-ProxyCredential</c>);</item>
    /// <item>the environment: <c>https_proxy</c> / <c>HTTPS_PROXY</c> for https endpoints, <c>http_proxy</c> /
    /// <c>HTTP_PROXY</c> for http ones, then <c>all_proxy</c> / <c>ALL_PROXY</c>; skipped for hosts in
    /// <c>no_proxy</c> / <c>NO_PROXY</c>; user information in the URL is the proxy's credential;</item>
    /// <item>on Windows, the system proxy (Internet Options, PAC, WPAD), with the user's Windows credentials;</item>
    /// <item>else none.</item>
    /// </list>
    /// The environment is read each time a command builds its client, so changes during a session count.
    /// </summary>
    public sealed class ProxySettings
    {
        private static readonly string[] HttpsVariables = { "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY" };
        private static readonly string[] HttpVariables = { "http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY" };
        private static readonly string[] NoProxyVariables = { "no_proxy", "NO_PROXY" };

        private readonly Uri? _explicit;
        private readonly NetworkCredential? _credential;

        private ProxySettings(Uri? proxy, NetworkCredential? credential)
        {
            _explicit = proxy;
            _credential = credential;
        }

        /// <summary>The environment variables, then (on Windows) the system proxy.</summary>
        public static ProxySettings FromEnvironment { get; } = new ProxySettings(null, null);

        /// <summary>An explicit proxy; <paramref name="credential"/> answers its 407 challenge (null: none).</summary>
        public static ProxySettings Explicit(Uri proxy, NetworkCredential? credential)
        {
            var address = ParseProxy(proxy?.OriginalString, "-Proxy", out var inUrl);
            if (inUrl != null)
            {
                throw new BackupToolsException(ErrorIds.InvalidParameter, ErrorKind.InvalidArgument, "-Proxy '" + Redaction.UserInfo(proxy!.OriginalString) + "' must not carry a user name or password: give them with -ProxyCredential.", "-Proxy");
            }

            return new ProxySettings(address, credential);
        }

        /// <summary>The way to <paramref name="target"/>: a proxy, or null for a direct connection.</summary>
        public ProxyRoute? RouteFor(Uri target)
        {
            if (IsLoopback(target))
            {
                return null;
            }

            if (_explicit != null)
            {
                return new ProxyRoute(_explicit, _credential, "-Proxy");
            }

            var variables = target.Scheme == Uri.UriSchemeHttps ? HttpsVariables : HttpVariables;
            foreach (var name in variables)
            {
                var value = Environment.GetEnvironmentVariable(name);
                if (string.IsNullOrWhiteSpace(value))
                {
                    continue;
                }

                if (IsExcluded(target))
                {
                    return null;
                }

                var address = ParseProxy(value, "$env:" + name, out var credential);
                return new ProxyRoute(address, credential, "$env:" + name);
            }

            return SystemRoute(target);
        }

        /// <summary>Whether <c>no_proxy</c> / <c>NO_PROXY</c> lists the host: <c>*</c>, a host, a domain suffix (<c>.example.com</c> or <c>example.com</c>), optionally with <c>:port</c>.</summary>
        public static bool IsExcluded(Uri target)
        {
            foreach (var name in NoProxyVariables)
            {
                var list = Environment.GetEnvironmentVariable(name);
                if (string.IsNullOrWhiteSpace(list))
                {
                    continue;
                }

                var host = target.Host.Trim('[', ']').ToLowerInvariant();
                foreach (var raw in list!.Split(new[] { ',', ' ', ';' }, StringSplitOptions.RemoveEmptyEntries))
                {
                    var entry = raw.Trim().ToLowerInvariant();
                    if (entry == "*")
                    {
                        return true;
                    }

                    int? port = null;
                    var colon = entry.LastIndexOf(':');
                    if (colon > 0 && entry.IndexOf(':') == colon && int.TryParse(entry.Substring(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var p))
                    {
                        port = p;
                        entry = entry.Substring(0, colon);
                    }

                    entry = entry.Trim('[', ']');
                    if (entry.StartsWith("*.", StringComparison.Ordinal))
                    {
                        entry = entry.Substring(1);
                    }

                    var domain = entry.TrimStart('.');
                    var matches = domain.Length > 0 && (host == domain || host.EndsWith("." + domain, StringComparison.Ordinal));
                    if (matches && (!port.HasValue || port.Value == target.Port))
                    {
                        return true;
                    }
                }

                return false;
            }

            return false;
        }

        public static bool IsLoopback(Uri target)
        {
            if (target.IsLoopback)
            {
                return true;
            }

            var host = target.Host.Trim('[', ']');
            return IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip);
        }

        private static ProxyRoute? SystemRoute(Uri target)
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                return null;
            }

            try
            {
                var system = WebRequest.GetSystemWebProxy();
                if (system == null || system.IsBypassed(target))
                {
                    return null;
                }

                var address = system.GetProxy(target);
                if (address == null || address == target || string.Equals(address.Authority, target.Authority, StringComparison.OrdinalIgnoreCase))
                {
                    return null;
                }

                return new ProxyRoute(new Uri(address.GetLeftPart(UriPartial.Authority) + "/"), CredentialCache.DefaultNetworkCredentials, "the system proxy");
            }
            catch (Exception ex) when (ex is WebException || ex is PlatformNotSupportedException || ex is InvalidOperationException || ex is System.Security.SecurityException)
            {
                return null;
            }
        }

        /// <summary>A proxy URL: http(s):// or socks, a host, maybe a port; "host:port" alone means http. User information becomes the credential.</summary>
        private static Uri ParseProxy(string? value, string source, out NetworkCredential? credential)
        {
            credential = null;
            var text = (value ?? string.Empty).Trim();
            if (text.Length > 0 && text.IndexOf("://", StringComparison.Ordinal) < 0)
            {
                text = "http://" + text;
            }

            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host)
                || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps && !uri.Scheme.StartsWith("socks", StringComparison.Ordinal)))
            {
                throw new BackupToolsException(
                    ErrorIds.InvalidParameter,
                    ErrorKind.InvalidArgument,
                    source + " ('" + ServerText.Clean(Redaction.UserInfo(value), 200) + "') is not a proxy URL: expected http://host:port (or https://, socks5://).",
                    source);
            }

            if (!string.IsNullOrEmpty(uri.UserInfo))
            {
                var parts = uri.UserInfo.Split(new[] { ':' }, 2);
                credential = new NetworkCredential(Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : string.Empty);
            }

            // Only scheme, host and port travel on: never the user information.
            return new Uri(uri.Scheme + "://" + uri.Authority.Substring(uri.Authority.IndexOf('@') + 1) + "/");
        }
    }

    /// <summary>The proxy one endpoint's calls go through.</summary>
    public sealed class ProxyRoute
    {
        internal ProxyRoute(Uri address, NetworkCredential? credential, string source)
        {
            Address = address;
            Credential = credential;
            Source = source;
        }

        /// <summary>Scheme, host and port of the proxy: never user information.</summary>
        public Uri Address { get; }

        /// <summary>Answers the proxy's 407 challenge; never shown.</summary>
        internal NetworkCredential? Credential { get; }

        /// <summary>Where the setting came from ("-Proxy", "$env:HTTPS_PROXY", "the system proxy").</summary>
        public string Source { get; }

        /// <summary>How messages name the proxy: "proxy http://host:port/ (from $env:HTTPS_PROXY)".</summary>
        public override string ToString() => "proxy " + Address.AbsoluteUri + " (from " + Source + ")";

        /// <summary>
        /// Identifies the route among cached HTTP clients: changing the proxy or its credential gets a new
        /// client. The password enters only as a hash, and the key is never shown.
        /// </summary>
        internal string Key
        {
            get
            {
                if (Credential == null)
                {
                    return Address.AbsoluteUri;
                }

                if (ReferenceEquals(Credential, CredentialCache.DefaultNetworkCredentials))
                {
                    return Address.AbsoluteUri + "|default-credentials";
                }

                using (var sha = SHA256.Create())
                {
                    var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(Credential.UserName + "\n" + Credential.Domain + "\n" + Credential.Password));
                    return Address.AbsoluteUri + "|" + Convert.ToBase64String(hash);
                }
            }
        }
    }
}
