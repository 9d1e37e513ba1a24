using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using Xunit;

namespace BackupTools.Emulator.Tests;

/// <summary>
/// The emulator ends with the process that started it: what is left when a `dotnet run` (a parent
/// between the shell and the emulator) is killed, here with sh as that parent.
/// </summary>
public sealed class ParentWatchTests
{
    [Fact]
    public void KillingTheParent_EndsTheEmulator()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // sh is the stand-in parent; Windows takes the same path through NtQueryInformationProcess.
        }

        var dll = typeof(BackupEmulator).Assembly.Location;
        var pidFile = Path.Combine(Path.GetTempPath(), "bt-parent-" + Guid.NewGuid().ToString("N"));
        // sh stays the emulator's parent (no exec); the emulator writes its pid for the test to watch.
        var start = new ProcessStartInfo("sh") { UseShellExecute = false, RedirectStandardOutput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("dotnet \"" + dll + "\" --port 0 & echo $! > \"" + pidFile + "\"; wait");
        using var parent = Process.Start(start)!;
        try
        {
            var emulatorPid = WaitForPid(pidFile);
            using var emulator = Process.GetProcessById(emulatorPid);
            Assert.StartsWith("http://127.0.0.1:", parent.StandardOutput.ReadLine()); // serving: it printed its address
            Assert.False(emulator.HasExited);

            parent.Kill(); // SIGKILL: the parent cannot pass anything on
            Assert.True(emulator.WaitForExit(20_000), "the emulator outlived its parent");
        }
        finally
        {
            File.Delete(pidFile);
        }
    }

    private static int WaitForPid(string file)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(file) && int.TryParse(File.ReadAllText(file).Trim(), out var pid))
            {
                return pid;
            }

            Thread.Sleep(100);
        }

        throw new TimeoutException("the emulator's pid never appeared");
    }
}
