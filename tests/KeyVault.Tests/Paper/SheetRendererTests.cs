using KeyVault.Errors;
using KeyVault.Keys;
using KeyVault.Paper;
using KeyVault.Sheets;
using SkiaSharp;

namespace KeyVault.Tests.Paper;

/// <summary>Input checks and output properties that need no outside tool.</summary>
public class SheetRendererTests
{
    [Fact]
    public void PdfIsOnePageWithThePaperSize()
    {
        using var renderer = new SheetRenderer();
        var sheet = PaperFixtures.Share(PaperFixtures.Shares256[0]);
        var a4 = renderer.RenderPdf(sheet, PaperSize.A4);
        var letter = renderer.RenderPdf(sheet, PaperSize.Letter);
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(a4, 0, 5));
        AssertMediaBox(a4, 595.28, 841.89);
        AssertMediaBox(letter, 612, 792);
    }

    private static void AssertMediaBox(byte[] pdf, double width, double height)
    {
        var boxes = System.Text.RegularExpressions.Regex.Matches(System.Text.Encoding.Latin1.GetString(pdf),
            @"/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\]");
        var box = Assert.Single(boxes);
        // Skia writes the page size as a float; a tenth of a point is 0.035 mm.
        Assert.InRange(double.Parse(box.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), width - 0.1, width + 0.1);
        Assert.InRange(double.Parse(box.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), height - 0.1, height + 0.1);
    }

    [Theory]
    [InlineData(PaperSize.A4, 150, 1241, 1754)]
    [InlineData(PaperSize.Letter, 300, 2550, 3300)]
    public void PngHasThePageSizeAtTheRequestedResolution(PaperSize size, int dpi, int width, int height)
    {
        using var renderer = new SheetRenderer();
        var png = renderer.RenderPng(PaperFixtures.Share(PaperFixtures.Shares128[0]), size, dpi);
        using var bitmap = SKBitmap.Decode(png);
        Assert.Equal(width, bitmap.Width);
        Assert.Equal(height, bitmap.Height);
        // Not blank: the QR and the text put dark pixels on the page.
        Assert.Contains(bitmap.Pixels, p => p.Red < 64);
    }

    [Theory]
    [InlineData(50)]
    [InlineData(601)]
    public void DpiOutsideTheRangeIsAUsageError(int dpi)
    {
        using var renderer = new SheetRenderer();
        var e = Assert.Throws<KeyVaultException>(() => renderer.RenderPng(PaperFixtures.Share(PaperFixtures.Shares128[0]), PaperSize.A4, dpi));
        Assert.Equal(ErrorKind.Usage, e.Kind);
        Assert.Contains($"{dpi} dpi", e.Message);
    }

    public static TheoryData<string, Func<ShareSheet, ShareSheet>> BadShares => new()
    {
        { "share 17 of 3", s => s with { ShareNumber = 17 } },
        { "share 0 of 3", s => s with { ShareNumber = 0 } },
        { "threshold 4", s => s with { Threshold = 4 } },
        { "share 1 of 17", s => s with { ShareCount = 17 } },
        { "group 3 of 2", s => s with { Group = new ShareGroup(3, 2, 1) } },
        { "group threshold 3", s => s with { Group = new ShareGroup(1, 2, 3) } },
        { "identifier 32768", s => s with { Identifier = 32768 } },
        { "19 words", s => s with { Words = s.Words.Take(19).ToArray() } },
        { "34 words", s => s with { Words = s.Words.Concat(s.Words).Take(34).ToArray() } },
        { "custodian name", s => s with { Custodian = "Alice\nBob" } },
        { "custodian name", s => s with { Custodian = new string('a', 61) } },
        { "network", s => s with { Network = (StacksNetwork)7 } },
    };

    [Theory]
    [MemberData(nameof(BadShares))]
    public void AnImpossibleShareSheetIsRejectedBeforeAnythingIsDrawn(string expected, Func<ShareSheet, ShareSheet> spoil)
    {
        using var renderer = new SheetRenderer();
        var sheet = spoil(PaperFixtures.Share(PaperFixtures.Shares256[0]));
        var e = Assert.Throws<KeyVaultException>(() => renderer.RenderPdf(sheet, PaperSize.A4));
        Assert.Equal(ErrorKind.BadInput, e.Kind);
        Assert.Contains(expected.Split(' ')[0], e.Message);
        Assert.NotNull(e.Hint);
        // A message may share a common word with the mnemonic by chance ("network"), never a run of them.
        Assert.True(sheet.Words.Count(w => e.Message.Contains(w, StringComparison.Ordinal)) <= 1, e.Message);
    }

    [Fact]
    public void ANameTheFontCannotShowStopsTheSheetInsteadOfPrintingBoxes()
    {
        using var renderer = new SheetRenderer();
        // Linear B: no sans family on a stock desktop covers it.
        var sheet = PaperFixtures.Share(PaperFixtures.Shares256[0]) with { Custodian = "Alice \U00010000" };
        var e = Assert.Throws<KeyVaultException>(() => renderer.RenderPdf(sheet, PaperSize.A4));
        Assert.Equal(ErrorKind.OutputFailure, e.Kind);
        Assert.Contains("custodian name", e.Message);
        Assert.Contains("glyph", e.Message);
    }

    [Fact]
    public void AMachineWithoutUsableFontsGetsAnErrorNamingWhatToInstall()
    {
        var e = Assert.Throws<KeyVaultException>(() =>
            SheetFonts.Load(["No Such Sans KV"], SheetFonts.MonoFamilies));
        Assert.Equal(ErrorKind.OutputFailure, e.Kind);
        Assert.Contains("no usable sans-serif font", e.Message);
        Assert.Contains("No Such Sans KV", e.Message);
        Assert.Contains("fonts-dejavu-core", e.Hint);

        var mono = Assert.Throws<KeyVaultException>(() => SheetFonts.Load(SheetFonts.SansFamilies, ["No Such Mono KV"]));
        Assert.Contains("no usable monospaced font", mono.Message);
    }

    public static TheoryData<Exception> NativeLoadFailures => new(new Exception[]
    {
        new TypeInitializationException("SkiaSharp.SKFontManager", new DllNotFoundException("libSkiaSharp")),
        new DllNotFoundException("libSkiaSharp"),
        new TypeInitializationException("SkiaSharp.SKObject", new EntryPointNotFoundException("sk_fontmgr_ref_default")),
    });

    [Theory]
    [MemberData(nameof(NativeLoadFailures))]
    public void AMachineWhoseDrawingLibraryCannotLoadGetsAnErrorNamingWhatToInstall(Exception failure)
    {
        // What the runtime throws when libSkiaSharp, or libfontconfig under it, cannot be loaded (checked by hand with
        // libfontconfig.so.1 hidden: an internal error before this).
        var e = Assert.Throws<KeyVaultException>(() => SheetRenderer.LoadFonts(() => throw failure));
        Assert.Equal(ErrorKind.OutputFailure, e.Kind);
        Assert.StartsWith("the sheets cannot be drawn on this machine", e.Message);
        Assert.Contains("libfontconfig.so.1", e.Message);
        Assert.Contains("libfontconfig1", e.Hint);
        Assert.Same(failure, e.InnerException);
    }

    [Fact]
    public void AnUnrelatedFailureWhileLoadingFontsIsNotMistakenForAMissingLibrary()
    {
        var other = new TypeInitializationException("SkiaSharp.SKFontManager", new InvalidOperationException("something else"));
        Assert.Same(other, Assert.Throws<TypeInitializationException>(() => SheetRenderer.LoadFonts(() => throw other)));
    }

    [Fact]
    public void TheDefaultFontsCoverEveryFixedCharacter()
    {
        using var fonts = SheetFonts.Load();
        foreach (var face in new[] { fonts.Sans, fonts.SansBold, fonts.Mono, fonts.MonoBold })
        {
            using var font = new SKFont(face);
            Assert.True(font.ContainsGlyphs(SheetFonts.RequiredCharacters), face.FamilyName);
        }
        Assert.True(fonts.SansBold.FontWeight >= 600 && fonts.MonoBold.FontWeight >= 600);
    }

    [Fact]
    public void TooManyArmoredLinesAreRejected()
    {
        using var renderer = new SheetRenderer();
        var sheet = PaperFixtures.KeyFile() with { ArmoredLines = Enumerable.Repeat("AAAA", KeyFileSheetLimits.MaxLines + 1).ToArray() };
        var e = Assert.Throws<KeyVaultException>(() => renderer.RenderPdf(sheet, PaperSize.A4));
        Assert.Contains($"{KeyFileSheetLimits.MaxLines + 1} lines", e.Message);
    }

    [Fact]
    public void ShareSheetToStringHidesTheWords()
    {
        var sheet = PaperFixtures.Share(PaperFixtures.Shares256[0]);
        var text = sheet.ToString();
        Assert.Contains("share 3 of 3", text);
        foreach (var word in sheet.Words) Assert.DoesNotContain(word, text);
    }

    [Fact]
    public void TheToolVersionIsTheAssemblyVersion()
    {
        Assert.Equal(typeof(SheetRenderer).Assembly.GetName().Version!.ToString(3), SheetRenderer.ToolVersion);
    }
}
