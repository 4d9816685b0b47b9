using SkiaSharp;

namespace KeyVault.Paper;

/// <summary>Breaks text into lines that fit a width, at spaces, and inside a word only when the word alone is too wide.</summary>
internal static class TextWrap
{
    /// <summary>The lines of <paramref name="text"/> set in <paramref name="face"/> at <paramref name="size"/>, none wider than <paramref name="width"/>.</summary>
    public static List<string> Lines(string text, float width, SKTypeface face, float size)
    {
        using var font = new SKFont(face, size) { Subpixel = true };
        var lines = new List<string>();
        var line = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = line.Length == 0 ? word : line + " " + word;
            if (font.MeasureText(candidate) <= width)
            {
                line = candidate;
                continue;
            }
            if (line.Length > 0) lines.Add(line);
            line = word;
            // An e-mail address or a long name without spaces is cut where the line is full.
            while (font.MeasureText(line) > width)
            {
                var cut = Fit(font, line, width);
                lines.Add(line[..cut]);
                line = line[cut..];
            }
        }
        if (line.Length > 0) lines.Add(line);
        return lines;
    }

    private static int Fit(SKFont font, string text, float width)
    {
        var cut = 1;
        while (cut < text.Length && font.MeasureText(text.AsSpan(0, NextBoundary(text, cut))) <= width) cut = NextBoundary(text, cut);
        // Never split a surrogate pair: the half would print as a missing glyph.
        return char.IsHighSurrogate(text[cut - 1]) && cut < text.Length ? cut + 1 : cut;
    }

    private static int NextBoundary(string text, int i) => i < text.Length && char.IsHighSurrogate(text[i]) ? Math.Min(i + 2, text.Length) : i + 1;
}
