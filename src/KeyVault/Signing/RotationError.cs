using KeyVault.Errors;
using KeyVault.Keys;

namespace KeyVault.Signing;

/// <summary>The errors of a successor statement, each with what to do.</summary>
internal static class RotationError
{
    public static KeyVaultException Malformed(string detail) => new(ErrorKind.DamagedFile,
        $"the successor statement is damaged or not one: {detail}", "use the statement file as the old key's holder wrote it");

    public static KeyVaultException SameKey() => new(ErrorKind.BadInput,
        "the successor is the old key itself", "name the new key's public key: generate the new key first, at its own ceremony");

    public static KeyVaultException NotAnnounced(string problem) => new(ErrorKind.DamagedFile,
        $"the old key's signature does not hold: {problem}", "accept only a statement the old key signed, as its holder wrote it");

    public static KeyVaultException AlreadyAccepted() => new(ErrorKind.BadInput,
        "the statement already carries an acceptance", "verify it instead; it needs no second acceptance");

    public static KeyVaultException OtherNewKey(PublicKey named, PublicKey opened) => new(ErrorKind.IdentityMismatch,
        $"the statement names key {named.Fingerprint} as the successor, but the key opened is {opened.Fingerprint}",
        "accept with the key the statement names (check the key file or shares), or have the old key name this one");
}
