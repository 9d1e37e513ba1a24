using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace BackupTools.Http
{
    /// <summary>
    /// The one place that decides what is secret in HTTP traffic. Header values and JSON fields named
    /// here are replaced before any text leaves the HTTP core (trace, error messages).
    /// </summary>
    public static class Redaction
    {
        public const string Mask = "***";

        private static readonly HashSet<string> SecretHeaders = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "Authorization", "X-Auth-Token", "X-Subject-Token", "X-Security-Token", "Proxy-Authorization", "Cookie", "Set-Cookie",
        };

        // JSON properties whose values are secrets in any of the APIs we talk to (IAM password auth,
        // OAuth token answers, service-account keys).
        private static readonly Regex SecretJsonFields = new Regex(
            "(\"(?:password|access_token|refresh_token|id_token|private_key|client_secret|secret|sk|token|assertion)\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);

        // user:password@ (or user@) after a scheme, in any text: proxy URLs in .NET's messages, redirect targets.
        private static readonly Regex UserInfoInText = new Regex(
            "([A-Za-z][A-Za-z0-9+.\\-]*://)[^/?#@\\s]*@",
            RegexOptions.CultureInvariant | RegexOptions.Compiled);

        public static bool IsSecretHeader(string name) => SecretHeaders.Contains(name);

        public static string HeaderValue(string name, string value) => IsSecretHeader(name) ? Mask : value;

        /// <summary>A URL as it may be shown: user information (which can hold a password) masked.</summary>
        public static string Url(Uri uri) =>
            string.IsNullOrEmpty(uri.UserInfo) ? uri.AbsoluteUri : UserInfo(uri.AbsoluteUri);

        /// <summary>Masks the user information of every URL in a text ("http://user:pw@proxy" becomes "http://***@proxy").</summary>
        public static string UserInfo(string? text) =>
            string.IsNullOrEmpty(text) ? string.Empty : UserInfoInText.Replace(text!, "$1" + Mask + "@");

        public static string Body(string? body)
        {
            if (string.IsNullOrEmpty(body))
            {
                return string.Empty;
            }

            return SecretJsonFields.Replace(body!, "$1\"" + Mask + "\"");
        }
    }
}
