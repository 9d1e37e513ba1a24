using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using BackupTools.Auth;
using BackupTools.Errors;
using Flurl.Http;
using Flurl.Http.Configuration;

namespace BackupTools.Http
{
    /// <summary>
    /// The shared HTTP core every cloud client sends through: URL building, JSON bodies, authentication,
    /// per-attempt timeouts, cancellation, retries with backoff for what is safe to retry, and one error
    /// type for every failure. Built on a Flurl client per base address (never Flurl's global settings,
    /// which another module in the same session could share).
    /// </summary>
    public sealed class ServiceHttpClient
    {
        private static readonly ConcurrentDictionary<string, IFlurlClient> Clients = new ConcurrentDictionary<string, IFlurlClient>(StringComparer.OrdinalIgnoreCase);
        private static readonly Lazy<string> UserAgentValue = new Lazy<string>(BuildUserAgent);

        /// <summary>
        /// The most of one answer read, after decompression (8 MiB): more than ten times the largest real
        /// page of either API, far below what would hurt a runbook worker. Past it the call fails with AnswerTooLarge.
        /// </summary>
        public const long DefaultMaxAnswerBytes = 8L * 1024 * 1024;

        /// <summary>The most of an error answer read (1 MiB: its message is all that is used, and it is cut before it reaches one).</summary>
        private const int ErrorAnswerBytes = 1024 * 1024;

        private readonly IRequestAuthenticator _authenticator;
        private readonly IHttpTrace _trace;
        private readonly ProxyRoute? _route;

        /// <param name="proxy">The proxy choice (-Proxy), or null for the environment and system proxy; loopback is never proxied.</param>
        public ServiceHttpClient(string cloud, ServiceEndpoint endpoint, IRequestAuthenticator authenticator, IHttpTrace? trace = null, RetryPolicy? retryPolicy = null, ProxySettings? proxy = null)
        {
            Cloud = cloud;
            Endpoint = endpoint;
            _authenticator = authenticator;
            _trace = trace ?? NullTrace.Instance;
            RetryPolicy = retryPolicy ?? RetryPolicy.Default;
            ProxySettings = proxy ?? ProxySettings.FromEnvironment;
            _route = ProxySettings.RouteFor(endpoint.BaseAddress);
            if (_route != null)
            {
                _trace.Verbose("Calls to " + endpoint + " go through " + _route + ".");
            }
        }

        /// <summary>The proxy choice this client was built with (for clients made alongside it, such as IAM's).</summary>
        public ProxySettings ProxySettings { get; }

        /// <summary>The proxy this client's calls go through, or null for direct.</summary>
        public ProxyRoute? Proxy => _route;

        /// <summary>Bounds of every list followed through this client.</summary>
        public PagingLimits PagingLimits { get; set; } = PagingLimits.Default;

        /// <summary>The most of one answer read, after decompression; see <see cref="DefaultMaxAnswerBytes"/>.</summary>
        public long MaxAnswerBytes { get; set; } = DefaultMaxAnswerBytes;

        /// <summary>Prefix of error ids and the name used in messages: "Spanner", "Gauss", "Iam".</summary>
        public string Cloud { get; }

        public ServiceEndpoint Endpoint { get; }

        public RetryPolicy RetryPolicy { get; }

        public IHttpTrace Trace => _trace;

        public string CredentialSource => _authenticator.Source;

        public static string UserAgent => UserAgentValue.Value;

        /// <summary>Sends the request, retrying what is safe to retry; throws <see cref="ServiceException"/> for any failure.</summary>
        public async Task<ServiceResponse> SendAsync(ServiceRequest request, CancellationToken cancellationToken)
        {
            var uri = BuildUri(request);
            var body = request.Body == null ? Array.Empty<byte>() : Encoding.UTF8.GetBytes(request.Body as string ?? Json.Serialize(request.Body));
            var clock = Stopwatch.StartNew();

            for (var attempt = 1; ; attempt++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ServiceException failure;
                try
                {
                    TransportStatistics.CountRequest();
                    return await SendOnceAsync(request, uri, body, attempt, cancellationToken).ConfigureAwait(false);
                }
                catch (ServiceException ex) when (IsRetryable(ex, request.Idempotency))
                {
                    failure = ex;
                }

                var delay = RetryPolicy.DelayBefore(attempt, failure.RetryAfter);
                if (!RetryPolicy.AllowsAnother(attempt, clock.Elapsed, delay))
                {
                    _trace.Verbose(string.Format(
                        CultureInfo.InvariantCulture,
                        "{0} {1}: giving up after {2} attempt(s) in {3:0.0} s{4}.",
                        request.Method,
                        Describe(uri),
                        attempt,
                        clock.Elapsed.TotalSeconds,
                        failure.RetryAfter.HasValue && clock.Elapsed + failure.RetryAfter.Value > RetryPolicy.MaxElapsed
                            ? string.Format(CultureInfo.InvariantCulture, " (the server asked to wait {0:0} s, beyond the {1:0} s retry budget)", failure.RetryAfter.Value.TotalSeconds, RetryPolicy.MaxElapsed.TotalSeconds)
                            : string.Empty));
                    throw failure;
                }

                TransportStatistics.CountRetry();
                _trace.Verbose(string.Format(
                    CultureInfo.InvariantCulture,
                    "{0} {1}: {2}; retrying in {3:0.0} s{4} (attempt {5} of {6}).",
                    request.Method,
                    Describe(uri),
                    failure.ServiceCode ?? failure.Kind.ToString(),
                    delay.TotalSeconds,
                    failure.RetryAfter.HasValue ? " as the server asked" : string.Empty,
                    attempt + 1,
                    RetryPolicy.MaxAttempts));
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>
        /// Whether a failure may be retried. Anything transient may be retried for idempotent calls; for
        /// a create only what provably never reached the service: a refused connection or a 429 throttle.
        /// </summary>
        public static bool IsRetryable(ServiceException ex, Idempotency idempotency)
        {
            if (ex.Kind == ErrorKind.ConnectionFailed || ex.HttpStatus == 429)
            {
                return true;
            }

            if (idempotency == Idempotency.NotIdempotent)
            {
                return false;
            }

            return ex.Kind == ErrorKind.Unavailable || ex.Kind == ErrorKind.Timeout || ex.Kind == ErrorKind.Throttled
                || ex.HttpStatus == 502 || ex.HttpStatus == 503 || ex.HttpStatus == 504;
        }

        private async Task<ServiceResponse> SendOnceAsync(ServiceRequest request, Uri uri, byte[] body, int attempt, CancellationToken cancellationToken)
        {
            var headers = new Dictionary<string, string>(request.Headers, StringComparer.OrdinalIgnoreCase);
            var outgoing = new OutgoingRequest(request.Method, uri, body, headers);
            await _authenticator.AuthenticateAsync(outgoing, cancellationToken).ConfigureAwait(false);

            var flurl = new FlurlRequest(uri.AbsoluteUri) { Client = ClientFor(Endpoint, _route) };
            flurl.WithHeader("User-Agent", UserAgent);
            flurl.WithHeader("Accept", "application/json");
            foreach (var header in headers)
            {
                if (!string.Equals(header.Key, "Content-Type", StringComparison.OrdinalIgnoreCase))
                {
                    flurl.WithHeader(header.Key, header.Value);
                }
            }

            HttpContent? content = null;
            if (body.Length > 0)
            {
                content = new ByteArrayContent(body);
                content.Headers.ContentType = MediaTypeHeaderValue.Parse(headers.TryGetValue("Content-Type", out var ct) ? ct : "application/json; charset=utf-8");
            }

            if (_trace.DebugEnabled)
            {
                _trace.Debug(DescribeRequest(request.Method, uri, headers, body));
            }

            using (var timeout = new CancellationTokenSource(RetryPolicy.AttemptTimeout))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
            {
                var clock = Stopwatch.StartNew();
                HttpResponseMessage? response = null;
                int status;
                Dictionary<string, string> responseHeaders;
                CappedBody answerBody;
                try
                {
                    // Headers first, then the body through a cap: a huge (or huge once decompressed) answer is never held whole.
                    response = await flurl.SendAsync(request.Method, content, linked.Token, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
                    status = (int)response.StatusCode;
                    responseHeaders = CollectHeaders(response);
                    var limit = status >= 300 && status < 400 ? 0 : status >= 200 && status < 300 ? MaxAnswerBytes : ErrorAnswerBytes;
                    answerBody = await CappedBody.ReadAsync(response.Content, limit, linked.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested && IsTransport(ex))
                {
                    response?.Dispose();
                    var failure = TransportFailure(request, uri, ex, timeout.IsCancellationRequested, clock.Elapsed);
                    _trace.Verbose(string.Format(CultureInfo.InvariantCulture, "{0} {1} -> {2} after {3} ms (attempt {4})", request.Method, Describe(uri), failure.Kind, clock.ElapsedMilliseconds, attempt));
                    throw failure;
                }

                using (response)
                {
                    var reason = ServerText.Clean(response.ReasonPhrase, 100);
                    _trace.Verbose(string.Format(CultureInfo.InvariantCulture, "{0} {1} -> {2} {3} in {4} ms (attempt {5})", request.Method, Describe(uri), status, reason, clock.ElapsedMilliseconds, attempt));
                    var origin = new AnswerOrigin(Cloud, request.Method, uri);
                    if (answerBody.Exceeded && status >= 200 && status < 300)
                    {
                        var partial = new ServiceResponse(status, answerBody.Excerpt(), responseHeaders, null, request, origin);
                        throw AnswerReader.Invalid(
                            partial,
                            string.Format(CultureInfo.InvariantCulture, "the answer is larger than {0:N0} bytes (after any decompression), the most the module reads of one answer; it was not read further", MaxAnswerBytes),
                            ErrorKind.AnswerTooLarge);
                    }

                    var text = answerBody.Text();
                    if (_trace.DebugEnabled && text.Length > 0)
                    {
                        _trace.Debug("Response body: " + ServerText.Clean(Redaction.Body(text), 4000));
                    }

                    if (status >= 200 && status < 300)
                    {
                        // Parsed here, for every call: an answer that is not JSON fails even where nothing is read from it (a delete).
                        var answer = new ServiceResponse(status, text, responseHeaders, null, request, origin);
                        _ = answer.Json;
                        return answer;
                    }

                    if (status >= 300 && status < 400)
                    {
                        throw Redirect(request, uri, status, reason, responseHeaders);
                    }

                    var outcomeUnknown = request.Idempotency == Idempotency.NotIdempotent && status >= 500;
                    var error = ServiceErrorParser.Parse(Cloud, status, reason, text, responseHeaders, request.Resource, outcomeUnknown);
                    throw ProxyAnswered(request, uri, status, error) ?? error;
                }
            }
        }

        /// <summary>
        /// A redirect is never followed (it could carry credentials to another host, and an API does not
        /// redirect): it is an error that says where it pointed, so a wrong endpoint or an intercepting
        /// gateway or captive portal shows for what it is.
        /// </summary>
        private ServiceException Redirect(ServiceRequest request, Uri uri, int status, string reason, IReadOnlyDictionary<string, string> headers)
        {
            var location = headers.TryGetValue("Location", out var l) ? l : null;
            string target;
            if (string.IsNullOrWhiteSpace(location))
            {
                target = "nowhere (no Location header)";
            }
            else if (Uri.TryCreate(uri, location!.Trim(), out var to))
            {
                // Scheme, host and path only: a portal's query may hold a session token.
                target = "'" + ServerText.Clean(Redaction.UserInfo(to.GetLeftPart(UriPartial.Path)), 300) + (string.IsNullOrEmpty(to.Query) ? string.Empty : "?...") + "'"
                    + (to.Host.Equals(uri.Host, StringComparison.OrdinalIgnoreCase) ? string.Empty : " (another host)");
            }
            else
            {
                target = "'" + ServerText.Clean(Redaction.UserInfo(location), 300) + "' (not a URL)";
            }

            var message = string.Format(
                CultureInfo.InvariantCulture,
                "{0} {1} {2} was answered with HTTP {3} {4}, a redirect to {5}. The module does not follow redirects (one could take credentials elsewhere) and nothing was done. Check the endpoint ({6}){7}, and whether a gateway or captive portal is answering in the service's place.{8}",
                Cloud,
                request.Method,
                Describe(uri),
                status,
                reason,
                target,
                Endpoint,
                _route != null ? " and the " + _route : string.Empty,
                AnswerReader.RequestId(headers) is string id ? " (request id " + id + ")" : string.Empty);
            return new ServiceException(Cloud, ErrorKind.Redirected, message, status, requestId: AnswerReader.RequestId(headers), resource: request.Resource);
        }

        /// <summary>
        /// An answer from the proxy rather than the service: 407 always; and for plain-http calls (which the
        /// proxy forwards itself, unlike https, which it can only tunnel) a 4xx that is not the cloud's own
        /// JSON error. Null when the service answered.
        /// </summary>
        private ServiceException? ProxyAnswered(ServiceRequest request, Uri uri, int status, ServiceException error)
        {
            if (_route == null)
            {
                return null;
            }

            var where = request.Method + " " + Describe(uri);
            if (status == 407)
            {
                return new ServiceException(Cloud, ErrorKind.ProxyAuthenticationRequired, ProxyAuthMessage(where), status, resource: request.Resource);
            }

            if (uri.Scheme == Uri.UriSchemeHttp && status >= 400 && status < 500 && status != 429 && error.ServiceCode == null)
            {
                return new ServiceException(
                    Cloud,
                    ErrorKind.ProxyRefused,
                    string.Format(CultureInfo.InvariantCulture, "{0}: the {1} answered HTTP {2} itself ({3}), without reaching {4}: the proxy refuses this request. Check the proxy's rules for {5}.", where, _route, status, ServerText.Clean(error.ServiceMessage, 200), Cloud, uri.Host),
                    status,
                    resource: request.Resource);
            }

            return null;
        }

        private string ProxyAuthMessage(string where) =>
            where + ": the " + _route + " wants credentials (HTTP 407) " + (_route!.Credential == null
                ? "and none were given: pass -ProxyCredential, or put them in the proxy URL of the environment variable."
                : "and refused the ones given: check the proxy user name and password.");

        private Uri BuildUri(ServiceRequest request)
        {
            var builder = new StringBuilder(Endpoint.BaseAddress.AbsoluteUri);
            builder.Append(request.Path.TrimStart('/'));
            var separator = '?';
            foreach (var pair in request.Query)
            {
                builder.Append(separator).Append(Uri.EscapeDataString(pair.Key)).Append('=').Append(Uri.EscapeDataString(pair.Value));
                separator = '&';
            }

            return new Uri(builder.ToString());
        }

        private ServiceException TransportFailure(ServiceRequest request, Uri uri, Exception ex, bool timedOut, TimeSpan elapsed)
        {
            var where = request.Method + " " + Describe(uri);

            // .NET's own words, never with a password in them (the module hands .NET proxy URLs without user information; masked again to be sure).
            var why = ServerText.Clean(Redaction.UserInfo(Innermost(ex).Message), 300);
            if (timedOut)
            {
                return new ServiceException(
                    Cloud,
                    ErrorKind.Timeout,
                    string.Format(CultureInfo.InvariantCulture, "{0} got no answer within {1:0.#} s.", where, elapsed.TotalSeconds),
                    resource: request.Resource,
                    outcomeUnknown: request.Idempotency == Idempotency.NotIdempotent,
                    inner: ex);
            }

            var error = RequestError(ex);
            if (_route != null && (error == "ProxyTunnelError" || why.IndexOf("proxy tunnel", StringComparison.OrdinalIgnoreCase) >= 0))
            {
                var code = ProxyStatus.Match(why);
                var status = code.Success ? int.Parse(code.Groups[1].Value, CultureInfo.InvariantCulture) : (int?)null;
                if (status == 407)
                {
                    return new ServiceException(Cloud, ErrorKind.ProxyAuthenticationRequired, ProxyAuthMessage(where), 407, resource: request.Resource, inner: ex);
                }

                return new ServiceException(
                    Cloud,
                    ErrorKind.ProxyRefused,
                    string.Format(CultureInfo.InvariantCulture, "{0}: the {1} refused to open a tunnel to {2}{3}; the request never reached {4}. Check the proxy's rules for {2}, or set no_proxy / -Proxy.", where, _route, uri.Authority, status.HasValue ? " (HTTP " + status.Value.ToString(CultureInfo.InvariantCulture) + ")" : " (" + why + ")", Cloud),
                    status,
                    resource: request.Resource,
                    inner: ex);
            }

            if (IsTlsFailure(ex, error))
            {
                return new ServiceException(
                    Cloud,
                    ErrorKind.TlsHandshakeFailed,
                    string.Format(
                        CultureInfo.InvariantCulture,
                        "{0}: the TLS handshake with {1} failed ({2}); nothing was sent. Check that TLS 1.2 is allowed on this machine (Windows PowerShell 5.1: see about_BackupTools, TLS), that its clock is right, that it trusts the certificate's issuer, and whether {3} intercepts TLS.",
                        where,
                        uri.Authority,
                        why,
                        _route != null ? "the " + _route : "a proxy or security appliance"),
                    resource: request.Resource,
                    inner: ex);
            }

            if (_route != null && (NeverConnected(ex) || error == "NameResolutionError" || IsWebStatus(ex, WebExceptionStatus.ProxyNameResolutionFailure)))
            {
                return new ServiceException(
                    Cloud,
                    ErrorKind.ProxyUnreachable,
                    string.Format(CultureInfo.InvariantCulture, "{0}: the {1} could not be reached ({2}); the request never left this machine. Check the proxy setting.", where, _route, why),
                    resource: request.Resource,
                    inner: ex);
            }

            if (NeverConnected(ex))
            {
                return new ServiceException(Cloud, ErrorKind.ConnectionFailed, where + " could not connect: " + why, resource: request.Resource, inner: ex);
            }

            return new ServiceException(
                Cloud,
                ErrorKind.Unavailable,
                where + " lost its connection before an answer arrived: " + why,
                resource: request.Resource,
                outcomeUnknown: request.Idempotency == Idempotency.NotIdempotent,
                inner: ex);
        }

        private static readonly System.Text.RegularExpressions.Regex ProxyStatus =
            new System.Text.RegularExpressions.Regex("status code '?(\\d{3})", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        /// <summary>.NET 8+'s HttpRequestException.HttpRequestError, by name (the module is built against netstandard2.0, which lacks it).</summary>
        private static string? RequestError(Exception ex)
        {
            for (var e = ex; e != null; e = e.InnerException)
            {
                if (e is HttpRequestException)
                {
                    var value = e.GetType().GetProperty("HttpRequestError")?.GetValue(e)?.ToString();
                    if (!string.IsNullOrEmpty(value) && value != "Unknown")
                    {
                        return value;
                    }
                }
            }

            return null;
        }

        /// <summary>A failed TLS handshake: protocol, certificate or a peer that does not speak TLS. Retrying cannot help.</summary>
        private static bool IsTlsFailure(Exception ex, string? requestError)
        {
            if (requestError == "SecureConnectionError")
            {
                return true;
            }

            for (var e = ex; e != null; e = e.InnerException)
            {
                if (e is System.Security.Authentication.AuthenticationException)
                {
                    return true;
                }
            }

            return IsWebStatus(ex, WebExceptionStatus.SecureChannelFailure) || IsWebStatus(ex, WebExceptionStatus.TrustFailure);
        }

        private static bool IsWebStatus(Exception ex, WebExceptionStatus status)
        {
            for (var e = ex; e != null; e = e.InnerException)
            {
                if (e is WebException we && we.Status == status)
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsTransport(Exception ex) =>
            ex is FlurlHttpException || ex is HttpRequestException || ex is OperationCanceledException || ex is IOException || ex is SocketException || ex is WebException;

        /// <summary>Failures that happen before a request leaves the machine: it cannot have taken effect.</summary>
        private static bool NeverConnected(Exception ex)
        {
            for (var e = ex; e != null; e = e.InnerException)
            {
                if (e is SocketException se)
                {
                    switch (se.SocketErrorCode)
                    {
                        case SocketError.ConnectionRefused:
                        case SocketError.HostNotFound:
                        case SocketError.HostUnreachable:
                        case SocketError.NetworkUnreachable:
                        case SocketError.TryAgain:
                        case SocketError.NoData:
                        case SocketError.AddressNotAvailable:
                            return true;
                    }
                }

                if (e is WebException we && (we.Status == WebExceptionStatus.ConnectFailure || we.Status == WebExceptionStatus.NameResolutionFailure))
                {
                    return true;
                }
            }

            return false;
        }

        private static Exception Innermost(Exception ex)
        {
            while (ex.InnerException != null)
            {
                ex = ex.InnerException;
            }

            return ex;
        }

        private static Dictionary<string, string> CollectHeaders(HttpResponseMessage response)
        {
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var h in response.Headers)
            {
                headers[h.Key] = string.Join(",", h.Value);
            }

            if (response.Content != null)
            {
                foreach (var h in response.Content.Headers)
                {
                    headers[h.Key] = string.Join(",", h.Value);
                }
            }

            return headers;
        }

        private static string DescribeRequest(HttpMethod method, Uri uri, IDictionary<string, string> headers, byte[] body)
        {
            var text = new StringBuilder();
            text.Append("Request ").Append(method).Append(' ').Append(Describe(uri));
            foreach (var h in headers.OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase))
            {
                text.Append("; ").Append(h.Key).Append(": ").Append(Redaction.HeaderValue(h.Key, h.Value));
            }

            if (body.Length > 0)
            {
                text.Append("; body: ").Append(Truncate(Redaction.Body(Encoding.UTF8.GetString(body)), 4000));
            }

            return text.ToString();
        }

        /// <summary>The URL as shown in traces and messages. Our APIs carry no secrets in URLs; user info is never allowed in endpoints.</summary>
        private static string Describe(Uri uri) => Redaction.Url(uri);

        private static string Truncate(string s, int max) => s.Length <= max ? s : s.Substring(0, max) + "...(truncated)";

        /// <summary>
        /// The cached client of an endpoint and route: a changed proxy or proxy credential gets a client of
        /// its own (a handler's proxy cannot change once it has sent).
        /// </summary>
        private static IFlurlClient ClientFor(ServiceEndpoint endpoint, ProxyRoute? route)
        {
            var key = endpoint.BaseAddress.GetLeftPart(UriPartial.Authority) + " via " + (route?.Key ?? "direct");
            return Clients.GetOrAdd(key, _ =>
            {
                TlsProtocols.EnsureTls12();
                // .NET Framework (Windows PowerShell 5.1) allows 2 connections per host by default,
                // which would serialise a fleet's requests; raise it for our hosts only.
                ServicePointManager.FindServicePoint(endpoint.BaseAddress).ConnectionLimit = 64;
                var client = new FlurlClient();
                client.Settings.HttpClientFactory = new HandlerFactory(route);
                client.Settings.Timeout = null;
                client.Settings.AllowedHttpStatusRange = "*";
                return client;
            });
        }

        private static string BuildUserAgent()
        {
            var assembly = typeof(ServiceHttpClient).Assembly;
            var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString() ?? "0";
            var plus = version.IndexOf('+');
            if (plus > 0)
            {
                version = version.Substring(0, plus);
            }

            return "BackupTools/" + version + " (PowerShell module; " + System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription + ")";
        }

        /// <summary>
        /// Handlers without cookies or redirects (APIs answer directly, and a redirect must not carry
        /// credentials elsewhere), with the module's proxy decision: its route, or no proxy at all (never
        /// .NET's process-wide default, which is read once and would proxy loopback calls).
        /// </summary>
        private sealed class HandlerFactory : DefaultHttpClientFactory
        {
            private readonly ProxyRoute? _route;

            public HandlerFactory()
                : this(null)
            {
            }

            public HandlerFactory(ProxyRoute? route)
            {
                _route = route;
            }

            public override HttpMessageHandler CreateMessageHandler() => new HttpClientHandler
            {
                UseCookies = false,
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
                UseProxy = _route != null,
                Proxy = _route == null ? null : new WebProxy(_route.Address) { Credentials = _route.Credential, BypassProxyOnLocal = false },
            };
        }
    }
}
