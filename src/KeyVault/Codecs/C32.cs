using System.Security.Cryptography;

namespace KeyVault.Codecs;

/// <summary>Crockford-style base-32 as Stacks uses it (c32), and the c32check address form.</summary>
internal static class C32
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>c32-encodes bytes from the least significant end; each leading zero byte becomes a leading '0'.</summary>
    public static string Encode(ReadOnlySpan<byte> data)
    {
        var chars = new List<char>(data.Length * 8 / 5 + 2);
        int carry = 0, carryBits = 0;
        for (int i = data.Length - 1; i >= 0; i--)
        {
            carry |= data[i] << carryBits;
            carryBits += 8;
            while (carryBits >= 5)
            {
                chars.Add(Alphabet[carry & 31]);
                carry >>= 5;
                carryBits -= 5;
            }
        }
        if (carryBits > 0) chars.Add(Alphabet[carry & 31]);
        // Drop the high-order zero digits produced by the bit packing, then restore one '0' per leading zero byte.
        while (chars.Count > 0 && chars[^1] == '0') chars.RemoveAt(chars.Count - 1);
        for (int i = 0; i < data.Length && data[i] == 0; i++) chars.Add('0');
        chars.Reverse();
        return new string(chars.ToArray());
    }

    /// <summary>Decodes c32 text (case-insensitive; O→0, I/L→1); returns null on any other character.</summary>
    public static byte[]? Decode(ReadOnlySpan<char> text)
    {
        var bytes = new List<byte>(text.Length * 5 / 8 + 1);
        int carry = 0, carryBits = 0;
        for (int i = text.Length - 1; i >= 0; i--)
        {
            int v = DigitValue(text[i]);
            if (v < 0) return null;
            carry |= v << carryBits;
            carryBits += 5;
            if (carryBits >= 8)
            {
                bytes.Add((byte)(carry & 0xFF));
                carry >>= 8;
                carryBits -= 8;
            }
        }
        if (carry != 0) bytes.Add((byte)carry);
        while (bytes.Count > 0 && bytes[^1] == 0) bytes.RemoveAt(bytes.Count - 1);
        for (int i = 0; i < text.Length && DigitValue(text[i]) == 0; i++) bytes.Add(0);
        bytes.Reverse();
        return bytes.ToArray();
    }

    /// <summary>Stacks address: "S" + C32[version] + c32(hash160 || checksum).</summary>
    public static string CheckEncode(byte version, ReadOnlySpan<byte> hash160)
    {
        if (version >= 32) throw new ArgumentOutOfRangeException(nameof(version));
        if (hash160.Length != 20) throw new ArgumentException("hash160 must be 20 bytes", nameof(hash160));
        Span<byte> payload = stackalloc byte[24];
        hash160.CopyTo(payload);
        Checksum(version, hash160).CopyTo(payload[20..]);
        return "S" + Alphabet[version] + Encode(payload);
    }

    /// <summary>Parses a Stacks address; returns false unless the prefix, length and checksum are all valid.</summary>
    public static bool TryCheckDecode(string address, out byte version, out byte[] hash160)
    {
        version = 0;
        hash160 = [];
        if (address.Length < 3 || char.ToUpperInvariant(address[0]) != 'S') return false;
        int v = DigitValue(address[1]);
        if (v < 0) return false;
        var payload = Decode(address.AsSpan(2));
        if (payload is null || payload.Length != 24) return false;
        var expected = Checksum((byte)v, payload.AsSpan(0, 20));
        if (!payload.AsSpan(20).SequenceEqual(expected)) return false;
        version = (byte)v;
        hash160 = payload[..20];
        return true;
    }

    private static byte[] Checksum(byte version, ReadOnlySpan<byte> hash160)
    {
        Span<byte> buf = stackalloc byte[21];
        buf[0] = version;
        hash160.CopyTo(buf[1..]);
        return SHA256.HashData(SHA256.HashData(buf))[..4];
    }

    private static int DigitValue(char c)
    {
        c = char.ToUpperInvariant(c);
        if (c == 'O') c = '0';
        if (c == 'I' || c == 'L') c = '1';
        return Alphabet.IndexOf(c);
    }
}
