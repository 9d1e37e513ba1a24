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

        public static bool IsSecretHeader(string name) => SecretHeaders.Contains(name);

        public static string HeaderValue(string name, string value) => IsSecretHeader(name) ? Mask : value;

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
