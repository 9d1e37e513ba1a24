using System;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using BackupTools.Emulator;
using BackupTools.Tests.Infrastructure;
using Xunit;

namespace BackupTools.Tests.Reliability
{
    /// <summary>Ctrl+C (PowerShell.Stop) in the middle of a create: prompt return, and the user learns the backup may exist.</summary>
    public sealed class CancellationTests
    {
        [Fact]
        public async Task Stop_MidCreate_ReturnsPromptly_AndWarnsTheBackupMayExist()
        {
            await using var s = await EmulatorSession.StartAsync();
            var host = new RecordingHost();
            using var shell = new PsSession(host: host);
            shell.Run("$PSDefaultParameterValues['*-Spanner*:Endpoint'] = $args[0]", s.Endpoint);
            s.Emulator.Faults.Configure(new FaultProfile { SlowDelay = TimeSpan.FromSeconds(8) });
            s.Emulator.Faults.Enqueue(FaultKind.Slow, 1, "POST", "/backups");

            var (ps, handle) = shell.Start("New-SpannerBackup -Project $args[0] -Instance $args[1] -Database orders -BackupId stop-mid-create", EmulatorSession.Project, EmulatorSession.Instance);
            using (ps)
            {
                // Give the create time to reach the emulator, where the Slow fault holds it (the emulator
                // logs a request only once it has answered, so the log cannot show it yet).
                await Task.Delay(TimeSpan.FromSeconds(2));
                Assert.False(handle.IsCompleted);
                var clock = Stopwatch.StartNew();
                ps.Stop();
                try
                {
                    ps.EndInvoke(handle);
                }
                catch (PipelineStoppedException)
                {
                }

                clock.Stop();
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), "Stop took " + clock.Elapsed);
                // Once stopping, PowerShell takes no more writes into the pipeline's streams: the warning goes to
                // the host, which is where a console user sees it after Ctrl+C.
                for (var i = 0; i < 40 && ps.Streams.Warning.Count == 0 && host.Warnings.IsEmpty; i++)
                {
                    await Task.Delay(50);
                }

                // (The engine's host wrapper also copies a host warning line into the Warning stream.)
                Assert.Single(host.Warnings);
                var warning = Assert.Single(ps.Streams.Warning.Select(w => w.Message).Concat(host.Warnings).Distinct());
                Assert.Contains("projects/demo-project/instances/demo-instance/backups/stop-mid-create", warning);
                Assert.Contains("may exist", warning);
                Assert.Contains("Get-SpannerBackup -Project demo-project -Instance demo-instance -BackupId stop-mid-create", warning);
            }
        }
    }
}
