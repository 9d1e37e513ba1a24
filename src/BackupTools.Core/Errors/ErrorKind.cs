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
    }
}
