using KeyVault.Shares;

namespace KeyVault.Tests.Shares;

/// <summary>Helpers shared by the share tests.</summary>
internal static class ShareTestKit
{
    /// <summary>
    /// Iteration exponent 0 (10000 PBKDF2 iterations in total), the weakest the format allows: deliberately cheap
    /// so property tests can run many combinations. Production uses <see cref="Slip39.DefaultIterationExponent"/>.
    /// </summary>
    public const int WeakExponent = 0;

    public static ShareSet Split(byte[] secret, SplitLayout layout, string seed, string passphrase = "", bool extendable = true,
        int exponent = WeakExponent)
    {
        var random = new DeterministicRandom(seed);
        return Slip39.Split(secret, layout, System.Text.Encoding.ASCII.GetBytes(passphrase), exponent, extendable, random.Fill);
    }

    public static byte[] Bytes(string seed, int length)
    {
        var b = new byte[length];
        new DeterministicRandom(seed).Fill(b);
        return b;
    }

    /// <summary>The same share with its value changed in one byte and a fresh, valid checksum: what a forger produces.</summary>
    public static string Tamper(string mnemonic, int byteIndex = 0)
    {
        using var share = ShareCodec.Decode(mnemonic, 1);
        var value = share.Value.ToArray();
        value[byteIndex] ^= 0x5A;
        var words = ShareCodec.Encode(share.Identifier, share.Extendable, share.IterationExponent, share.GroupIndex,
            share.GroupThreshold, share.GroupCount, share.MemberIndex, share.MemberThreshold, value);
        return ShareCodec.ToMnemonic(words);
    }

    /// <summary>All k-element subsets of 0…n−1.</summary>
    public static IEnumerable<int[]> Subsets(int n, int k)
    {
        if (k == 0)
        {
            yield return [];
            yield break;
        }
        for (int first = 0; first <= n - k; first++)
            foreach (var rest in Subsets(n - first - 1, k - 1))
                yield return [first, .. rest.Select(r => r + first + 1)];
    }
}
