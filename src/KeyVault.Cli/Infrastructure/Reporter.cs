using KeyVault.Errors;
using KeyVault.Shares;
using KeyVault.Text;

namespace KeyVault.Cli.Infrastructure;

/// <summary>
/// The one place that turns failures into what the operator sees: "keyvault: error: …" and "keyvault: hint: …" on
/// stderr, and an exit code from <see cref="ExitCode"/>. Never a stack trace; never a secret.
/// </summary>
internal static class Reporter
{
    /// <summary>
    /// Runs a command body, mapping any failure to its message and exit code. <paramref name="offersForce"/> says the
    /// command has --force, so a hint about an existing output file may name it.
    /// </summary>
    public static int Run(CliConsole console, Func<int> body, bool offersForce = false)
    {
        int code;
        try
        {
            code = body();
        }
        catch (Exception ex)
        {
            // After a signal, whatever the main thread tripped over is its consequence; the handler reports it once.
            if (console.SignalEnd.WaitIfEnding()) return ExitCode.Cancelled;
            return Report(console, ex, offersForce);
        }
        return console.SignalEnd.WaitIfEnding() ? ExitCode.Cancelled : code;
    }

    private static int Report(CliConsole console, Exception exception, bool offersForce)
    {
        switch (exception)
        {
            case KeyVaultException ex:
                Error(console, ex.Message, HintFor(ex, offersForce));
                return ExitCode.For(ex.Kind);
            case FileNotFoundException ex:
                Error(console, $"file not found: {ex.FileName}", "check the path");
                return ExitCode.BadInput;
            case DirectoryNotFoundException:
                Error(console, "a folder in the path does not exist", "check the path");
                return ExitCode.BadInput;
            case UnauthorizedAccessException:
                Error(console, "permission denied", "check the file's permissions");
                return ExitCode.BadInput;
            case IOException ex:
                Error(console, $"input/output error: {ex.GetType().Name}", "check the file and the device");
                return ExitCode.BadInput;
            default:
                // The message of an unexpected exception could quote data; only its type is shown.
                Error(console, $"internal error ({exception.GetType().Name}); nothing secret was written", "please report this with the command you ran");
                return ExitCode.InternalError;
        }
    }

    /// <summary>Prints a library error, with the hint the command line gives for it.</summary>
    public static void Error(CliConsole console, KeyVaultException ex) => Error(console, ex.Message, HintFor(ex));

    /// <summary>
    /// The hint for an error: the library's, unless the error has a code whose remedy is an option or a command of
    /// this program (the library names none; this is the one place that does, as age's errorWithHint).
    /// </summary>
    public static string? HintFor(KeyVaultException ex, bool offersForce = false) => ex.Code switch
    {
        ErrorCodes.PassphraseNeedsTerminal =>
            "give it in a file: --passphrase-file FILE (a restore session's: --session-passphrase-file FILE; - reads standard input)",
        ErrorCodes.OutputExists => offersForce
            ? "choose another name, move the existing file away, or add --force to replace it (still atomically)"
            : "choose another name or move the existing file away",
        ErrorCodes.OutputFolderMissing => "create it first, or choose another --out",
        ErrorCodes.KdfCostTooHigh => "lower --kdf-memory, --kdf-iterations or --kdf-parallelism (limits are in docs/key-file-format.md)",
        ErrorCodes.SeveralKeys => "give a file with exactly one key, or force one reading with --format",
        ErrorCodes.TomlMalformed => "fix the file, or give the key alone with --format hex",
        ErrorCodes.Slip39PassphraseWrong => "give the backup's SLIP-0039 passphrase, exactly as it was set, with --slip39-passphrase-file FILE",
        ErrorCodes.Slip39PassphraseMaybe =>
            "was the backup made with a SLIP-0039 passphrase? give it, exactly as it was set, with --slip39-passphrase-file FILE " +
            "(a missing or wrong one rebuilds a different key); otherwise the share files belong to another key, or their comments were edited",
        ErrorCodes.IdentityFileUnreadable =>
            "an identity file is what `keyvault identity --json` writes (publicKey, fingerprint, stacksAddress.mainnet/testnet, peerId): " +
            "write it again with that command, or give the public key directly",
        ErrorCodes.Slip39PassphraseEmpty => "leave out --slip39-passphrase-file for no passphrase (the sheets then say none is needed)",
        ErrorCodes.CeremonyNeedsTerminal => "run it on a terminal, or rehearse it without one with --answers FILE (see docs/ceremony.md)",
        ErrorCodes.MachineOnline => "disconnect every network (unplug the cable, switch off Wi-Fi and Bluetooth) and run again; " +
                                    "only for a rehearsal with a throw-away key, add --i-know-this-machine-is-online",
        ErrorCodes.DiceNeedTerminal => "run it on a terminal, or leave out --dice",
        ErrorCodes.DkgPrivatePartAlone => "give --public-from with the DKG export of another signer of the same rounds (keyvault dkg export on that " +
                                          "signer's database): its rows hold the same public columns (docs/dkg-export-format.md, \"The private part\")",
        ErrorCodes.DkgPublicColumnsNotNeeded => "leave out --public-from: it applies to a private part only",
        ErrorCodes.DkgExportSealed => "give the cold-storage identity with --identity FILE (drill: --dkg-export-identity FILE), or open it first with age -d",
        ErrorCodes.DrillReportAltered => "give the file that `keyvault drill --report` wrote, unchanged",
        ErrorCodes.SealedCheckNeedsMore => "give --identity FILE (the custodian's age identity or OpenSSH private key) to open it, " +
                                           "or --manifest FILE to check whom it is sealed to",
        ErrorCodes.SigningKeyNeeded => "give --key-file FILE (its passphrase is asked, or read with --passphrase-file), " +
                                       "or --share-file FILE ... enough to rebuild the key",
        ErrorCodes.SheetNamesClash => "they are the same share or shares of different backups; print them into separate --out-dir folders",
        ErrorCodes.Slip39PassphraseContradicted =>
            "leave out --slip39-passphrase-protected, or, if the backup really has a passphrase, correct that line of the file",
        ErrorCodes.SessionDrillNeedsExpected => "give --expect with the signer's public key, its Stacks address, an identity file or its config file",
        ErrorCodes.RotationStatementNeeded => "give --successor-statement FILE: the statement keyvault rotate accept wrote (docs/rotation.md)",
        ErrorCodes.RotationDrillNeeded => "after the new signer set's DKG round, drill the new key with --dkg-db or --dkg-dump and --report FILE, " +
                                          "and give that report with --drill-report FILE; until then run keyvault backup supersede with the same files",
        ErrorCodes.RotationNotInvolved => "leave out --successor-statement and --drill-report: both manifests are of one key",
        ErrorCodes.WeakPassphrase => ex.Hint + "; only if you accept that risk, add --accept-weak-passphrase",
        _ => ex.Hint,
    };

    /// <summary>
    /// Prints an error line and, when given, a hint line. Messages quote command-line values, so each is made safe
    /// here, once for every command: control characters escaped (one line, nothing drawn), share words left out.
    /// </summary>
    public static void Error(CliConsole console, string message, string? hint = null)
    {
        console.Error.WriteLine($"keyvault: error: {DisplayText.Safe(message, WordList.IgnoringCase)}");
        if (hint is not null) console.Error.WriteLine($"keyvault: hint: {DisplayText.Safe(hint, WordList.IgnoringCase)}");
    }

    /// <summary>Prints a warning line, made safe as <see cref="Error(CliConsole, string, string?)"/> does.</summary>
    public static void Warn(CliConsole console, string message) => console.Error.WriteLine($"keyvault: warning: {DisplayText.Safe(message, WordList.IgnoringCase)}");
}
