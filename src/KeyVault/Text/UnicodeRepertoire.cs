using System.Text;

namespace KeyVault.Text;

/// <summary>
/// Which code points Unicode 14.0.0 assigns and which are default-ignorable. NFC is stable across Unicode versions
/// only for assigned characters: a code point unassigned in 14.0.0 may get a combining class later, so text holding
/// one can normalise differently under a newer reader. Writers therefore refuse such text; readers do not ask.
/// </summary>
internal static partial class UnicodeNfc
{
    /// <summary>True when Unicode 14.0.0 assigns <paramref name="cp"/> (private use and surrogates count; noncharacters do not).</summary>
    public static bool IsAssigned(int cp) => InRanges(AssignedRanges, cp);

    /// <summary>True when <paramref name="cp"/> has Default_Ignorable_Code_Point in Unicode 14.0.0 (invisible when rendered).</summary>
    public static bool IsDefaultIgnorable(int cp) => InRanges(DefaultIgnorableRanges, cp);

    /// <summary>The first scalar value of <paramref name="text"/> that Unicode 14.0.0 leaves unassigned, or -1.</summary>
    public static int FirstUnassigned(ReadOnlySpan<char> text)
    {
        foreach (var rune in text.EnumerateRunes())
            if (!IsAssigned(rune.Value)) return rune.Value;
        return -1;
    }

    /// <summary>The first scalar value of UTF-8 <paramref name="utf8"/> that Unicode 14.0.0 leaves unassigned, or -1.</summary>
    public static int FirstUnassignedUtf8(ReadOnlySpan<byte> utf8)
    {
        while (!utf8.IsEmpty)
        {
            Rune.DecodeFromUtf8(utf8, out var rune, out int used);
            if (!IsAssigned(rune.Value)) return rune.Value;
            utf8 = utf8[used..];
        }
        return -1;
    }

    /// <summary>The first default-ignorable scalar value of <paramref name="text"/>, or -1.</summary>
    public static int FirstDefaultIgnorable(ReadOnlySpan<char> text)
    {
        foreach (var rune in text.EnumerateRunes())
            if (IsDefaultIgnorable(rune.Value)) return rune.Value;
        return -1;
    }

    /// <summary>
    /// Why a writer refuses a label or name it is about to write (already NFC), or null: a code point unassigned in
    /// Unicode 14.0.0, or a default-ignorable one (zero-width characters, U+061C and the rest of
    /// Default_Ignorable_Code_Point), which renders as nothing and so lets two different texts look alike.
    /// </summary>
    public static string? NewTextProblem(ReadOnlySpan<char> nfc)
    {
        if (FirstUnassigned(nfc) is var cp and >= 0)
            return $"it contains {Name(cp)}, which Unicode {UnicodeVersion} does not assign, so a reader with a later " +
                   "Unicode version could normalise it differently";
        if (FirstDefaultIgnorable(nfc) is var ig and >= 0)
            return $"it contains {Name(ig)}, an invisible character (Default_Ignorable_Code_Point), which would let two " +
                   "different texts look the same";
        return null;
    }

    /// <summary>"U+XXXX" as the Unicode Standard writes a code point.</summary>
    public static string Name(int cp) => $"U+{cp:X4}";

    private static bool InRanges(ReadOnlySpan<int> ranges, int cp)
    {
        int lo = 0, hi = ranges.Length / 2 - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (cp < ranges[mid * 2]) hi = mid - 1;
            else if (cp > ranges[mid * 2 + 1]) lo = mid + 1;
            else return true;
        }
        return false;
    }
}
