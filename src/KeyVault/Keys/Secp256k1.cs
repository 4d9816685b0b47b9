using System.Security.Cryptography;
using NBitcoin.Secp256k1;

namespace KeyVault.Keys;

/// <summary>
/// The secp256k1 curve, through NBitcoin.Secp256k1 (a C# port of libsecp256k1): constant-time key handling, and a
/// private key held in a struct that is cleared on dispose rather than in an immutable big integer.
/// </summary>
internal static class Secp256k1
{
    /// <summary>The group order n, big-endian.</summary>
    public static ReadOnlySpan<byte> Order =>
    [
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE,
        0xBA, 0xAE, 0xDC, 0xE6, 0xAF, 0x48, 0xA0, 0x3B, 0xBF, 0xD2, 0x5E, 0x8C, 0xD0, 0x36, 0x41, 0x41,
    ];

    /// <summary>The group order n, big-endian, as a fresh array.</summary>
    public static byte[] OrderBytes => Order.ToArray();

    /// <summary>
    /// True when <paramref name="scalar"/> (32 bytes, big-endian) is in [1, n-1]. Runs in time independent of the
    /// value: every byte is visited and no branch depends on secret data.
    /// </summary>
    public static bool IsValidScalar(ReadOnlySpan<byte> scalar)
    {
        if (scalar.Length != 32) return false;
        var order = Order;
        int nonZero = 0;
        // lessThan/greater track the first differing byte from the most significant end, without branching on it.
        int lessThan = 0, decided = 0;
        for (int i = 0; i < 32; i++)
        {
            int a = scalar[i], b = order[i];
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
        using var key = PrivateKey(scalar);
        return Compress(key.CreatePubKey());
    }

    /// <summary>
    /// The library's private key for a valid scalar. The caller disposes it, which clears the copy it holds.
    /// </summary>
    public static ECPrivKey PrivateKey(ReadOnlySpan<byte> scalar)
    {
        if (!IsValidScalar(scalar)) throw new CryptographicException("the scalar is not in [1, n-1]");
        return ECPrivKey.Create(scalar);
    }

    /// <summary>The 33-byte compressed SEC1 encoding of <paramref name="point"/>.</summary>
    public static byte[] Compress(ECPubKey point)
    {
        var encoded = new byte[33];
        point.WriteToSpan(true, encoded, out _);
        return encoded;
    }

    /// <summary>
    /// Decodes and validates a compressed point; returns null if it is not a point on the curve (including an
    /// x-coordinate that is not below the field prime).
    /// </summary>
    public static ECPubKey? TryDecodeCompressed(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length != 33 || (encoded[0] != 0x02 && encoded[0] != 0x03)) return null;
        return ECPubKey.TryCreate(encoded, Context.Instance, out _, out var point) ? point : null;
    }
}
