using System;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text.RegularExpressions;
using BackupTools.Errors;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace BackupTools.Http
{
    /// <summary>
    /// Turns a 2xx answer into what a call needs, or into the InvalidAnswer error: a body that is not a
    /// JSON object (an HTML page, truncated JSON, a bare string), a field of the wrong type, an object
    /// without its identity. The error names the URL, the status, the content type, the first
    /// characters of the body and the request id, all cleaned of control characters; it is never
    /// retried, and for a create it is an unknown outcome (the create may have happened: read back).
    /// </summary>
    internal static class AnswerReader
    {
        public static JObject ParseObject(ServiceResponse response)
        {
            var body = response.Body;
            if (string.IsNullOrWhiteSpace(body))
            {
                var type = response.Header("Content-Type");
                if (type == null || IsJson(type))
                {
                    return new JObject();
                }

                throw Invalid(response, "the body is empty and of type " + ServerText.Clean(type, 100) + ", not JSON");
            }

            try
            {
                using (var reader = new JsonTextReader(new System.IO.StringReader(body)) { DateParseHandling = DateParseHandling.None, MaxDepth = 64 })
                {
                    var token = JToken.ReadFrom(reader);
                    if (reader.Read() && reader.TokenType != JsonToken.Comment)
                    {
                        throw Invalid(response, "the body holds more than one JSON value");
                    }

                    if (token is JObject json)
                    {
                        return json;
                    }

                    throw Invalid(response, "the body is a JSON " + token.Type.ToString().ToLowerInvariant() + ", not an object");
                }
            }
            catch (JsonException ex)
            {
                throw Invalid(response, "the body is not valid JSON (" + ServerText.Clean(ex.Message, 200) + ")");
            }
        }

        public static T Map<T>(ServiceResponse response, string what, JObject json, Func<JObject, T> map)
        {
            try
            {
                return map(json);
            }
            catch (Exception ex) when (IsShapeProblem(ex))
            {
                throw Invalid(response, "expected " + what + ", but " + ServerText.Clean(ex.Message, 300));
            }
        }

        /// <summary>What a mapping throws when the JSON has the wrong shape (ours, and Newtonsoft's conversions).</summary>
        public static bool IsShapeProblem(Exception ex) =>
            ex is AnswerShapeException || ex is JsonException || ex is ArgumentException || ex is InvalidCastException
            || ex is FormatException || ex is OverflowException || ex is InvalidOperationException;

        public static ServiceException Invalid(ServiceResponse response, string problem, ErrorKind kind = ErrorKind.InvalidAnswer)
        {
            var origin = response.Origin;
            var cloud = origin?.Cloud ?? "Service";
            var requestId = RequestId(response.Headers);
            var type = response.Header("Content-Type");
            var head = response.Body.Length > 4096 ? response.Body.Substring(0, 4096) : response.Body;
            var excerpt = ServerText.Clean(Redaction.Body(head), ServerText.ExcerptLength);
            var message = string.Format(
                CultureInfo.InvariantCulture,
                "{0} answered {1} {2} with HTTP {3}{4}, which cannot be used: {5}.{6}{7}",
                cloud,
                origin?.Method.Method ?? "a request",
                origin == null ? string.Empty : Redaction.Url(origin.Uri),
                response.Status,
                type == null ? " (no content type)" : " (" + ServerText.Clean(type, 100) + ")",
                problem,
                excerpt.Length == 0 ? " The body is empty." : " The answer begins: '" + excerpt + "'.",
                requestId != null ? " (request id " + requestId + ")" : string.Empty);
            return new ServiceException(
                cloud,
                kind,
                message,
                response.Status,
                serviceMessage: problem,
                requestId: requestId,
                resource: response.Request?.Resource,
                outcomeUnknown: response.Request?.Idempotency == Idempotency.NotIdempotent);
        }

        /// <summary>The request id of an answer (cleaned): the headers both clouds and Google's front end use.</summary>
        public static string? RequestId(System.Collections.Generic.IReadOnlyDictionary<string, string> headers)
        {
            foreach (var name in new[] { "X-Request-Id", "X-Openstack-Request-Id", "X-Cloud-Trace-Context" })
            {
                if (headers.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value))
                {
                    return ServerText.Clean(value, 128);
                }
            }

            return null;
        }

        public static bool IsJson(string contentType)
        {
            var media = contentType.Split(';')[0].Trim();
            return media.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase)
                || media.Equals("text/json", StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>A JSON answer of the wrong shape, found while mapping it (the message names fields, never quotes values at length).</summary>
    [Serializable]
    public sealed class AnswerShapeException : Exception
    {
        public AnswerShapeException(string message)
            : base(message)
        {
        }
    }

    /// <summary>
    /// Reads the fields of a service's JSON for the models: identities must be there and well formed,
    /// text is cleaned of control characters and cut, numbers out of range are clamped, and a field of
    /// the wrong type is an <see cref="AnswerShapeException"/> (which the answer turns into InvalidAnswer).
    /// </summary>
    public static class AnswerFields
    {
        /// <summary>A field that identifies the object: present, text, not empty, no control characters, and (when given) of the expected form.</summary>
        public static string Identity(JObject json, string field, Regex? form = null)
        {
            var token = json[field];
            if (token == null || token.Type == JTokenType.Null)
            {
                throw new AnswerShapeException("its '" + field + "' is missing");
            }

            if (token.Type != JTokenType.String)
            {
                throw new AnswerShapeException("its '" + field + "' is a " + Describe(token) + ", not text");
            }

            var value = (string)token!;
            if (value.Length == 0)
            {
                throw new AnswerShapeException("its '" + field + "' is empty");
            }

            if (ServerText.HasUnsafeCharacters(value) || value.Length > 1024 || (form != null && !form.IsMatch(value)))
            {
                throw new AnswerShapeException("its '" + field + "' is not of the expected form: '" + ServerText.Clean(value, 100) + "'");
            }

            return value;
        }

        /// <summary>A text field, cleaned; null when absent or null. Numbers and booleans are taken as their text.</summary>
        public static string? Text(JToken? json, string field)
        {
            var token = json is JObject o ? o[field] : json == null || json.Type == JTokenType.Null ? null : throw new AnswerShapeException("a " + Describe(json) + " stands where an object with '" + field + "' belongs");
            if (token == null || token.Type == JTokenType.Null)
            {
                return null;
            }

            if (token is JValue value && token.Type != JTokenType.Bytes)
            {
                return ServerText.Clean(Convert.ToString(value.Value, CultureInfo.InvariantCulture), ServerText.FieldLength);
            }

            throw new AnswerShapeException("its '" + field + "' is a " + Describe(token) + ", not text");
        }

        /// <summary>A nested object; null when absent or null.</summary>
        public static JObject? Object(JToken? json, string field)
        {
            var token = json is JObject o ? o[field] : null;
            if (token == null || token.Type == JTokenType.Null)
            {
                return null;
            }

            return token as JObject ?? throw new AnswerShapeException("its '" + field + "' is a " + Describe(token) + ", not an object");
        }

        /// <summary>A list of objects; null when absent or null; an error when it is anything else or holds anything else.</summary>
        public static JObject[]? Objects(JObject json, string field)
        {
            var token = json[field];
            if (token == null || token.Type == JTokenType.Null)
            {
                return null;
            }

            if (!(token is JArray array))
            {
                throw new AnswerShapeException("its '" + field + "' is a " + Describe(token) + ", not a list");
            }

            var items = array.OfType<JObject>().ToArray();
            if (items.Length != array.Count)
            {
                throw new AnswerShapeException("its '" + field + "' holds something other than objects");
            }

            return items;
        }

        /// <summary>A boolean ("true"/"false" as text accepted); null when absent.</summary>
        public static bool? Bool(JObject json, string field)
        {
            var token = json[field];
            if (token == null || token.Type == JTokenType.Null)
            {
                return null;
            }

            if (token.Type == JTokenType.Boolean)
            {
                return (bool)token;
            }

            if (token.Type == JTokenType.String && bool.TryParse((string?)token, out var b))
            {
                return b;
            }

            throw new AnswerShapeException("its '" + field + "' is a " + Describe(token) + ", not true or false");
        }

        /// <summary>A whole number (as a number or as text); null when absent, not a number, or beyond a long.</summary>
        public static long? Long(JToken? token)
        {
            if (token == null || token.Type == JTokenType.Null || token is JContainer)
            {
                return null;
            }

            var text = Convert.ToString(((JValue)token).Value, CultureInfo.InvariantCulture);
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && !double.IsNaN(d) && !double.IsInfinity(d)
                && d >= long.MinValue && d <= long.MaxValue)
            {
                return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var exact) ? exact : (long)d;
            }

            return null;
        }

        /// <summary>A progress in percent ("60", 60, 60.5, "60%"), clamped to 0..100; null when there is none or it is not a number.</summary>
        public static int? Percent(JToken? token)
        {
            if (token == null || token.Type == JTokenType.Null || token is JContainer)
            {
                return null;
            }

            var text = (Convert.ToString(((JValue)token).Value, CultureInfo.InvariantCulture) ?? string.Empty).Trim().TrimEnd('%').Trim();
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || double.IsNaN(value))
            {
                return null;
            }

            return value <= 0 ? 0 : value >= 100 ? 100 : (int)value;
        }

        private static string Describe(JToken token) => token.Type.ToString().ToLowerInvariant();
    }
}
