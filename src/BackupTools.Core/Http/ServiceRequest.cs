using System;
using System.Collections.Generic;
using System.Net.Http;

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

    /// <summary>A successful (2xx) answer.</summary>
    public sealed class ServiceResponse
    {
        public ServiceResponse(int status, string body, IReadOnlyDictionary<string, string> headers)
        {
            Status = status;
            Body = body;
            Headers = headers;
        }

        public int Status { get; }

        public string Body { get; }

        public IReadOnlyDictionary<string, string> Headers { get; }

        public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;
    }
}
