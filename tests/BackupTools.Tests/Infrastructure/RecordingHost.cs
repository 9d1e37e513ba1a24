using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace BackupTools.Tests.Infrastructure
{
    /// <summary>A host whose UI records what is written to it, as a console would show it (e.g. after Ctrl+C, when the pipeline takes no more writes).</summary>
    public sealed class RecordingHost : PSHost
    {
        private readonly RecordingUI _ui = new RecordingUI();

        public ConcurrentQueue<string> Warnings => _ui.Warnings;

        public ConcurrentQueue<string> Lines => _ui.Lines;

        public override string Name => "RecordingHost";

        public override Version Version => new Version(1, 0);

        public override Guid InstanceId { get; } = Guid.NewGuid();

        public override PSHostUserInterface UI => _ui;

        public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;

        public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;

        public override void EnterNestedPrompt() => throw new NotSupportedException();

        public override void ExitNestedPrompt() => throw new NotSupportedException();

        public override void NotifyBeginApplication()
        {
        }

        public override void NotifyEndApplication()
        {
        }

        public override void SetShouldExit(int exitCode)
        {
        }

        private sealed class RecordingUI : PSHostUserInterface
        {
            public ConcurrentQueue<string> Warnings { get; } = new ConcurrentQueue<string>();

            public ConcurrentQueue<string> Lines { get; } = new ConcurrentQueue<string>();

            public override PSHostRawUserInterface RawUI => null!;

            public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) => throw new NotSupportedException();

            public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) => defaultChoice;

            public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw new NotSupportedException();

            public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw new NotSupportedException();

            public override string ReadLine() => string.Empty;

            public override SecureString ReadLineAsSecureString() => new SecureString();

            public override void Write(string value) => Lines.Enqueue(value);

            public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Lines.Enqueue(value);

            public override void WriteDebugLine(string message) => Lines.Enqueue("DEBUG: " + message);

            public override void WriteErrorLine(string value) => Lines.Enqueue("ERROR: " + value);

            public override void WriteLine(string value) => Lines.Enqueue(value);

            public override void WriteProgress(long sourceId, ProgressRecord record)
            {
            }

            public override void WriteVerboseLine(string message) => Lines.Enqueue("VERBOSE: " + message);

            public override void WriteWarningLine(string message) => Warnings.Enqueue(message);
        }
    }
}
