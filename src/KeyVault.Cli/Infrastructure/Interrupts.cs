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
    public static IDisposable DiscardOnSignal(CliConsole console, FileSet files) => OnSignal(Discarding(console, files, ProcessEnd.Immediately));

    /// <summary>The handler <see cref="DiscardOnSignal"/> registers (tests call it with a recording <paramref name="terminate"/>).</summary>
    internal static Action<PosixSignal> Discarding(CliConsole console, FileSet files, Action<int> terminate)
    {
        int signalled = 0;
        return signal =>
        {
            if (Interlocked.Exchange(ref signalled, 1) != 0) return;
            // Claimed before the set is taken away: the main thread, finding it gone, must leave the report to this thread.
            console.SignalEnd.Claim();
            var deleted = files.Discard();
            if (deleted is null)
            {
                console.SignalEnd.Release();
                return;
            }
            console.SignalEnd.End(() =>
            {
                console.Error.WriteLine();
                if (deleted.Count > 0)
                    console.Error.WriteLine($"keyvault: interrupted; overwrote and deleted the {deleted.Count} file{(deleted.Count == 1 ? "" : "s")} " +
                                            $"written so far: {string.Join(", ", deleted)}");
                Reporter.Error(console, FileSet.Interrupted(signal.ToString()));
            }, terminate);
        };
    }

    /// <summary>
    /// On a signal, removes the temporary files this process has in flight (a revealed key on its way to its name, a
    /// re-encrypted key file beside the old one), reports them and exits with code 7.
    /// </summary>
    /// <param name="console">Where the report goes.</param>
    /// <param name="nothingWritten">The hint when nothing was written (default "nothing was written"): what the
    /// interruption left as it was, in the command's own terms.</param>
    public static IDisposable AbandonWritesOnSignal(CliConsole console, string? nothingWritten = null) =>
        OnSignal(Abandoning(console, ProcessEnd.Immediately, nothingWritten));

    /// <summary>The handler <see cref="AbandonWritesOnSignal"/> registers.</summary>
    internal static Action<PosixSignal> Abandoning(CliConsole console, Action<int> terminate, string? nothingWritten = null)
    {
        int signalled = 0;
        return signal =>
        {
            if (Interlocked.Exchange(ref signalled, 1) != 0) return;
            console.SignalEnd.Claim();
            var removed = AtomicFile.AbandonInFlight();
            // A write under way when the signal came was let finish; the operator must know it is in place.
            var kept = AtomicFile.Completed;
            console.SignalEnd.End(() =>
            {
                console.Error.WriteLine();
                if (removed.Count > 0)
                    console.Error.WriteLine($"keyvault: interrupted; overwrote and deleted the temporary file{(removed.Count == 1 ? "" : "s")} " +
                                            string.Join(", ", removed));
                if (kept.Count > 0)
                    console.Error.WriteLine($"keyvault: already complete before the signal, and kept: {string.Join(", ", kept)}");
                Reporter.Error(console, new KeyVault.Errors.KeyVaultException(KeyVault.Errors.ErrorKind.Cancelled,
                    $"cancelled: interrupted by {signal}", kept.Count > 0 ? "the files named above were written; nothing else was" : nothingWritten ?? "nothing was written"));
            }, terminate);
        };
    }

    /// <summary>
    /// Who ends a command that a signal interrupted. The handler claims the ending before it takes the files away, so
    /// the main thread, which may then trip over their absence, waits for the handler's report and exit instead of
    /// racing it with a report of its own (<see cref="Reporter.Run"/> asks <see cref="WaitIfEnding"/>).
    /// </summary>
    internal sealed class Ending
    {
        private readonly ManualResetEventSlim _settled = new();
        private int _claimed;
        private bool _ended;

        public void Claim() => Volatile.Write(ref _claimed, 1);

        /// <summary>The signal found nothing to undo (the command had completed): the main thread goes on as it was.</summary>
        public void Release()
        {
            Volatile.Write(ref _claimed, 0);
            _settled.Set();
        }

        /// <summary>Reports (a closed terminal may refuse it; the cleanup is done all the same), then terminates with code 7.</summary>
        public void End(Action report, Action<int> terminate)
        {
            try
            {
                report();
            }
            catch (IOException)
            {
            }
            _ended = true;
            try
            {
                terminate(ExitCode.Cancelled);
            }
            finally
            {
                _settled.Set();
            }
        }

        /// <summary>
        /// On the main thread once the command body is over: false when no signal is being handled; otherwise waits for
        /// the handler (which ends the process; a substituted terminate returns) and says whether it ended the command.
        /// </summary>
        public bool WaitIfEnding()
        {
            if (Volatile.Read(ref _claimed) == 0) return false;
            _settled.Wait();
            return _ended;
        }
    }

    private sealed class Registrations(List<PosixSignalRegistration> items) : IDisposable
    {
        public void Dispose()
        {
            foreach (var r in items) r.Dispose();
        }
    }
}
