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
                if (json["error"] is JObject google)
                {
                    code = (string?)google["status"] ?? (string?)google["title"];
                    message = (string?)google["message"];
                    retryAfter ??= RetryInfoDelay(google["details"] as JArray);
                }
                else if (json["error_code"] != null)
                {
                    code = (string?)json["error_code"];
                    message = (string?)json["error_msg"];
                    requestId = (string?)json["request_id"];
                }
            }

            requestId ??= Header(headers, "X-Request-Id") ?? Header(headers, "X-Openstack-Request-Id");
            var kind = KindOf(httpStatus, code);
            message ??= string.IsNullOrEmpty(body) ? reason ?? "no details" : Truncate(Redaction.Body(body), 500);

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

        /// <summary>Retry-After as delta-seconds or an HTTP date.</summary>
        public static TimeSpan? ParseRetryAfterHeader(IReadOnlyDictionary<string, string> headers)
        {
            var value = Header(headers, "Retry-After");
            if (string.IsNullOrWhiteSpace(value))
            {
                return null;
            }

            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
            {
                return TimeSpan.FromSeconds(seconds);
            }

            if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                var delta = at - DateTimeOffset.UtcNow;
                return delta > TimeSpan.Zero ? delta : TimeSpan.Zero;
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
                if ((string?)detail["@type"] == "type.googleapis.com/google.rpc.RetryInfo")
                {
                    var delay = (string?)detail["retryDelay"];
                    if (delay != null && delay.EndsWith("s", StringComparison.Ordinal)
                        && double.TryParse(delay.Substring(0, delay.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var s))
                    {
                        return TimeSpan.FromSeconds(s);
                    }
                }
            }

            return null;
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

        private static string Truncate(string s, int max) => s.Length <= max ? s : s.Substring(0, max) + "...";
    }
}
