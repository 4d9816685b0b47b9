using KeyVault.Sheets;
using SkiaSharp;

namespace KeyVault.Paper;

/// <summary>
/// The four typefaces a sheet uses, found on the machine through the system font manager (fontconfig on Linux).
/// Nothing is bundled: the tool must stay one small executable, and every stock Linux desktop has one of the
/// families below. A family is accepted only if it has every glyph the fixed text of a sheet needs, so a sheet
/// is never printed with boxes where letters should be.
/// </summary>
internal sealed class SheetFonts : IDisposable
{
    /// <summary>Proportional families, in order of preference.</summary>
    public static readonly IReadOnlyList<string> SansFamilies =
        ["DejaVu Sans", "Liberation Sans", "Noto Sans", "Nimbus Sans", "FreeSans", "Arial", "Helvetica"];

    /// <summary>Monospaced families, in order of preference.</summary>
    public static readonly IReadOnlyList<string> MonoFamilies =
        ["DejaVu Sans Mono", "Liberation Mono", "Noto Sans Mono", "Noto Mono", "Nimbus Mono PS", "FreeMono", "Courier New"];

    /// <summary>Every character the fixed text of a sheet uses: printable ASCII plus the few typographic marks.</summary>
    internal static readonly string RequiredCharacters = BuildRequired();

    private SheetFonts(SKTypeface sans, SKTypeface sansBold, SKTypeface mono, SKTypeface monoBold)
    {
        Sans = sans;
        SansBold = sansBold;
        Mono = mono;
        MonoBold = monoBold;
    }

    /// <summary>Regular proportional face, for prose.</summary>
    public SKTypeface Sans { get; }
    /// <summary>Bold proportional face, for titles and labels.</summary>
    public SKTypeface SansBold { get; }
    /// <summary>Regular monospaced face, for words, keys and addresses.</summary>
    public SKTypeface Mono { get; }
    /// <summary>Bold monospaced face, for the identifying first letters of each word.</summary>
    public SKTypeface MonoBold { get; }

    /// <summary>Finds a usable sans and mono family; throws an OutputFailure naming what is missing otherwise.</summary>
    public static SheetFonts Load() => Load(SansFamilies, MonoFamilies);

    /// <summary>As <see cref="Load()"/>, from given candidate lists (tests use this to simulate a bare machine).</summary>
    internal static SheetFonts Load(IReadOnlyList<string> sansFamilies, IReadOnlyList<string> monoFamilies)
    {
        var sans = Find(sansFamilies, "sans-serif");
        var mono = Find(monoFamilies, "monospaced");
        return new SheetFonts(sans.Regular, sans.Bold, mono.Regular, mono.Bold);
    }

    /// <summary>Throws unless <paramref name="typeface"/> has a glyph for every character of <paramref name="text"/>.</summary>
    public static void RequireGlyphs(SKTypeface typeface, string text, string field)
    {
        using var font = new SKFont(typeface);
        if (!font.ContainsGlyphs(text)) throw PaperError.MissingGlyphs(typeface.FamilyName, field);
    }

    private static (SKTypeface Regular, SKTypeface Bold) Find(IReadOnlyList<string> families, string kind)
    {
        var manager = SKFontManager.Default;
        foreach (var family in families)
        {
            var regular = manager.MatchFamily(family, SKFontStyle.Normal);
            // fontconfig substitutes freely; take only the family that was asked for.
            if (regular is null || !string.Equals(regular.FamilyName, family, StringComparison.OrdinalIgnoreCase) || !Covers(regular))
            {
                regular?.Dispose();
                continue;
            }
            var bold = manager.MatchFamily(family, SKFontStyle.Bold);
            if (bold is null || !string.Equals(bold.FamilyName, family, StringComparison.OrdinalIgnoreCase)
                || bold.FontWeight < (int)SKFontStyleWeight.SemiBold || !Covers(bold))
            {
                // Emphasis must be visible on paper; a family without a real bold face does not qualify.
                bold?.Dispose();
                regular.Dispose();
                continue;
            }
            return (regular, bold);
        }
        throw PaperError.NoUsableFont(kind, families);
    }

    private static bool Covers(SKTypeface typeface)
    {
        using var font = new SKFont(typeface);
        return font.ContainsGlyphs(RequiredCharacters);
    }

    private static string BuildRequired()
    {
        var chars = new List<char>();
        for (var c = ' '; c <= '~'; c++) chars.Add(c);
        chars.AddRange(Typography.Marks);
        return new string(chars.ToArray());
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Sans.Dispose();
        SansBold.Dispose();
        Mono.Dispose();
        MonoBold.Dispose();
    }
}

/// <summary>The non-ASCII marks the sheets print, kept in one place so the font check covers exactly these.</summary>
internal static class Typography
{
    public const char MiddleDot = '\u00B7';
    public const char EnDash = '\u2013';
    public const char EmDash = '\u2014';
    public const char LeftQuote = '\u201C';
    public const char RightQuote = '\u201D';
    public const char Times = '\u00D7';
    public const char Ellipsis = '\u2026';

    public static ReadOnlySpan<char> Marks => [MiddleDot, EnDash, EmDash, LeftQuote, RightQuote, Times, Ellipsis];
}
