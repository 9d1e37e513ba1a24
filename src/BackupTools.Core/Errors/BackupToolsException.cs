using System;

namespace BackupTools.Errors
{
    /// <summary>
    /// The one error type of the module's core. Carries what a script needs to act on a failure
    /// (kind, stable id, the resource concerned) and what a person needs to diagnose it (HTTP status,
    /// the service's own code and message, its request id). Messages never contain credentials.
    /// </summary>
    [Serializable]
    public class BackupToolsException : Exception
    {
        public BackupToolsException(string errorId, ErrorKind kind, string message, string? resource = null, Exception? inner = null)
            : base(message, inner)
        {
            ErrorId = errorId;
            Kind = kind;
            Resource = resource;
        }

        /// <summary>Stable id, e.g. SpannerAlreadyExists; becomes the ErrorRecord's id.</summary>
        public string ErrorId { get; }

        public ErrorKind Kind { get; }

        /// <summary>The resource concerned (backup, operation or instance name); the ErrorRecord's target.</summary>
        public string? Resource { get; internal set; }
    }

    /// <summary>An error answered by a service (or its gateway), or a transport failure talking to one.</summary>
    [Serializable]
    public sealed class ServiceException : BackupToolsException
    {
        public ServiceException(
            string cloud,
            ErrorKind kind,
            string message,
            int? httpStatus = null,
            string? serviceCode = null,
            string? serviceMessage = null,
            string? requestId = null,
            string? resource = null,
            TimeSpan? retryAfter = null,
            bool outcomeUnknown = false,
            Exception? inner = null)
            : base(ErrorIds.ForService(cloud, kind, serviceCode), kind, message, resource, inner)
        {
            Cloud = cloud;
            HttpStatus = httpStatus;
            ServiceCode = serviceCode;
            ServiceMessage = serviceMessage;
            RequestId = requestId;
            RetryAfter = retryAfter;
            OutcomeUnknown = outcomeUnknown;
        }

        /// <summary>"Spanner" or "Gauss" (or "Iam"): the prefix of the error id.</summary>
        public string Cloud { get; }

        /// <summary>HTTP status, or null when no answer was received.</summary>
        public int? HttpStatus { get; }

        /// <summary>The service's code: a google.rpc status name (ALREADY_EXISTS) or a Huawei code (DBS.201205).</summary>
        public string? ServiceCode { get; }

        public string? ServiceMessage { get; }

        public string? RequestId { get; }

        /// <summary>The server's hint (Retry-After header or google.rpc.RetryInfo) when it gave one.</summary>
        public TimeSpan? RetryAfter { get; }

        /// <summary>
        /// True when a request that changes state may or may not have taken effect (timeout, connection
        /// cut after sending, 5xx). Such a create is resolved by reading back, never by sending it again.
        /// </summary>
        public bool OutcomeUnknown { get; }
    }
}
