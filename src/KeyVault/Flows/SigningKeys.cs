using KeyVault.Errors;
using KeyVault.Interaction;
using KeyVault.IO;
using KeyVault.KeyFile;
using KeyVault.Keys;

namespace KeyVault.Flows;

/// <summary>
/// Opens the cold key for one signature, in memory: from its encrypted key file or from its shares. The caller signs
/// and disposes the key, which wipes it; nothing is written.
/// </summary>
public static class SigningKeys
{
    /// <summary>Checks what can be checked before any passphrase or share is asked for.</summary>
    /// <exception cref="KeyVaultException">Neither or both of a key file and share files, or a named input is missing.</exception>
    public static void Precheck(SigningKeySource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        bool fromShares = source.ShareFiles.Count > 0;
        if ((source.KeyFile is null) == !fromShares)
            throw new KeyVaultException(ErrorKind.Usage, "the key to sign with comes from one key file or from share files",
                "name one key file, or one share file per share");
        if (source.PassphraseFile is not null && source.KeyFile is null)
            throw new KeyVaultException(ErrorKind.Usage, "a passphrase file opens a key file, and no key file was given",
                "name the key file too, or leave out the passphrase file");
        if (!fromShares && (source.Slip39PassphraseFile is not null || source.Identities.Count > 0))
            throw new KeyVaultException(ErrorKind.Usage, "a SLIP-0039 passphrase file and identities open shares, and no share file was given",
                "name one share file per share, or leave those out");
        if (new[] { source.KeyFile, source.PassphraseFile, source.Slip39PassphraseFile }.Concat(source.ShareFiles).Concat(source.Identities)
                .Count(p => p == "-") > 1)
            throw new KeyVaultException(ErrorKind.Usage, "only one input can come from standard input (-)", "put the other one in a file");
        foreach (var path in new[] { source.KeyFile }.Concat(source.ShareFiles).Concat(source.Identities))
            if (path is not null && path != "-" && !File.Exists(path))
                throw new KeyVaultException(ErrorKind.Usage, $"{path} does not exist", "check the path");
    }

    /// <summary>
    /// Opens the key: asks for (or reads) the key file's passphrase and decrypts it with progress shown, or rebuilds the
    /// key from the shares. When <paramref name="expectedPublicKey"/> is given, a key file or shares of another key are
    /// refused before anything is signed.
    /// </summary>
    public static SecretKey Open(IOperator op, SigningKeySource source, PublicKey? expectedPublicKey = null)
    {
        ArgumentNullException.ThrowIfNull(op);
        Precheck(source);
        SecretKey key;
        if (source.KeyFile is { } keyFile)
        {
            var header = EncryptedKeyFile.Parse(Inputs.ReadAll(op, keyFile));
            if (expectedPublicKey is not null) RequireKey(header.PublicKey, expectedPublicKey, Inputs.Describe(keyFile));
            using var passphrase = Inputs.ExistingPassphrase(op, source.PassphraseFile, Inputs.KeyFilePrompt(keyFile));
            key = header.Decrypt(passphrase, op.KdfProgress("decrypting"));
        }
        else
        {
            key = RestoreFlow.FromShares(op, source.ShareFiles, source.Slip39PassphraseFile, source.Identities, out _);
        }
        if (expectedPublicKey is not null)
        {
            try
            {
                RequireKey(key.PublicKey, expectedPublicKey, "the shares");
            }
            catch
            {
                key.Dispose();
                throw;
            }
        }
        op.Note($"opened key {key.PublicKey.Fingerprint} in memory; it is wiped when the signature is made");
        return key;
    }

    private static void RequireKey(PublicKey actual, PublicKey expected, string what)
    {
        if (!actual.Equals(expected))
            throw new KeyVaultException(ErrorKind.IdentityMismatch,
                $"{what} hold key {actual.Fingerprint}, not the expected key {expected.Fingerprint}", "give the backup of the expected key");
    }
}
