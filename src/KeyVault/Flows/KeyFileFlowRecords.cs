using KeyVault.KeyFile;
using KeyVault.Keys;

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
