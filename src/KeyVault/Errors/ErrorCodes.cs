namespace KeyVault.Errors;

/// <summary>
/// The <see cref="KeyVaultException.Code"/> values: errors whose remedy a front end says in its own words (the command
/// line names its options). The library's own message and hint stand for every other error.
/// </summary>
public static class ErrorCodes
{
    /// <summary>A passphrase was needed and there is no terminal to ask on.</summary>
    public const string PassphraseNeedsTerminal = "passphrase-needs-terminal";
    /// <summary>An output file exists already.</summary>
    public const string OutputExists = "output-exists";
    /// <summary>An output file's folder does not exist.</summary>
    public const string OutputFolderMissing = "output-folder-missing";
    /// <summary>Argon2 parameters chosen for a new key file exceed the caps.</summary>
    public const string KdfCostTooHigh = "kdf-cost-too-high";
    /// <summary>An input holds several private keys.</summary>
    public const string SeveralKeys = "several-keys";
    /// <summary>A signer config is not valid TOML.</summary>
    public const string TomlMalformed = "toml-malformed";
    /// <summary>The shares were made with a SLIP-0039 passphrase, and it was missing or wrong.</summary>
    public const string Slip39PassphraseWrong = "slip39-passphrase-wrong";
    /// <summary>The shares rebuilt another key than their files name: perhaps a SLIP-0039 passphrase is missing.</summary>
    public const string Slip39PassphraseMaybe = "slip39-passphrase-maybe";
    /// <summary>An identity file is not what the identity command writes.</summary>
    public const string IdentityFileUnreadable = "identity-file-unreadable";
    /// <summary>A drill report is not as the drill wrote it.</summary>
    public const string DrillReportAltered = "drill-report-altered";
    /// <summary>A SLIP-0039 passphrase file is empty.</summary>
    public const string Slip39PassphraseEmpty = "slip39-passphrase-empty";
    /// <summary>A single-level split's share count is outside 1 to 16.</summary>
    public const string LayoutShareCount = "layout-share-count";
    /// <summary>A single-level split's threshold is outside 1 to the share count.</summary>
    public const string LayoutThreshold = "layout-threshold";
    /// <summary>A threshold of 1 with more than one share.</summary>
    public const string LayoutThresholdOne = "layout-threshold-one";
    /// <summary>The ceremony needs a terminal to ask on.</summary>
    public const string CeremonyNeedsTerminal = "ceremony-needs-terminal";
    /// <summary>The ceremony found a network connection.</summary>
    public const string MachineOnline = "machine-online";
    /// <summary>Dice rolls were asked for and there is no terminal to type them on.</summary>
    public const string DiceNeedTerminal = "dice-need-terminal";
    /// <summary>A DKG export is sealed and no identity was given.</summary>
    public const string DkgExportSealed = "dkg-export-sealed";
    /// <summary>A restore was given the private part of a DKG export and nothing to take its public columns from.</summary>
    public const string DkgPrivatePartAlone = "dkg-private-part-alone";
    /// <summary>A restore was given public columns to add to a whole DKG export, which has its own.</summary>
    public const string DkgPublicColumnsNotNeeded = "dkg-public-columns-not-needed";
    /// <summary>A sealed share was given for a check without the identity to open it and without a manifest to match it against.</summary>
    public const string SealedCheckNeedsMore = "sealed-check-needs-more";
    /// <summary>A new passphrase is estimated below the strength floor, and the risk was not accepted.</summary>
    public const string WeakPassphrase = "weak-passphrase";
    /// <summary>A manifest must be re-signed and neither the key file nor shares to rebuild the key were given.</summary>
    public const string SigningKeyNeeded = "signing-key-needed";
    /// <summary>Two share files given for sheets would be printed under one file name.</summary>
    public const string SheetNamesClash = "sheet-names-clash";
    /// <summary>A share file says its backup has no SLIP-0039 passphrase, and its sheet was asked to say it has one.</summary>
    public const string Slip39PassphraseContradicted = "slip39-passphrase-contradicted";
    /// <summary>A restore session started without a manifest was drilled without the identity it should rebuild.</summary>
    public const string SessionDrillNeedsExpected = "session-drill-needs-expected";
    /// <summary>A backup of another key was to be retired without the successor statement of the rotation.</summary>
    public const string RotationStatementNeeded = "rotation-statement-needed";
    /// <summary>A backup of the previous key was to be retired without a drill of the new key that proves DKG shares.</summary>
    public const string RotationDrillNeeded = "rotation-drill-needed";
    /// <summary>A successor statement or drill report was given to retire a backup of the same key.</summary>
    public const string RotationNotInvolved = "rotation-not-involved";
}
