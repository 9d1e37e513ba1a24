using System;
using System.Collections.Generic;

namespace BackupTools.Errors
{
    /// <summary>
    /// The catalogue of every error id the module emits, in one file. Ids are stable PascalCase words
    /// scripts may compare against <c>$_.FullyQualifiedErrorId</c> (PowerShell appends the cmdlet's
    /// type name after a comma). Never rename one: add a new id instead.
    /// </summary>
    public static class ErrorIds
    {
        // Validation (refused before any request).
        public const string InvalidParameter = "InvalidParameter";
        public const string ConflictingParameters = "ConflictingParameters";

        // Credentials and transport preconditions.
        public const string NoCredentials = "NoCredentials";
        public const string InsecureEndpoint = "InsecureEndpoint";

        // Waiting.
        public const string OperationFailed = "BackupOperationFailed";
        public const string OperationCancelled = "BackupOperationCancelled";
        public const string WaitTimedOut = "WaitBackupOperationTimedOut";
        public const string NotWaitable = "NotWaitable";

        // The local emulator (Start-BackupEmulator).
        public const string EmulatorNotFound = "EmulatorNotFound";
        public const string EmulatorStartFailed = "EmulatorStartFailed";
        // The backup lifecycle (copy, restore): refusals that need the service's state, and answers missing what the call needs.
        public const string SpannerBackupNotReady = "SpannerBackupNotReady";
        public const string SpannerRestorePending = "SpannerRestorePending";

        // Dropping a database: drop protection is on; it is still being restored (and -CancelRestore was not given).
        public const string SpannerDropProtected = "SpannerDropProtected";
        public const string SpannerDatabaseRestoring = "SpannerDatabaseRestoring";
        public const string IncompleteAnswer = "IncompleteAnswer";
        public const string GaussBackupNotCompleted = "GaussBackupNotCompleted";
        public const string NotOfferedByCloud = "NotOfferedByCloud";

        // Fleet assurance: a target rated by Get-BackupCoverage -FailOnUncovered that is not covered.
        public const string BackupCoverageStale = "BackupCoverageStale";
        public const string BackupCoverageMissing = "BackupCoverageMissing";
        public const string BackupCoverageFailing = "BackupCoverageFailing";

        // Restore drills: the database has no backup to drill; the check the user gave failed; the scratch target could not be removed.
        public const string RestoreDrillNoBackup = "RestoreDrillNoBackup";
        public const string RestoreDrillCheckFailed = "RestoreDrillCheckFailed";
        public const string RestoreDrillCleanupFailed = "RestoreDrillCleanupFailed";

        // Create calls whose outcome could not be established even after reading back.
        public const string CreateOutcomeUnknown = "CreateOutcomeUnknown";

        // Answers that cannot be trusted, with the cloud's prefix (SpannerInvalidAnswer, GaussAnswerTooLarge, IamRedirected, ...):
        // "<Cloud>" + one of these. All have the category InvalidResult.
        public const string InvalidAnswer = "InvalidAnswer";
        public const string AnswerTooLarge = "AnswerTooLarge";
        public const string EndlessPaging = "EndlessPaging";
        public const string Redirected = "Redirected";

        // The way to the service, whichever the cloud: the proxy and TLS. Never retried.
        public const string ProxyRefused = "ProxyRefused";
        public const string ProxyAuthenticationRequired = "ProxyAuthenticationRequired";
        public const string ProxyUnreachable = "ProxyUnreachable";
        public const string TlsHandshakeFailed = "TlsHandshakeFailed";

        /// <summary>
        /// Id for a service error: the cloud's prefix and the kind, e.g. SpannerNotFound, GaussThrottled.
        /// Failures of the proxy or of TLS are not the cloud's and carry no prefix.
        /// </summary>
        public static string ForService(string cloudPrefix, ErrorKind kind, string? serviceCode)
        {
            switch (kind)
            {
                case ErrorKind.ProxyRefused:
                    return ProxyRefused;
                case ErrorKind.ProxyAuthenticationRequired:
                    return ProxyAuthenticationRequired;
                case ErrorKind.ProxyUnreachable:
                    return ProxyUnreachable;
                case ErrorKind.TlsHandshakeFailed:
                    return TlsHandshakeFailed;
            }

            if (serviceCode != null && ServiceCodeIds.TryGetValue(serviceCode, out var specific))
            {
                return cloudPrefix + specific;
            }

            return cloudPrefix + kind.ToString();
        }

        /// <summary>Service codes that deserve an id of their own because scripts act on them differently.</summary>
        private static readonly Dictionary<string, string> ServiceCodeIds = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["DBS.201205"] = "BackupInProgress",
            ["DBS.200011"] = "InstanceBusy",
            ["DBS.200019"] = "InstanceBusy",
            ["DBS.200047"] = "InstanceBusy",
            ["DBS.201202"] = "InstanceBusy",
            ["DBS.212006"] = "InstanceBusy",
            ["DBS.200316"] = "StorageFull",
            ["DBS.200086"] = "InstanceStateInvalid",
            ["DBS.201014"] = "InstanceStateInvalid",
            ["DBS.280449"] = "InstanceFrozen",
            ["DBS.200543"] = "JobNotFound",
            ["DBS.201010"] = "BackupNotFound",
            ["APIGW.0308"] = "Throttled",
            ["APIG.0308"] = "Throttled",
            ["APIGW.0301"] = "Unauthenticated",
            ["APIGW.0307"] = "TokenExpired",
        };
    }
}
