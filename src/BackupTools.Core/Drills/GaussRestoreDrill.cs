using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using BackupTools.Errors;
using BackupTools.Gauss;

namespace BackupTools.Drills
{
    /// <summary>
    /// The steps of a GaussDB(for MySQL) restore drill: find the instance's newest COMPLETED backup (manual or
    /// automated), restore it to a new scratch instance with the source's specification and a random root password
    /// nobody sees, wait until it is ACTIVE, and delete the scratch instance whatever happened. A stop that comes
    /// before the create's answer is covered too: the scratch instance is then found by its name.
    /// </summary>
    public sealed class GaussRestoreDrill : IRestoreDrill
    {
        /// <summary>How often, and how far apart, the cleanup reads back before it says the scratch instance is still there.</summary>
        private const int ConfirmAttempts = 30;
        private static readonly TimeSpan ConfirmInterval = TimeSpan.FromSeconds(2);

        /// <summary>How long the cleanup waits out a scratch instance too busy to delete (the runner's budget for the whole cleanup is 5 minutes).</summary>
        private static readonly TimeSpan BusyWait = TimeSpan.FromMinutes(3);

        private readonly GaussClient _gauss;
        private readonly GaussInstanceClient _instances;
        private readonly GaussNewInstanceRequest _template;
        private GaussInstance? _scratch;
        private bool _createSent;

        /// <param name="template">The scratch instance's specification, where it should differ from the source's (name, source and restore point are set here).</param>
        public GaussRestoreDrill(GaussClient gauss, string instanceId, GaussNewInstanceRequest template, DateTimeOffset now)
        {
            _gauss = gauss;
            _instances = new GaussInstanceClient(gauss);
            Source = instanceId;
            _template = template;
            _template.Name = ScratchName(instanceId, now);
            _template.SourceInstanceId = instanceId;
            _template.Password ??= GaussInstanceRules.GeneratePassword();
        }

        public string Cloud => "GaussDB";

        public string Source { get; }

        /// <summary>The scratch instance's name, and its id once known.</summary>
        public string Scratch => _scratch == null ? _template.Name : _template.Name + " (" + _scratch.Id + ")";

        /// <summary>
        /// A scratch instance name: "drill-", the source id's first 8 characters (names are unique in a project, and drills
        /// of two instances may start in the same second) and the time to the second; valid by the instance name rule.
        /// </summary>
        public static string ScratchName(string instanceId, DateTimeOffset now) =>
            "drill-" + instanceId.Substring(0, Math.Min(8, instanceId.Length)) + "-" + now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);

        public async Task<DrillBackup?> FindNewestAsync(CancellationToken cancellationToken)
        {
            GaussBackup? newest = null;
            await _gauss.ListBackupsAsync(
                new GaussBackupQuery { InstanceId = Source },
                b =>
                {
                    if (b.InstanceId == Source && string.Equals(b.Status, "COMPLETED", StringComparison.OrdinalIgnoreCase) && b.BeginTime.HasValue
                        && (newest == null || b.BeginTime > newest.BeginTime))
                    {
                        newest = b;
                    }
                },
                cancellationToken).ConfigureAwait(false);
            return newest == null ? null : new DrillBackup(newest.Name + " (" + newest.Id + ")", newest.BeginTime, newest);
        }

        public async Task<object> RestoreAsync(DrillBackup backup, TimeSpan timeout, Action optimizing, CancellationToken cancellationToken)
        {
            _template.BackupId = ((GaussBackup)backup.Backup).Id;
            var plan = await new GaussRestoreClient(_gauss).PlanNewInstanceAsync(_template, cancellationToken).ConfigureAwait(false);
            _createSent = true;
            _scratch = await _instances.CreateAsync(plan, cancellationToken).ConfigureAwait(false);
            var last = await DrillWait.UntilDoneAsync(new GaussInstanceProbe(_gauss, _scratch), "The restore into scratch instance " + Scratch, timeout, _ => { }, cancellationToken).ConfigureAwait(false);
            return (GaussInstance)last.Result!;
        }

        public async Task<string> CleanUpAsync(CancellationToken cancellationToken)
        {
            if (!_createSent)
            {
                return "nothing to clean up: no restore was started";
            }

            // A stop may have come before the create's answer: then the instance is known only by its name.
            var scratch = _scratch != null ? await _instances.TryGetInstanceAsync(_scratch.Id, cancellationToken).ConfigureAwait(false)
                : await _instances.FindByNameAsync(_template.Name, cancellationToken).ConfigureAwait(false);
            if (scratch == null)
            {
                return "nothing to clean up: scratch instance " + Scratch + " does not exist";
            }

            // Busy (a backup someone started on it, say): it is tried again while the cleanup's budget lasts.
            await _instances.DeleteAsync(scratch, BusyWait, cancellationToken).ConfigureAwait(false);
            var done = "deleted scratch instance " + scratch.Name + " (" + scratch.Id + ")";
            if (!await _instances.ConfirmGoneAsync(scratch.Id, ConfirmAttempts, ConfirmInterval, cancellationToken).ConfigureAwait(false))
            {
                throw new BackupToolsException(ErrorIds.RestoreDrillCleanupFailed, ErrorKind.Internal, "The scratch instance " + scratch.Name + " (" + scratch.Id + ") still exists after it was deleted. Delete it by hand (Remove-GaussInstance).", scratch.Id);
            }

            return done;
        }
    }
}
