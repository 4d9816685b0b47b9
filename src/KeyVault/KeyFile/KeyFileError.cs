using KeyVault.Errors;

namespace KeyVault.KeyFile;

/// <summary>
/// Every operator-facing message of the key-file layer. Messages name fields, offsets and limits, never a secret.
/// </summary>
internal static class KeyFileError
{
    private const string DamagedHint =
        "this file cannot be opened; use another copy of the key file or restore the key from its Shamir shares";

    public static KeyVaultException NotAKeyFile() => new(ErrorKind.DamagedFile,
        "this is not a KeyVault key file (neither the binary magic nor the armor BEGIN line is at the start)",
        "check that the path names the key file, not the key itself or another file");

    public static KeyVaultException UnsupportedVersion(int version) => new(ErrorKind.DamagedFile,
        $"the key file has format version {version}; this version of KeyVault reads version {KeyFileFormat.Version} only",
        version > KeyFileFormat.Version ? "open it with a newer KeyVault" : DamagedHint);

    public static KeyVaultException Truncated(string field, int length) => new(ErrorKind.DamagedFile,
        $"the key file is truncated: it ends after {length} bytes, inside the {field}", DamagedHint);

    public static KeyVaultException TrailingBytes(int extra) => new(ErrorKind.DamagedFile,
        $"the key file has {extra} unexpected byte{(extra == 1 ? "" : "s")} after its authentication tag", DamagedHint);

    public static KeyVaultException BadKdfParameters(KdfParameters p) => new(ErrorKind.DamagedFile,
        $"the key file's Argon2 parameters are invalid (memory {p.MemoryKiB} KiB, {p.Iterations} passes, {p.Parallelism} lanes; " +
        "the format needs at least 1 pass, 1 lane and 8 KiB per lane)", DamagedHint);

    public static KeyVaultException BadSaltLength(int length) => new(ErrorKind.DamagedFile,
        $"the key file's salt length is {length}; the format allows {KeyFileFormat.MinSaltLength} to {KeyFileFormat.MaxSaltLength} bytes", DamagedHint);

    public static KeyVaultException BadPublicKey() => new(ErrorKind.DamagedFile,
        "the public key in the key file header is not a valid compressed secp256k1 point", DamagedHint);

    public static KeyVaultException BadLabelLength(int length) => new(ErrorKind.DamagedFile,
        $"the key file's label length is {length} bytes; the format allows at most {KeyFileFormat.MaxLabelBytes}", DamagedHint);

    public static KeyVaultException BadLabel(string why) => new(ErrorKind.DamagedFile,
        $"the key file's label is not allowed: {why}", DamagedHint);

    public static KeyVaultException ArmorNotCanonical(string why, string hint) => new(ErrorKind.DamagedFile,
        $"the armored key file is not in canonical form: {why}", hint);

    public static KeyVaultException AuthenticationFailed() => new(ErrorKind.AuthenticationFailed,
        "wrong passphrase or damaged file (the authentication tag does not match)",
        "check the passphrase (keyboard layout, caps lock); if it is right, the file was altered: use another copy");

    public static KeyVaultException DecryptedKeyInvalid() => new(ErrorKind.DamagedFile,
        "the key file decrypts, but to a value that is not a valid secp256k1 private key; the file was made by faulty or hostile software",
        "do not use this file; restore the key from another copy or its Shamir shares");

    public static KeyVaultException PublicKeyMismatch() => new(ErrorKind.DamagedFile,
        "the key file decrypts, but the key does not match the public key in its header; the file was made by faulty or hostile software",
        "do not use this file; restore the key from another copy or its Shamir shares");

    public static KeyVaultException CostTooHigh(string why) => new(ErrorKind.CostTooHigh,
        $"the key file asks for more key-derivation work than allowed: {why}",
        "a file this expensive was not written by keyvault; if you trust it, open it with a build that raises the limits");

    public static KeyVaultException WriteParametersInvalid(KdfParameters p) => new(ErrorKind.BadInput,
        $"invalid Argon2 parameters: memory {p.MemoryKiB} KiB, {p.Iterations} passes, {p.Parallelism} lanes",
        "use at least 1 pass, 1 lane and 8 KiB of memory per lane");

    public static KeyVaultException WriteParametersAboveCaps(string why) => new(ErrorKind.BadInput,
        $"these Argon2 parameters exceed what any KeyVault will open: {why}",
        "lower the memory, passes or lanes (limits are in docs/key-file-format.md)", code: ErrorCodes.KdfCostTooHigh);

    public static KeyVaultException LabelRejected(string why) => new(ErrorKind.BadInput,
        $"the label is not allowed: {why}",
        $"use one line of at most {KeyFileFormat.MaxLabelBytes} UTF-8 bytes without control characters, e.g. \"sBTC signer mainnet 2026\"");
}
