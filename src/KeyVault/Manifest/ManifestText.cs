using System.Text;
using KeyVault.Text;

namespace KeyVault.Manifest;

/// <summary>
/// The rule for every free-text field of a manifest (names, org, contact, label, reasons): one line of NFC text
/// without control characters, bidirectional overrides or a byte-order mark, so it prints the same everywhere and
/// cannot move a terminal's cursor or reorder what a reader sees.
/// </summary>
internal static class ManifestText
{
    /// <summary>Most UTF-8 bytes of a name, label, org or contact.</summary>
    public const int MaxNameBytes = 100;

    /// <summary>Most UTF-8 bytes of a reason or an age recipient.</summary>
    public const int MaxLongBytes = 500;

    /// <summary>Longest age recipient: a post-quantum age1pq1… key is 1,959 characters.</summary>
    public const int MaxRecipientBytes = 2000;

    /// <summary>Longest time zone of a custodian, in UTF-8 bytes.</summary>
    public const int MaxTimeZoneBytes = 64;

    /// <summary>Why <paramref name="text"/> breaks the rule, or null.</summary>
    public static string? Problem(string text, int maxBytes)
    {
        if (text.Length == 0) return "it is empty";
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsSurrogate(c))
            {
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
                return "it contains invalid Unicode (a lone surrogate)";
            }
            if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || c is '\u200E' or '\u200F' or '\uFEFF'
                || (c >= '\u2028' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069'))
                return $"it contains the character U+{(int)c:X4}, which is not allowed";
        }
        int bytes = Encoding.UTF8.GetByteCount(text);
        if (bytes > maxBytes) return $"it is {bytes} UTF-8 bytes long; at most {maxBytes} are allowed";
        if (!UnicodeNfc.IsNormalized(text)) return "it is not in Unicode normalisation form C";
        return null;
    }

    /// <summary>Normalises text given by a caller to NFC and checks it; throws BadInput naming <paramref name="what"/>.</summary>
    public static string Accept(string text, string what, int maxBytes = MaxNameBytes)
    {
        string nfc;
        try
        {
            nfc = UnicodeNfc.Normalize(text);
        }
        catch (ArgumentException)
        {
            throw ManifestError.TextRejected(what, "it contains invalid Unicode (a lone surrogate)");
        }
        if (Problem(nfc, maxBytes) is { } why) throw ManifestError.TextRejected(what, why);
        // Writers only: a manifest signed before this rule existed must still verify.
        if (UnicodeNfc.NewTextProblem(nfc) is { } repertoire) throw ManifestError.TextRejected(what, repertoire);
        return nfc;
    }
}
