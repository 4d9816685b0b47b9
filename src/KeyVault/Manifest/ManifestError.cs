using KeyVault.Errors;

namespace KeyVault.Manifest;

/// <summary>
/// Every operator-facing message of the manifest, reissue and retire layer, in one place. None names a share's
/// words or value; shares are named by group and number, manifests by backup ID and key fingerprint.
/// </summary>
internal static class ManifestError
{
    private const string UnchangedHint = "use the manifest.json written with the backup, unchanged; a changed manifest cannot be trusted";

    public static KeyVaultException NotJson(long line, long position) => new(ErrorKind.DamagedFile,
        $"the manifest is not valid JSON (line {line + 1}, byte {position + 1})", UnchangedHint);

    public static KeyVaultException Malformed(string what) => new(ErrorKind.DamagedFile,
        $"the manifest is malformed: {what}", UnchangedHint);

    public static KeyVaultException Unsupported(string format, string version) => new(ErrorKind.DamagedFile,
        $"the file is not a backup manifest this version reads (format \"{format}\", version {version})",
        $"a manifest has \"format\": \"{BackupManifest.FormatName}\" and \"version\": 1");

    public static KeyVaultException NotAuthentic(string problem) => new(ErrorKind.DamagedFile,
        $"the manifest is not authentic: {problem}", UnchangedHint);

    public static KeyVaultException TextRejected(string what, string why) => new(ErrorKind.BadInput,
        $"{what} is not allowed: {why}",
        $"use one line of at most {ManifestText.MaxNameBytes} UTF-8 bytes (reasons {ManifestText.MaxLongBytes}, recipients {ManifestText.MaxRecipientBytes}) without control characters");

    public static KeyVaultException CustodianCount(int names, int shares) => new(ErrorKind.BadInput,
        $"{names} custodian name{(names == 1 ? "" : "s")} for {shares} share{(shares == 1 ? "" : "s")}; give exactly one name per share",
        "name every custodian, in share order");

    public static KeyVaultException RecipientCount(int recipients, int shares) => new(ErrorKind.BadInput,
        $"{recipients} age recipient entries for {shares} shares; give one entry (or none) per share");

    public static KeyVaultException BadExecutableHash() => new(ErrorKind.BadInput,
        "the executable's SHA-256 is not 64 lowercase hex characters");

    public static KeyVaultException SigningKeyMismatch(string given, string identity) => new(ErrorKind.IdentityMismatch,
        $"the manifest can only be signed by the key it backs up ({identity}), not by key {given}",
        "rebuild or open the backed-up key itself");

    // ---- share check and reissue ----

    public static KeyVaultException NotRegistered(string label, int backupId) => new(ErrorKind.IdentityMismatch,
        $"{label} is not registered in the manifest of backup {backupId}: no registered share has its commitment",
        "check the share against its sheet; a share of another backup, or an altered one, cannot be used here");

    public static KeyVaultException SharesOfOtherBackup(int shareId, int backupId) => new(ErrorKind.RebuildFailed,
        $"the shares are of backup {shareId}, but the manifest is of backup {backupId}",
        "give the manifest written with these shares");

    public static KeyVaultException ShareRetired(string label, int backupId, DateTimeOffset at) => new(ErrorKind.IdentityMismatch,
        $"{label} belongs to backup {backupId}, which this manifest retired on {at:yyyy-MM-dd}: destroy this sheet",
        "a retired backup's sheets must not be used; give shares of the current backup");

    public static KeyVaultException NumberTaken(string slot, string holder) => new(ErrorKind.BadInput,
        $"share {slot} is already registered to {holder}",
        "choose an unused number for a new custodian; to re-create a lost sheet, give the same custodian name as registered");

    public static KeyVaultException RecreateMismatch(string slot) => new(ErrorKind.RebuildFailed,
        $"the shares given compute a share {slot} that is not the one registered in the manifest",
        "one of the shares was altered, or they are of another backup with the same identifier; check each against its sheet");

    public static KeyVaultException CannotSign(int groups, int threshold) => new(ErrorKind.RebuildFailed,
        $"the updated manifest must be signed by the backed-up key, and the shares given complete only {groups} of the {threshold} groups needed to rebuild it",
        "also give enough shares of other groups to rebuild the key, or open the key from its encrypted key file");

    // ---- retire ----

    public static KeyVaultException RetireDifferentKeys(string oldKey, string newKey) => new(ErrorKind.IdentityMismatch,
        $"the old manifest is of key {oldKey} and the new one of key {newKey}; only a backup of the same key can be replaced",
        "a backup of the previous key is retired across the rotation, with the successor statement and a drill of the new key");

    public static KeyVaultException RetireSameBackup(int id) => new(ErrorKind.BadInput,
        $"both manifests are of backup {id}; a backup cannot retire itself",
        "give the manifest of the new split (a new split has a new identifier)");

    public static KeyVaultException AlreadyRetired(int id) => new(ErrorKind.BadInput,
        $"the new manifest already retires backup {id}", "nothing to do");

    public static KeyVaultException RotationOfOneKey(string key) => new(ErrorKind.BadInput,
        $"both manifests are of key {key}; a successor statement links two different keys",
        "retire a backup of the same key without a successor statement");

    public static KeyVaultException StatementDoesNotHold(string problem) => new(ErrorKind.DamagedFile,
        $"the successor statement does not hold: {problem}",
        "use the statement both keys signed: the old key names the new one, and the new key accepts");

    public static KeyVaultException StatementOfOtherKeys(string from, string to, string oldKey, string newKey) => new(ErrorKind.IdentityMismatch,
        $"the successor statement rotates key {from} to key {to}, but the old backup is of key {oldKey} and the new one of key {newKey}",
        "give the statement of this rotation, and the manifests of the two keys it names");

    public static KeyVaultException SameIdentifierAcrossKeys(int id) => new(ErrorKind.BadInput,
        $"the backups of the two keys both have identifier {id}, so their sheets could not be told apart by it",
        "split the new key again (a new split draws a new identifier) and use that backup's manifest");

    public static KeyVaultException AlreadySuperseded(int id) => new(ErrorKind.BadInput,
        $"the new manifest already records backup {id} as superseded and still needed", "nothing to do until a drill of the new key proves DKG shares");

    public static KeyVaultException RetireOldIsNewer(int oldId, int newId) => new(ErrorKind.BadInput,
        $"the new manifest (backup {newId}) is listed as retired by the old one (backup {oldId})",
        "swap the two manifests");

    public static KeyVaultException NumberDeparted(string slot, string custodian, ManifestDeparture departed) => new(ErrorKind.BadInput,
        $"share {slot} was {custodian}'s, who left the backup on {departed.At:yyyy-MM-dd} ({departed.Reason}); a departed share is not reissued",
        "give the custodian who takes over a new share number");

    public static KeyVaultException ReplacesUnknown(string slot, int backupId) => new(ErrorKind.BadInput,
        $"the share to replace, {slot}, is not registered in backup {backupId}", "give the share number of the custodian who leaves, as the manifest lists it");

    public static KeyVaultException ReplacesNeedsNewNumber(string leaving, string slot) => new(ErrorKind.BadInput,
        $"share {slot} is already registered, and replacing share {leaving} marks its custodian as departed: the one who takes over gets a new number",
        "give a share number the manifest does not register yet");

    public static KeyVaultException Superseded(string source, int revision, string newer, int newerRevision, string what) => new(ErrorKind.BadInput,
        $"{source} is revision {revision} of its backup's manifest, and {newer} beside it is revision {newerRevision} ({what}): {source} is superseded",
        $"give the current manifest, {newer}");

    public static KeyVaultException RecipientTaken(string slot, string custodian) => new(ErrorKind.BadInput,
        $"the new share would be sealed to the key that already holds share {slot} ({custodian}): one key holding two shares counts twice towards the threshold",
        "seal it to the new custodian's own key");

    public static KeyVaultException Forked(string source, int revision, string other) => new(ErrorKind.BadInput,
        $"{source} and {other} beside it are both revision {revision} of the backup's manifest, with different content: two changes were made from the same earlier revision",
        "keep the manifest whose history holds every change made (compare the two histories), and redo the other change from it");
}
