using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;
using Org.BouncyCastle.Math.EC.Multiplier;

namespace KeyVault.Keys;

/// <summary>The secp256k1 curve, through BouncyCastle's specialised implementation.</summary>
internal static class Secp256k1
{
    /// <summary>Curve parameters (the optimised "custom" curve, several times faster than the generic one).</summary>
    public static readonly X9ECParameters Parameters = CustomNamedCurves.GetByName("secp256k1");

    /// <summary>The group order n, big-endian.</summary>
    public static readonly byte[] OrderBytes = Parameters.N.ToByteArrayUnsigned();

    private static readonly FixedPointCombMultiplier Multiplier = new();

    /// <summary>
    /// True when <paramref name="scalar"/> (32 bytes, big-endian) is in [1, n-1]. Runs in time independent of the
    /// value: every byte is visited and no branch depends on secret data.
    /// </summary>
    public static bool IsValidScalar(ReadOnlySpan<byte> scalar)
    {
        if (scalar.Length != 32) return false;
        int nonZero = 0;
        // lessThan/greater track the first differing byte from the most significant end, without branching on it.
        int lessThan = 0, decided = 0;
        for (int i = 0; i < 32; i++)
        {
            int a = scalar[i], b = OrderBytes[i];
            nonZero |= a;
            int lt = (a - b) >> 31 & 1;       // a < b
            int gt = (b - a) >> 31 & 1;       // a > b
            lessThan |= lt & ~decided & 1;
            decided |= lt | gt;
        }
        return ((nonZero != 0 ? 1 : 0) & lessThan) == 1;
    }

    /// <summary>Compressed SEC1 public key (33 bytes) for a valid scalar.</summary>
    public static byte[] PublicKeyFor(ReadOnlySpan<byte> scalar)
    {
        // BouncyCastle needs the scalar as a BigInteger, which cannot be wiped; the exposure is documented in docs/threat-model.md.
        var d = new BigInteger(1, scalar.ToArray());
        ECPoint q = Multiplier.Multiply(Parameters.G, d).Normalize();
        return q.GetEncoded(compressed: true);
    }

    /// <summary>Decodes and validates a compressed point; returns null if it is not a point on the curve.</summary>
    public static ECPoint? TryDecodeCompressed(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length != 33 || (encoded[0] != 0x02 && encoded[0] != 0x03)) return null;
        try
        {
            var p = Parameters.Curve.DecodePoint(encoded.ToArray());
            return p.IsValid() ? p : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
