using System.Security.Cryptography;
using System.Text;
using KeyVault.Keys;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;
using ECPoint = Org.BouncyCastle.Math.EC.ECPoint;

namespace KeyVault.Drill;

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

    private static readonly ECDomainParameters Domain = new(Secp256k1.Parameters);
    private static readonly BigInteger N = Secp256k1.Parameters.N;
    private static readonly BigInteger HalfN = N.ShiftRight(1);

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
    public static byte[] Hash(string message) => SHA256.HashData(Encode(message));

    /// <summary>Signs <paramref name="message"/> as a Stacks signed message; returns r || s || recovery id.</summary>
    public static byte[] Sign(SecretKey key, string message) => SignHash(key, Hash(message));

    /// <summary>Signs a 32-byte hash (stacks.js <c>signMessageHashRsv</c>); returns r || s || recovery id.</summary>
    public static byte[] SignHash(SecretKey key, ReadOnlySpan<byte> hash)
    {
        if (hash.Length != 32) throw new ArgumentException("the hash must be 32 bytes", nameof(hash));
        var signer = new ECDsaSigner(new HMacDsaKCalculator(new Sha256Digest()));
        // BouncyCastle needs the scalar as a BigInteger, which cannot be wiped; the byte copy it is made from is.
        var scalar = GC.AllocateArray<byte>(SecretKey.Length, pinned: true);
        try
        {
            key.Span.CopyTo(scalar);
            signer.Init(true, new ECPrivateKeyParameters(new BigInteger(1, scalar), Domain));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(scalar);
        }
        var hashArray = hash.ToArray();
        var rs = signer.GenerateSignature(hashArray);
        BigInteger r = rs[0], s = rs[1];
        // Low-s, as stacks.js (noble "canonical") and libsecp256k1 produce and as strict verifiers demand.
        if (s.CompareTo(HalfN) > 0) s = N.Subtract(s);

        var signature = new byte[SignatureLength];
        WriteScalar(r, signature.AsSpan(0, 32));
        WriteScalar(s, signature.AsSpan(32, 32));
        // The recovery id is whichever candidate gives back our own key; computing it this way keeps the
        // signer a stock RFC 6979 ECDSA and makes a wrong id impossible to emit.
        for (byte recId = 0; recId < 4; recId++)
        {
            var q = Recover(r, s, hashArray, recId);
            if (q is not null && q.GetEncoded(true).AsSpan().SequenceEqual(key.PublicKey.Compressed))
            {
                signature[64] = recId;
                return signature;
            }
        }
        throw new InvalidOperationException("no recovery id reproduces the signing key");
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
        var verifier = new ECDsaSigner();
        verifier.Init(false, new ECPublicKeyParameters(point, Domain));
        return verifier.VerifySignature(hash.ToArray(), new BigInteger(1, signature[..32].ToArray()),
            new BigInteger(1, signature[32..64].ToArray()));
    }

    /// <summary>The public key that made <paramref name="signature"/> over <paramref name="message"/>, or null if the signature is malformed or high-s.</summary>
    public static PublicKey? RecoverPublicKey(string message, ReadOnlySpan<byte> signature) =>
        RecoverPublicKeyFromHash(Hash(message), signature);

    /// <summary>As <see cref="RecoverPublicKey"/>, for a hash already computed.</summary>
    public static PublicKey? RecoverPublicKeyFromHash(ReadOnlySpan<byte> hash, ReadOnlySpan<byte> signature)
    {
        if (hash.Length != 32 || signature.Length != SignatureLength) return null;
        var r = new BigInteger(1, signature[..32].ToArray());
        var s = new BigInteger(1, signature[32..64].ToArray());
        byte recId = signature[64];
        if (recId > 3) return null;
        if (r.SignValue <= 0 || r.CompareTo(N) >= 0 || s.SignValue <= 0 || s.CompareTo(HalfN) > 0) return null;
        var q = Recover(r, s, hash.ToArray(), recId);
        return q is null ? null : PublicKey.FromCompressed(q.GetEncoded(true));
    }

    /// <summary>SEC 1 v2, section 4.1.6: Q = r⁻¹(sR − eG), where R has x = r + (recId/2)·n and the parity recId mod 2.</summary>
    private static ECPoint? Recover(BigInteger r, BigInteger s, byte[] hash, byte recId)
    {
        var x = r.Add(N.Multiply(BigInteger.ValueOf(recId >> 1)));
        var p = Secp256k1.Parameters.Curve.Field.Characteristic;
        if (x.CompareTo(p) >= 0) return null;
        var encoded = new byte[33];
        encoded[0] = (byte)(0x02 | (recId & 1));
        WriteScalar(x, encoded.AsSpan(1));
        var rPoint = Secp256k1.TryDecodeCompressed(encoded);
        if (rPoint is null) return null;
        var e = new BigInteger(1, hash);
        var rInv = r.ModInverse(N);
        var u1 = N.Subtract(e).Multiply(rInv).Mod(N);
        var u2 = s.Multiply(rInv).Mod(N);
        var q = ECAlgorithms.SumOfTwoMultiplies(Secp256k1.Parameters.G, u1, rPoint, u2).Normalize();
        return q.IsInfinity ? null : q;
    }

    private static void WriteScalar(BigInteger value, Span<byte> destination)
    {
        var bytes = value.ToByteArrayUnsigned();
        destination.Clear();
        bytes.CopyTo(destination[(destination.Length - bytes.Length)..]);
    }

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
