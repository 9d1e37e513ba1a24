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

namespace BackupTools.Http
{
    using System;

    /// <summary>
    /// A trace made of delegates. The cmdlet assembly uses this rather than implementing
    /// <see cref="IHttpTrace"/> itself: a type there that implements a core interface would make
    /// PowerShell load the core while it scans the module at import, before the module's load context
    /// is in place.
    /// </summary>
    public sealed class DelegateTrace : IHttpTrace
    {
        private readonly Action<string> _verbose;
        private readonly Action<string> _debug;
        private readonly Func<bool> _debugEnabled;

        public DelegateTrace(Action<string> verbose, Action<string> debug, Func<bool> debugEnabled)
        {
            _verbose = verbose;
            _debug = debug;
            _debugEnabled = debugEnabled;
        }

        public bool DebugEnabled => _debugEnabled();

        public void Verbose(string message) => _verbose(message);

        public void Debug(string message) => _debug(message);
    }
}
