using KeyVault.Errors;

namespace KeyVault.Restore;

/// <summary>
/// Every operator-facing message of restore sessions, in one place. Shares are named by group and number, never by
/// their words; the session passphrase is never named.
/// </summary>
internal static class RestoreError
{
    private const string DamagedHint =
        "the session file was altered or damaged; start a new session and collect the shares again (the sheets are unaffected)";

    public static KeyVaultException NoSession(string dir) => new(ErrorKind.BadInput,
        $"{dir} holds no restore session ({RestoreSessionFormat.FileName} is missing)", "give the folder the session was started in");

    public static KeyVaultException SessionExists(string dir) => new(ErrorKind.OutputFailure,
        $"{dir} already holds a restore session; refusing to replace it", "add shares to that session, or choose another folder");

    public static KeyVaultException Damaged(string what) => new(ErrorKind.DamagedFile,
        $"the restore session file is damaged: {what}", DamagedHint);

    public static KeyVaultException UnsupportedVersion(int version) => new(ErrorKind.DamagedFile,
        $"the restore session file has format version {version}; this keyvault reads version {RestoreSessionFormat.Version} only",
        version > RestoreSessionFormat.Version ? "finish the session with a newer keyvault" : DamagedHint);

    public static KeyVaultException AuthenticationFailed() => new(ErrorKind.AuthenticationFailed,
        "wrong session passphrase or damaged session file (the authentication tag does not match)",
        "check the session passphrase (keyboard layout, caps lock); if it is right, the session file was altered");

    public static KeyVaultException CostTooHigh(string why) => new(ErrorKind.CostTooHigh,
        $"the session file asks for more key-derivation work than allowed: {why}",
        "a file this expensive was not written by keyvault");

    public static KeyVaultException ManifestChanged() => new(ErrorKind.DamagedFile,
        "the manifest copy in the session folder is not the one the session was started with",
        "put back the manifest.json the session was started with, unchanged");

    public static KeyVaultException Duplicate(string slot, DateTimeOffset addedAt) => new(ErrorKind.BadInput,
        $"share {slot} is already in the session (added {addedAt:yyyy-MM-dd HH:mm} UTC); nothing changed",
        "each custodian adds their share once; the session keeps it");

    public static KeyVaultException ChangedMeanwhile() => new(ErrorKind.OutputFailure,
        "the session was changed by another process since it was opened; nothing was written",
        "add the share again (one custodian at a time)");

    public static KeyVaultException TooManyShares(int max) => new(ErrorKind.BadInput,
        $"the session already holds {max} shares, the most it keeps", "finish the session");

    public static KeyVaultException IdentityTooLong(int length, int max) => new(ErrorKind.BadInput,
        $"the restore identity is {length} bytes; at most {max} are kept");

    public static KeyVaultException BadKdf(string why) => new(ErrorKind.BadInput,
        $"these Argon2 parameters cannot protect a session: {why}",
        "use the defaults, or parameters within the key file's limits (docs/key-file-format.md)");

    public static KeyVaultException OtherManifestInFolder(string path) => new(ErrorKind.OutputFailure,
        $"{path} exists and is not the manifest given; refusing to replace it",
        "start the session in an empty folder");

    public static KeyVaultException WriteFailed(string path, string reason, Exception inner) => new(ErrorKind.OutputFailure,
        $"could not write {path}: {reason}; the session is as it was before", "check the folder is writable and has space", inner);
}
