using System.Text;

namespace KeyVault.Text;

/// <summary>
/// Unicode Normalization Form C (UAX #15) from tables shipped in the assembly. The self-contained keyvault runs
/// without ICU (InvariantGlobalization), where <see cref="string.Normalize()"/> returns its input unchanged; a
/// passphrase typed as decomposed text on one machine must still open a file written on another, so KeyVault
/// normalises with these tables instead. Scratch buffers are cleared because the input may be a passphrase.
/// </summary>
internal static partial class UnicodeNfc
{
    private const int HangulSBase = 0xAC00, HangulLBase = 0x1100, HangulVBase = 0x1161, HangulTBase = 0x11A7;
    private const int HangulLCount = 19, HangulVCount = 21, HangulTCount = 28;
    private const int HangulNCount = HangulVCount * HangulTCount, HangulSCount = HangulLCount * HangulNCount;

    /// <summary>The NFC form of <paramref name="text"/>. Throws <see cref="ArgumentException"/> on a lone surrogate.</summary>
    public static string Normalize(ReadOnlySpan<char> text)
    {
        if (IsAsciiOnly(text)) return new string(text);
        var destination = GC.AllocateArray<char>(MaxNormalizedLength(text.Length), pinned: true);
        try
        {
            return new string(destination, 0, Normalize(text, destination));
        }
        finally
        {
            Array.Clear(destination);
        }
    }

    /// <summary>Length of a destination always large enough for <see cref="Normalize(ReadOnlySpan{char}, Span{char})"/>.</summary>
    public static int MaxNormalizedLength(int textLength) => checked(2 * (textLength * 4 + 4));

    /// <summary>
    /// Writes the NFC form of <paramref name="text"/> into <paramref name="destination"/> (at least
    /// <see cref="MaxNormalizedLength"/> long) and returns its length. Nothing else holds the result: for a passphrase,
    /// the caller passes a pinned buffer it wipes. Throws <see cref="ArgumentException"/> on a lone surrogate.
    /// </summary>
    public static int Normalize(ReadOnlySpan<char> text, Span<char> destination)
    {
        if (destination.Length < MaxNormalizedLength(text.Length))
            throw new ArgumentException("the destination is too short", nameof(destination));
        if (IsAsciiOnly(text))
        {
            text.CopyTo(destination);
            return text.Length;
        }
        // Pinned so the collector never leaves a moved copy of the code points behind; cleared before returning.
        var buffer = GC.AllocateArray<int>(text.Length * 4 + 4, pinned: true);
        try
        {
            int n = Decompose(text, buffer);
            Reorder(buffer.AsSpan(0, n));
            n = Compose(buffer.AsSpan(0, n));
            int written = 0;
            for (int i = 0; i < n; i++)
                written += new Rune(buffer[i]).EncodeToUtf16(destination[written..]);
            return written;
        }
        finally
        {
            Array.Clear(buffer);
        }
    }

    /// <summary>True when <paramref name="text"/> is already in NFC.</summary>
    public static bool IsNormalized(string text)
    {
        var n = Normalize(text);
        return string.Equals(n, text, StringComparison.Ordinal);
    }

    private static bool IsAsciiOnly(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
            if (c >= 0x80) return false;
        return true;
    }

    private static int Decompose(ReadOnlySpan<char> text, int[] buffer)
    {
        int n = 0;
        for (int i = 0; i < text.Length; i++)
        {
            int cp = text[i];
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                cp = char.ConvertToUtf32(text[i], text[++i]);
            else if (char.IsSurrogate(text[i]))
                throw new ArgumentException("lone surrogate", nameof(text));
            AppendDecomposition(cp, buffer, ref n);
        }
        return n;
    }

    private static void AppendDecomposition(int cp, int[] buffer, ref int n)
    {
        int s = cp - HangulSBase;
        if (s is >= 0 and < HangulSCount)
        {
            buffer[n++] = HangulLBase + s / HangulNCount;
            buffer[n++] = HangulVBase + s % HangulNCount / HangulTCount;
            if (s % HangulTCount != 0) buffer[n++] = HangulTBase + s % HangulTCount;
            return;
        }
        int at = FindDecomposition(cp);
        if (at < 0)
        {
            buffer[n++] = cp;
            return;
        }
        var d = Decompositions;
        // Canonical decompositions nest at most a few levels and never exceed four code points per input character.
        AppendDecomposition(d[at + 1], buffer, ref n);
        if (d[at + 2] >= 0) AppendDecomposition(d[at + 2], buffer, ref n);
    }

    private static int FindDecomposition(int cp)
    {
        var d = Decompositions;
        int lo = 0, hi = d.Length / 3 - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            int key = d[mid * 3];
            if (key == cp) return mid * 3;
            if (key < cp) lo = mid + 1; else hi = mid - 1;
        }
        return -1;
    }

    /// <summary>The canonical combining class of a code point (0 for starters and unlisted code points).</summary>
    public static int CombiningClass(int cp)
    {
        var r = CccRanges;
        int lo = 0, hi = r.Length / 3 - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (cp < r[mid * 3]) hi = mid - 1;
            else if (cp > r[mid * 3 + 1]) lo = mid + 1;
            else return r[mid * 3 + 2];
        }
        return 0;
    }

    // Canonical ordering: a stable sort of each run of non-starters by combining class.
    private static void Reorder(Span<int> cps)
    {
        for (int i = 1; i < cps.Length; i++)
        {
            int c = CombiningClass(cps[i]);
            if (c == 0) continue;
            int j = i;
            int cp = cps[i];
            while (j > 0)
            {
                int prev = CombiningClass(cps[j - 1]);
                if (prev <= c) break;
                cps[j] = cps[j - 1];
                j--;
            }
            cps[j] = cp;
        }
    }

    // Canonical composition (UAX #15 §1.3): a character joins the last starter unless a character of equal or higher
    // class, or a starter, stands between them.
    private static int Compose(Span<int> cps)
    {
        if (cps.Length == 0) return 0;
        int starterPos = 0;
        int lastClass = CombiningClass(cps[0]);
        if (lastClass != 0) lastClass = 256; // no starter yet: nothing may compose
        int outPos = 1;
        for (int i = 1; i < cps.Length; i++)
        {
            int ch = cps[i];
            int chClass = CombiningClass(ch);
            int composite = (lastClass < chClass || lastClass == 0) ? ComposePair(cps[starterPos], ch) : -1;
            if (composite >= 0)
            {
                cps[starterPos] = composite;
                continue;
            }
            if (chClass == 0) starterPos = outPos;
            lastClass = chClass;
            cps[outPos++] = ch;
        }
        return outPos;
    }

    private static int ComposePair(int first, int second)
    {
        int l = first - HangulLBase, v = second - HangulVBase;
        if (l is >= 0 and < HangulLCount && v is >= 0 and < HangulVCount)
            return HangulSBase + (l * HangulVCount + v) * HangulTCount;
        int s = first - HangulSBase, t = second - HangulTBase;
        if (s is >= 0 and < HangulSCount && s % HangulTCount == 0 && t is > 0 and < HangulTCount)
            return first + t;

        long key = ((long)first << 21) | (uint)second;
        var c = Compositions;
        int lo = 0, hi = c.Length / 2 - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            long k = c[mid * 2];
            if (k == key) return (int)c[mid * 2 + 1];
            if (k < key) lo = mid + 1; else hi = mid - 1;
        }
        return -1;
    }
}
