namespace BackupTools.Waiting
{
    /// <summary>
    /// An operation that runs in phases the user should see (a Spanner restore, then the optimize step
    /// Spanner starts after it): the wait shows the phase beside the progress, which is the phase's own.
    /// </summary>
    public interface IPhasedOperation : IBackupOperation
    {
        /// <summary>The phase the operation is in now ("Restore", "Optimize").</summary>
        string Phase { get; }
    }
}
