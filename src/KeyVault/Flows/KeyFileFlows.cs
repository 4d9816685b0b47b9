using KeyVault.IO;
using KeyVault.Interaction;
using KeyVault.KeyFile;
using KeyVault.Keys;

namespace KeyVault.Flows;

/// <summary>
/// Writing an encrypted key file so that no wrong or partial file is ever left: every key file KeyVault writes (a new
/// one from <c>generate</c>, <c>import</c>, <c>combine</c> and <c>restore finish</c>, a re-encrypted one from
/// <c>passwd</c>, the ceremony's) is encrypted and proven to open to the same key before a byte reaches the disk
/// (<see cref="Seal"/>), then written new with mode 0600 atomically and read back, or atomically replaced.
/// </summary>
public static class KeyFileFlows
{
    /// <summary>Checks, before any secret is asked for, that the file can be written: its name is free (or may be replaced), parameters and label are valid.</summary>
    public static void Precheck(KeyFileSaveRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        AtomicFile.RequireAbsent(request.Path, request.Overwrite);
        EncryptedKeyFile.CheckWritable(request.Kdf, request.Label);
    }

    /// <summary>
    /// The key file's bytes for <paramref name="key"/> under <paramref name="passphrase"/>: encrypted, and opened again
    /// with the same passphrase to the same key, so a fault in the derivation or the cipher never reaches a file.
    /// Warns when the parameters are weaker than the default.
    /// </summary>
    public static byte[] Seal(IOperator op, SecretKey key, Passphrase passphrase, KdfParameters kdf, string? label, bool armored)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(passphrase);
        WarnIfWeak(op, kdf);
        var binary = EncryptedKeyFile.Encrypt(key, passphrase, kdf, label, op.KdfProgress("encrypting"));
        var content = armored ? EncryptedKeyFile.ToArmored(binary) : binary;
        EncryptedKeyFile.VerifyOpens(content, passphrase, key.PublicKey, op.KdfProgress("verifying"));
        return content;
    }

    /// <summary>
    /// Saves <paramref name="key"/> as a new key file: <see cref="Seal"/>, then written new (0600, atomic, never
    /// replacing unless the request allows it) and read back; a file that reads back differently is removed.
    /// </summary>
    public static KeyFileSaved Save(IOperator op, KeyFileSaveRequest request, SecretKey key, Passphrase passphrase)
    {
        ArgumentNullException.ThrowIfNull(request);
        var content = Seal(op, key, passphrase, request.Kdf, request.Label, request.Armored);
        if (request.Overwrite && File.Exists(request.Path))
            AtomicFile.Replace(request.Path, content);
        else
            AtomicFile.WriteVerified(request.Path, content);
        return new KeyFileSaved(request.Path, key.PublicKey, EncryptedKeyFile.Parse(content).Label, request.Kdf, request.Armored);
    }

    /// <summary>
    /// Re-encrypts a key file in place under a new passphrase and/or new parameters. The file is locked for the whole
    /// change (a second run on it fails at once), what a killed change left beside it is removed, the key is opened
    /// with the current passphrase, and the new file, proven to open to the same key, atomically replaces the old one
    /// in its own form (binary or armored). A failure at any step leaves the old file as it was.
    /// </summary>
    public static PassphraseChanged ChangePassphrase(IOperator op, PassphraseChangeRequest request)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(request);
        if (request.KeepPassphrase && request.NewPassphraseFile is not null)
            throw new ArgumentException("a new passphrase file was given while the passphrase is kept", nameof(request));
        // Held until the new file is in place: a second change of the same file fails instead of both "succeeding".
        using var locked = LockedFile.Open(request.Path);
        FileSet.NoteLeftovers(op, AtomicFile.RemoveStaleReplacements(request.Path));
        var header = EncryptedKeyFile.Parse(locked.ReadAll());
        var kdf = request.Kdf.ApplyTo(header.Kdf);
        EncryptedKeyFile.CheckWritable(kdf, header.Label);

        // A new passphrase from a file is judged before the current one is asked: a weak or unreadable file costs no
        // unlock. A typed one is asked after the current one, the order a person expects.
        using var newFromFile = request.KeepPassphrase || request.NewPassphraseFile is null ? null
            : Inputs.NewPassphrase(op, request.NewPassphraseFile, acceptWeak: request.AcceptWeak);
        using var oldPassphrase = Inputs.ExistingPassphrase(op, request.PassphraseFile, Inputs.KeyFilePrompt(request.Path, "Current passphrase"));
        using var key = header.Decrypt(oldPassphrase, op.KdfProgress("decrypting"));
        using var typedNew = request.KeepPassphrase || newFromFile is not null ? null : Inputs.NewPassphrase(op, null, acceptWeak: request.AcceptWeak);
        var content = Seal(op, key, newFromFile ?? typedNew ?? oldPassphrase, kdf, header.Label, header.Encoding == KeyFileEncoding.Armored);
        AtomicFile.Replace(request.Path, content);
        return new PassphraseChanged(request.Path, kdf, request.KeepPassphrase);
    }

    /// <summary>Warns when <paramref name="kdf"/> is weaker than the default (tests and experiments use such values).</summary>
    public static void WarnIfWeak(IOperator op, KdfParameters kdf)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(kdf);
        if (kdf.IsWeakerThanDefault)
            op.Warn($"{kdf} is weaker than the default ({KdfParameters.Default}); a stolen file is cheaper to attack");
    }
}
