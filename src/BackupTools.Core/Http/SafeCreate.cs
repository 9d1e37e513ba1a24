using System;
using System.Threading;
using System.Threading.Tasks;
using BackupTools.Errors;

namespace BackupTools.Http
{
    /// <summary>
    /// The no-duplicate rule for creates, in one place for every cloud. A create whose outcome is
    /// unknown (the HTTP core marks it OutcomeUnknown) is settled by reading back before anything
    /// else is tried: found, it is adopted; not found, the create took no effect and is sent again
    /// (a bounded number of rounds). A refusal that may be our own earlier attempt arriving late
    /// (Spanner's ALREADY_EXISTS, GaussDB's "backup in progress") is read back too, and adopted when
    /// the resource found is ours.
    /// </summary>
    public static class SafeCreate
    {
        /// <summary>How many times a create may be sent after read-backs proved the earlier ones took no effect.</summary>
        public const int MaxRounds = 5;

        /// <param name="what">The resource, as messages name it ("backup projects/p/instances/i/backups/b").</param>
        /// <param name="resource">The error target.</param>
        /// <param name="http">The client whose trace and retry policy (for the pause before resending) are used.</param>
        /// <param name="send">Sends the create once.</param>
        /// <param name="readBack">Finds what a create begun at the given time made, or null when it made nothing.</param>
        /// <param name="mayBeOurEarlierAttempt">Refusals to read back after an uncertain attempt.</param>
        /// <param name="howToCheck">Told to the user when even read-backs cannot settle it.</param>
        public static async Task<T> RunAsync<T>(
            string what,
            string resource,
            ServiceHttpClient http,
            Func<CancellationToken, Task<T>> send,
            Func<DateTimeOffset, CancellationToken, Task<T?>> readBack,
            Func<ServiceException, bool> mayBeOurEarlierAttempt,
            string howToCheck,
            CancellationToken cancellationToken)
            where T : class
        {
            var trace = http.Trace;
            var started = DateTimeOffset.UtcNow;
            var uncertain = false;
            ServiceException? last = null;
            for (var round = 1; round <= MaxRounds; round++)
            {
                try
                {
                    return await send(cancellationToken).ConfigureAwait(false);
                }
                catch (ServiceException ex) when (ex.OutcomeUnknown)
                {
                    last = ex;
                    uncertain = true;
                    trace.Verbose("Create of " + what + " has an unknown outcome (" + ex.Kind + "); reading it back.");
                    var found = await CountedReadBackAsync(readBack, started, cancellationToken).ConfigureAwait(false);
                    if (found != null)
                    {
                        trace.Verbose("Read-back found " + what + ": the earlier create took effect and is not repeated.");
                        return found;
                    }

                    trace.Verbose("Read-back did not find " + what + ": the create took no effect and is sent again after a pause.");

                    // Pause before sending again: a create that timed out may still be in the service's
                    // hands, and given a moment it shows up (then refused as ours and adopted, not made
                    // twice); a service answering 5xx needs the pause anyway. Found by the fault soak.
                    if (round < MaxRounds)
                    {
                        await Task.Delay(http.RetryPolicy.DelayBefore(round, ex.RetryAfter), cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (ServiceException ex) when (uncertain && mayBeOurEarlierAttempt(ex))
                {
                    var found = await CountedReadBackAsync(readBack, started, cancellationToken).ConfigureAwait(false);
                    if (found != null)
                    {
                        trace.Verbose("Read-back found " + what + ": the refusal was our own earlier attempt, which is adopted.");
                        return found;
                    }

                    throw;
                }
            }

            throw new BackupToolsException(
                ErrorIds.CreateOutcomeUnknown,
                ErrorKind.OutcomeUnknown,
                "Create of " + what + " got no answer in " + MaxRounds + " attempts, and reading back found nothing. " + howToCheck,
                resource,
                last);
        }

        private static Task<T?> CountedReadBackAsync<T>(Func<DateTimeOffset, CancellationToken, Task<T?>> readBack, DateTimeOffset started, CancellationToken cancellationToken)
            where T : class
        {
            TransportStatistics.CountReadBack();
            return readBack(started, cancellationToken);
        }
    }
}
