using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Math.EC.Rfc7748;

namespace KeyVault.Age;

/// <summary>
/// Wrapping and unwrapping of the file key for the recipient types KeyVault implements. X25519 and ssh-ed25519 are an
/// X25519 key agreement with a fresh ephemeral key, HKDF-SHA-256 over the shared secret, and ChaCha20-Poly1305 with an
/// all-zero nonce; ssh-ed25519 adds a tweak scalar and a 4-byte key tag. piv-p256 is the same construction over P-256.
/// p256tag and mlkem768x25519 seal the file key with HPKE (<see cref="Hpke"/>) over DHKEM(P-256) and X-Wing.
/// </summary>
internal static class StanzaCrypto
{
    public const string X25519Type = "X25519";
    public const string SshEd25519Type = "ssh-ed25519";
    public const string P256TagType = "p256tag";
    public const string PivP256Type = "piv-p256";
    public const string HybridType = "mlkem768x25519";
    public const int FileKeyLength = 16;
    public const int PointLength = 32;
    public const int WrappedLength = FileKeyLength + 16;

    public static readonly byte[] X25519Label = "age-encryption.org/v1/X25519"u8.ToArray();
    public static readonly byte[] SshEd25519Label = "age-encryption.org/v1/ssh-ed25519"u8.ToArray();
    public static readonly byte[] P256TagLabel = "age-encryption.org/p256tag"u8.ToArray();
    public static readonly byte[] PivP256Label = "piv-p256"u8.ToArray();
    public static readonly byte[] HybridLabel = "age-encryption.org/mlkem768x25519"u8.ToArray();
    public const int TagLength = 4;

    /// <summary>
    /// p256tag (age v1.3): HPKE SealBase with DHKEM(P-256), HKDF-SHA256, ChaCha20Poly1305 and info
    /// "age-encryption.org/p256tag"; arguments: the tag and enc (the 65-byte uncompressed ephemeral key).
    /// </summary>
    public static AgeStanza WrapP256Tag(ReadOnlySpan<byte> fileKey, ReadOnlySpan<byte> compressed, ReadOnlySpan<byte> uncompressed)
    {
        var body = Hpke.SealBase(Hpke.DhKemP256, uncompressed, P256TagLabel, fileKey, out var enc);
        return new AgeStanza([P256TagType, StrictBase64.EncodeRaw(P256Tag(enc, compressed)), StrictBase64.EncodeRaw(enc)], body);
    }

    /// <summary>tag = HKDF-Extract-SHA-256(ikm = enc ‖ SHA-256(recipient)[:4], salt = "age-encryption.org/p256tag")[:4].</summary>
    public static byte[] P256Tag(ReadOnlySpan<byte> enc, ReadOnlySpan<byte> compressedRecipient)
    {
        Span<byte> prk = stackalloc byte[32];
        HKDF.Extract(HashAlgorithmName.SHA256, [.. enc, .. SHA256.HashData(compressedRecipient).AsSpan(0, TagLength)], P256TagLabel, prk);
        return prk[..TagLength].ToArray();
    }

    /// <summary>
    /// piv-p256 (age-plugin-yubikey; c2sp.org/age-piv-p256): tag = SHA-256(recipient)[:4]; the ephemeral share is the
    /// compressed ephemeral key; wrap key = HKDF-SHA-256(ikm = x-coordinate of the shared point, salt = share ‖
    /// recipient, both compressed, info = "piv-p256"); the body is the file key under ChaCha20-Poly1305, zero nonce.
    /// </summary>
    public static AgeStanza WrapPivP256(ReadOnlySpan<byte> fileKey, ReadOnlySpan<byte> compressed, ReadOnlySpan<byte> uncompressed)
    {
        Span<byte> shared = stackalloc byte[32];
        try
        {
            var share = P256.Compress(P256.Agree(uncompressed, shared));
            var body = new byte[WrappedLength];
            Seal(shared, share, compressed, PivP256Label, fileKey, body);
            return new AgeStanza([PivP256Type, PivTag(compressed), StrictBase64.EncodeRaw(share)], body);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(shared);
        }
    }

    /// <summary>The piv-p256 tag of a key: base64 of SHA-256(compressed point)[:4], the same in every stanza for it.</summary>
    public static string PivTag(ReadOnlySpan<byte> compressed) => StrictBase64.EncodeRaw(SHA256.HashData(compressed).AsSpan(0, TagLength));

    /// <summary>
    /// mlkem768x25519 (age v1.3): HPKE SealBase with the MLKEM768-X25519 KEM, HKDF-SHA256, ChaCha20Poly1305 and info
    /// "age-encryption.org/mlkem768x25519"; the one argument is enc (1120 bytes).
    /// </summary>
    public static AgeStanza WrapHybrid(ReadOnlySpan<byte> fileKey, ReadOnlySpan<byte> publicKey)
    {
        var body = Hpke.SealBase(Hpke.MlKem768X25519, publicKey, HybridLabel, fileKey, out var enc);
        return new AgeStanza([HybridType, StrictBase64.EncodeRaw(enc)], body);
    }

    /// <summary>
    /// Unwraps an mlkem768x25519 stanza (already shape-checked) with the hybrid identity's seed. False when the body
    /// does not authenticate; throws for an X25519 part of low order.
    /// </summary>
    public static bool TryUnwrapHybrid(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> enc, ReadOnlySpan<byte> body, Span<byte> fileKey, int stanzaIndex)
    {
        Span<byte> shared = stackalloc byte[32];
        try
        {
            if (!XWing.Decapsulate(seed, enc, shared)) throw AgeError.LowOrderShare(stanzaIndex, HybridType);
            return Hpke.Open(Hpke.MlKem768X25519, shared, HybridLabel, body, fileKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(shared);
        }
    }

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

    // wrap key = HKDF-SHA-256(ikm = shared secret, salt = ephemeral share ‖ recipient point, info = label); the points
    // are 32 bytes (X25519) or 33 (compressed P-256).
    private static void DeriveWrapKey(ReadOnlySpan<byte> shared, ReadOnlySpan<byte> share, ReadOnlySpan<byte> recipientPoint,
        byte[] label, Span<byte> wrapKey)
    {
        Span<byte> salt = stackalloc byte[share.Length + recipientPoint.Length];
        share.CopyTo(salt);
        recipientPoint.CopyTo(salt[share.Length..]);
        HKDF.DeriveKey(HashAlgorithmName.SHA256, shared, wrapKey, salt, label);
    }

    /// <summary>
    /// Checks the shape the specification requires of a recognised stanza (its argument count, a last argument that
    /// is canonical unpadded base64 of <paramref name="shareLength"/> bytes, a tag of 4 bytes where there is one, and a
    /// 32-byte body) and returns the decoded last argument; throws <see cref="AgeException"/> (header).
    /// </summary>
    public static byte[] CheckShape(AgeStanza stanza, int index, int argumentCount, int shareLength = PointLength)
    {
        if (stanza.Arguments.Count != argumentCount)
            throw AgeError.Stanza(index, stanza.Type, $"it has {stanza.Arguments.Count - 1} arguments after the type; it must have {argumentCount - 1}");
        var share = new byte[shareLength];
        if (!StrictBase64.TryDecodeRaw(Encoding.ASCII.GetBytes(stanza.Arguments[^1]), share))
            throw AgeError.Stanza(index, stanza.Type, $"the ephemeral share is not canonical unpadded base64 of {shareLength} bytes");
        if (stanza.Type is P256TagType or PivP256Type && !StrictBase64.TryDecodeRaw(Encoding.ASCII.GetBytes(stanza.Arguments[1]), stackalloc byte[TagLength]))
            throw AgeError.Stanza(index, stanza.Type, "the tag is not canonical unpadded base64 of 4 bytes");
        // Checked before any decryption, so a wrong length cannot be used as a partitioning oracle.
        if (stanza.Body.Length != WrappedLength)
            throw AgeError.Stanza(index, stanza.Type, $"the body is {stanza.Body.Length} bytes; it must be {WrappedLength}");
        return share;
    }

    /// <summary>Checks the shape of any stanza of a type KeyVault knows; other types are left to their own implementations.</summary>
    public static void CheckKnownShape(AgeStanza stanza, int index)
    {
        switch (stanza.Type)
        {
            case X25519Type: CheckShape(stanza, index, 2); break;
            case SshEd25519Type: CheckShape(stanza, index, 3); break;
            case P256TagType: CheckShape(stanza, index, 3, P256.UncompressedLength); break;
            case PivP256Type: CheckShape(stanza, index, 3, P256.CompressedLength); break;
            case HybridType: CheckShape(stanza, index, 2, XWing.CiphertextLength); break;
        }
    }
}
