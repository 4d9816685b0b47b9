namespace KeyVault.Codecs;

/// <summary>
/// Strict hexadecimal: no prefix, no separators, even length; either case accepted, lowercase written. Private keys pass
/// through here, so encoding and decoding neither branch on a character or nibble nor index memory with one; only the
/// final valid/invalid answer is a branch.
/// </summary>
internal static class Hex
{
    /// <summary>Lowercase hex of <paramref name="bytes"/>.</summary>
    public static string Encode(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    /// <summary>Writes lowercase hex of <paramref name="bytes"/> into <paramref name="destination"/> as ASCII bytes, without allocating a string.</summary>
    public static void EncodeAscii(ReadOnlySpan<byte> bytes, Span<byte> destination)
    {
        if (destination.Length != bytes.Length * 2)
            throw new ArgumentException("destination must be twice the input length", nameof(destination));
        for (int i = 0; i < bytes.Length; i++)
        {
            destination[2 * i] = Nibble(bytes[i] >> 4);
            destination[2 * i + 1] = Nibble(bytes[i] & 0xF);
        }
    }

    /// <summary>Decodes strict hex; returns false (and leaves <paramref name="destination"/> cleared) on a wrong length or any non-hex character.</summary>
    public static bool TryDecode(ReadOnlySpan<char> text, Span<byte> destination)
    {
        if (text.Length != destination.Length * 2) return false;
        // Invalid characters are collected rather than returned at, so the loop's path does not depend on the text.
        int bad = 0;
        for (int i = 0; i < destination.Length; i++)
        {
            int hi = Value(text[2 * i]), lo = Value(text[2 * i + 1]);
            bad |= hi | lo;
            destination[i] = (byte)(((hi << 4) | lo) & 0xFF);
        }
        if (bad >= 0) return true;
        destination.Clear();
        return false;
    }

    /// <summary>Decodes strict hex of any even length, or returns null.</summary>
    public static byte[]? TryDecode(ReadOnlySpan<char> text)
    {
        if (text.Length % 2 != 0) return null;
        var bytes = new byte[text.Length / 2];
        return TryDecode(text, bytes) ? bytes : null;
    }

    /// <summary>True when every character is a hex digit.</summary>
    public static bool IsHex(ReadOnlySpan<char> text)
    {
        int bad = 0;
        foreach (var c in text) bad |= Value(c);
        return bad >= 0;
    }

    // Arithmetic rather than a lookup table, so secret nibbles do not select memory addresses.
    private static byte Nibble(int n) => (byte)(n + '0' + (((9 - n) >> 31) & ('a' - '0' - 10)));

    /// <summary>The digit's value 0-15, or -1 for any other character; computed with masks, without branches.</summary>
    private static int Value(char c)
    {
        int digit = InRange(c, '0', '9');
        // Setting bit 0x20 folds 'A'-'F' onto 'a'-'f' and maps no other character into that range.
        int folded = c | 0x20;
        int letter = InRange(folded, 'a', 'f');
        return (digit & (c - '0')) | (letter & (folded - 'a' + 10)) | ~(digit | letter);
    }

    /// <summary>All ones when lo ≤ value ≤ hi, else zero: the sign bit of either difference marks "outside".</summary>
    private static int InRange(int value, int lo, int hi) => ~(((value - lo) | (hi - value)) >> 31);
}
