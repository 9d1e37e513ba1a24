using System.Management.Automation;
using BackupTools.Gauss;
using BackupTools.Infrastructure;

namespace BackupTools.Commands
{
    /// <summary>Gets a GaussDB job (a backup being built): status, progress, failure reason.</summary>
    [Cmdlet(VerbsCommon.Get, "GaussBackupJob")]
    [OutputType(typeof(GaussJob))]
    public sealed class GetGaussBackupJobCommand : GaussCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateGaussJobId]
        public string JobId { get; set; } = string.Empty;

        protected override void ProcessRecord()
        {
            var client = Client;
            RunWork(JobId, async ct => PostObject(await client.GetJobAsync(JobId, ct).ConfigureAwait(false)));
        }
    }
}
