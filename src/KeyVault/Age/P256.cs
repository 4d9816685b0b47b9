using System.Numerics;
using System.Security.Cryptography;

namespace KeyVault.Age;

/// <summary>
/// The NIST P-256 operations of the p256tag and piv-p256 stanzas: SEC 1 point decoding with the on-curve check,
/// an ephemeral key agreement (the platform's ECDH, which returns the x-coordinate), and DHKEM(P-256, HKDF-SHA256)
/// encapsulation as RFC 9180 §4.1 defines it. Only public points are decoded here, so the arithmetic of the
/// decompression need not be constant-time.
/// </summary>
internal static class P256
{
    public const int CompressedLength = 33;
    public const int UncompressedLength = 65;

    private static readonly BigInteger Prime = Parse("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff");
    private static readonly BigInteger B = Parse("5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b");

    private static BigInteger Parse(string hex) => new(Convert.FromHexString(hex), isUnsigned: true, isBigEndian: true);

    /// <summary>
    /// Decodes a compressed point (0x02 or 0x03, then x) into its uncompressed form (0x04 ‖ x ‖ y); null when the
    /// prefix is another, x is not below the field prime, or no point of the curve has that x.
    /// </summary>
    public static byte[]? Decompress(ReadOnlySpan<byte> compressed)
    {
        if (compressed.Length != CompressedLength || compressed[0] is not (0x02 or 0x03)) return null;
        var x = new BigInteger(compressed[1..], isUnsigned: true, isBigEndian: true);
        if (x >= Prime) return null;
        var rhs = Mod(x * x * x - 3 * x + B);
        // p ≡ 3 (mod 4), so a square root of rhs, when one exists, is rhs^((p+1)/4).
        var y = BigInteger.ModPow(rhs, (Prime + 1) / 4, Prime);
        if (Mod(y * y) != rhs) return null;
        if ((y.IsEven ? 0 : 1) != (compressed[0] & 1))
        {
            if (y.IsZero) return null;
            y = Prime - y;
        }
        var point = new byte[UncompressedLength];
        point[0] = 0x04;
        compressed[1..].CopyTo(point.AsSpan(1));
        var yBytes = y.ToByteArray(isUnsigned: true, isBigEndian: true);
        yBytes.CopyTo(point.AsSpan(UncompressedLength - yBytes.Length)); // a short y is left-padded with zeros
        return point;
    }

    private static BigInteger Mod(BigInteger v)
    {
        var r = v % Prime;
        return r.Sign < 0 ? r + Prime : r;
    }

    /// <summary>The compressed form of an uncompressed point.</summary>
    public static byte[] Compress(ReadOnlySpan<byte> uncompressed)
    {
        var c = new byte[CompressedLength];
        c[0] = (byte)(0x02 | (uncompressed[^1] & 1));
        uncompressed.Slice(1, 32).CopyTo(c.AsSpan(1));
        return c;
    }

    private static ECDiffieHellman Import(ReadOnlySpan<byte> uncompressed) =>
        ECDiffieHellman.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = uncompressed.Slice(1, 32).ToArray(), Y = uncompressed.Slice(33, 32).ToArray() },
        });

    /// <summary>
    /// A fresh ephemeral key pair and its agreement with <paramref name="recipient"/> (uncompressed): the ephemeral
    /// public key, uncompressed, and the shared x-coordinate in <paramref name="shared"/> (32 bytes; the caller wipes it).
    /// </summary>
    public static byte[] Agree(ReadOnlySpan<byte> recipient, Span<byte> shared)
    {
        using var peer = Import(recipient);
        using var ephemeral = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var q = ephemeral.ExportParameters(false).Q;
        var secret = ephemeral.DeriveRawSecretAgreement(peer.PublicKey);
        try
        {
            secret.CopyTo(shared);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
        return [0x04, .. q.X!, .. q.Y!];
    }

    /// <summary>
    /// DHKEM(P-256, HKDF-SHA256) Encap (RFC 9180 §4.1): enc is the ephemeral public key, uncompressed, and the shared
    /// secret (32 bytes, in <paramref name="sharedSecret"/>) = ExtractAndExpand(dh, enc ‖ pkRm).
    /// </summary>
    public static byte[] Encapsulate(ReadOnlySpan<byte> recipient, Span<byte> sharedSecret)
    {
        Span<byte> dh = stackalloc byte[32];
        Span<byte> prk = stackalloc byte[32];
        try
        {
            var enc = Agree(recipient, dh);
            var suite = Hpke.KemSuite(Hpke.DhKemP256);
            Hpke.LabeledExtract(suite, default, "eae_prk"u8, dh, prk);
            Hpke.LabeledExpand(suite, prk, "shared_secret"u8, [.. enc, .. recipient], sharedSecret);
            return enc;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dh);
            CryptographicOperations.ZeroMemory(prk);
        }
    }
}
