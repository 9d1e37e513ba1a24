namespace BackupTools.Errors
{
    /// <summary>
    /// What went wrong, independent of the cloud that said it. The cmdlet layer turns a kind into a
    /// PowerShell ErrorCategory; scripts branch on the error id, which is built from cloud and kind.
    /// </summary>
    public enum ErrorKind
    {
        Unknown,
        InvalidArgument,
        FailedPrecondition,
        NotFound,
        AlreadyExists,
        Conflict,
        Unauthenticated,
        PermissionDenied,
        Throttled,
        Unavailable,
        Timeout,
        Internal,
        Cancelled,
        ConnectionFailed,
        OutcomeUnknown,
        OperationFailed,
        WaitTimedOut,
        InsecureEndpoint,
        NoCredentials,

        /// <summary>A 2xx answer without what the call needs: not JSON, truncated, the wrong shape, an object without its identity.</summary>
        InvalidAnswer,

        /// <summary>An answer (after decompression) larger than the HTTP core reads.</summary>
        AnswerTooLarge,

        /// <summary>A list the service kept paging past every bound (a repeated page token or offset, too many pages or items, too long).</summary>
        EndlessPaging,

        /// <summary>A 3xx answer: the module never follows redirects (they could carry credentials elsewhere).</summary>
        Redirected,

        /// <summary>The proxy refused to forward the request or open the tunnel (it answered itself, e.g. 403 or 502).</summary>
        ProxyRefused,

        /// <summary>The proxy wants credentials (407) it was not given, or refused the ones it got.</summary>
        ProxyAuthenticationRequired,

        /// <summary>The proxy could not be reached at all.</summary>
        ProxyUnreachable,

        /// <summary>The TLS handshake failed (protocol version, certificate, or something intercepting TLS).</summary>
        TlsHandshakeFailed,
    }
}
