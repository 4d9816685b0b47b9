namespace KeyVault.Age;

/// <summary>
/// Base64 (RFC 4648 section 4, standard alphabet) with the canonical-encoding rule of section 3.5 enforced:
/// unpadded ("raw") for the age header, padded for the armor and OpenSSH keys. Decoders reject any character
/// outside the alphabet, any whitespace, and any non-zero bits left over in the last character.
/// </summary>
internal static class StrictBase64
{
    /// <summary>Unpadded encoding.</summary>
    public static string EncodeRaw(ReadOnlySpan<byte> data) => Convert.ToBase64String(data).TrimEnd('=');

    /// <summary>Bytes that <paramref name="rawLength"/> unpadded characters decode to, or -1 if no canonical encoding has that length.</summary>
    public static int DecodedLength(int rawLength) => rawLength % 4 == 1 ? -1 : rawLength / 4 * 3 + Math.Max(0, rawLength % 4 - 1);

    /// <summary>Decodes canonical unpadded base64 (ASCII bytes); null if not canonical.</summary>
    public static byte[]? DecodeRaw(ReadOnlySpan<byte> text)
    {
        int length = DecodedLength(text.Length);
        if (length < 0) return null;
        var output = new byte[length];
        return TryDecodeRaw(text, output) ? output : null;
    }

    /// <summary>Decodes canonical unpadded base64 into <paramref name="destination"/>, which must be exactly the decoded length.</summary>
    public static bool TryDecodeRaw(ReadOnlySpan<byte> text, Span<byte> destination)
    {
        if (DecodedLength(text.Length) != destination.Length) return false;
        int at = 0, acc = 0, bits = 0;
        foreach (byte c in text)
        {
            int v = ValueOf(c);
            if (v < 0) return false;
            acc = (acc << 6 | v) & 0xFFFFFF;
            bits += 6;
            if (bits >= 8)
            {
                bits -= 8;
                destination[at++] = (byte)(acc >> bits & 0xFF);
            }
        }
        // Section 3.5: the bits of the last character that do not reach a byte must be zero.
        return (acc & ((1 << bits) - 1)) == 0;
    }

    /// <summary>Decodes canonical padded base64 (length a multiple of 4, '=' only as final padding); null if not canonical.</summary>
    public static byte[]? DecodePadded(ReadOnlySpan<byte> text)
    {
        if (text.Length % 4 != 0) return null;
        int pad = text.EndsWith("=="u8) ? 2 : text.EndsWith("="u8) ? 1 : 0;
        var raw = text[..^pad];
        if (pad > 0 && raw.Length % 4 != 4 - pad) return null;
        return DecodeRaw(raw);
    }

    private static int ValueOf(byte c) => c switch
    {
        >= (byte)'A' and <= (byte)'Z' => c - 'A',
        >= (byte)'a' and <= (byte)'z' => c - 'a' + 26,
        >= (byte)'0' and <= (byte)'9' => c - '0' + 52,
        (byte)'+' => 62,
        (byte)'/' => 63,
        _ => -1,
    };

    /// <summary>True for the 64 characters of the alphabet.</summary>
    public static bool IsAlphabet(byte c) => ValueOf(c) >= 0;
}
