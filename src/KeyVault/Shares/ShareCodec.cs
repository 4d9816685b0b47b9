namespace KeyVault.Shares;

/// <summary>
/// The one place that turns share words into fields and back (SLIP-0039 "Format of the share mnemonic").
/// Layout, big-endian, 10 bits per word: identifier (15) · extendable (1) · iteration exponent (4) · group index (4) ·
/// group threshold − 1 (4) · group count − 1 (4) · member index (4) · member threshold − 1 (4) · zero padding and
/// the share value (8n bits, padded on the left to a multiple of 10) · RS1024 checksum (30).
/// </summary>
internal static class ShareCodec
{
    /// <summary>Words before the share value: identifier/flag/exponent (2) and the four-bit fields (2).</summary>
    public const int HeaderWords = 4;

    /// <summary>Words that are not share value: header and checksum.</summary>
    public const int MetadataWords = HeaderWords + Rs1024.ChecksumWords;

    /// <summary>Shortest share: a 128-bit secret.</summary>
    public const int MinWords = MetadataWords + (128 + 9) / 10;

    /// <summary>Longest share read: a 512-bit secret, the largest BIP-32 seed; longer input is refused, not guessed at.</summary>
    public const int MaxWords = MetadataWords + (512 + 9) / 10;

    /// <summary>Shortest prefix that identifies a word (the list is unique in its first 4 letters).</summary>
    public const int PrefixLetters = 4;

    private const int MaxWordLetters = 8;

    /// <summary>The word indices of a share; the caller clears the array after use.</summary>
    public static int[] Encode(int identifier, bool extendable, int iterationExponent, int groupIndex, int groupThreshold,
        int groupCount, int memberIndex, int memberThreshold, ReadOnlySpan<byte> value)
    {
        int valueWords = (value.Length * 8 + 9) / 10;
        var words = new int[MetadataWords + valueWords];
        int idExp = (identifier << 5) | (extendable ? 1 << 4 : 0) | iterationExponent;
        words[0] = idExp >> 10;
        words[1] = idExp & 0x3FF;
        int fields = (groupIndex << 16) | ((groupThreshold - 1) << 12) | ((groupCount - 1) << 8)
            | (memberIndex << 4) | (memberThreshold - 1);
        words[2] = fields >> 10;
        words[3] = fields & 0x3FF;

        // Bits are produced from the right so that the padding falls naturally on the left of the first value word.
        int acc = 0, bits = 0, w = HeaderWords + valueWords - 1;
        for (int i = value.Length - 1; i >= 0; i--)
        {
            acc |= value[i] << bits;
            bits += 8;
            if (bits >= 10)
            {
                words[w--] = acc & 0x3FF;
                acc >>= 10;
                bits -= 10;
            }
        }
        if (bits > 0) words[w] = acc;
        Rs1024.Create(extendable, words.AsSpan(0, HeaderWords + valueWords), words.AsSpan(HeaderWords + valueWords));
        return words;
    }

    /// <summary>Joins word indices into the canonical mnemonic: lowercase words separated by single spaces.</summary>
    public static string ToMnemonic(ReadOnlySpan<int> words)
    {
        var list = WordList.Words;
        int length = words.Length - 1;
        foreach (var w in words) length += list[w].Length;
        return string.Create(length, words.ToArray(), static (span, indices) =>
        {
            try
            {
                var list = WordList.Words;
                int at = 0;
                for (int i = 0; i < indices.Length; i++)
                {
                    if (i > 0) span[at++] = ' ';
                    list[indices[i]].AsSpan().CopyTo(span[at..]);
                    at += list[indices[i]].Length;
                }
            }
            finally
            {
                Array.Clear(indices);
            }
        });
    }

    /// <summary>
    /// Reads a share typed or scanned by a person: words in any case, separated by any whitespace, each given in
    /// full or by a prefix of at least 4 letters. Everything after that is strict: length, checksum, padding, fields.
    /// </summary>
    /// <param name="text">The words.</param>
    /// <param name="position">The share's 1-based position in the input, for error messages; 0 for a lone share.</param>
    /// <param name="label">How errors name the share, when its position is not the best name (a file name, say).</param>
    public static Share Decode(ReadOnlySpan<char> text, int position, string? label = null)
    {
        label ??= position > 0 ? $"share {position}" : "the share";
        var words = ParseWords(text, label);
        try
        {
            return Decode(words, label, position);
        }
        finally
        {
            Array.Clear(words);
        }
    }

    private static Share Decode(int[] words, string label, int position)
    {
        int count = words.Length;
        if (count == 0) throw ShareErrors.Empty(label);
        if (count < MinWords) throw ShareErrors.TooFewWords(label, count);
        if (count > MaxWords) throw ShareErrors.TooManyWords(label, count);
        int valueBits = 10 * (count - MetadataWords);
        int padding = valueBits % 16;
        if (padding > 8) throw ShareErrors.BadLength(label, count);

        bool extendable = ((words[1] >> 4) & 1) == 1;
        if (!Rs1024.Verify(extendable, words)) throw ShareErrors.BadChecksum(label);

        int idExp = (words[0] << 10) | words[1];
        int fields = (words[2] << 10) | words[3];
        int identifier = idExp >> 5;
        int iterationExponent = idExp & 0xF;
        int groupIndex = fields >> 16;
        int groupThreshold = ((fields >> 12) & 0xF) + 1;
        int groupCount = ((fields >> 8) & 0xF) + 1;
        int memberIndex = (fields >> 4) & 0xF;
        int memberThreshold = (fields & 0xF) + 1;

        // The padding is the top bits of the first value word; SLIP-0039 requires them to be zero.
        if (words[HeaderWords] >> (10 - padding) != 0) throw ShareErrors.BadPadding(label);
        if (groupThreshold > groupCount) throw ShareErrors.GroupThresholdAboveCount(label, groupThreshold, groupCount);

        var value = GC.AllocateArray<byte>((valueBits - padding) / 8, pinned: true);
        int acc = 0, bits = -padding, at = 0;
        for (int i = HeaderWords; i < count - Rs1024.ChecksumWords; i++)
        {
            acc = ((acc << 10) | words[i]) & 0x3FFFF;
            bits += 10;
            while (bits >= 8)
            {
                bits -= 8;
                value[at++] = (byte)((acc >> bits) & 0xFF);
            }
        }
        return new Share(identifier, extendable, iterationExponent, groupIndex, groupThreshold, groupCount,
            memberIndex, memberThreshold, value, position);
    }

    /// <summary>Splits on any whitespace and resolves each token to a word index.</summary>
    internal static int[] ParseWords(ReadOnlySpan<char> text, string label)
    {
        int tokens = 0;
        foreach (var range in text.SplitAny(WhiteSpace))
            if (!text[range].IsEmpty) tokens++;
        var words = new int[tokens];
        Span<char> lower = stackalloc char[MaxWordLetters];
        try
        {
            int n = 0;
            foreach (var range in text.SplitAny(WhiteSpace))
            {
                var token = text[range];
                if (token.IsEmpty) continue;
                n++;
                if (token.Length < PrefixLetters && IsAsciiLetters(token)) throw ShareErrors.ShortWord(label, n, token.Length);
                if (token.Length > MaxWordLetters) throw ShareErrors.UnknownWord(label, n);
                int letters = token.ToLowerInvariant(lower);
                int index = Lookup(lower[..letters]);
                if (index < 0) throw ShareErrors.UnknownWord(label, n);
                words[n - 1] = index;
            }
            return words;
        }
        catch
        {
            Array.Clear(words);
            throw;
        }
        finally
        {
            lower.Clear();
        }
    }

    // Unicode whitespace that people and scanners put between words (space, tabs, line breaks, no-break spaces).
    private static ReadOnlySpan<char> WhiteSpace => " \t\n\v\f\r\u0085\u00A0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u2028\u2029\u202F\u205F\u3000";

    private static bool IsAsciiLetters(ReadOnlySpan<char> token)
    {
        foreach (var c in token)
            if (!char.IsAsciiLetter(c)) return false;
        return true;
    }

    /// <summary>Index of the only word that starts with <paramref name="prefix"/> (at least 4 letters), or −1.</summary>
    internal static int Lookup(ReadOnlySpan<char> prefix)
    {
        if (prefix.Length < PrefixLetters) return -1;
        var list = WordList.Words;
        var key = prefix[..PrefixLetters];
        int lo = 0, hi = WordList.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            int cmp = list[mid].AsSpan(0, PrefixLetters).SequenceCompareTo(key);
            if (cmp == 0) return list[mid].AsSpan().StartsWith(prefix, StringComparison.Ordinal) ? mid : -1;
            if (cmp < 0) lo = mid + 1;
            else hi = mid - 1;
        }
        return -1;
    }
}
