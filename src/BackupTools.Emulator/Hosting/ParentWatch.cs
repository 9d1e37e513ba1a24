using System;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace BackupTools.Emulator;

/// <summary>
/// Ends the emulator when the process that started it ends, so nothing is left running after a test
/// suite, a `dotnet run` that was killed, or a PowerShell session that closed without stopping it.
/// The watched process is --parent-pid when given (Start-BackupEmulator passes its own), else the
/// emulator's actual parent.
/// </summary>
internal static class ParentWatch
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The parent at the very start of Main: read before the server starts, so a parent that dies
    /// while the emulator is still starting is not missed (by then the orphan has a new parent).
    /// </summary>
    public static readonly int? OriginalParent = ParentProcessId();

    /// <summary>Completes when the watched process has gone; never when there is nothing to watch.</summary>
    public static async Task WaitForExitAsync(int? parentPid, CancellationToken cancel)
    {
        var watched = parentPid ?? OriginalParent;
        if (watched is not int pid || pid <= 1)
        {
            await Task.Delay(Timeout.Infinite, cancel).ConfigureAwait(false);
            return;
        }

        using var parent = TryOpen(pid);
        if (parent is null)
        {
            return; // already gone
        }

        while (!cancel.IsCancellationRequested)
        {
            // On Unix an orphan is re-parented at once, which also catches a reused pid.
            if (parentPid is null && !OperatingSystem.IsWindows() && getppid() != OriginalParent)
            {
                return;
            }

            if (HasExited(parent))
            {
                return;
            }

            await Task.Delay(Interval, cancel).ConfigureAwait(false);
        }
    }

    private static Process? TryOpen(int pid)
    {
        try
        {
            var p = Process.GetProcessById(pid);
            return p.HasExited ? null : p;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static bool HasExited(Process p)
    {
        try
        {
            return p.HasExited;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return true;
        }
    }

    private static int? ParentProcessId()
    {
        if (!OperatingSystem.IsWindows())
        {
            return getppid();
        }

        var info = new ProcessBasicInformation();
        using var self = Process.GetCurrentProcess();
        return NtQueryInformationProcess(self.Handle, 0, ref info, Marshal.SizeOf<ProcessBasicInformation>(), out _) == 0
            ? (int)info.InheritedFromUniqueProcessId
            : null;
    }

    [DllImport("libc", SetLastError = false)]
    private static extern int getppid();

    [DllImport("ntdll.dll")]
    private static extern int NtQueryInformationProcess(IntPtr process, int informationClass, ref ProcessBasicInformation information, int length, out int returnLength);

    [StructLayout(LayoutKind.Sequential)]
    private struct ProcessBasicInformation
    {
        public IntPtr Reserved1;
        public IntPtr PebBaseAddress;
        public IntPtr Reserved2a;
        public IntPtr Reserved2b;
        public IntPtr UniqueProcessId;
        public IntPtr InheritedFromUniqueProcessId;
    }
}
