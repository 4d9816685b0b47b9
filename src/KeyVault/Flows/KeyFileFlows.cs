using KeyVault.Interaction;
using KeyVault.IO;
using KeyVault.Keys;
using KeyVault.KeyFile;

namespace KeyVault.Flows;

/// <summary>A new key file as a front end asks for it.</summary>
/// <param name="Path">Where to write it (created new, mode 0600).</param>
/// <param name="Kdf">Argon2id parameters.</param>
/// <param name="Label">A label stored, authenticated, in the file, or null.</param>
/// <param name="Armored">Write the ASCII-armored form instead of binary.</param>
/// <param name="Overwrite">Replace an existing file at <paramref name="Path"/> (still atomically: the old or the new file is in place at every moment).</param>
public sealed record KeyFileSaveRequest(string Path, KdfParameters Kdf, string? Label = null, bool Armored = false, bool Overwrite = false);

/// <summary>What was saved.</summary>
/// <param name="Path">The key file written.</param>
/// <param name="PublicKey">The key it holds.</param>
/// <param name="Label">Its label as stored, or null.</param>
/// <param name="Kdf">Its Argon2id parameters.</param>
/// <param name="Armored">True for the armored form.</param>
public sealed record KeyFileSaved(string Path, PublicKey PublicKey, string? Label, KdfParameters Kdf, bool Armored);

/// <summary>Argon2id parameters to change; each value left null keeps the file's own.</summary>
/// <param name="MemoryKiB">Memory in KiB, or null.</param>
/// <param name="Iterations">Passes, or null.</param>
/// <param name="Parallelism">Lanes, or null.</param>
public sealed record KdfChange(long? MemoryKiB = null, long? Iterations = null, long? Parallelism = null)
{
    /// <summary>No change.</summary>
    public static KdfChange None { get; } = new();

    /// <summary>True when any parameter is changed.</summary>
    public bool Any => MemoryKiB is not null || Iterations is not null || Parallelism is not null;

    /// <summary><paramref name="baseline"/> with the given values in place of its own.</summary>
    public KdfParameters ApplyTo(KdfParameters baseline)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        return new(MemoryKiB ?? baseline.MemoryKiB, Iterations ?? baseline.Iterations, Parallelism ?? baseline.Parallelism);
    }
}

/// <summary>A key file's passphrase or parameters changed in place, as a front end asks for it.</summary>
/// <param name="Path">The key file (a path; it is replaced, so standard input cannot stand for it).</param>
/// <param name="PassphraseFile">The current passphrase's file, or null to ask.</param>
/// <param name="NewPassphraseFile">The new passphrase's file, or null to ask twice; must be null with <paramref name="KeepPassphrase"/>.</param>
/// <param name="KeepPassphrase">Keep the passphrase and change only the parameters.</param>
/// <param name="Kdf">The parameters to change (the file's own are kept otherwise).</param>
/// <param name="AcceptWeak">The operator accepts a new passphrase below the strength floor.</param>
public sealed record PassphraseChangeRequest(string Path, string? PassphraseFile, string? NewPassphraseFile, bool KeepPassphrase, KdfChange Kdf,
    bool AcceptWeak = false);

/// <summary>What a passphrase change did.</summary>
/// <param name="Path">The key file replaced.</param>
/// <param name="Kdf">Its Argon2id parameters now.</param>
/// <param name="KeptPassphrase">True when the passphrase is the old one.</param>
public sealed record PassphraseChanged(string Path, KdfParameters Kdf, bool KeptPassphrase);

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
        using var oldPassphrase = Inputs.ExistingPassphrase(op, request.PassphraseFile, "Current passphrase: ");
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
