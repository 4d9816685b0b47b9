using System.Buffers.Binary;
using System.Security.Cryptography;

namespace KeyVault.Age;

/// <summary>
/// The part of HPKE (RFC 9180) the tagged and hybrid age stanzas use: the base-mode key schedule over a KEM's shared
/// secret with HKDF-SHA-256 and ChaCha20-Poly1305, and one seal or open at sequence number 0 (the file key, no
/// additional data). The KEMs themselves are in <see cref="P256"/> and <see cref="XWing"/>.
/// </summary>
internal static class Hpke
{
    public const ushort DhKemP256 = 0x0010;
    public const ushort MlKem768X25519 = 0x647a;
    private const ushort HkdfSha256 = 0x0001;
    private const ushort ChaCha20Poly1305Id = 0x0003;

    private static ReadOnlySpan<byte> Version => "HPKE-v1"u8;

    /// <summary>suite_id = "KEM" ‖ I2OSP(kem_id, 2), for the KEM's own derivations.</summary>
    public static byte[] KemSuite(ushort kem) => [.. "KEM"u8, .. Be16(kem)];

    /// <summary>suite_id = "HPKE" ‖ I2OSP(kem_id, 2) ‖ I2OSP(kdf_id, 2) ‖ I2OSP(aead_id, 2).</summary>
    private static byte[] Suite(ushort kem) => [.. "HPKE"u8, .. Be16(kem), .. Be16(HkdfSha256), .. Be16(ChaCha20Poly1305Id)];

    private static byte[] Be16(ushort v)
    {
        var b = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(b, v);
        return b;
    }

    /// <summary>LabeledExtract(salt, label, ikm) = HKDF-Extract(salt, "HPKE-v1" ‖ suite_id ‖ label ‖ ikm).</summary>
    public static void LabeledExtract(ReadOnlySpan<byte> suite, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> label, ReadOnlySpan<byte> ikm, Span<byte> prk)
    {
        var labeled = GC.AllocateArray<byte>(Version.Length + suite.Length + label.Length + ikm.Length, pinned: true);
        try
        {
            Version.CopyTo(labeled);
            suite.CopyTo(labeled.AsSpan(Version.Length));
            label.CopyTo(labeled.AsSpan(Version.Length + suite.Length));
            ikm.CopyTo(labeled.AsSpan(Version.Length + suite.Length + label.Length));
            HKDF.Extract(HashAlgorithmName.SHA256, labeled, salt, prk);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(labeled);
        }
    }

    /// <summary>LabeledExpand(prk, label, info, L) = HKDF-Expand(prk, I2OSP(L, 2) ‖ "HPKE-v1" ‖ suite_id ‖ label ‖ info, L).</summary>
    public static void LabeledExpand(ReadOnlySpan<byte> suite, ReadOnlySpan<byte> prk, ReadOnlySpan<byte> label, ReadOnlySpan<byte> info, Span<byte> output)
    {
        byte[] labeled = [.. Be16((ushort)output.Length), .. Version, .. suite, .. label, .. info];
        HKDF.Expand(HashAlgorithmName.SHA256, prk, output, labeled);
    }

    /// <summary>
    /// KeySchedule(mode_base, shared_secret, info, psk = "", psk_id = "") and its first nonce (sequence 0): the AEAD key
    /// in <paramref name="key"/> (32 bytes) and nonce in <paramref name="nonce"/> (12 bytes).
    /// </summary>
    private static void KeySchedule(ushort kem, ReadOnlySpan<byte> sharedSecret, ReadOnlySpan<byte> info, Span<byte> key, Span<byte> nonce)
    {
        var suite = Suite(kem);
        Span<byte> context = stackalloc byte[1 + 32 + 32];
        Span<byte> secret = stackalloc byte[32];
        try
        {
            context[0] = 0x00; // mode_base
            LabeledExtract(suite, default, "psk_id_hash"u8, default, context.Slice(1, 32));
            LabeledExtract(suite, default, "info_hash"u8, info, context.Slice(33, 32));
            LabeledExtract(suite, sharedSecret, "secret"u8, default, secret);
            LabeledExpand(suite, secret, "key"u8, context, key);
            LabeledExpand(suite, secret, "base_nonce"u8, context, nonce);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>
    /// SealBase(pkR, info, aad = "", file key) of RFC 9180 §6.1 with the KEM <paramref name="kem"/> (DHKEM(P-256), pkR
    /// uncompressed, or MLKEM768-X25519): the 32-byte body, and the encapsulated key in <paramref name="enc"/>.
    /// </summary>
    public static byte[] SealBase(ushort kem, ReadOnlySpan<byte> recipient, ReadOnlySpan<byte> info, ReadOnlySpan<byte> fileKey, out byte[] enc)
    {
        Span<byte> shared = stackalloc byte[32];
        try
        {
            enc = kem switch
            {
                DhKemP256 => P256.Encapsulate(recipient, shared),
                MlKem768X25519 => XWing.Encapsulate(recipient, shared),
                _ => throw new ArgumentOutOfRangeException(nameof(kem)),
            };
            return Seal(kem, shared, info, fileKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(shared);
        }
    }

    /// <summary>Seals the 16-byte file key with the context of <paramref name="sharedSecret"/>; the body is 32 bytes.</summary>
    private static byte[] Seal(ushort kem, ReadOnlySpan<byte> sharedSecret, ReadOnlySpan<byte> info, ReadOnlySpan<byte> fileKey)
    {
        Span<byte> key = stackalloc byte[32];
        Span<byte> nonce = stackalloc byte[12];
        try
        {
            KeySchedule(kem, sharedSecret, info, key, nonce);
            var body = new byte[fileKey.Length + 16];
            using var aead = new ChaCha20Poly1305(key);
            aead.Encrypt(nonce, fileKey, body.AsSpan(0, fileKey.Length), body.AsSpan(fileKey.Length));
            return body;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(nonce);
        }
    }

    /// <summary>Opens a 32-byte body into <paramref name="fileKey"/>; false when it does not authenticate.</summary>
    public static bool Open(ushort kem, ReadOnlySpan<byte> sharedSecret, ReadOnlySpan<byte> info, ReadOnlySpan<byte> body, Span<byte> fileKey)
    {
        Span<byte> key = stackalloc byte[32];
        Span<byte> nonce = stackalloc byte[12];
        try
        {
            KeySchedule(kem, sharedSecret, info, key, nonce);
            using var aead = new ChaCha20Poly1305(key);
            try
            {
                aead.Decrypt(nonce, body[..^16], body[^16..], fileKey);
                return true;
            }
            catch (AuthenticationTagMismatchException)
            {
                return false;
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(nonce);
        }
    }
}
