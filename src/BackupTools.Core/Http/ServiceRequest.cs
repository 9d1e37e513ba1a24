using System;
using System.Collections.Generic;
using System.Net.Http;
using BackupTools.Errors;
using Newtonsoft.Json.Linq;

namespace BackupTools.Http
{
    /// <summary>Whether a request may be sent again blindly when its outcome is unknown.</summary>
    public enum Idempotency
    {
        /// <summary>Reads, deletes, cancels, updates to a fixed value: safe to repeat.</summary>
        Idempotent,

        /// <summary>
        /// Creates. Retried only when the request provably did not reach the service (connection
        /// refused, a 429 throttle); any other failure surfaces as OutcomeUnknown for a read-back.
        /// </summary>
        NotIdempotent,
    }

    /// <summary>One call to a cloud API, before authentication and serialization.</summary>
    public sealed class ServiceRequest
    {
        public ServiceRequest(HttpMethod method, string path)
        {
            Method = method;
            Path = path;
        }

        public HttpMethod Method { get; }

        /// <summary>Path relative to the endpoint, already escaped segment by segment, without a leading slash.</summary>
        public string Path { get; }

        /// <summary>Query parameters in order; values are raw (the client escapes them). Repeated keys allowed.</summary>
        public List<KeyValuePair<string, string>> Query { get; } = new List<KeyValuePair<string, string>>();

        public Dictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>JSON body (serialized with Newtonsoft), or null for none.</summary>
        public object? Body { get; set; }

        public Idempotency Idempotency { get; set; } = Idempotency.Idempotent;

        /// <summary>The resource the call is about, for error targets and messages.</summary>
        public string? Resource { get; set; }

        public ServiceRequest WithQuery(string key, string? value)
        {
            if (value != null)
            {
                Query.Add(new KeyValuePair<string, string>(key, value));
            }

            return this;
        }

        public ServiceRequest WithResource(string resource)
        {
            Resource = resource;
            return this;
        }
    }

    /// <summary>
    /// A successful (2xx) answer, already read within the size cap and parsed as a JSON object by the
    /// HTTP core. It knows where it came from, so an answer without what the call needs becomes an
    /// error that says which URL answered what (<see cref="Invalid"/>, <see cref="Read{T}"/>).
    /// </summary>
    public sealed class ServiceResponse
    {
        public ServiceResponse(int status, string body, IReadOnlyDictionary<string, string> headers)
            : this(status, body, headers, null, null, null)
        {
        }

        internal ServiceResponse(int status, string body, IReadOnlyDictionary<string, string> headers, JObject? json, ServiceRequest? request, AnswerOrigin? origin)
        {
            Status = status;
            Body = body;
            Headers = headers;
            _json = json;
            Request = request;
            Origin = origin;
        }

        private JObject? _json;

        public int Status { get; }

        public string Body { get; }

        public IReadOnlyDictionary<string, string> Headers { get; }

        /// <summary>The body as a JSON object ({} for an empty body).</summary>
        public JObject Json => _json ??= AnswerReader.ParseObject(this);

        internal ServiceRequest? Request { get; }

        internal AnswerOrigin? Origin { get; }

        public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;

        /// <summary>
        /// Maps the answer with <paramref name="map"/>; an answer of the wrong shape (a missing identity,
        /// a field of the wrong type, a number out of range) becomes the InvalidAnswer error.
        /// </summary>
        /// <param name="what">What the call expected, for the message ("a backup").</param>
        public T Read<T>(string what, Func<JObject, T> map) => AnswerReader.Map(this, what, Json, map);

        /// <summary>The InvalidAnswer error for this answer: URL, status, content type, a short excerpt and the request id.</summary>
        public ServiceException Invalid(string problem) => AnswerReader.Invalid(this, problem);
    }

    /// <summary>Where an answer came from, for the messages of errors about it.</summary>
    internal sealed class AnswerOrigin
    {
        public AnswerOrigin(string cloud, HttpMethod method, Uri uri)
        {
            Cloud = cloud;
            Method = method;
            Uri = uri;
        }

        public string Cloud { get; }

        public HttpMethod Method { get; }

        public Uri Uri { get; }
    }
}
