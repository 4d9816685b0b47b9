using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace KeyVault.Age;

/// <summary>
/// The little of OpenSSH that the ssh-ed25519 recipient type needs: the public key wire blob
/// (RFC 8709: string "ssh-ed25519" ‖ string key), the authorized_keys line form, the unencrypted
/// "openssh-key-v1" private key file (OpenSSH PROTOCOL.key), and the Ed25519 → X25519 public key map.
/// </summary>
internal static class OpenSsh
{
    public const string KeyType = "ssh-ed25519";
    public const int KeyLength = 32;

    /// <summary>Length of an ssh-ed25519 wire blob: two length-prefixed strings.</summary>
    public const int BlobLength = 4 + 11 + 4 + KeyLength;

    private const string PrivateBegin = "-----BEGIN OPENSSH PRIVATE KEY-----";
    private const string PrivateEnd = "-----END OPENSSH PRIVATE KEY-----";
    private static readonly byte[] AuthMagic = "openssh-key-v1\0"u8.ToArray();

    // p = 2^255 - 19, the field of both Curve25519 forms.
    private static readonly BigInteger P = BigInteger.Pow(2, 255) - 19;

    /// <summary>The wire blob of an Ed25519 public key.</summary>
    public static byte[] Blob(ReadOnlySpan<byte> edPublicKey)
    {
        var blob = new byte[BlobLength];
        BinaryPrimitives.WriteInt32BigEndian(blob, 11);
        Encoding.ASCII.GetBytes(KeyType, blob.AsSpan(4));
        BinaryPrimitives.WriteInt32BigEndian(blob.AsSpan(15), KeyLength);
        edPublicKey.CopyTo(blob.AsSpan(19));
        return blob;
    }

    /// <summary>The Ed25519 key inside a wire blob, or null if the blob is not exactly an ssh-ed25519 key.</summary>
    public static byte[]? KeyFromBlob(ReadOnlySpan<byte> blob)
    {
        var reader = new Reader(blob);
        if (!reader.String(out var type) || !type.SequenceEqual("ssh-ed25519"u8)) return null;
        if (!reader.String(out var key) || key.Length != KeyLength || !reader.AtEnd) return null;
        return key.ToArray();
    }

    /// <summary>
    /// Maps an Ed25519 public key to the X25519 (Montgomery) public key of the same secret: u = (1 + y) / (1 − y).
    /// Returns null unless the key decodes to a point of the prime-order subgroup (BouncyCastle's full validation
    /// rejects non-canonical encodings, points off the curve and small-order points).
    /// </summary>
    public static byte[]? EdwardsToMontgomery(ReadOnlySpan<byte> edPublicKey)
    {
        if (edPublicKey.Length != KeyLength || !Ed25519.ValidatePublicKeyFull(edPublicKey)) return null;
        Span<byte> yBytes = stackalloc byte[KeyLength];
        edPublicKey.CopyTo(yBytes);
        yBytes[31] &= 0x7F; // the top bit is the sign of x, not part of y
        var y = new BigInteger(yBytes, isUnsigned: true, isBigEndian: false);
        var denominator = BigInteger.Remainder(BigInteger.One - y + P, P);
        if (denominator.IsZero) return null;
        var u = BigInteger.Remainder((BigInteger.One + y) * BigInteger.ModPow(denominator, P - 2, P), P);
        var output = new byte[KeyLength];
        if (!u.TryWriteBytes(output, out _, isUnsigned: true, isBigEndian: false)) return null;
        return output;
    }

    /// <summary>
    /// Parses an unencrypted OpenSSH private key file holding one ssh-ed25519 key. Returns the 32-byte seed in a
    /// pinned array (the caller wipes it) and the public key; throws <see cref="Errors.KeyVaultException"/> (bad input).
    /// </summary>
    public static (byte[] Seed, byte[] PublicKey) ParsePrivateKey(ReadOnlySpan<byte> content, string source)
    {
        var text = content.Trim("\r\n\t "u8);
        if (!text.StartsWith(Encoding.ASCII.GetBytes(PrivateBegin)) || !text.EndsWith(Encoding.ASCII.GetBytes(PrivateEnd)))
            throw AgeError.IdentityMalformed(source, "the OpenSSH BEGIN or END line is missing");
        var inner = text[PrivateBegin.Length..^PrivateEnd.Length];
        var base64 = GC.AllocateArray<byte>(inner.Length, pinned: true);
        byte[]? decoded = null;
        try
        {
            int n = 0;
            foreach (byte c in inner)
                if (c is not ((byte)'\n' or (byte)'\r')) base64[n++] = c;
            decoded = StrictBase64.DecodePadded(base64.AsSpan(0, n))
                ?? throw AgeError.IdentityMalformed(source, "the key body is not valid base64");
            return ParsePrivateBlob(decoded, source);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(base64);
            if (decoded is not null) CryptographicOperations.ZeroMemory(decoded);
        }
    }

    private static (byte[] Seed, byte[] PublicKey) ParsePrivateBlob(ReadOnlySpan<byte> blob, string source)
    {
        if (!blob.StartsWith(AuthMagic)) throw AgeError.IdentityMalformed(source, "it is not an openssh-key-v1 key");
        var reader = new Reader(blob[AuthMagic.Length..]);
        if (!reader.String(out var cipher) || !reader.String(out var kdf) || !reader.String(out var kdfOptions))
            throw AgeError.IdentityMalformed(source, "the key header is truncated");
        if (!cipher.SequenceEqual("none"u8) || !kdf.SequenceEqual("none"u8)) throw AgeError.SshKeyEncrypted(source);
        if (!kdfOptions.IsEmpty) throw AgeError.IdentityMalformed(source, "an unencrypted key has KDF options");
        if (!reader.UInt32(out uint count) || count != 1) throw AgeError.IdentityMalformed(source, "the file must hold exactly one key");
        if (!reader.String(out var publicBlob) || !reader.String(out var privateSection) || !reader.AtEnd)
            throw AgeError.IdentityMalformed(source, "the key sections are truncated or followed by extra bytes");
        var publicKey = KeyFromBlob(publicBlob) ?? throw AgeError.IdentityMalformed(source, "it is not an ssh-ed25519 key");

        var inner = new Reader(privateSection);
        if (!inner.UInt32(out uint check1) || !inner.UInt32(out uint check2) || check1 != check2)
            throw AgeError.IdentityMalformed(source, "the private section's check numbers differ (a damaged or encrypted key)");
        if (!inner.String(out var type) || !type.SequenceEqual("ssh-ed25519"u8)
            || !inner.String(out var innerPublic) || !innerPublic.SequenceEqual(publicKey)
            || !inner.String(out var secret) || secret.Length != 64 || !secret[32..].SequenceEqual(publicKey)
            || !inner.String(out _))
            throw AgeError.IdentityMalformed(source, "the private section does not hold the ssh-ed25519 key the file names");
        // Padding is 1, 2, 3, … up to the 8-byte block size of the "none" cipher.
        var padding = inner.Rest;
        if (privateSection.Length % 8 != 0 || padding.Length >= 8)
            throw AgeError.IdentityMalformed(source, "the private section is not padded to whole blocks");
        for (int i = 0; i < padding.Length; i++)
            if (padding[i] != i + 1) throw AgeError.IdentityMalformed(source, "the private section's padding is not 1, 2, 3, …");

        var seed = GC.AllocateArray<byte>(32, pinned: true);
        secret[..32].CopyTo(seed);
        Span<byte> derived = stackalloc byte[KeyLength];
        Ed25519.GeneratePublicKey(seed, derived);
        if (!derived.SequenceEqual(publicKey))
        {
            CryptographicOperations.ZeroMemory(seed);
            throw AgeError.IdentityMalformed(source, "the private key does not match its public key");
        }
        return (seed, publicKey);
    }

    /// <summary>Reads SSH wire types (uint32, length-prefixed string) from a span.</summary>
    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private ReadOnlySpan<byte> _rest = data;

        public readonly bool AtEnd => _rest.IsEmpty;

        public readonly ReadOnlySpan<byte> Rest => _rest;

        public bool UInt32(out uint value)
        {
            value = 0;
            if (_rest.Length < 4) return false;
            value = BinaryPrimitives.ReadUInt32BigEndian(_rest);
            _rest = _rest[4..];
            return true;
        }

        public bool String(out ReadOnlySpan<byte> value)
        {
            value = default;
            if (!UInt32(out uint length) || length > (uint)_rest.Length) return false;
            value = _rest[..(int)length];
            _rest = _rest[(int)length..];
            return true;
        }
    }
}
