using System.Security.Cryptography;
using KeyVault.Errors;
using KeyVault.IO;
using KeyVault.Interaction;
using KeyVault.Keys;

namespace KeyVault.KeyFile;

/// <summary>How a key file's bytes are laid out on disk.</summary>
public enum KeyFileEncoding
{
    /// <summary>The binary form, starting with the 8-byte magic.</summary>
    Binary,
    /// <summary>The ASCII-armored form (strict PEM, 64-character base64 lines) for paper and QR codes.</summary>
    Armored,
}

/// <summary>
/// The passphrase-encrypted key file (docs/key-file-format.md): Argon2id derives an AES-256-GCM key from the
/// passphrase; the whole header, which names the public key, is authenticated.
/// </summary>
public static class EncryptedKeyFile
{
    /// <summary>
    /// Encrypts <paramref name="key"/> under <paramref name="passphrase"/> and returns the binary file. Refuses
    /// parameters outside the format's rules or above <see cref="KdfLimits.Default"/>, and labels the format forbids.
    /// </summary>
    public static byte[] Encrypt(SecretKey key, Passphrase passphrase, KdfParameters kdf, string? label = null,
        IProgress<KdfProgress>? progress = null) =>
        Encrypt(key, passphrase, kdf, label, progress, static buffer => RandomNumberGenerator.Fill(buffer));

    /// <summary>The same with an injected random source, so vectors can be generated deterministically.</summary>
    internal static byte[] Encrypt(SecretKey key, Passphrase passphrase, KdfParameters kdf, string? label,
        IProgress<KdfProgress>? progress, Action<Span<byte>> random)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(passphrase);
        ArgumentNullException.ThrowIfNull(kdf);
        var labelUtf8 = ValidateForWriting(kdf, label);

        Span<byte> salt = stackalloc byte[KeyFileFormat.WrittenSaltLength];
        Span<byte> nonce = stackalloc byte[KeyFileFormat.NonceLength];
        random(salt);
        random(nonce);
        var header = KeyFileFormat.WriteHeader(kdf, salt, nonce, key.PublicKey, labelUtf8);

        var fileKey = Argon2Kdf.DeriveFileKey(passphrase.Utf8, salt, kdf, progress);
        try
        {
            var file = new byte[header.Length + KeyFileFormat.CiphertextLength + KeyFileFormat.TagLength];
            header.CopyTo(file, 0);
            using var gcm = new AesGcm(fileKey, KeyFileFormat.TagLength);
            gcm.Encrypt(nonce, key.Span,
                file.AsSpan(header.Length, KeyFileFormat.CiphertextLength),
                file.AsSpan(header.Length + KeyFileFormat.CiphertextLength, KeyFileFormat.TagLength),
                header);
            return file;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(fileKey);
        }
    }

    /// <summary>
    /// Decrypts <paramref name="file"/> again with <paramref name="passphrase"/> and checks that it yields
    /// <paramref name="expected"/>, so a key file is only written once it is known to open.
    /// </summary>
    public static void VerifyOpens(byte[] file, Passphrase passphrase, PublicKey expected, IProgress<KdfProgress>? progress = null)
    {
        var header = Parse(file);
        using var key = header.Decrypt(passphrase, progress);
        if (!key.PublicKey.Equals(expected) || !header.PublicKey.Equals(expected))
            throw new KeyVaultException(ErrorKind.OutputFailure, "the new key file did not decrypt to the same key; nothing was written",
                "please report this; your existing key and files are unchanged");
    }

    /// <summary>
    /// Throws the BadInput errors <see cref="Encrypt(SecretKey, Passphrase, KdfParameters, string?, IProgress{KdfProgress}?)"/>
    /// would throw for these parameters and label, without any work, so callers can check before asking for secrets.
    /// </summary>
    public static void CheckWritable(KdfParameters kdf, string? label) => ValidateForWriting(kdf, label);

    private static byte[] ValidateForWriting(KdfParameters kdf, string? label)
    {
        ArgumentNullException.ThrowIfNull(kdf);
        if (!kdf.IsStructurallyValid) throw KeyFileError.WriteParametersInvalid(kdf);
        if (KdfLimits.Default.Exceeded(kdf) is { } why) throw KeyFileError.WriteParametersAboveCaps(why);
        return KeyFileFormat.EncodeLabel(label);
    }

    /// <summary>
    /// Reads a key file, binary or armored, without the passphrase. Throws <see cref="ErrorKind.DamagedFile"/> for
    /// anything that is not exactly a version-1 key file.
    /// </summary>
    public static KeyFileHeader Parse(ReadOnlySpan<byte> content) => new(KeyFileFormat.Parse(content));

    /// <summary>True when <paramref name="content"/> starts like a key file (binary magic or armor BEGIN line).</summary>
    public static bool LooksLikeKeyFile(ReadOnlySpan<byte> content) => KeyFileFormat.LooksLikeKeyFile(content);

    /// <summary>The armored form of a binary key file, as ASCII bytes.</summary>
    public static byte[] ToArmored(ReadOnlySpan<byte> binaryFile) => Parse(binaryFile).ToArmored();
}

/// <summary>
/// A parsed key file: everything its header says, readable without the passphrase, and <see cref="Decrypt"/>.
/// </summary>
public sealed class KeyFileHeader
{
    private readonly KeyFileLayout _layout;

    internal KeyFileHeader(KeyFileLayout layout) => _layout = layout;

    /// <summary>The format version (1).</summary>
    public int Version => KeyFileFormat.Version;

    /// <summary>Whether the file was binary or armored.</summary>
    public KeyFileEncoding Encoding => _layout.Encoding;

    /// <summary>The Argon2id parameters the file asks for.</summary>
    public KdfParameters Kdf => _layout.Kdf;

    /// <summary>Length of the salt in bytes.</summary>
    public int SaltLength => _layout.Salt.Length;

    /// <summary>The public key of the encrypted key, from the authenticated header.</summary>
    public PublicKey PublicKey => _layout.PublicKey;

    /// <summary>The operator's label, or null.</summary>
    public string? Label => _layout.Label;

    /// <summary>The file in binary form.</summary>
    public byte[] ToBinary() => (byte[])_layout.Binary.Clone();

    /// <summary>The file in armored form, as ASCII bytes.</summary>
    public byte[] ToArmored() => KeyFileFormat.Armor(_layout.Binary);

    /// <summary>The file in the encoding it was read in.</summary>
    public byte[] ToOriginalEncoding() => Encoding == KeyFileEncoding.Armored ? ToArmored() : ToBinary();

    /// <summary>
    /// Decrypts the key. Checks <paramref name="limits"/> (default <see cref="KdfLimits.Default"/>) before any work,
    /// then Argon2id, AES-256-GCM with the header as associated data, and finally that the key matches the header's
    /// public key. Throws CostTooHigh, AuthenticationFailed ("wrong passphrase or damaged file") or DamagedFile.
    /// </summary>
    public SecretKey Decrypt(Passphrase passphrase, IProgress<KdfProgress>? progress = null, KdfLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(passphrase);
        (limits ?? KdfLimits.Default).Enforce(_layout.Kdf);
        var fileKey = Argon2Kdf.DeriveFileKey(passphrase.Utf8, _layout.Salt, _layout.Kdf, progress);
        var scalar = GC.AllocateArray<byte>(KeyFileFormat.CiphertextLength, pinned: true);
        try
        {
            using (var gcm = new AesGcm(fileKey, KeyFileFormat.TagLength))
            {
                try
                {
                    gcm.Decrypt(_layout.Nonce, _layout.Ciphertext, _layout.Tag, scalar, _layout.Header);
                }
                catch (AuthenticationTagMismatchException)
                {
                    throw KeyFileError.AuthenticationFailed();
                }
            }
            var key = SecretKey.TryFromBytes(scalar) ?? throw KeyFileError.DecryptedKeyInvalid();
            if (!key.PublicKey.Equals(_layout.PublicKey))
            {
                key.Dispose();
                throw KeyFileError.PublicKeyMismatch();
            }
            return key;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(fileKey);
            CryptographicOperations.ZeroMemory(scalar);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"KeyFileHeader(v{Version}, {Kdf}, {PublicKey.Fingerprint})";
}
