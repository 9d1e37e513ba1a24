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

        private readonly IRequestAuthenticator _authenticator;
        private readonly IHttpTrace _trace;

        public ServiceHttpClient(string cloud, ServiceEndpoint endpoint, IRequestAuthenticator authenticator, IHttpTrace? trace = null, RetryPolicy? retryPolicy = null)
        {
            Cloud = cloud;
            Endpoint = endpoint;
            _authenticator = authenticator;
            _trace = trace ?? NullTrace.Instance;
            RetryPolicy = retryPolicy ?? RetryPolicy.Default;
        }

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
                    _trace.Verbose(string.Format(CultureInfo.InvariantCulture, "{0} {1}: giving up after {2} attempt(s) in {3:0.0} s.", request.Method, Describe(uri), attempt, clock.Elapsed.TotalSeconds));
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

            var flurl = new FlurlRequest(uri.AbsoluteUri) { Client = ClientFor(Endpoint) };
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
                HttpResponseMessage response;
                string text;
                try
                {
                    response = await flurl.SendAsync(request.Method, content, linked.Token, HttpCompletionOption.ResponseContentRead).ConfigureAwait(false);
                    text = response.Content == null ? string.Empty : await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested && IsTransport(ex))
                {
                    var failure = TransportFailure(request, uri, ex, timeout.IsCancellationRequested, clock.Elapsed);
                    _trace.Verbose(string.Format(CultureInfo.InvariantCulture, "{0} {1} -> {2} after {3} ms (attempt {4})", request.Method, Describe(uri), failure.Kind, clock.ElapsedMilliseconds, attempt));
                    throw failure;
                }

                using (response)
                {
                    var status = (int)response.StatusCode;
                    _trace.Verbose(string.Format(CultureInfo.InvariantCulture, "{0} {1} -> {2} {3} in {4} ms (attempt {5})", request.Method, Describe(uri), status, response.ReasonPhrase, clock.ElapsedMilliseconds, attempt));
                    var responseHeaders = CollectHeaders(response);
                    if (_trace.DebugEnabled && text.Length > 0)
                    {
                        _trace.Debug("Response body: " + Truncate(Redaction.Body(text), 4000));
                    }

                    if (status >= 200 && status < 300)
                    {
                        return new ServiceResponse(status, text, responseHeaders);
                    }

                    var outcomeUnknown = request.Idempotency == Idempotency.NotIdempotent && status >= 500;
                    throw ServiceErrorParser.Parse(Cloud, status, response.ReasonPhrase, text, responseHeaders, request.Resource, outcomeUnknown);
                }
            }
        }

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

            if (NeverConnected(ex))
            {
                return new ServiceException(Cloud, ErrorKind.ConnectionFailed, where + " could not connect: " + Innermost(ex).Message, resource: request.Resource, inner: ex);
            }

            return new ServiceException(
                Cloud,
                ErrorKind.Unavailable,
                where + " lost its connection before an answer arrived: " + Innermost(ex).Message,
                resource: request.Resource,
                outcomeUnknown: request.Idempotency == Idempotency.NotIdempotent,
                inner: ex);
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
        private static string Describe(Uri uri) => uri.AbsoluteUri;

        private static string Truncate(string s, int max) => s.Length <= max ? s : s.Substring(0, max) + "...(truncated)";

        private static IFlurlClient ClientFor(ServiceEndpoint endpoint)
        {
            var key = endpoint.BaseAddress.GetLeftPart(UriPartial.Authority);
            return Clients.GetOrAdd(key, _ =>
            {
                // .NET Framework (Windows PowerShell 5.1) allows 2 connections per host by default,
                // which would serialise a fleet's requests; raise it for our hosts only.
                ServicePointManager.FindServicePoint(endpoint.BaseAddress).ConnectionLimit = 64;
                var client = new FlurlClient();
                client.Settings.HttpClientFactory = new HandlerFactory();
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

        /// <summary>Handlers without cookies or redirects: APIs answer directly, and a redirect must not carry credentials elsewhere.</summary>
        private sealed class HandlerFactory : DefaultHttpClientFactory
        {
            public override HttpMessageHandler CreateMessageHandler() => new HttpClientHandler
            {
                UseCookies = false,
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            };
        }
    }
}
