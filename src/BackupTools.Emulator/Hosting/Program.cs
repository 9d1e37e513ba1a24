using System;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace BackupTools.Emulator;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        _ = ParentWatch.OriginalParent; // read the parent now, before anything can outlive it
        EmulatorOptions options;
        try
        {
            options = EmulatorOptions.FromArgs(args);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or System.IO.IOException or System.Text.Json.JsonException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync("error: " + e.Message).ConfigureAwait(false);
            return 2;
        }

        using var stop = new CancellationTokenSource();
        void OnSignal(PosixSignalContext signal)
        {
            signal.Cancel = true; // shut down cleanly below instead of being killed
            stop.Cancel();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

        BackupEmulator emulator;
        try
        {
            emulator = await BackupEmulator.StartAsync(options, stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ArgumentException or System.IO.IOException)
        {
            await Console.Error.WriteLineAsync("error: " + e.Message).ConfigureAwait(false);
            return 2;
        }

        await using (emulator.ConfigureAwait(false))
        {
            // The first line is the base address, so scripts can read it.
            Console.WriteLine(emulator.BaseAddress);
            Console.WriteLine($"BackupTools emulator: Spanner {emulator.BaseAddress}v1/  Gauss {emulator.BaseAddress}v3/  admin {emulator.BaseAddress}_emulator/state  (Ctrl+C to stop)");
            try
            {
                if (options.WatchParent)
                {
                    await ParentWatch.WaitForExitAsync(options.ParentProcessId, stop.Token).ConfigureAwait(false);
                }
                else
                {
                    await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C: fall through to a clean shutdown.
            }
        }
        return 0;
    }
}
