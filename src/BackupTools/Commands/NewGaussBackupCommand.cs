using System;
using System.Management.Automation;
using BackupTools.Gauss;
using BackupTools.Infrastructure;
using BackupTools.Validation;
using BackupTools.Waiting;

namespace BackupTools.Commands
{
    /// <summary>
    /// Starts a manual GaussDB(for MySQL) backup of an instance and emits the BUILDING backup at once
    /// (or, with -Wait, the COMPLETED one). Parameters bind by property name, so a list of instances
    /// creates many.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "GaussBackup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(GaussBackup))]
    public sealed class NewGaussBackupCommand : GaussCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateGaussInstanceId]
        [ArgumentCompleter(typeof(GaussInstanceCompleter))]
        public string InstanceId { get; set; } = string.Empty;

        /// <summary>The backup name; generated from the instance id and the UTC time when omitted.</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [EmptyMeansNotGiven]
        [ValidateGaussName]
        public string? Name { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateGaussDescription]
        public string? Description { get; set; }

        /// <summary>The language of the service's messages.</summary>
        [Parameter]
        [ValidateSet("en-us", "zh-cn")]
        public string Language { get; set; } = "en-us";

        /// <summary>Wait for the backup to be COMPLETED and emit it.</summary>
        [Parameter]
        public SwitchParameter Wait { get; set; }

        /// <summary>
        /// When the instance is busy (409: a backup or another operation is running), try again every
        /// few seconds until it is free or -Timeout (default 30 minutes) has passed, instead of failing.
        /// </summary>
        [Parameter]
        public SwitchParameter WaitForInstance { get; set; }

        /// <summary>With -Wait or -WaitForInstance: the longest to wait.</summary>
        [Parameter]
        [DurationTransformation]
        public Duration? Timeout { get; set; }

        /// <summary>Creates in flight at once when many instances are piped in.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 8;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            if (Wait.IsPresent)
            {
                OpenWait(new WaiterOptions { Timeout = Timeout?.TimeSpan }, passThru: false);
            }
        }

        protected override void ProcessRecord()
        {
            var request = new GaussCreateBackupRequest
            {
                InstanceId = InstanceId,
                Name = Name ?? GaussRules.GenerateName(InstanceId, DateTimeOffset.UtcNow),
                Description = string.IsNullOrEmpty(Description) ? null : Description,
                Language = Language,
            };

            // Attributes already checked what was typed; this also covers a generated name.
            var problem = GaussRules.Name.Check(request.Name) ?? GaussRules.CheckDescription(request.Description);
            if (problem != null)
            {
                RefuseInput(ValidationError.Create(problem), request.Name);
                return;
            }

            var target = request.InstanceId + "/" + request.Name;
            if (!ShouldProcess(target, "Create GaussDB backup " + request.Name + " of instance " + request.InstanceId))
            {
                return;
            }

            var client = Client;
            var waitForInstance = InstanceWait(WaitForInstance, Timeout);
            StartWork(
                target,
                async ct =>
                {
                    GaussBackup backup;
                    try
                    {
                        backup = await client.CreateBackupAsync(request, waitForInstance, ct).ConfigureAwait(false);
                    }
                    catch (Exception) when (ct.IsCancellationRequested)
                    {
                        WarnCreateInterrupted(
                            "Stopped while creating GaussDB backup " + request.Name + " of instance " + request.InstanceId + ": the request may have reached the service and the backup may exist. Check with: Get-GaussBackup -InstanceId "
                            + request.InstanceId + " and look for the name " + request.Name);
                        throw;
                    }

                    var waiting = Waiting;
                    if (waiting != null)
                    {
                        waiting.Add(new GaussBackupProbe(client, backup));
                    }
                    else
                    {
                        PostObject(backup);
                    }
                },
                ThrottleLimit,
                oneAtATimeKey: request.InstanceId);
            WriteQueued();
        }

        protected override void EndProcessing()
        {
            base.EndProcessing();
            CompleteWait();
        }
    }
}
