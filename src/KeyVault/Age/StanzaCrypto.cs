using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Math.EC.Rfc7748;

namespace KeyVault.Age;

/// <summary>
/// Wrapping and unwrapping of the file key for the two recipient types KeyVault implements. Both are an X25519
/// key agreement with a fresh ephemeral key, HKDF-SHA-256 over the shared secret, and ChaCha20-Poly1305 with an
/// all-zero nonce; ssh-ed25519 adds a tweak scalar and a 4-byte key tag.
/// </summary>
internal static class StanzaCrypto
{
    public const string X25519Type = "X25519";
    public const string SshEd25519Type = "ssh-ed25519";
    public const int FileKeyLength = 16;
    public const int PointLength = 32;
    public const int WrappedLength = FileKeyLength + 16;

    public static readonly byte[] X25519Label = "age-encryption.org/v1/X25519"u8.ToArray();
    public static readonly byte[] SshEd25519Label = "age-encryption.org/v1/ssh-ed25519"u8.ToArray();

    /// <summary>tweak = HKDF-SHA-256(ikm = empty, salt = SSH wire blob, info = "age-encryption.org/v1/ssh-ed25519").</summary>
    public static byte[] SshTweak(ReadOnlySpan<byte> sshBlob)
    {
        // RFC 5869 written out, because the platform HKDF refuses an empty input key.
        // Extract: PRK = HMAC(salt, IKM); Expand, one block: T(1) = HMAC(PRK, info ‖ 0x01).
        Span<byte> prk = stackalloc byte[32];
        HMACSHA256.HashData(sshBlob, ReadOnlySpan<byte>.Empty, prk);
        var tweak = new byte[32];
        HMACSHA256.HashData(prk, [.. SshEd25519Label, (byte)1], tweak);
        return tweak;
    }

    /// <summary>The stanza tag of an SSH key: unpadded base64 of the first 4 bytes of SHA-256 of its wire blob.</summary>
    public static string SshTag(ReadOnlySpan<byte> sshBlob) => StrictBase64.EncodeRaw(SHA256.HashData(sshBlob).AsSpan(0, 4));

    /// <summary>
    /// Wraps <paramref name="fileKey"/> to an X25519 public key (for ssh-ed25519: the converted Montgomery key,
    /// with <paramref name="tweak"/> applied to the shared secret). Returns the ephemeral share and the body.
    /// False if the recipient key is of low order (the shared secret would be all zero).
    /// </summary>
    public static bool TryWrap(ReadOnlySpan<byte> fileKey, ReadOnlySpan<byte> recipientPoint, ReadOnlySpan<byte> tweak,
        byte[] label, out byte[] share, out byte[] body)
    {
        share = new byte[PointLength];
        body = new byte[WrappedLength];
        Span<byte> ephemeral = stackalloc byte[32];
        Span<byte> shared = stackalloc byte[32];
        try
        {
            RandomNumberGenerator.Fill(ephemeral);
            X25519.ScalarMultBase(ephemeral, share);
            if (!X25519.CalculateAgreement(ephemeral, recipientPoint, shared)) return false;
            if (!tweak.IsEmpty && !ApplyTweak(tweak, shared)) return false;
            Seal(shared, share, recipientPoint, label, fileKey, body);
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ephemeral);
            CryptographicOperations.ZeroMemory(shared);
        }
    }

    /// <summary>
    /// Unwraps with an X25519 scalar (for ssh-ed25519: SHA-512(seed)[:32], then the tweak). Returns false when the
    /// body does not authenticate (the stanza is for another key); throws for an all-zero shared secret.
    /// <paramref name="ourPoint"/> is the public key that went into the salt.
    /// </summary>
    public static bool TryUnwrap(ReadOnlySpan<byte> scalar, ReadOnlySpan<byte> ourPoint, ReadOnlySpan<byte> tweak, byte[] label,
        ReadOnlySpan<byte> share, ReadOnlySpan<byte> body, Span<byte> fileKey, int stanzaIndex, string type)
    {
        Span<byte> shared = stackalloc byte[32];
        Span<byte> wrapKey = stackalloc byte[32];
        try
        {
            if (!X25519.CalculateAgreement(scalar, share, shared)) throw AgeError.LowOrderShare(stanzaIndex, type);
            if (!tweak.IsEmpty && !ApplyTweak(tweak, shared)) throw AgeError.LowOrderShare(stanzaIndex, type);
            DeriveWrapKey(shared, share, ourPoint, label, wrapKey);
            using var aead = new ChaCha20Poly1305(wrapKey);
            try
            {
                aead.Decrypt(stackalloc byte[12], body[..FileKeyLength], body[FileKeyLength..], fileKey);
                return true;
            }
            catch (AuthenticationTagMismatchException)
            {
                return false;
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(shared);
            CryptographicOperations.ZeroMemory(wrapKey);
        }
    }

    // shared = X25519(tweak, shared), through a separate buffer so input and output never alias.
    private static bool ApplyTweak(ReadOnlySpan<byte> tweak, Span<byte> shared)
    {
        Span<byte> tweaked = stackalloc byte[32];
        try
        {
            bool ok = X25519.CalculateAgreement(tweak, shared, tweaked);
            tweaked.CopyTo(shared);
            return ok;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(tweaked);
        }
    }

    private static void Seal(ReadOnlySpan<byte> shared, ReadOnlySpan<byte> share, ReadOnlySpan<byte> recipientPoint, byte[] label,
        ReadOnlySpan<byte> fileKey, Span<byte> body)
    {
        Span<byte> wrapKey = stackalloc byte[32];
        try
        {
            DeriveWrapKey(shared, share, recipientPoint, label, wrapKey);
            using var aead = new ChaCha20Poly1305(wrapKey);
            aead.Encrypt(stackalloc byte[12], fileKey, body[..FileKeyLength], body[FileKeyLength..]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(wrapKey);
        }
    }

    // wrap key = HKDF-SHA-256(ikm = shared secret, salt = ephemeral share ‖ recipient point, info = label)
    private static void DeriveWrapKey(ReadOnlySpan<byte> shared, ReadOnlySpan<byte> share, ReadOnlySpan<byte> recipientPoint,
        byte[] label, Span<byte> wrapKey)
    {
        Span<byte> salt = stackalloc byte[2 * PointLength];
        share.CopyTo(salt);
        recipientPoint.CopyTo(salt[PointLength..]);
        HKDF.DeriveKey(HashAlgorithmName.SHA256, shared, wrapKey, salt, label);
    }

    /// <summary>Checks the shape the specification requires of a recognised stanza; throws <see cref="AgeException"/> (header).</summary>
    public static byte[] CheckShape(AgeStanza stanza, int index, int argumentCount)
    {
        if (stanza.Arguments.Count != argumentCount)
            throw AgeError.Stanza(index, stanza.Type, $"it has {stanza.Arguments.Count - 1} arguments after the type; it must have {argumentCount - 1}");
        var share = new byte[PointLength];
        if (!StrictBase64.TryDecodeRaw(Encoding.ASCII.GetBytes(stanza.Arguments[^1]), share))
            throw AgeError.Stanza(index, stanza.Type, "the ephemeral share is not canonical unpadded base64 of 32 bytes");
        // Checked before any decryption, so a wrong length cannot be used as a partitioning oracle.
        if (stanza.Body.Length != WrappedLength)
            throw AgeError.Stanza(index, stanza.Type, $"the body is {stanza.Body.Length} bytes; it must be {WrappedLength}");
        return share;
    }
}
