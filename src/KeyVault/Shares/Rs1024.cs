namespace KeyVault.Shares;

/// <summary>
/// The RS1024 checksum of SLIP-0039: a Reed–Solomon code over GF(1024) (one symbol per word) that detects any
/// error in up to 3 words. A customization string is fed in before the data so that shares of the original and
/// the extendable variant cannot be mistaken for each other.
/// </summary>
internal static class Rs1024
{
    /// <summary>Customization string of shares without the extendable-backup flag.</summary>
    public static ReadOnlySpan<byte> Original => "shamir"u8;

    /// <summary>Customization string of shares with the extendable-backup flag set.</summary>
    public static ReadOnlySpan<byte> Extendable => "shamir_extendable"u8;

    /// <summary>Number of checksum words at the end of every share.</summary>
    public const int ChecksumWords = 3;

    // Generator of the BCH view of the code, from the standard.
    private static ReadOnlySpan<int> Generator =>
    [
        0xE0E040, 0x1C1C080, 0x3838100, 0x7070200, 0xE0E0009,
        0x1C0C2412, 0x38086C24, 0x3090FC48, 0x21B1F890, 0x3F3F120,
    ];

    /// <summary>True when <paramref name="words"/> (data followed by checksum) verify under the customization string.</summary>
    public static bool Verify(bool extendable, ReadOnlySpan<int> words)
    {
        int chk = Feed(1, extendable ? Extendable : Original);
        return Feed(chk, words) == 1;
    }

    /// <summary>Writes the three checksum words for <paramref name="data"/> into <paramref name="checksum"/>.</summary>
    public static void Create(bool extendable, ReadOnlySpan<int> data, Span<int> checksum)
    {
        int chk = Feed(1, extendable ? Extendable : Original);
        chk = Feed(chk, data);
        chk = Feed(chk, [0, 0, 0]) ^ 1;
        for (int i = 0; i < ChecksumWords; i++)
            checksum[i] = (chk >> (10 * (ChecksumWords - 1 - i))) & 0x3FF;
    }

    private static int Feed(int chk, ReadOnlySpan<byte> values)
    {
        foreach (var v in values) chk = Step(chk, v);
        return chk;
    }

    private static int Feed(int chk, ReadOnlySpan<int> values)
    {
        foreach (var v in values) chk = Step(chk, v);
        return chk;
    }

    private static int Step(int chk, int value)
    {
        int top = chk >> 20;
        chk = ((chk & 0xFFFFF) << 10) ^ value;
        var gen = Generator;
        for (int i = 0; i < 10; i++)
            chk ^= gen[i] & -((top >> i) & 1);
        return chk;
    }
}
