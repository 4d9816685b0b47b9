using KeyVault.Errors;

namespace KeyVault.Cli.Infrastructure;

/// <summary>
/// Messages of the split, combine and paper commands that the library does not already give. Like the library's,
/// they name options, files and positions, never a share's words or a passphrase.
/// </summary>
internal static class ShareCliErrors
{
    public static KeyVaultException NoLayout() => new(ErrorKind.Usage,
        "say how to split: --threshold K --shares N, or --group K/N (repeated) with --group-threshold G",
        "for example: keyvault split key.kvk --threshold 3 --shares 5 --out-dir shares");

    public static KeyVaultException HalfLayout(string given, string missing) => new(ErrorKind.Usage,
        $"{given} was given without {missing}", $"give both --threshold K and --shares N");

    public static KeyVaultException LayoutWithGroups() => new(ErrorKind.Usage,
        "--threshold and --shares are not used with --group: each --group K/N carries its own threshold and count",
        "leave out --threshold and --shares, e.g. --group 2/3 --group 3/5 --group-threshold 2");

    public static KeyVaultException GroupThresholdWithoutGroups() => new(ErrorKind.Usage,
        "--group-threshold needs at least one --group K/N",
        "give the groups with --group K/N, or leave out --group-threshold for a plain --threshold/--shares split");

    public static KeyVaultException NoGroupThreshold(int groups) => new(ErrorKind.Usage,
        $"--group-threshold is missing: how many of the {groups} groups must be complete to restore the key?",
        $"add --group-threshold G with G from 1 to {groups}");

    public static KeyVaultException GroupSyntax(string text) => new(ErrorKind.Usage,
        $"--group {text} is not of the form K/N", "write each group as threshold/count, e.g. --group 3/5");

    public static KeyVaultException IterationExponent(int value) => new(ErrorKind.BadInput,
        $"--iteration-exponent {value} is outside 0 to 15",
        "leave it at the default 1 (20000 PBKDF2 iterations); each step up doubles the work of every restore");

    public static KeyVaultException CustodianCount(int names, int shares) => new(ErrorKind.BadInput,
        $"{names} custodian name{(names == 1 ? " was" : "s were")} given for {shares} share{(shares == 1 ? "" : "s")}",
        "give --custodian once per share, in share order (group 1's shares first), or not at all");

    public static KeyVaultException SheetOptionsWithoutPaper() => new(ErrorKind.Usage,
        "--png, --paper-size and --network describe the printed sheets, but --paper was not given",
        "add --paper to write a PDF sheet per share");

    public static KeyVaultException OriginWithoutPaper() => new(ErrorKind.Usage,
        "--org and --contact are printed on the new share's sheet, but --paper was not given; the manifest keeps what it records",
        "add --paper to write the sheet, or leave out --org and --contact");

    public static KeyVaultException KeyFileOptionsWithReveal(string option) => new(ErrorKind.Usage,
        $"{option} applies to the encrypted key file, but --reveal-format writes the bare key instead",
        "leave out either --reveal-format or the key-file options");

    public static KeyVaultException KeyFileToStdout() => new(ErrorKind.Usage,
        "an encrypted key file is written to a file, not to standard output",
        "give --out FILE, or --reveal-format FORMAT --out - to print the bare key");

    /// <summary>No terminal to ask for a new key file's passphrase; <paramref name="command"/> is the command to run again.</summary>
    public static KeyVaultException NoTerminalForPassphrase(string command) => new(ErrorKind.Usage,
        "no terminal to ask for the new key file's passphrase",
        $"give --passphrase-file FILE, or run {command} on a terminal");

    public static KeyVaultException PaperSource() => new(ErrorKind.Usage,
        "give one of --share-file FILE (one or more), --key-file FILE and --dkg-export FILE",
        "keyvault paper --share-file share-1.txt --out-dir sheets");

    public static KeyVaultException PaperPassphraseOptionWithKeyFile() => new(ErrorKind.Usage,
        "--slip39-passphrase-protected is for share sheets; a key-file sheet always has a passphrase hint line",
        "leave out --slip39-passphrase-protected");
}
