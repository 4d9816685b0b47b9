using KeyVault.Errors;

namespace KeyVault.Sheets;

/// <summary>
/// Every operator-facing message of the paper layer. None repeats a mnemonic word or armored text: messages
/// name positions and rules only, because the input they complain about may be secret.
/// </summary>
internal static class PaperError
{
    public static KeyVaultException NoWords() => new(ErrorKind.BadInput,
        "the share has no words", "pass the share's mnemonic words");

    public static KeyVaultException BadWord(int position) => new(ErrorKind.BadInput,
        $"word {position} of the share is not a SLIP-0039 word (4 to 8 letters a–z)",
        "pass the mnemonic split into its words, without numbers or punctuation");

    public static KeyVaultException WordCount(int count) => new(ErrorKind.BadInput,
        $"the share has {count} words; a sheet holds a SLIP-0039 share of {ShareSheet.MinWords} to {ShareSheet.MaxWords} words",
        "check that the whole mnemonic was passed; sheets are made for 128- to 256-bit secrets");

    public static KeyVaultException ShareNumbers(int number, int count, int threshold) => new(ErrorKind.BadInput,
        $"share {number} of {count} with threshold {threshold} is not possible",
        "the share number must be 1..16, the count 1..16 and the threshold 1..count");

    public static KeyVaultException GroupNumbers(int number, int count, int threshold) => new(ErrorKind.BadInput,
        $"group {number} of {count} with group threshold {threshold} is not possible",
        "the group number must be 1..count, the count 1..16 and the group threshold 1..count");

    public static KeyVaultException Identifier(int identifier) => new(ErrorKind.BadInput,
        $"backup identifier {identifier} is out of range", "a SLIP-0039 identifier is 0 to 32767 (15 bits)");

    public static KeyVaultException Network() => new(ErrorKind.BadInput,
        "unknown Stacks network", "use mainnet or testnet");

    public static KeyVaultException TextField(string field, int max) => new(ErrorKind.BadInput,
        $"the {field} is empty, longer than {max} characters or has control characters",
        $"give a {field} of 1 to {max} printable characters on one line");

    public static KeyVaultException TooWideToPrint(string field, int lines) => new(ErrorKind.BadInput,
        $"the {field} takes {lines} printed lines; a sheet has room for {SheetOriginLimits.MaxPrintedLines}",
        $"shorten the {field} to one line of the sheet: about 80 characters of ordinary text, fewer in capitals");

    public static KeyVaultException NoRoom() => new(ErrorKind.BadInput,
        "the sheet has no room for all its text at a readable size",
        "shorten the organisation, the contact or the key label, or use A4 paper");

    public static KeyVaultException ExecutableHash() => new(ErrorKind.BadInput,
        "the executable's SHA-256 is not 64 lowercase hex characters", "pass the hash as the self-test prints it, or none");

    public static KeyVaultException NoArmoredLines() => new(ErrorKind.BadInput,
        "the armored key file has no lines", "pass the armored text of the key file");

    public static KeyVaultException BadArmoredLine(int line) => new(ErrorKind.BadInput,
        $"line {line} of the armored key file is empty, longer than {KeyFileSheetLimits.MaxLineLength} characters or not printable ASCII",
        "pass the armored form of the key file, not the binary file");

    public static KeyVaultException TooManyArmoredLines(int lines) => new(ErrorKind.BadInput,
        $"the armored key file has {lines} lines; a sheet holds at most {KeyFileSheetLimits.MaxLines}",
        "pass the armored form of a KeyVault key file");

    public static KeyVaultException Recipient(int max) => new(ErrorKind.BadInput,
        $"the recipient is empty, longer than {max} characters, or not printable ASCII without spaces (only an SSH key has spaces)",
        "give the custodian's public key exactly as age or ssh-keygen prints it, on one line");

    public static KeyVaultException SealedText(string problem) => new(ErrorKind.BadInput,
        $"the sealed share's armored text {problem}", "pass the ASCII-armored age file of one sealed share");

    public static KeyVaultException PayloadTooLong(int length) => new(ErrorKind.BadInput,
        $"{length} characters do not fit in a QR code at error-correction level Q", "a sheet holds one share or one key file");

    public static KeyVaultException DkgPartCount(int parts) => new(ErrorKind.BadInput,
        $"{parts} codes do not make a DKG export sheet; it prints 1 to {DkgExportSheet.MaxParts}", "plan the sheet with DkgPaper.Plan");

    public static KeyVaultException Dpi(int dpi) => new(ErrorKind.Usage,
        $"{dpi} dpi is outside the supported range 72 to 600", "use 150 for a screen preview or 300 for print quality");

    public static KeyVaultException UnknownPaperSize(PaperSize size) => new(ErrorKind.Usage,
        $"unknown paper size {(int)size}", "use A4 or Letter");

    public static KeyVaultException NoUsableFont(string kind, IEnumerable<string> tried) => new(ErrorKind.OutputFailure,
        $"no usable {kind} font found (tried {string.Join(", ", tried)}); a sheet is never printed with missing text",
        "install fonts-dejavu-core (Debian/Ubuntu) or dejavu-sans-fonts and dejavu-sans-mono-fonts (Fedora)");

    public static KeyVaultException MissingGlyphs(string family, string field) => new(ErrorKind.OutputFailure,
        $"the font {family} has no glyph for some characters of the {field}; the sheet would print with missing text",
        $"write the {field} in Latin letters, or install a font that covers its script");

    public static KeyVaultException DrawingLibraryMissing(Exception inner) => new(ErrorKind.OutputFailure,
        "the sheets cannot be drawn on this machine: the drawing library could not be loaded " +
        (OperatingSystem.IsLinux() ? "(it needs the system's libfontconfig.so.1 and libfreetype.so.6)" : "(a system library it needs is missing)"),
        OperatingSystem.IsLinux()
            ? "install libfontconfig1 and fonts-dejavu-core (Debian/Ubuntu) or fontconfig and dejavu-sans-fonts (Fedora), or make the sheets on a machine that has them"
            : "make the sheets on a machine with a desktop installation", inner);

    public static KeyVaultException ShareFileNoPublicKey(string source) => new(ErrorKind.BadInput,
        $"{source} does not name the key it backs up (no '# public-key:' line), so its sheet would have no identity block",
        "add the '# fingerprint:' and '# public-key:' lines from another share file of the same backup or from the ceremony transcript");

    public static KeyVaultException ShareFileNoShareCount(string source) => new(ErrorKind.BadInput,
        $"{source} does not say how many shares its group has (no '# share: n of N' line), which the sheet prints",
        "add a line like '# share: 2 of 5' from the ceremony transcript");

    public static KeyVaultException SameSheetName(string first, string second, string name) => new(ErrorKind.BadInput,
        $"{first} and {second} would both be printed as {name}",
        "they are the same share or shares of different backups; print them into separate folders", code: ErrorCodes.SheetNamesClash);

    public static KeyVaultException PassphraseContradicted(string source) => new(ErrorKind.BadInput,
        $"{source} says its backup has no SLIP-0039 passphrase ('# slip39-passphrase: no'), but the sheets were asked to say it has one",
        "print it without the passphrase line, or, if the backup really has a passphrase, correct that line of the file",
        code: ErrorCodes.Slip39PassphraseContradicted);

    public static KeyVaultException RenderFailed(string what) => new(ErrorKind.OutputFailure,
        $"the {what} could not be rendered", "check free memory and that the SkiaSharp native library is present");
}
