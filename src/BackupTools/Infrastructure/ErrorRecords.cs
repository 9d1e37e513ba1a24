using System.Management.Automation;
using BackupTools.Errors;

namespace BackupTools.Infrastructure
{
    /// <summary>Turns the core's errors into ErrorRecords: the stable id, a real category, the resource as target.</summary>
    internal static class ErrorRecords
    {
        public static ErrorRecord From(BackupToolsException error, object? target)
        {
            var record = new ErrorRecord(error, error.ErrorId, CategoryOf(error), target ?? error.Resource);
            if (error is ServiceException service && service.RequestId != null)
            {
                record.ErrorDetails = new ErrorDetails(error.Message) { RecommendedAction = "Quote request id " + service.RequestId + " to the cloud's support." };
            }

            return record;
        }

        /// <summary>Failures that stop the command: preconditions no pipeline item can escape, and a wait that ran out of time.</summary>
        public static bool IsTerminating(BackupToolsException error) =>
            error.Kind == ErrorKind.NoCredentials || error.Kind == ErrorKind.InsecureEndpoint || error.Kind == ErrorKind.WaitTimedOut;

        public static ErrorCategory CategoryOf(BackupToolsException error)
        {
            // Ids that say "not found" are ObjectNotFound whatever the status (GaussDB answers a job it
            // does not know yet with 400 DBS.200543, which would otherwise read as a bad argument).
            if (error.ErrorId.EndsWith("NotFound", System.StringComparison.Ordinal))
            {
                return ErrorCategory.ObjectNotFound;
            }

            // Kinds that say more than their HTTP status: an answer that cannot be used, the proxy's or TLS's failure.
            switch (error.Kind)
            {
                case ErrorKind.InvalidAnswer:
                case ErrorKind.AnswerTooLarge:
                case ErrorKind.EndlessPaging:
                case ErrorKind.Redirected:
                    return ErrorCategory.InvalidResult;
                case ErrorKind.ProxyRefused:
                case ErrorKind.ProxyUnreachable:
                    return ErrorCategory.ConnectionError;
                case ErrorKind.ProxyAuthenticationRequired:
                    return ErrorCategory.AuthenticationError;
                case ErrorKind.TlsHandshakeFailed:
                    return ErrorCategory.SecurityError;
            }

            if (error is ServiceException service && service.HttpStatus.HasValue)
            {
                var status = service.HttpStatus.Value;
                switch (status)
                {
                    case 400:
                        return ErrorCategory.InvalidArgument;
                    case 401:
                    case 403:
                        return ErrorCategory.PermissionDenied;
                    case 404:
                        return ErrorCategory.ObjectNotFound;
                    case 409:
                        return ErrorCategory.ResourceExists;
                    case 429:
                        return ErrorCategory.LimitsExceeded;
                }

                if (status >= 500)
                {
                    return ErrorCategory.ResourceUnavailable;
                }
            }

            switch (error.Kind)
            {
                case ErrorKind.InvalidArgument:
                    return ErrorCategory.InvalidArgument;
                case ErrorKind.FailedPrecondition:
                    return ErrorCategory.InvalidOperation;
                case ErrorKind.NotFound:
                    return ErrorCategory.ObjectNotFound;
                case ErrorKind.AlreadyExists:
                case ErrorKind.Conflict:
                    return ErrorCategory.ResourceExists;
                case ErrorKind.Unauthenticated:
                case ErrorKind.PermissionDenied:
                    return ErrorCategory.PermissionDenied;
                case ErrorKind.NoCredentials:
                    return ErrorCategory.AuthenticationError;
                case ErrorKind.Throttled:
                    return ErrorCategory.LimitsExceeded;
                case ErrorKind.Unavailable:
                case ErrorKind.Internal:
                    return ErrorCategory.ResourceUnavailable;
                case ErrorKind.Timeout:
                case ErrorKind.WaitTimedOut:
                    return ErrorCategory.OperationTimeout;
                case ErrorKind.ConnectionFailed:
                    return ErrorCategory.ConnectionError;
                case ErrorKind.Cancelled:
                    return ErrorCategory.OperationStopped;
                case ErrorKind.OperationFailed:
                case ErrorKind.OutcomeUnknown:
                    return ErrorCategory.InvalidResult;
                case ErrorKind.InsecureEndpoint:
                    return ErrorCategory.SecurityError;
                default:
                    return ErrorCategory.NotSpecified;
            }
        }
    }
}
