using KeyVault.Errors;

namespace KeyVault.Flows;

/// <summary>
/// Every operator-facing error message of the ceremony, in one place. None quotes a share word, a key or a
/// passphrase; they name steps, files, share numbers and rules.
/// </summary>
internal static class CeremonyError
{
    public static KeyVaultException NeedsTerminal() => new(ErrorKind.Usage,
        "the ceremony asks the operator questions, and there is no terminal to ask on",
        "run it on a terminal, or rehearse it without one from an answers file (see docs/ceremony.md)", code: ErrorCodes.CeremonyNeedsTerminal);

    public static KeyVaultException Online(IReadOnlyList<string> names) => new(ErrorKind.Usage,
        $"this machine is online: {string.Join(", ", names)} {(names.Count == 1 ? "is" : "are")} connected; a key ceremony runs on an air-gapped machine",
        "disconnect every network (unplug the cable, switch off Wi-Fi and Bluetooth) and run again; " +
        "only a rehearsal with a throw-away key may go on online", code: ErrorCodes.MachineOnline);

    public static KeyVaultException OutDirMissing(string dir) => new(ErrorKind.OutputFailure,
        $"the folder {dir} does not exist", "create it first, on the encrypted or removable device that will keep the key file");

    public static KeyVaultException OutDirHoldsCeremonyFiles(string dir, IReadOnlyList<string> names) => new(ErrorKind.OutputFailure,
        $"the folder {dir} already holds files a ceremony writes ({string.Join(", ", names.Take(3))}{(names.Count > 3 ? ", …" : "")})",
        "give an empty folder, or move those files away first");

    public static KeyVaultException ImportMissing(string path) => new(ErrorKind.BadInput,
        $"the key to import, {path}, does not exist", "check the path (is the removable device mounted?)");

    public static KeyVaultException EndOfInput() => new(ErrorKind.Cancelled,
        "cancelled: the input ended before the ceremony was complete", "run the ceremony again when ready");

    public static KeyVaultException Declined(string step) => new(ErrorKind.Cancelled,
        $"cancelled by the operator at: {step}", "run the ceremony again when ready");

    public static KeyVaultException Interrupted(string? signal = null) => new(ErrorKind.Cancelled,
        $"cancelled: the ceremony was interrupted{(signal is null ? "" : $" by {signal}")} before it was complete",
        "shred every sheet printed during this run, and run the ceremony again when ready");

    public static KeyVaultException SheetNotConfirmed(int share, string custodian) => new(ErrorKind.Cancelled,
        $"ceremony aborted: the sheet of share {share} ({custodian}) could not be confirmed",
        "shred every sheet printed so far, check the printer, and run the ceremony again");

    public static KeyVaultException ReadBackDiffers(string file) => new(ErrorKind.OutputFailure,
        $"{file} read back from the disk does not hold the share that was written",
        "the storage device may be failing; run the ceremony again on another device");

    public static KeyVaultException DrillFailed(ErrorKind kind, string result) => new(kind,
        $"the closing drill did not pass (result: {result}): the new backup does not rebuild the key",
        "nothing from this ceremony can be trusted; shred every sheet and please report this");

    public static KeyVaultException NotANumber(string what) => new(ErrorKind.BadInput,
        $"the {what} is not a whole number", "type digits only, e.g. 3");

    // ---- answers file ----

    public static KeyVaultException AnswersNotToml(string file, long line, long column) => new(ErrorKind.BadInput,
        $"{file} is not valid TOML (first problem at line {line}, column {column})", AnswersHint);

    public static KeyVaultException AnswersUnknownKey(string file, string key) => new(ErrorKind.BadInput,
        $"{file}: unknown setting '{key}'", $"{AnswersHint}; an answers file never holds a key, a passphrase or a share");

    public static KeyVaultException AnswersMissing(string file, string key) => new(ErrorKind.BadInput,
        $"{file}: the setting '{key}' is missing", AnswersHint);

    public static KeyVaultException AnswersType(string file, string key, string expected) => new(ErrorKind.BadInput,
        $"{file}: '{key}' must be {expected}", AnswersHint);

    public static KeyVaultException AnswersSheetCheck(string file) => new(ErrorKind.BadInput,
        $"{file}: sheet-check must be \"automated\"",
        "a rehearsal cannot know what a person will type back; it checks each sheet by reading its share file back, and the transcript says so");

    public static KeyVaultException AnswersLayout(string file, KeyVaultException inner) => new(ErrorKind.BadInput,
        $"{file}: {inner.Message}", inner.Hint, inner);

    public static KeyVaultException AnswersSealedNames(string answers, string custodians) => new(ErrorKind.BadInput,
        $"{answers}: the custodians are not the names of {custodians}, in the same order",
        "with sealed shares the custodians file names the custodians; list the same names in the answers file");

    private const string AnswersHint =
        "an answers file has the settings threshold = 2, custodians = [\"Alice\", \"Bob\", \"Carol\"], sheet-check = \"automated\" " +
        "and optionally shred-share-files = true";
}
