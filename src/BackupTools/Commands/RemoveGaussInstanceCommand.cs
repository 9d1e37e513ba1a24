using System;
using System.Management.Automation;
using BackupTools.Errors;
using BackupTools.Gauss;
using BackupTools.Infrastructure;
using BackupTools.Validation;

namespace BackupTools.Commands
{
    /// <summary>
    /// Deletes a GaussDB(for MySQL) instance, such as one a restore to a new instance made. The instance is read
    /// first so the confirmation names exactly what goes; ConfirmImpact High. Only instances typed by id or piped
    /// as instances (New-GaussInstance's output) are taken: a piped backup names its instance too, and deleting
    /// that by accident must not be one pipe away.
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "GaussInstance", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = IdSet)]
    [OutputType(typeof(void), typeof(GaussJob))]
    public sealed class RemoveGaussInstanceCommand : GaussCmdlet
    {
        private const string IdSet = "Id";
        private const string ObjectSet = "InputObject";

        /// <summary>How often, and how far apart, -Wait reads back before it says the instance is still there.</summary>
        private static readonly TimeSpan ConfirmInterval = TimeSpan.FromSeconds(2);

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet)]
        [ValidateGaussInstanceId]
        [ArgumentCompleter(typeof(GaussInstanceCompleter))]
        public string InstanceId { get; set; } = string.Empty;

        /// <summary>An instance from New-GaussInstance (anything else piped is refused).</summary>
        [Parameter(Mandatory = true, ParameterSetName = ObjectSet, ValueFromPipeline = true)]
        [ValidateNotNull]
        public PSObject? InputObject { get; set; }

        /// <summary>Delete without asking for confirmation.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Wait until the service no longer knows the instance.</summary>
        [Parameter]
        public SwitchParameter Wait { get; set; }

        /// <summary>When the instance is busy (a backup, a restore), try the delete again every 10 s until -Timeout (default 30 minutes).</summary>
        [Parameter]
        public SwitchParameter WaitForInstance { get; set; }

        /// <summary>With -Wait: the longest to wait for the instance to go (default 10 minutes); with -WaitForInstance: for it to be free.</summary>
        [Parameter]
        [DurationTransformation]
        public Duration? Timeout { get; set; }

        /// <summary>Emit the delete job (Wait-BackupOperation follows it).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            var id = InstanceId;
            if (ParameterSetName == ObjectSet)
            {
                if (!(InputObject!.BaseObject is GaussInstance piped))
                {
                    WriteError(ErrorRecords.From(ValidationError.Create("Remove-GaussInstance takes instances (New-GaussInstance's output), not a " + InputObject.BaseObject.GetType().Name + ": to delete an instance by id, type -InstanceId."), InputObject));
                    return;
                }

                id = piped.Id;
            }

            var instances = new GaussInstanceClient(Client);
            GaussInstance? instance = null;
            RunWork(id, async ct => instance = await instances.GetInstanceAsync(id, ct).ConfigureAwait(false));
            if (instance == null
                || !ShouldChange(id, "Delete GaussDB instance " + instance.Id + " (" + instance.Name + ", " + instance.Status + "): all its data and its automated backups are deleted; its manual backups are kept.", Force.IsPresent))
            {
                return;
            }

            var target = instance;
            var wait = Timeout?.TimeSpan ?? TimeSpan.FromMinutes(10);
            var waitForInstance = InstanceWait(WaitForInstance, Timeout);
            StartWork(
                id,
                async ct =>
                {
                    var deletion = await instances.DeleteAsync(target, waitForInstance, ct).ConfigureAwait(false);
                    if (Wait.IsPresent && !await instances.ConfirmGoneAsync(target.Id, Math.Max(1, (int)(wait.Ticks / ConfirmInterval.Ticks)), ConfirmInterval, ct).ConfigureAwait(false))
                    {
                        throw new BackupToolsException(ErrorIds.WaitTimedOut, ErrorKind.Timeout, "Instance " + target.Id + " (" + target.Name + ") still exists " + wait + " after it was deleted.", target.Id);
                    }

                    if (deletion.AlreadyGone)
                    {
                        Post(() => WriteWarning("Instance " + target.Id + " (" + target.Name + ") was already gone when the delete arrived: there is no delete job."));
                    }
                    else if (deletion.Job == null)
                    {
                        Post(() => WriteWarning("Instance " + target.Id + " (" + target.Name + ") is billed yearly or monthly: it is deleted through order " + deletion.OrderId + ", which has no job to follow."));
                    }
                    else if (PassThru.IsPresent)
                    {
                        PostObject(deletion.Job);
                    }
                },
                int.MaxValue);
            WriteQueued();
        }
    }
}
