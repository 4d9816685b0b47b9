using System.Text;
using KeyVault.Keys;
using NBitcoin.Secp256k1;

namespace KeyVault.Signing;

/// <summary>
/// The Stacks signed-message format: a recoverable secp256k1 ECDSA signature, 65 bytes r || s || recovery id,
/// over SHA-256(0x17 "Stacks Signed Message:\n" || varint(length) || message). This is what stacks.js
/// <c>signMessageHashRsv</c> produces and <c>verifyMessageSignatureRsv</c> accepts, and what a wallet's
/// <c>stx_signMessage</c> returns, so a drill report can be checked with standard Stacks tooling.
/// Signatures are deterministic (RFC 6979, HMAC-SHA-256) and low-s. docs/drill-report.md specifies the format.
/// </summary>
internal static class StacksMessageSigning
{
    /// <summary>Length of an RSV signature in bytes.</summary>
    public const int SignatureLength = 65;

    /// <summary>The prefix hashed before the message: the byte 0x17 (its length, 23) and "Stacks Signed Message:\n".</summary>
    public static ReadOnlySpan<byte> Prefix => "\x17Stacks Signed Message:\n"u8;

    /// <summary>The bytes that are hashed for <paramref name="message"/>: prefix, Bitcoin varint of the UTF-8 length, UTF-8 message.</summary>
    public static byte[] Encode(string message)
    {
        var body = new UTF8Encoding(false, true).GetBytes(message);
        var length = VarInt((ulong)body.Length);
        var encoded = new byte[Prefix.Length + length.Length + body.Length];
        Prefix.CopyTo(encoded);
        length.CopyTo(encoded.AsSpan(Prefix.Length));
        body.CopyTo(encoded.AsSpan(Prefix.Length + length.Length));
        return encoded;
    }

    /// <summary>SHA-256 of <see cref="Encode"/>: the 32-byte hash that is signed.</summary>
    public static byte[] Hash(string message) => System.Security.Cryptography.SHA256.HashData(Encode(message));

    /// <summary>Signs <paramref name="message"/> as a Stacks signed message; returns r || s || recovery id.</summary>
    public static byte[] Sign(SecretKey key, string message) => SignHash(key, Hash(message));

    /// <summary>Signs a 32-byte hash (stacks.js <c>signMessageHashRsv</c>); returns r || s || recovery id.</summary>
    public static byte[] SignHash(SecretKey key, ReadOnlySpan<byte> hash)
    {
        if (hash.Length != 32) throw new ArgumentException("the hash must be 32 bytes", nameof(hash));
        var signature = new byte[SignatureLength];
        // libsecp256k1 signing: RFC 6979 (HMAC-SHA-256) nonces, s normalised to low-s (as stacks.js/noble and
        // strict verifiers demand) with the recovery id flipped to match.
        using (var privateKey = Secp256k1.PrivateKey(key.Span))
        {
            if (!privateKey.TrySignRecoverable(hash, RFC6979NonceFunction.Instance, out var recoverable) || recoverable is null)
                throw new InvalidOperationException("signing failed");
            recoverable.WriteToSpanCompact(signature.AsSpan(0, 64), out int recId);
            signature[64] = (byte)recId;
        }
        // A wrong recovery id would make a report nobody can check: refuse to emit one.
        if (RecoverPublicKeyFromHash(hash, signature) is not { } recovered || !recovered.Equals(key.PublicKey))
            throw new InvalidOperationException("the recovery id does not reproduce the signing key");
        return signature;
    }

    /// <summary>
    /// True when <paramref name="signature"/> (65 bytes RSV) is a valid low-s signature of <paramref name="message"/>
    /// by <paramref name="publicKey"/> and its recovery id recovers exactly that key.
    /// </summary>
    public static bool Verify(PublicKey publicKey, string message, ReadOnlySpan<byte> signature) =>
        VerifyHash(publicKey, Hash(message), signature);

    /// <summary>As <see cref="Verify"/>, for a hash already computed.</summary>
    public static bool VerifyHash(PublicKey publicKey, ReadOnlySpan<byte> hash, ReadOnlySpan<byte> signature)
    {
        var recovered = RecoverPublicKeyFromHash(hash, signature);
        if (recovered is null || !recovered.Equals(publicKey)) return false;
        var point = Secp256k1.TryDecodeCompressed(publicKey.Compressed)!;
        return SecpECDSASignature.TryCreateFromCompact(signature[..64], out var rs) && rs is not null
            && point.SigVerify(rs, hash);
    }

    /// <summary>The public key that made <paramref name="signature"/> over <paramref name="message"/>, or null if the signature is malformed or high-s.</summary>
    public static PublicKey? RecoverPublicKey(string message, ReadOnlySpan<byte> signature) =>
        RecoverPublicKeyFromHash(Hash(message), signature);

    /// <summary>As <see cref="RecoverPublicKey"/>, for a hash already computed.</summary>
    public static PublicKey? RecoverPublicKeyFromHash(ReadOnlySpan<byte> hash, ReadOnlySpan<byte> signature)
    {
        if (hash.Length != 32 || signature.Length != SignatureLength) return null;
        ReadOnlySpan<byte> r = signature[..32], s = signature[32..64];
        byte recId = signature[64];
        if (recId > 3) return null;
        // r in [1, n-1] and s in [1, n/2]: a high-s or out-of-range signature is malformed, not merely unverified.
        if (IsZero(r) || r.SequenceCompareTo(Secp256k1.Order) >= 0 || IsZero(s) || s.SequenceCompareTo(HalfOrder) > 0)
            return null;
        // SEC 1 v2, section 4.1.6, as libsecp256k1 implements it (recovery ids 2 and 3 take x = r + n).
        if (!SecpRecoverableECDSASignature.TryCreateFromCompact(signature[..64], recId, out var recoverable) || recoverable is null)
            return null;
        if (!ECPubKey.TryRecover(Context.Instance, recoverable, hash, out var q) || q is null) return null;
        return PublicKey.FromCompressed(Secp256k1.Compress(q));
    }

    /// <summary>(n - 1) / 2, big-endian: the largest low-s value.</summary>
    private static ReadOnlySpan<byte> HalfOrder =>
    [
        0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0x5D, 0x57, 0x6E, 0x73, 0x57, 0xA4, 0x50, 0x1D, 0xDF, 0xE9, 0x2F, 0x46, 0x68, 0x1B, 0x20, 0xA0,
    ];

    private static bool IsZero(ReadOnlySpan<byte> value) => !value.ContainsAnyExcept((byte)0);

    /// <summary>Bitcoin's CompactSize: one byte below 0xfd, else a marker and 2, 4 or 8 little-endian bytes.</summary>
    private static byte[] VarInt(ulong n)
    {
        if (n < 0xfd) return [(byte)n];
        byte[] result = n <= 0xffff ? new byte[3] : n <= 0xffff_ffff ? new byte[5] : new byte[9];
        result[0] = result.Length switch { 3 => 0xfd, 5 => 0xfe, _ => 0xff };
        for (int i = 1; i < result.Length; i++) result[i] = unchecked((byte)(n >> (8 * (i - 1))));
        return result;
    }
}
