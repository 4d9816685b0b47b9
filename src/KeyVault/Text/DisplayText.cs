using System.Globalization;
using System.Text;

namespace KeyVault.Text;

/// <summary>
/// Makes a message safe to print on a terminal when it may quote what a person typed: control and bidirectional
/// formatting characters are shown escaped (\n, \x1b, \u202e), so a value can neither draw on the screen nor forge a
/// second line; and a run of SLIP-0039 share words is replaced, so a share never reaches a terminal log.
/// </summary>
internal static class DisplayText
{
    /// <summary>Consecutive word-list words from which a run is taken for (part of) a share.</summary>
    public const int ShareWordRun = 5;

    /// <summary>The message as it may be printed: <paramref name="shareWords"/> is the share word list (Shares.WordList.IgnoringCase).</summary>
    public static string Safe(string message, IReadOnlySet<string> shareWords) => Escape(RedactShareWords(message, shareWords));

    /// <summary>Escapes control and bidirectional formatting characters.</summary>
    public static string Escape(string text)
    {
        if (!text.Any(NeedsEscape)) return text;
        var sb = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (!NeedsEscape(c)) { sb.Append(c); continue; }
            sb.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when c <= 0xFF => "\\x" + ((int)c).ToString("x2", CultureInfo.InvariantCulture),
                _ => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
            });
        }
        return sb.ToString();
    }

    private static bool NeedsEscape(char c) =>
        char.IsControl(c) || c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    private static string RedactShareWords(string text, IReadOnlySet<string> words)
    {
        // Words are split at anything that is not a letter, so quoting or punctuation does not hide a share.
        var tokens = new List<(int Start, int End, bool Listed)>();
        for (int i = 0; i < text.Length;)
        {
            if (!char.IsAsciiLetter(text[i])) { i++; continue; }
            int start = i;
            while (i < text.Length && char.IsAsciiLetter(text[i])) i++;
            tokens.Add((start, i, words.Contains(text[start..i])));
        }
        var cut = new List<(int Start, int End)>();
        for (int t = 0; t < tokens.Count;)
        {
            if (!tokens[t].Listed) { t++; continue; }
            int first = t;
            while (t < tokens.Count && tokens[t].Listed) t++;
            if (t - first >= ShareWordRun) cut.Add((tokens[first].Start, tokens[t - 1].End));
        }
        if (cut.Count == 0) return text;
        var sb = new StringBuilder(text.Length);
        int at = 0;
        foreach (var (start, end) in cut)
        {
            sb.Append(text, at, start - at).Append("[share words not shown]");
            at = end;
        }
        return sb.Append(text, at, text.Length - at).ToString();
    }

    /// <summary>"1 row", "3 rows": a count with its noun, singular for one.</summary>
    public static string Count(int n, string noun, string? plural = null) => n == 1 ? $"1 {noun}" : $"{n} {plural ?? noun + "s"}";
}
