using System.Security.Cryptography;

namespace KeyVault.Shares;

/// <summary>Fills a buffer with random bytes. The OS CSPRNG in production; a fixed stream in tests and vector generation.</summary>
internal delegate void RandomSource(Span<byte> destination);

/// <summary>
/// Shamir's secret sharing over GF(256), byte by byte, as SLIP-0039 specifies it: the secret sits at x = 255 and a
/// digest of it at x = 254, so a rebuilt secret can be checked; share x coordinates are 0 to 15.
/// </summary>
internal static class Shamir
{
    /// <summary>x coordinate of the digest point.</summary>
    public const byte DigestIndex = 254;
    /// <summary>x coordinate of the shared secret.</summary>
    public const byte SecretIndex = 255;
    /// <summary>Bytes of the digest at the start of the digest point; the rest is random.</summary>
    public const int DigestLength = 4;

    /// <summary>
    /// Splits <paramref name="secret"/> into <paramref name="count"/> shares at x = 0 … count−1, any
    /// <paramref name="threshold"/> of which rebuild it. The shares are pinned; the caller wipes them.
    /// </summary>
    public static byte[][] Split(int threshold, int count, ReadOnlySpan<byte> secret, RandomSource random)
    {
        int n = secret.Length;
        var shares = new byte[count][];
        if (threshold == 1)
        {
            // A degree-0 polynomial: every share is the secret itself (there is no digest point to check).
            for (int i = 0; i < count; i++) shares[i] = Pinned(secret);
            return shares;
        }

        // The reference order of random draws: the threshold−2 free share values first, then the digest's random part.
        // Keeping it makes vectors produced from a fixed random stream reproducible by other implementations.
        for (int i = 0; i < threshold - 2; i++)
        {
            shares[i] = GC.AllocateArray<byte>(n, pinned: true);
            random(shares[i]);
        }
        var digest = GC.AllocateArray<byte>(n, pinned: true);
        try
        {
            random(digest.AsSpan(DigestLength));
            Digest(digest.AsSpan(DigestLength), secret, digest.AsSpan(0, DigestLength));

            var xs = new byte[threshold];
            var ys = new byte[threshold][];
            for (int i = 0; i < threshold - 2; i++)
            {
                xs[i] = (byte)i;
                ys[i] = shares[i];
            }
            xs[threshold - 2] = DigestIndex;
            ys[threshold - 2] = digest;
            xs[threshold - 1] = SecretIndex;
            var secretCopy = Pinned(secret);
            ys[threshold - 1] = secretCopy;
            try
            {
                for (int i = threshold - 2; i < count; i++)
                {
                    shares[i] = GC.AllocateArray<byte>(n, pinned: true);
                    Interpolate((byte)i, xs, ys, shares[i]);
                }
            }
            finally
            {
                CryptographicOperations.ZeroMemory(secretCopy);
            }
            return shares;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(digest);
        }
    }

    /// <summary>
    /// Rebuilds the secret from exactly <paramref name="threshold"/> points and checks it against the digest point.
    /// Returns false (and a wiped <paramref name="secret"/>) when the digest does not match.
    /// </summary>
    public static bool TryRecover(int threshold, ReadOnlySpan<byte> xs, IReadOnlyList<byte[]> ys, Span<byte> secret)
    {
        if (threshold == 1)
        {
            ys[0].CopyTo(secret);
            return true;
        }
        int n = secret.Length;
        var digest = GC.AllocateArray<byte>(n, pinned: true);
        Span<byte> expected = stackalloc byte[DigestLength];
        try
        {
            Interpolate(SecretIndex, xs, ys, secret);
            Interpolate(DigestIndex, xs, ys, digest);
            Digest(digest.AsSpan(DigestLength), secret, expected);
            if (CryptographicOperations.FixedTimeEquals(expected, digest.AsSpan(0, DigestLength))) return true;
            CryptographicOperations.ZeroMemory(secret);
            return false;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(digest);
            CryptographicOperations.ZeroMemory(expected);
        }
    }

    /// <summary>
    /// Lagrange interpolation at <paramref name="x"/> through the points (xs[i], ys[i]), byte by byte.
    /// The x coordinates are public; the y values are secret and only meet constant-time field operations.
    /// </summary>
    public static void Interpolate(byte x, ReadOnlySpan<byte> xs, IReadOnlyList<byte[]> ys, Span<byte> result)
    {
        result.Clear();
        for (int i = 0; i < xs.Length; i++)
        {
            // Basis polynomial i at x: the product over j ≠ i of (x − xj) / (xi − xj); subtraction is XOR here.
            byte numerator = 1, denominator = 1;
            for (int j = 0; j < xs.Length; j++)
            {
                if (j == i) continue;
                numerator = Gf256.Multiply(numerator, (byte)(x ^ xs[j]));
                denominator = Gf256.Multiply(denominator, (byte)(xs[i] ^ xs[j]));
            }
            byte basis = Gf256.Divide(numerator, denominator);
            var y = ys[i];
            for (int k = 0; k < result.Length; k++)
                result[k] ^= Gf256.Multiply(y[k], basis);
        }
    }

    /// <summary>The first 4 bytes of HMAC-SHA256(key = random part, message = secret).</summary>
    private static void Digest(ReadOnlySpan<byte> randomPart, ReadOnlySpan<byte> secret, Span<byte> destination)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        try
        {
            HMACSHA256.HashData(randomPart, secret, mac);
            mac[..DigestLength].CopyTo(destination);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(mac);
        }
    }

    private static byte[] Pinned(ReadOnlySpan<byte> source)
    {
        var copy = GC.AllocateArray<byte>(source.Length, pinned: true);
        source.CopyTo(copy);
        return copy;
    }
}
