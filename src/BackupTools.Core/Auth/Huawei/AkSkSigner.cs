using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace BackupTools.Auth.Huawei
{
    /// <summary>
    /// Huawei's "SDK-HMAC-SHA256" AK/SK request signing, as the official SDKs do it. The secret key stays
    /// a SecureString and is revealed only to compute an HMAC; it is never stored as a string or shown.
    /// </summary>
    public sealed class AkSkSigner : IRequestAuthenticator
    {
        public const string Algorithm = "SDK-HMAC-SHA256";
        public const string DateFormat = "yyyyMMdd'T'HHmmss'Z'";

        private readonly string _accessKey;
        private readonly SecureString _secretKey;
        private readonly string _projectId;
        private readonly Func<DateTimeOffset> _clock;

        public AkSkSigner(string accessKey, SecureString secretKey, string projectId, string source, Func<DateTimeOffset>? clock = null)
        {
            _accessKey = accessKey ?? throw new ArgumentNullException(nameof(accessKey));
            _secretKey = secretKey ?? throw new ArgumentNullException(nameof(secretKey));
            _projectId = projectId ?? throw new ArgumentNullException(nameof(projectId));
            _clock = clock ?? (() => DateTimeOffset.UtcNow);
            Source = source;
        }

        public string Source { get; }

        public string ProjectId => _projectId;

        public Task AuthenticateAsync(OutgoingRequest request, CancellationToken cancellationToken)
        {
            var date = _clock().UtcDateTime.ToString(DateFormat, CultureInfo.InvariantCulture);
            request.Headers["X-Sdk-Date"] = date;
            request.Headers["X-Project-Id"] = _projectId;

            // The Host header HttpClient sends omits a default port; sign exactly what it sends.
            var host = request.Uri.IsDefaultPort ? request.Uri.Host : request.Uri.Authority;
            var signed = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                ["host"] = host,
                ["x-project-id"] = _projectId,
                ["x-sdk-date"] = date,
            };
            var signature = Sign(SecretText.Reveal(_secretKey), request.Method.Method, request.Uri.AbsolutePath, request.Uri.Query, signed, request.Body, date);
            request.Headers["Authorization"] = Algorithm + " Access=" + _accessKey + ", SignedHeaders=" + string.Join(";", signed.Keys) + ", Signature=" + signature;
            return Task.CompletedTask;
        }

        /// <summary>
        /// The signature, as a pure function of everything that goes into it (so the published vectors can
        /// be checked). <paramref name="signedHeaders"/> maps lowercase names to values; they are signed in
        /// ordinal order. <paramref name="rawPath"/> and <paramref name="rawQuery"/> are as on the wire.
        /// </summary>
        public static string Sign(string secretKey, string method, string rawPath, string rawQuery, IDictionary<string, string> signedHeaders, byte[] body, string sdkDate)
        {
            var canonical = CanonicalRequest(method, rawPath, rawQuery, signedHeaders, body);
            var stringToSign = Algorithm + "\n" + sdkDate + "\n" + HexSha256(Encoding.UTF8.GetBytes(canonical));
            using (var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secretKey)))
            {
                return Hex(hmac.ComputeHash(Encoding.UTF8.GetBytes(stringToSign)));
            }
        }

        public static string CanonicalRequest(string method, string rawPath, string rawQuery, IDictionary<string, string> signedHeaders, byte[] body)
        {
            var names = signedHeaders.Keys.Select(k => k.ToLowerInvariant()).OrderBy(k => k, StringComparer.Ordinal).ToList();
            var lookup = signedHeaders.ToDictionary(kv => kv.Key.ToLowerInvariant(), kv => kv.Value, StringComparer.Ordinal);
            var text = new StringBuilder();
            text.Append(method.ToUpperInvariant()).Append('\n');
            text.Append(CanonicalUri(rawPath)).Append('\n');
            text.Append(CanonicalQuery(rawQuery)).Append('\n');
            foreach (var name in names)
            {
                text.Append(name).Append(':').Append((lookup[name] ?? string.Empty).Trim()).Append('\n');
            }

            text.Append('\n');
            text.Append(string.Join(";", names)).Append('\n');
            text.Append(HexSha256(body ?? Array.Empty<byte>()));
            return text.ToString();
        }

        /// <summary>Each segment decoded then re-encoded; a trailing '/' appended when missing, as the SDKs do.</summary>
        public static string CanonicalUri(string rawPath)
        {
            var uri = string.Join("/", (rawPath ?? string.Empty).Split('/').Select(s => Encode(Uri.UnescapeDataString(s))));
            if (!uri.StartsWith("/", StringComparison.Ordinal))
            {
                uri = "/" + uri;
            }

            return uri.EndsWith("/", StringComparison.Ordinal) ? uri : uri + "/";
        }

        /// <summary>Pairs decoded, re-encoded, sorted by key then value in byte order, joined k=v&amp;k=v.</summary>
        public static string CanonicalQuery(string rawQuery)
        {
            var query = (rawQuery ?? string.Empty).TrimStart('?');
            if (query.Length == 0)
            {
                return string.Empty;
            }

            var pairs = new List<KeyValuePair<string, string>>();
            foreach (var part in query.Split('&'))
            {
                if (part.Length == 0)
                {
                    continue;
                }

                var eq = part.IndexOf('=');
                var key = eq < 0 ? part : part.Substring(0, eq);
                var value = eq < 0 ? string.Empty : part.Substring(eq + 1);
                pairs.Add(new KeyValuePair<string, string>(Encode(Uri.UnescapeDataString(key)), Encode(Uri.UnescapeDataString(value))));
            }

            return string.Join("&", pairs.OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value));
        }

        /// <summary>Percent-encodes UTF-8 bytes, keeping only A-Z a-z 0-9 - _ . ~, with uppercase hex.</summary>
        public static string Encode(string value)
        {
            var text = new StringBuilder(value.Length);
            foreach (var b in Encoding.UTF8.GetBytes(value))
            {
                var c = (char)b;
                if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~')
                {
                    text.Append(c);
                }
                else
                {
                    text.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
                }
            }

            return text.ToString();
        }

        public static string HexSha256(byte[] data)
        {
            using (var sha = SHA256.Create())
            {
                return Hex(sha.ComputeHash(data));
            }
        }

        private static string Hex(byte[] bytes)
        {
            var text = new StringBuilder(bytes.Length * 2);
            foreach (var b in bytes)
            {
                text.Append(b.ToString("x2", CultureInfo.InvariantCulture));
            }

            return text.ToString();
        }
    }
}
