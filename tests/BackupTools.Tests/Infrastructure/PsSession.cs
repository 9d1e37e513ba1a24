using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading.Tasks;

namespace BackupTools.Tests.Infrastructure
{
    /// <summary>Everything one invocation wrote, stream by stream.</summary>
    public sealed class PsResult
    {
        public List<PSObject> Output { get; } = new List<PSObject>();

        public List<ErrorRecord> Errors { get; } = new List<ErrorRecord>();

        public List<string> Verbose { get; } = new List<string>();

        public List<string> Debug { get; } = new List<string>();

        public List<string> Warnings { get; } = new List<string>();

        public List<ProgressRecord> Progress { get; } = new List<ProgressRecord>();

        /// <summary>
        /// The terminating error the script ended with, if any: what a script's try/catch would catch
        /// (statement-terminating errors such as ThrowTerminatingError and parameter binding failures included).
        /// </summary>
        public ErrorRecord? Terminating { get; set; }

        public IEnumerable<T> Objects<T>() => Output.Select(o => o.BaseObject).OfType<T>();

        /// <summary>All error records, the terminating one included.</summary>
        public IEnumerable<ErrorRecord> AllErrors => Terminating != null ? Errors.Append(Terminating) : Errors;

        /// <summary>Every text the invocation produced, for secret audits.</summary>
        public string AllText()
        {
            var parts = new List<string>();
            foreach (var o in Output)
            {
                parts.Add(o.ToString());
                parts.AddRange(PropertyTexts(o));
            }

            parts.AddRange(Verbose);
            parts.AddRange(Debug);
            parts.AddRange(Warnings);
            parts.AddRange(Progress.Select(p => p.Activity + " " + p.StatusDescription + " " + p.CurrentOperation));
            foreach (var e in AllErrors)
            {
                parts.Add(e.ToString());
                parts.Add(e.FullyQualifiedErrorId);
                parts.Add(e.ErrorDetails?.Message ?? string.Empty);
                parts.Add(e.TargetObject?.ToString() ?? string.Empty);
                parts.Add(e.CategoryInfo.ToString());
                parts.Add(e.ErrorDetails?.RecommendedAction ?? string.Empty);
                parts.Add(e.InvocationInfo?.Line ?? string.Empty);
                parts.AddRange(PropertyTexts(PSObject.AsPSObject(e.TargetObject ?? string.Empty)));
                for (var ex = e.Exception; ex != null; ex = ex.InnerException)
                {
                    parts.Add(ex.ToString());
                    parts.AddRange(PropertyTexts(PSObject.AsPSObject(ex)));
                    foreach (System.Collections.DictionaryEntry d in ex.Data)
                    {
                        parts.Add(d.Key + "=" + d.Value);
                    }
                }
            }

            return string.Join("\n", parts);
        }

        /// <summary>Every property value of an object (one level, collections expanded), as text.</summary>
        private static IEnumerable<string> PropertyTexts(PSObject o)
        {
            foreach (var p in o.Properties)
            {
                object? value;
                try
                {
                    value = p.Value;
                }
                catch (Exception ex)
                {
                    value = ex.Message;
                }

                yield return p.Name + "=" + value;
                if (value is System.Collections.IEnumerable many && value is not string)
                {
                    foreach (var item in many)
                    {
                        yield return p.Name + "[]=" + item;
                    }
                }
            }
        }
    }

    /// <summary>
    /// A real PowerShell runspace in this process (Microsoft.PowerShell.SDK 7.6.10, the engine pwsh ships) with the built
    /// module imported from artifacts/module, as a user would import it.
    /// </summary>
    public sealed class PsSession : IDisposable
    {
        private readonly Runspace _runspace;

        public PsSession(bool importModule = true, System.Management.Automation.Host.PSHost? host = null)
        {
            // The engine pwsh ships (Microsoft.PowerShell.SDK): Utility and Management load on first use, as in pwsh.
            _runspace = host == null
                ? RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault())
                : RunspaceFactory.CreateRunspace(host, InitialSessionState.CreateDefault());
            _runspace.Open();
            if (importModule)
            {
                var import = Run("Import-Module -Name $args[0] -ErrorAction Stop", Repo.ModuleFolder);
                if (import.Terminating != null || import.Errors.Count > 0)
                {
                    throw new InvalidOperationException("Import-Module failed: " + (import.Terminating ?? import.Errors[0]));
                }
            }
        }

        public Runspace Runspace => _runspace;

        /// <summary>
        /// Runs a script; positional arguments are $args[0], $args[1], ... The script runs inside a
        /// try/catch, as a careful user's would, so a terminating error ends it and is reported as
        /// <see cref="PsResult.Terminating"/>.
        /// </summary>
        public PsResult Run(string script, params object?[] args)
        {
            using var ps = PowerShell.Create();
            ps.Runspace = _runspace;
            ps.AddScript("$__caught = $null; try {\n" + script + "\n} catch { $__caught = $_ }");
            foreach (var a in args)
            {
                ps.AddArgument(a);
            }

            return Invoke(ps);
        }

        /// <summary>Starts a script without waiting; for Ctrl+C tests (PowerShell.Stop is what Ctrl+C does).</summary>
        public (PowerShell Shell, IAsyncResult Handle) Start(string script, params object?[] args)
        {
            var ps = PowerShell.Create();
            ps.Runspace = _runspace;
            ps.AddScript(script);
            foreach (var a in args)
            {
                ps.AddArgument(a);
            }

            return (ps, ps.BeginInvoke());
        }

        public void SetVariable(string name, object? value) => _runspace.SessionStateProxy.SetVariable(name, value);

        public void Dispose() => _runspace.Dispose();

        public static PsResult Invoke(PowerShell ps)
        {
            var result = new PsResult();
            ps.Streams.Verbose.DataAdded += (s, e) => result.Verbose.Add(ps.Streams.Verbose[e.Index].Message);
            ps.Streams.Debug.DataAdded += (s, e) => result.Debug.Add(ps.Streams.Debug[e.Index].Message);
            ps.Streams.Warning.DataAdded += (s, e) => result.Warnings.Add(ps.Streams.Warning[e.Index].Message);
            ps.Streams.Progress.DataAdded += (s, e) => result.Progress.Add(ps.Streams.Progress[e.Index]);
            try
            {
                result.Output.AddRange(ps.Invoke());
            }
            catch (RuntimeException ex)
            {
                result.Terminating = ex.ErrorRecord;
            }

            result.Errors.AddRange(ps.Streams.Error);
            if (ps.Runspace?.SessionStateProxy.GetVariable("__caught") is ErrorRecord caught)
            {
                result.Terminating ??= caught;
            }

            return result;
        }
    }
}
