using System;
using System.Net;
using BackupTools.Errors;

namespace BackupTools.Http
{
    /// <summary>
    /// A base address to send a cloud's calls to, checked once: credentials never travel over plain
    /// http except to a loopback address (an emulator), unless the caller opted in explicitly.
    /// </summary>
    public sealed class ServiceEndpoint
    {
        private ServiceEndpoint(Uri baseAddress)
        {
            BaseAddress = baseAddress;
        }

        /// <summary>The base address, always ending with a slash.</summary>
        public Uri BaseAddress { get; }

        public bool IsPlainHttp => BaseAddress.Scheme == Uri.UriSchemeHttp;

        public bool IsLoopback => IsLoopbackHost(BaseAddress);

        /// <summary>A plain-http loopback address: what an emulator looks like.</summary>
        public bool IsLocalEmulator => IsPlainHttp && IsLoopback;

        public static ServiceEndpoint Parse(string value, bool allowInsecureHttp = false)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                throw Invalid(value, "an endpoint must be an absolute http:// or https:// URL");
            }

            var text = value.Trim();
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw Invalid(value, "an endpoint must be an absolute http:// or https:// URL");
            }

            if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment) || !string.IsNullOrEmpty(uri.UserInfo))
            {
                throw Invalid(value, "an endpoint must not carry a query, a fragment or user information");
            }

            if (uri.Scheme == Uri.UriSchemeHttp && !IsLoopbackHost(uri) && !allowInsecureHttp)
            {
                throw new BackupToolsException(
                    ErrorIds.InsecureEndpoint,
                    ErrorKind.InsecureEndpoint,
                    "Endpoint '" + uri.GetLeftPart(UriPartial.Authority) + "' is plain http on a non-loopback host: credentials would cross the network unencrypted. Use https, or pass -AllowInsecureHttp if you really mean it.",
                    uri.GetLeftPart(UriPartial.Authority));
            }

            var withSlash = uri.AbsoluteUri.EndsWith("/", StringComparison.Ordinal) ? uri : new Uri(uri.AbsoluteUri + "/");
            return new ServiceEndpoint(withSlash);
        }

        public override string ToString() => BaseAddress.AbsoluteUri;

        private static bool IsLoopbackHost(Uri uri)
        {
            if (uri.IsLoopback)
            {
                return true;
            }

            var host = uri.Host.Trim('[', ']');
            return IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip);
        }

        private static BackupToolsException Invalid(string value, string rule)
        {
            var shown = Shown(value);
            return new BackupToolsException(ErrorIds.InvalidParameter, ErrorKind.InvalidArgument, "Endpoint '" + shown + "' is not valid: " + rule + ".", shown);
        }

        /// <summary>The endpoint as it may be shown: user information (which could hold a password) masked.</summary>
        private static string Shown(string value)
        {
            if (Uri.TryCreate(value?.Trim(), UriKind.Absolute, out var uri) && !string.IsNullOrEmpty(uri.UserInfo))
            {
                return uri.Scheme + "://***@" + uri.Authority + uri.PathAndQuery;
            }

            // Not parsed as a URL with user information, but it may still look like one ("user:pw@host",
            // "javascript:user:pw@host"): mask whatever precedes an '@' in the authority (found by the fuzz tests).
            return UserInfoLike.Replace(value ?? string.Empty, "$1***@");
        }

        private static readonly System.Text.RegularExpressions.Regex UserInfoLike =
            new System.Text.RegularExpressions.Regex("^(\\s*(?:[A-Za-z][A-Za-z0-9+.\\-]*:(?://)?)?)[^/?#]*@", System.Text.RegularExpressions.RegexOptions.CultureInvariant);
    }
}
