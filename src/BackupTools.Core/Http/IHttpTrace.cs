namespace BackupTools.Http
{
    /// <summary>
    /// Where the core reports what it does. The cmdlet layer queues these to the pipeline thread as
    /// -Verbose and -Debug messages; background work never writes to PowerShell streams itself.
    /// Implementations must be thread-safe. Callers pass text already redacted.
    /// </summary>
    public interface IHttpTrace
    {
        void Verbose(string message);

        void Debug(string message);

        /// <summary>Whether debug text is wanted at all (so bodies are not formatted for nothing).</summary>
        bool DebugEnabled { get; }
    }

    public sealed class NullTrace : IHttpTrace
    {
        public static readonly NullTrace Instance = new NullTrace();

        public bool DebugEnabled => false;

        public void Verbose(string message)
        {
        }

        public void Debug(string message)
        {
        }
    }
}
