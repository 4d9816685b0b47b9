namespace KeyVault.Codecs;

/// <summary>Strict hexadecimal: no prefix, no separators, even length; either case accepted, lowercase written.</summary>
public static class Hex
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

    /// <summary>Decodes strict hex; returns false on odd length or any non-hex character.</summary>
    public static bool TryDecode(ReadOnlySpan<char> text, Span<byte> destination)
    {
        if (text.Length != destination.Length * 2) return false;
        for (int i = 0; i < destination.Length; i++)
        {
            int hi = Value(text[2 * i]), lo = Value(text[2 * i + 1]);
            if ((hi | lo) < 0) return false;
            destination[i] = (byte)((hi << 4) | lo);
        }
        return true;
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
        foreach (var c in text)
            if (Value(c) < 0) return false;
        return true;
    }

    // Arithmetic rather than a lookup table, so secret nibbles do not select memory addresses.
    private static byte Nibble(int n) => (byte)(n + '0' + (((9 - n) >> 31) & ('a' - '0' - 10)));

    private static int Value(char c)
    {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }
}
