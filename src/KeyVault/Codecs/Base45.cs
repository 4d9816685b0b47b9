namespace KeyVault.Codecs;

/// <summary>
/// Base45 (RFC 9285): bytes as text in exactly the 45 characters of the QR alphanumeric mode, so a QR code holds
/// binary data at 5.5 bits a character (3 % above byte mode) and every decoder returns the text unchanged, with no
/// character-set guess. Decoding is strict: a character outside the alphabet, a group whose value is too large or a
/// length that leaves one character over is rejected.
/// </summary>
internal static class Base45
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

    /// <summary>The encoding of <paramref name="data"/>: three characters per two bytes, two for a last odd byte.</summary>
    public static string Encode(ReadOnlySpan<byte> data)
    {
        var chars = new char[data.Length / 2 * 3 + data.Length % 2 * 2];
        int o = 0;
        for (int i = 0; i + 1 < data.Length; i += 2)
        {
            int n = data[i] * 256 + data[i + 1];
            chars[o++] = Alphabet[n % 45];
            chars[o++] = Alphabet[n / 45 % 45];
            chars[o++] = Alphabet[n / 2025];
        }
        if (data.Length % 2 == 1)
        {
            int n = data[^1];
            chars[o++] = Alphabet[n % 45];
            chars[o] = Alphabet[n / 45];
        }
        return new string(chars);
    }

    /// <summary>The bytes <paramref name="text"/> encodes, or null when it is not strict Base45.</summary>
    public static byte[]? TryDecode(ReadOnlySpan<char> text)
    {
        if (text.Length % 3 == 1) return null;
        var bytes = new byte[text.Length / 3 * 2 + (text.Length % 3 == 2 ? 1 : 0)];
        int o = 0;
        for (int i = 0; i < text.Length; i += 3)
        {
            int c = Alphabet.IndexOf(text[i]);
            int d = Alphabet.IndexOf(text[i + 1]);
            if (c < 0 || d < 0) return null;
            if (i + 2 == text.Length)
            {
                int n = c + d * 45;
                if (n > 0xFF) return null;
                bytes[o] = (byte)n;
                break;
            }
            int e = Alphabet.IndexOf(text[i + 2]);
            if (e < 0) return null;
            int v = c + d * 45 + e * 2025;
            if (v > 0xFFFF) return null;
            bytes[o++] = (byte)(v >> 8);
            bytes[o++] = (byte)(v & 0xFF);
        }
        return bytes;
    }
}
