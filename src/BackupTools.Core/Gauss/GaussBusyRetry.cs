using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using BackupTools.Errors;
using BackupTools.Http;

namespace BackupTools.Gauss
{
    /// <summary>
    /// The one loop behind every GaussDB -WaitForInstance (backup create, restore, instance delete): a refusal the
    /// caller calls "instance busy" is tried again after a pause while the wait allows another attempt; anything
    /// else, or a busy refusal with no wait left, is the caller's error. Which refusals count as busy stays with
    /// each call, since the service answers each with its own codes.
    /// </summary>
    internal static class GaussBusyRetry
    {
        /// <param name="what">What is tried again, for the verbose stream ("the restore").</param>
        public static async Task<T> RunAsync<T>(
            Func<CancellationToken, Task<T>> attempt,
            Func<ServiceException, bool> isBusy,
            TimeSpan? waitForInstance,
            TimeSpan delay,
            IHttpTrace trace,
            string instanceId,
            string what,
            CancellationToken cancellationToken)
        {
            var started = DateTimeOffset.UtcNow;
            while (true)
            {
                try
                {
                    return await attempt(cancellationToken).ConfigureAwait(false);
                }
                catch (ServiceException ex) when (waitForInstance.HasValue && isBusy(ex) && DateTimeOffset.UtcNow + delay - started <= waitForInstance.Value)
                {
                    trace.Verbose("Instance " + instanceId + " is busy (" + ex.ServiceCode + "); trying " + what + " again in " + delay.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s.");
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }
}
