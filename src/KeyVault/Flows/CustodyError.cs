using KeyVault.Errors;

namespace KeyVault.Flows;

/// <summary>
/// Every operator-facing message of the custody flows (share check, sealed shares, restore sessions from the front
/// end's side), in one place. Shares are named by group and number or by file, never by their words.
/// </summary>
internal static class CustodyError
{
    public static KeyVaultException SealedNeedsIdentity(string source) => new(ErrorKind.Usage,
        $"{source} is a sealed (age) share file, and no identity was given to open it",
        "give the custodian's age identity file or unencrypted OpenSSH ed25519 private key to open it, as age -d -i takes it");

    public static KeyVaultException ArmorWithoutSeal() => new(ErrorKind.Usage,
        "armor applies to a sealed share, and the new share is written plain",
        "give a recipient to seal the new share to (or a custodians file that gives the custodian one), or ask for no armor");

    public static KeyVaultException CustodianNotInFile(string name, string source, IReadOnlyList<string> names) => new(ErrorKind.BadInput,
        $"{source} does not name {name.Trim()} (it names {string.Join(", ", names)})",
        "add the custodian's line to the custodians file, or give the name as the file writes it");

    public static KeyVaultException OneShareOnly() => new(ErrorKind.BadInput,
        "standard input holds more than one share; a check takes exactly one",
        "give one share: a custodian checks their own sheet, never several together");

    public static KeyVaultException NoShare() => new(ErrorKind.Cancelled,
        "no share given", "type or scan the share at the prompt, or give the share file");

    public static KeyVaultException SealedNeedsManifestOrIdentity(string source) => new(ErrorKind.Usage,
        $"{source} is a sealed (age) share; without the custodian's identity it can only be checked against the backup's manifest",
        "give the custodian's identity file, or the manifest", code: ErrorCodes.SealedCheckNeedsMore);

    public static KeyVaultException SealedNotAddressed(string source, int backupId) => new(ErrorKind.IdentityMismatch,
        $"{source} is a well-formed age file, but it is sealed to none of the recipients the manifest of backup {backupId} registers",
        "this sealed file is not a share of this backup, or it was sealed to another key");

    public static KeyVaultException ManifestHasNoRecipients(int backupId) => new(ErrorKind.BadInput,
        $"the manifest of backup {backupId} records no age recipient, so a sealed file cannot be matched to a custodian without the identity",
        "give the custodian's identity file to open the share");

    public static KeyVaultException ReturnedStanzas(string source, int stanzas) => new(ErrorKind.BadInput,
        $"{source} has {stanzas} recipient stanzas; a returned share must be sealed to the session's recipient alone",
        "ask the custodian to seal it again to the session's recipient alone, with no other recipient");

    public static KeyVaultException NoRestoreIdentity(string dir) => new(ErrorKind.BadInput,
        $"the restore session in {dir} holds no restore identity, so it cannot open a sealed share",
        "start a new session with this version, or add the share unsealed");

    public static KeyVaultException SessionCancelled(int kept) => new(ErrorKind.Cancelled,
        $"no share added; the session keeps the {kept} share{(kept == 1 ? "" : "s")} it had", null);

    public static KeyVaultException SealedCustodianCount(string source, int custodians, int shares) => new(ErrorKind.BadInput,
        $"{source} names {custodians} custodian{(custodians == 1 ? "" : "s")} for {shares} share{(shares == 1 ? "" : "s")}; the custodians file has one line per share, in share order",
        "add or remove custodians in the file, or change the layout");

    public static KeyVaultException SealedCheckFailed(string file, string problem) => new(ErrorKind.OutputFailure,
        $"{file} was read back and is not the share just sealed: {problem}",
        "check the disk and run again; nothing of this run is kept");

    public static KeyVaultException NotEnough(string summary) => new(ErrorKind.RebuildFailed,
        $"the session cannot rebuild the key yet: {summary}", "add the missing shares first; the session keeps those it has");

    public static KeyVaultException SigningKeyNeeded() => new(ErrorKind.Usage,
        "the updated manifest must be signed by the backed-up key: give its encrypted key file, or enough shares to rebuild it",
        code: ErrorCodes.SigningKeyNeeded);

    public static KeyVaultException RotationStatementNeeded(int id, string oldKey, string newKey) => new(ErrorKind.BadInput,
        $"backup {id} is of key {oldKey} and the new backup of key {newKey}: a backup of another key is retired only across a key rotation",
        "give the successor statement in which the old key names the new one and the new key accepts (docs/rotation.md)",
        code: ErrorCodes.RotationStatementNeeded);

    public static KeyVaultException RotationDrillNeeded(int id, string oldKey) => new(ErrorKind.BadInput,
        $"backup {id} of the previous key {oldKey} cannot be retired yet: no drill of the new key has proven the DKG shares of an aggregate key made with it, "
        + "and until one has, the old key's backup is superseded but still needed",
        "after the new signer set's DKG round, drill the new key against the signer's DKG shares and give that report; "
        + "until then, record the old backup as superseded and still needed",
        code: ErrorCodes.RotationDrillNeeded);

    public static KeyVaultException RotationNotInvolved(string key) => new(ErrorKind.Usage,
        $"both manifests are of key {key}: a successor statement and a drill report apply only to a backup of the previous key",
        "retire a backup of the same key without them",
        code: ErrorCodes.RotationNotInvolved);

    public static KeyVaultException SessionDrillNeedsExpected() => new(ErrorKind.Usage,
        "the drill needs the identity the backup should rebuild: the restore session was started without a manifest that names it",
        "give the signer's public key, its Stacks address, an identity file or its config file",
        code: ErrorCodes.SessionDrillNeedsExpected);

    public static KeyVaultException LineHoldsNoWords(int position) => new(ErrorKind.BadInput,
        $"share {position} holds no words, so it is not a share (a barcode the scanner read in a sheet's text?)",
        "scan QR codes only (zbarimg -Sdisable -Sqrcode.enable), or type the share's words");
}
