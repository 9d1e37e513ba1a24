using System;
using System.Management.Automation;
using BackupTools.Errors;
using BackupTools.Http;
using BackupTools.Validation;

namespace BackupTools.Infrastructure
{
    /// <summary>The retry policy a cmdlet's HTTP client uses: the default, with -RequestTimeout as the per-attempt timeout when given.</summary>
    internal static class RetryPolicies
    {
        public static RetryPolicy For(TimeSpan? requestTimeout)
        {
            var policy = RetryPolicy.Default;
            if (requestTimeout.HasValue)
            {
                if (requestTimeout.Value <= TimeSpan.Zero || requestTimeout.Value > TimeSpan.FromMinutes(30))
                {
                    throw ValidationError.Create("-RequestTimeout must be more than 0 and at most 30 minutes.");
                }

                policy.AttemptTimeout = requestTimeout.Value;
            }

            return policy;
        }
    }
}
