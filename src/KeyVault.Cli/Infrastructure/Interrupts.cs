using System.Runtime.InteropServices;
using KeyVault.IO;

namespace KeyVault.Cli.Infrastructure;

/// <summary>
/// Ctrl-C, a closed terminal (SIGHUP) and a kill (SIGTERM) while a command writes a set of files: the files written
/// so far are overwritten and deleted, and the process ends with exit code 7, even when the main thread is blocked
/// in a read no signal interrupts. SIGKILL cannot be caught: the next run removes the temporaries it left.
/// </summary>
internal static class Interrupts
{
    /// <summary>Calls <paramref name="handler"/> (on the runtime's signal thread) for SIGINT, SIGTERM and SIGHUP until disposed.</summary>
    public static IDisposable OnSignal(Action<PosixSignal> handler)
    {
        var registrations = new List<PosixSignalRegistration>();
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP })
        {
            try
            {
                registrations.Add(PosixSignalRegistration.Create(signal, context =>
                {
                    // The runtime's default would end the process without waiting for the cleanup; the handler ends it after.
                    context.Cancel = true;
                    handler(context.Signal);
                }));
            }
            catch (PlatformNotSupportedException)
            {
            }
        }
        return new Registrations(registrations);
    }

    /// <summary>On a signal, discards <paramref name="files"/> (unless complete), reports what was deleted and exits with code 7.</summary>
    public static IDisposable DiscardOnSignal(CliConsole console, FileSet files, Action<int>? terminate = null)
    {
        int signalled = 0;
        return OnSignal(signal =>
        {
            if (Interlocked.Exchange(ref signalled, 1) != 0) return;
            var deleted = files.Discard();
            if (deleted is null) return;
            try
            {
                console.Error.WriteLine();
                if (deleted.Count > 0)
                    console.Error.WriteLine($"keyvault: interrupted; overwrote and deleted the {deleted.Count} file{(deleted.Count == 1 ? "" : "s")} " +
                                            $"written so far: {string.Join(", ", deleted)}");
                Reporter.Error(console, FileSet.Interrupted(signal.ToString()));
            }
            catch (IOException)
            {
                // A closed terminal (SIGHUP) may refuse the report; the files are gone all the same.
            }
            (terminate ?? Environment.Exit)(ExitCode.Cancelled);
        });
    }

    /// <summary>
    /// On a signal, removes the temporary files this process has in flight (a revealed key on its way to its name, a
    /// re-encrypted key file beside the old one), reports them and exits with code 7.
    /// </summary>
    public static IDisposable AbandonWritesOnSignal(CliConsole console, Action<int>? terminate = null)
    {
        int signalled = 0;
        return OnSignal(signal =>
        {
            if (Interlocked.Exchange(ref signalled, 1) != 0) return;
            var removed = AtomicFile.AbandonInFlight();
            // A write under way when the signal came was let finish; the operator must know it is in place.
            var kept = AtomicFile.Completed;
            try
            {
                console.Error.WriteLine();
                if (removed.Count > 0)
                    console.Error.WriteLine($"keyvault: interrupted; overwrote and deleted the temporary file{(removed.Count == 1 ? "" : "s")} " +
                                            string.Join(", ", removed));
                if (kept.Count > 0)
                    console.Error.WriteLine($"keyvault: already complete before the signal, and kept: {string.Join(", ", kept)}");
                Reporter.Error(console, new KeyVault.Errors.KeyVaultException(KeyVault.Errors.ErrorKind.Cancelled,
                    $"cancelled: interrupted by {signal}", kept.Count > 0 ? "the files named above were written; nothing else was" : "nothing was written"));
            }
            catch (IOException)
            {
            }
            (terminate ?? Environment.Exit)(ExitCode.Cancelled);
        });
    }

    private sealed class Registrations(List<PosixSignalRegistration> items) : IDisposable
    {
        public void Dispose()
        {
            foreach (var r in items) r.Dispose();
        }
    }
}
