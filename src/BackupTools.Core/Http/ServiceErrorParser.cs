using System;
using System.Collections.Generic;
using System.Globalization;
using BackupTools.Errors;
using Newtonsoft.Json.Linq;

namespace BackupTools.Http
{
    /// <summary>
    /// Reads an error answer from any of the services into a <see cref="ServiceException"/>:
    /// Google's <c>{"error": {code, message, status, details}}</c>, Huawei's service and gateway
    /// <c>{"error_code", "error_msg", "request_id"}</c>, and Huawei IAM's <c>{"error": {code, message, title}}</c>.
    /// </summary>
    public static class ServiceErrorParser
    {
        public static ServiceException Parse(
            string cloud,
            int httpStatus,
            string? reason,
            string? body,
            IReadOnlyDictionary<string, string> headers,
            string? resource,
            bool outcomeUnknown)
        {
            string? code = null;
            string? message = null;
            string? requestId = null;
            TimeSpan? retryAfter = ParseRetryAfterHeader(headers);

            var json = TryParse(body);
            if (json != null)
            {
                try
                {
                    if (json["error"] is JObject google)
                    {
                        code = AnswerFields.Text(google, "status") ?? AnswerFields.Text(google, "title");
                        message = AnswerFields.Text(google, "message");
                        retryAfter ??= RetryInfoDelay(google["details"] as JArray);
                    }
                    else if (json["error_code"] != null)
                    {
                        code = AnswerFields.Text(json, "error_code");
                        message = AnswerFields.Text(json, "error_msg");
                        requestId = AnswerFields.Text(json, "request_id");
                    }
                }
                catch (Exception ex) when (AnswerReader.IsShapeProblem(ex))
                {
                    // An error body of the wrong shape: reported by status, with the body as its excerpt.
                    code = null;
                    message = null;
                }
            }

            // Whatever the server wrote is cleaned of control characters and cut before it reaches a message.
            code = code == null ? null : ServerText.Clean(code, 64);
            message = message == null ? null : ServerText.Clean(message, ServerText.MessageLength);
            requestId = requestId == null ? AnswerReader.RequestId(headers) : ServerText.Clean(requestId, 128);
            var kind = KindOf(httpStatus, code);
            message ??= string.IsNullOrEmpty(body) ? ServerText.Clean(reason, 100) is var r && r.Length > 0 ? r : "no details" : ServerText.Clean(Redaction.Body(body), 500);

            var text = string.Format(
                CultureInfo.InvariantCulture,
                "{0} answered HTTP {1}{2}{3}: {4}{5}",
                cloud,
                httpStatus,
                code != null ? " " : string.Empty,
                code,
                message,
                requestId != null ? " (request id " + requestId + ")" : string.Empty);

            return new ServiceException(cloud, kind, text, httpStatus, code, message, requestId, resource, retryAfter, outcomeUnknown);
        }

        /// <summary>The kind, from the google.rpc status name when there is one (400, 409 and 500 each stand for several), else from the HTTP status.</summary>
        public static ErrorKind KindOf(int httpStatus, string? code)
        {
            switch (code)
            {
                case "INVALID_ARGUMENT":
                case "OUT_OF_RANGE":
                    return ErrorKind.InvalidArgument;
                case "FAILED_PRECONDITION":
                    return ErrorKind.FailedPrecondition;
                case "NOT_FOUND":
                    return ErrorKind.NotFound;
                case "ALREADY_EXISTS":
                    return ErrorKind.AlreadyExists;
                case "ABORTED":
                    return ErrorKind.Conflict;
                case "PERMISSION_DENIED":
                    return ErrorKind.PermissionDenied;
                case "UNAUTHENTICATED":
                    return ErrorKind.Unauthenticated;
                case "RESOURCE_EXHAUSTED":
                    return ErrorKind.Throttled;
                case "UNAVAILABLE":
                    return ErrorKind.Unavailable;
                case "DEADLINE_EXCEEDED":
                    return ErrorKind.Timeout;
                case "CANCELLED":
                    return ErrorKind.Cancelled;
                case "INTERNAL":
                case "UNKNOWN":
                case "DATA_LOSS":
                    return ErrorKind.Internal;
                case "DBS.201205":
                    return ErrorKind.Conflict;
            }

            switch (httpStatus)
            {
                case 400:
                    return ErrorKind.InvalidArgument;
                case 401:
                    return ErrorKind.Unauthenticated;
                case 403:
                    return ErrorKind.PermissionDenied;
                case 404:
                    return ErrorKind.NotFound;
                case 409:
                    return ErrorKind.Conflict;
                case 429:
                    return ErrorKind.Throttled;
                case 499:
                    return ErrorKind.Cancelled;
                case 502:
                case 503:
                    return ErrorKind.Unavailable;
                case 504:
                    return ErrorKind.Timeout;
                default:
                    return httpStatus >= 500 ? ErrorKind.Internal : ErrorKind.Unknown;
            }
        }

        /// <summary>
        /// The longest server hint kept (a day): larger values (even ones no TimeSpan holds) are clamped to
        /// it, and the retry policy then gives up at once, since it is far past its time budget.
        /// </summary>
        public static readonly TimeSpan MaxHint = TimeSpan.FromDays(1);

        /// <summary>Retry-After as delta-seconds or an HTTP date.</summary>
        public static TimeSpan? ParseRetryAfterHeader(IReadOnlyDictionary<string, string> headers)
        {
            var value = Header(headers, "Retry-After");
            if (string.IsNullOrWhiteSpace(value))
            {
                return null;
            }

            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            {
                return Hint(seconds);
            }

            if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                return Hint((at - DateTimeOffset.UtcNow).TotalSeconds);
            }

            return null;
        }

        /// <summary>google.rpc.RetryInfo's retryDelay, a Duration in JSON form ("3.5s").</summary>
        public static TimeSpan? RetryInfoDelay(JArray? details)
        {
            if (details == null)
            {
                return null;
            }

            foreach (var detail in details)
            {
                if (detail is JObject && detail["@type"]?.Type == JTokenType.String && (string?)detail["@type"] == "type.googleapis.com/google.rpc.RetryInfo")
                {
                    var delay = detail["retryDelay"]?.Type == JTokenType.String ? (string?)detail["retryDelay"] : null;
                    if (delay != null && delay.EndsWith("s", StringComparison.Ordinal)
                        && double.TryParse(delay.Substring(0, delay.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var s))
                    {
                        return Hint(s);
                    }
                }
            }

            return null;
        }

        /// <summary>A hint in seconds as a TimeSpan: NaN and negatives are no hint (null) or none (0), and anything past <see cref="MaxHint"/> is clamped to it.</summary>
        public static TimeSpan? Hint(double seconds)
        {
            if (double.IsNaN(seconds))
            {
                return null;
            }

            if (seconds <= 0)
            {
                return TimeSpan.Zero;
            }

            return seconds >= MaxHint.TotalSeconds ? MaxHint : TimeSpan.FromSeconds(seconds);
        }

        private static JObject? TryParse(string? body)
        {
            if (string.IsNullOrWhiteSpace(body) || body!.TrimStart()[0] != '{')
            {
                return null;
            }

            try
            {
                return JObject.Parse(body);
            }
            catch (Newtonsoft.Json.JsonException)
            {
                return null;
            }
        }

        private static string? Header(IReadOnlyDictionary<string, string> headers, string name) =>
            headers.TryGetValue(name, out var v) ? v : null;
    }
}
