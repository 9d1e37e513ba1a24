using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;

namespace BackupTools.Emulator;

/// <summary>
/// The emulator often runs inside someone else's process (a test runner, a PowerShell session): it must not take over
/// Ctrl+C / SIGTERM as the default console lifetime does. Program.cs handles signals itself.
/// </summary>
internal sealed class NoConsoleLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
