using System;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using BackupTools.Http;
using BackupTools.Tests.Infrastructure;
using Xunit;

namespace BackupTools.Tests.Hostile
{
    /// <summary>Runs a command against a hostile server in the real engine and checks what the user got.</summary>
    internal static class HostileRun
    {
        /// <summary>A project, instance and ids that pass every rule, for commands pointed at a hostile server.</summary>
        public const string Project = "demo-project";
        public const string Instance = "demo-instance";
        public const string GaussProject = "0b5c7f3a9d2e4f6a8b1c3d5e7f9a0b2c";
        public const string GaussInstance = "07033b125fd94a8a96896f8bcfee6ddain07";
        public const string GaussBackupId = "2f4c6e8a0b1d4f3e5a7c9e1b3d5f7a9bbr01";
        public const string GaussJobId = "a3b5c7d9-1e2f-4a6b-8c0d-e1f2a3b4c5d6";

        /// <summary>
        /// Runs <paramref name="script"/> ($args[0] is the endpoint) in <paramref name="shell"/>, failing the
        /// test if it has not ended within <paramref name="bound"/> (a hang is what these tests exist to catch).
        /// </summary>
        public static (PsResult Result, TimeSpan Elapsed) Run(PsSession shell, string script, Uri endpoint, TimeSpan? bound = null, params object?[] more)
        {
            var clock = Stopwatch.StartNew();
            var run = Task.Run(() => shell.Run(script, new object?[] { endpoint.AbsoluteUri }.Concat(more).ToArray()));
            Assert.True(run.Wait(bound ?? TimeSpan.FromSeconds(60)), "The command did not end within " + (bound ?? TimeSpan.FromSeconds(60)) + ": " + script);
            return (run.Result, clock.Elapsed);
        }

        /// <summary>Exactly one error, with this id (before PowerShell's ",Command" suffix) and category, and nothing unsafe anywhere.</summary>
        public static ErrorRecord AssertOneError(PsResult r, string errorId, ErrorCategory category)
        {
            var error = Assert.Single(r.AllErrors);
            Assert.Equal(errorId, error.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Equal(category, error.CategoryInfo.Category);
            AssertNoControlCharacters(r);
            return error;
        }

        /// <summary>
        /// No control character a terminal could act on in anything the user sees: error messages (of the
        /// whole exception chain), details, targets, output objects' properties, verbose, warning and debug
        /// text. Line breaks are allowed only in the engine's own multi-line renderings, so messages are
        /// checked strictly and the rest without \n, \r, \t.
        /// </summary>
        public static void AssertNoControlCharacters(PsResult r)
        {
            foreach (var e in r.AllErrors)
            {
                for (var ex = e.Exception; ex != null; ex = ex.InnerException)
                {
                    AssertClean(ex.Message, strict: true);
                }

                AssertClean(e.ErrorDetails?.Message, strict: true);
                AssertClean(e.ErrorDetails?.RecommendedAction, strict: true);
                AssertClean(e.TargetObject?.ToString(), strict: true);
            }

            foreach (var text in r.Verbose.Concat(r.Warnings).Concat(r.Debug))
            {
                AssertClean(text, strict: false);
            }

            foreach (var o in r.Output)
            {
                foreach (var p in o.Properties)
                {
                    object? value;
                    try
                    {
                        value = p.Value;
                    }
                    catch (Exception)
                    {
                        continue;
                    }

                    AssertClean(value?.ToString(), strict: true);
                }
            }
        }

        private static void AssertClean(string? text, bool strict)
        {
            if (text == null)
            {
                return;
            }

            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (!strict && (c == '\n' || c == '\r' || c == '\t'))
                {
                    continue;
                }

                Assert.False(ServerText.IsUnsafe(c), string.Format("Control character U+{0:X4} at {1} in: {2}", (int)c, i, text.Length > 300 ? text.Substring(0, 300) : text));
            }
        }
    }
}
