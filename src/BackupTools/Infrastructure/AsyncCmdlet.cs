using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using BackupTools.Errors;
using BackupTools.Http;
using BackupTools.Waiting;

namespace BackupTools.Infrastructure
{
    /// <summary>
    /// The base of every cmdlet. Work runs as tasks with a CancellationToken that Ctrl+C
    /// (<see cref="StopProcessing"/>) cancels; anything the work wants written (objects, errors,
    /// progress, verbose, debug) is queued and written here, on the pipeline thread, which is the only
    /// thread PowerShell allows to write. Pipeline items may run concurrently up to a throttle limit;
    /// a failure of one item is a non-terminating error and the others go on.
    /// </summary>
    public abstract class AsyncCmdlet : PSCmdlet, IDisposable
    {
        private static readonly TimeSpan PumpInterval = TimeSpan.FromMilliseconds(100);

        private readonly BlockingCollection<Action> _writes = new BlockingCollection<Action>();
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private readonly List<Running> _running = new List<Running>();
        private readonly Dictionary<string, Task> _lastByKey = new Dictionary<string, Task>(StringComparer.Ordinal);
        private System.Management.Automation.Host.PSHost? _host;
        private bool _debugEnabled;
        private WaitSession? _wait;
        private bool _disposed;

        /// <summary>Cancelled when the user presses Ctrl+C or the pipeline is stopped.</summary>
        protected internal CancellationToken StopToken => _stopping.Token;

        /// <summary>A thread-safe trace sink for the core: it queues -Verbose and -Debug text to the pipeline thread.</summary>
        internal IHttpTrace Trace { get; private set; } = NullTrace.Instance;

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;

                // Whatever still runs (after a terminating error or a stop) must not outlive the command.
                _stopping.Cancel();
                _stopping.Dispose();
                _writes.Dispose();
            }
        }

        protected override void BeginProcessing()
        {
            _debugEnabled = IsDebugWanted();
            _host = Host;
            // Core trace messages, queued to the pipeline thread as verbose and debug records.
            Trace = new DelegateTrace(
                message => Post(() => WriteVerbose(message)),
                message =>
                {
                    if (_debugEnabled)
                    {
                        Post(() => WriteDebug(message));
                    }
                },
                () => _debugEnabled);
        }

        protected override void EndProcessing() => CompleteAll();

        protected override void StopProcessing()
        {
            _stopping.Cancel();
            Post(() => { });
        }

        /// <summary>Queues a write for the pipeline thread. Safe to call from any thread.</summary>
        internal void Post(Action write)
        {
            try
            {
                _writes.Add(write);
            }
            catch (InvalidOperationException)
            {
                // Completed or disposed (ObjectDisposedException derives from it): the cmdlet has finished, nothing more can be written.
            }
        }

        /// <summary>
        /// Tells the user a create was interrupted by Ctrl+C after it may have been sent. Written as a
        /// warning when the pipeline still accepts writes; once it is stopping (PowerShell refuses every
        /// write then) it goes to the host's warning line directly.
        /// </summary>
        internal void WarnCreateInterrupted(string message)
        {
            if (!StopToken.IsCancellationRequested)
            {
                Post(() => WriteWarning(message));
                return;
            }

            // Stopping: PowerShell refuses every write into the pipeline now, so tell the host directly
            // (a console shows it under the ^C), from this thread, before the command is torn down.
            try
            {
                _host?.UI?.WriteWarningLine(message);
            }
            catch (Exception)
            {
                // No host to tell: nothing else can be done.
            }
        }

        internal void PostObject(object value) => Post(() => WriteObject(value));

        internal void PostError(ErrorRecord record) => Post(() => WriteError(record));

        internal void PostProgress(ProgressRecord record) => Post(() => WriteProgress(record));

        /// <summary>
        /// Starts one unit of work (usually one pipeline item). Blocks, writing queued output, while
        /// <paramref name="limit"/> units are already running. Units with the same
        /// <paramref name="oneAtATimeKey"/> (e.g. a database: one pending backup per database) run one
        /// after another. Failures of the unit are reported as non-terminating errors with
        /// <paramref name="target"/>, except preconditions (no credentials, an insecure endpoint), which
        /// stop the command.
        /// </summary>
        protected void StartWork(object? target, Func<CancellationToken, Task> work, int limit = 1, string? oneAtATimeKey = null)
        {
            while (_running.Count >= Math.Max(1, limit))
            {
                PumpOnce();
            }

            Task task;
            if (oneAtATimeKey != null && _lastByKey.TryGetValue(oneAtATimeKey, out var previous) && !previous.IsCompleted)
            {
                task = previous.ContinueWith(_ => work(StopToken), StopToken, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
            }
            else
            {
                task = Task.Run(() => work(StopToken), StopToken);
            }

            if (oneAtATimeKey != null)
            {
                _lastByKey[oneAtATimeKey] = task;
            }

            task.ContinueWith(_ => Post(() => { }), TaskScheduler.Default);
            _running.Add(new Running(task, target));
        }

        /// <summary>Runs one unit of work and waits for it, writing its output as it comes.</summary>
        protected internal void RunWork(object? target, Func<CancellationToken, Task> work)
        {
            StartWork(target, work, int.MaxValue);
            CompleteAll();
        }

        /// <summary>Waits for every started unit, writing output as it comes.</summary>
        protected void CompleteAll()
        {
            while (_running.Count > 0)
            {
                PumpOnce();
            }

            Drain();
        }

        /// <summary>Writes whatever background work has queued so far, without waiting (streaming output between pipeline items).</summary>
        protected void WriteQueued()
        {
            Drain();
            OnPump();
        }

        /// <summary>The fleet wait of this invocation, if it opened one (Wait-BackupOperation, New-* -Wait).</summary>
        internal WaitSession? Waiting => _wait;

        /// <summary>Opens this invocation's fleet wait: operations added to it stream out as they finish.</summary>
        internal void OpenWait(WaiterOptions options, bool passThru) => _wait = new WaitSession(this, options, passThru, StopToken);

        /// <summary>Waits for everything added to the fleet wait (if one is open), writing as it goes, then closes the progress bars.</summary>
        protected void CompleteWait()
        {
            if (_wait == null)
            {
                return;
            }

            try
            {
                RunWork(null, ct => _wait.CompleteAsync(ct));
            }
            finally
            {
                _wait.CompleteProgress();
                _wait.Dispose();
                _wait = null;
            }
        }

        /// <summary>Called on the pipeline thread between writes, at least every 100 ms while work runs.</summary>
        protected virtual void OnPump() => _wait?.FlushProgress();

        /// <summary>
        /// Whether to go ahead with a change: -WhatIf only describes it; -Force skips the confirmation
        /// prompt; otherwise ShouldProcess asks as ConfirmImpact and $ConfirmPreference say.
        /// </summary>
        protected bool ShouldChange(string target, string action, bool force)
        {
            var whatIf = MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w) && w is SwitchParameter s && s.IsPresent;
            return (force && !whatIf) || ShouldProcess(target, action);
        }

        /// <summary>Reports a refused value: terminating when typed on the command line, non-terminating for one pipeline item.</summary>
        protected void RefuseInput(BackupToolsException error, object? target)
        {
            var record = ErrorRecords.From(error, target);
            if (MyInvocation.ExpectingInput)
            {
                WriteError(record);
            }
            else
            {
                ThrowTerminatingError(record);
            }
        }

        private void PumpOnce()
        {
            if (_writes.TryTake(out var write, PumpInterval))
            {
                write();
                Drain();
            }

            OnPump();
            for (var i = _running.Count - 1; i >= 0; i--)
            {
                if (_running[i].Task.IsCompleted)
                {
                    var done = _running[i];
                    _running.RemoveAt(i);
                    Drain();
                    Report(done);
                }
            }
        }

        private void Drain()
        {
            while (_writes.TryTake(out var write))
            {
                write();
            }
        }

        private void Report(Running done)
        {
            if (!done.Task.IsFaulted)
            {
                return;
            }

            var ex = done.Task.Exception!.GetBaseException();
            if (ex is OperationCanceledException && StopToken.IsCancellationRequested)
            {
                return;
            }

            if (ex is BackupToolsException bte)
            {
                var record = ErrorRecords.From(bte, done.Target);
                if (ErrorRecords.IsTerminating(bte))
                {
                    _stopping.Cancel();
                    ThrowTerminatingError(record);
                }

                WriteError(record);
                return;
            }

            if (ex is PipelineStoppedException)
            {
                throw ex;
            }

            WriteError(new ErrorRecord(ex, "UnexpectedError", ErrorCategory.NotSpecified, done.Target));
        }

        private bool IsDebugWanted()
        {
            if (MyInvocation.BoundParameters.TryGetValue("Debug", out var debug) && debug is SwitchParameter s)
            {
                return s.IsPresent;
            }

            var preference = GetVariableValue("DebugPreference");
            if (preference is PSObject pso)
            {
                preference = pso.BaseObject;
            }

            return preference is ActionPreference p ? p != ActionPreference.SilentlyContinue && p != ActionPreference.Ignore
                : preference != null && !string.Equals(preference.ToString(), "SilentlyContinue", StringComparison.OrdinalIgnoreCase);
        }

        private readonly struct Running
        {
            public Running(Task task, object? target)
            {
                Task = task;
                Target = target;
            }

            public Task Task { get; }

            public object? Target { get; }
        }
    }
}
