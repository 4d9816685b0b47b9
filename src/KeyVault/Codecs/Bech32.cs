using System.Security.Cryptography;

namespace KeyVault.Codecs;

/// <summary>
/// Bech32 (BIP-173) as the age format uses it: no 90-character limit, all lowercase or all uppercase (never mixed),
/// checksum over the lowercase form, and 8-to-5-bit regrouping with at most 4 zero padding bits.
/// Works on ASCII bytes so a secret key can be decoded without ever becoming a managed string.
/// </summary>
internal static class Bech32
{
    private const string Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private const int ChecksumLength = 6;

    private static readonly uint[] Generator = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

    /// <summary>Number of ASCII characters of the encoding of <paramref name="dataLength"/> bytes under a prefix.</summary>
    public static int EncodedLength(int hrpLength, int dataLength) => hrpLength + 1 + (dataLength * 8 + 4) / 5 + ChecksumLength;

    /// <summary>
    /// Writes the encoding of <paramref name="data"/> under <paramref name="hrp"/> (ASCII, either case) into
    /// <paramref name="destination"/>, which must be <see cref="EncodedLength"/> long; the result is all uppercase
    /// when <paramref name="upper"/>, else all lowercase.
    /// </summary>
    public static void Encode(string hrp, ReadOnlySpan<byte> data, Span<byte> destination, bool upper)
    {
        if (destination.Length != EncodedLength(hrp.Length, data.Length))
            throw new ArgumentException("destination has the wrong length", nameof(destination));
        int fiveBitCount = (data.Length * 8 + 4) / 5;
        var values = GC.AllocateArray<byte>(fiveBitCount + ChecksumLength, pinned: true);
        try
        {
            int at = 0, acc = 0, bits = 0;
            foreach (byte b in data)
            {
                acc = (acc << 8 | b) & 0xFFF;
                bits += 8;
                while (bits >= 5)
                {
                    bits -= 5;
                    values[at++] = (byte)(acc >> bits & 31);
                }
            }
            if (bits > 0) values[at++] = (byte)(acc << (5 - bits) & 31);
            acc = 0;

            string lowerHrp = hrp.ToLowerInvariant();
            uint chk = HrpChecksum(lowerHrp);
            for (int i = 0; i < fiveBitCount; i++) chk = PolyStep(chk) ^ values[i];
            for (int i = 0; i < ChecksumLength; i++) chk = PolyStep(chk);
            chk ^= 1;
            for (int i = 0; i < ChecksumLength; i++) values[fiveBitCount + i] = (byte)(chk >> 5 * (5 - i) & 31);

            string hrpOut = upper ? hrp.ToUpperInvariant() : lowerHrp;
            for (int i = 0; i < hrpOut.Length; i++) destination[i] = (byte)hrpOut[i];
            destination[hrpOut.Length] = (byte)'1';
            for (int i = 0; i < values.Length; i++)
            {
                int c = CharFor(values[i]);
                destination[hrpOut.Length + 1 + i] = (byte)(upper && c >= 'a' ? c - 32 : c);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(values);
        }
    }

    /// <summary>Encodes public data as a string (lowercase unless <paramref name="upper"/>).</summary>
    public static string EncodeToString(string hrp, ReadOnlySpan<byte> data, bool upper = false)
    {
        Span<byte> ascii = stackalloc byte[EncodedLength(hrp.Length, data.Length)];
        Encode(hrp, data, ascii, upper);
        return System.Text.Encoding.ASCII.GetString(ascii);
    }

    /// <summary>
    /// Decodes <paramref name="text"/> (ASCII bytes) whose prefix must equal <paramref name="hrp"/> ignoring case,
    /// into <paramref name="destination"/>, which must be exactly the decoded length. Returns false for any
    /// malformed input (mixed case, wrong prefix, bad character, bad checksum, wrong length, non-zero padding);
    /// <paramref name="destination"/> is cleared then.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> text, string hrp, Span<byte> destination)
    {
        bool ok = TryDecodeCore(text, hrp, destination);
        if (!ok) CryptographicOperations.ZeroMemory(destination);
        return ok;
    }

    private static bool TryDecodeCore(ReadOnlySpan<byte> text, string hrp, Span<byte> destination)
    {
        int separator = text.LastIndexOf((byte)'1');
        if (separator != hrp.Length || text.Length < separator + 1 + ChecksumLength) return false;
        bool hasLower = false, hasUpper = false;
        foreach (byte c in text)
        {
            if (c < 33 || c > 126) return false;
            hasLower |= c is >= (byte)'a' and <= (byte)'z';
            hasUpper |= c is >= (byte)'A' and <= (byte)'Z';
        }
        if (hasLower && hasUpper) return false;
        for (int i = 0; i < hrp.Length; i++)
            if (char.ToLowerInvariant((char)text[i]) != char.ToLowerInvariant(hrp[i])) return false;

        int valueCount = text.Length - separator - 1;
        int fiveBitCount = valueCount - ChecksumLength;
        if (fiveBitCount * 5 / 8 != destination.Length || fiveBitCount * 5 % 8 >= 5) return false;

        var values = GC.AllocateArray<byte>(valueCount, pinned: true);
        try
        {
            for (int i = 0; i < valueCount; i++)
            {
                int v = ValueOf(text[separator + 1 + i] | 0x20);
                if (v < 0) return false;
                values[i] = (byte)v;
            }
            uint chk = HrpChecksum(hrp.ToLowerInvariant());
            foreach (byte v in values) chk = PolyStep(chk) ^ v;
            if (chk != 1) return false;

            int at = 0, acc = 0, bits = 0;
            for (int i = 0; i < fiveBitCount; i++)
            {
                acc = (acc << 5 | values[i]) & 0xFFF;
                bits += 5;
                if (bits >= 8)
                {
                    bits -= 8;
                    destination[at++] = (byte)(acc >> bits & 0xFF);
                }
            }
            // BIP-173: fewer than 5 leftover bits, and all of them zero.
            bool paddingZero = (acc & ((1 << bits) - 1)) == 0;
            acc = 0;
            return at == destination.Length && paddingZero;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(values);
        }
    }

    // The two lookups below touch every table entry, so a secret key's characters do not show in memory timing.
    private static int CharFor(int value)
    {
        int c = 0;
        for (int i = 0; i < Charset.Length; i++) c |= Charset[i] & -(((i ^ value) - 1) >>> 31);
        return c;
    }

    private static int ValueOf(int lowerChar)
    {
        int v = -1;
        for (int i = 0; i < Charset.Length; i++)
        {
            int hit = -(((Charset[i] ^ lowerChar) - 1) >>> 31);
            v = (v & ~hit) | (i & hit);
        }
        return v;
    }

    private static uint HrpChecksum(string lowerHrp)
    {
        uint chk = 1;
        foreach (char c in lowerHrp) chk = PolyStep(chk) ^ (uint)(c >> 5);
        chk = PolyStep(chk);
        foreach (char c in lowerHrp) chk = PolyStep(chk) ^ (uint)(c & 31);
        return chk;
    }

    private static uint PolyStep(uint chk)
    {
        uint top = chk >> 25;
        chk = (chk & 0x1ffffff) << 5;
        for (int i = 0; i < 5; i++)
            if ((top >> i & 1) != 0) chk ^= Generator[i];
        return chk;
    }
}
