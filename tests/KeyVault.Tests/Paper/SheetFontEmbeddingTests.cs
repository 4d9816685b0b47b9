using KeyVault.Paper;
using KeyVault.Sheets;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Paper;

/// <summary>
/// Sheets embed font subsets: every kind of sheet stays under its size limit, and a sheet with subset fonts prints
/// exactly as the same sheet with the fonts embedded whole (poppler renders both; the pixels and the text must match).
/// </summary>
public class SheetFontEmbeddingTests
{
    /// <summary>The most a sheet's PDF may weigh (docs/paper.md); whole fonts made it about 1.2 MB.</summary>
    private const int MaxSheetBytes = 150_000;

    public static TheoryData<string, PaperSize> Sheets => new()
    {
        { "share-33", PaperSize.A4 }, { "share-33", PaperSize.Letter },
        { "share-20", PaperSize.A4 }, { "share-20", PaperSize.Letter },
        { "group-passphrase", PaperSize.A4 }, { "group-passphrase", PaperSize.Letter },
        { "key-file", PaperSize.A4 }, { "key-file", PaperSize.Letter },
    };

    [Theory]
    [MemberData(nameof(Sheets))]
    public void EachKindOfSheetFitsTheSizeLimit(string kind, PaperSize size)
    {
        using var renderer = new SheetRenderer();
        var pdf = Render(renderer, kind, size);
        Assert.True(pdf.Length <= MaxSheetBytes, $"{kind} {size}: {pdf.Length} bytes, limit {MaxSheetBytes}");
    }

    [Theory]
    [InlineData("share-33", PaperSize.A4)]
    [InlineData("group-passphrase", PaperSize.Letter)]
    [InlineData("key-file", PaperSize.A4)]
    public void SubsetFontsPrintExactlyAsWholeFonts(string kind, PaperSize size)
    {
        using var dir = new TempDir();
        using var subsetting = new SheetRenderer();
        using var whole = new SheetRenderer { EmbedWholeFonts = true };
        var small = Render(subsetting, kind, size);
        var large = Render(whole, kind, size);
        // The whole-font rendering is what sheets were before subsetting; if it shrank, this compares nothing.
        Assert.True(large.Length > 4 * small.Length, $"whole fonts {large.Length} bytes, subsets {small.Length}");

        var smallPdf = dir.File("subset.pdf");
        var largePdf = dir.File("whole.pdf");
        File.WriteAllBytes(smallPdf, small);
        File.WriteAllBytes(largePdf, large);
        Assert.Equal(SheetTools.PdfText(largePdf), SheetTools.PdfText(smallPdf));
        // 300 dpi, the resolution of a print: every pixel the same, not merely close.
        Assert.Equal(File.ReadAllBytes(SheetTools.Rasterize(largePdf, 300, dir.Path)),
            File.ReadAllBytes(SheetTools.Rasterize(smallPdf, 300, dir.Path)));
    }

    private static byte[] Render(SheetRenderer renderer, string kind, PaperSize size) => kind switch
    {
        "share-33" => renderer.RenderPdf(PaperFixtures.Share(PaperFixtures.Shares256[0]), size),
        "share-20" => renderer.RenderPdf(PaperFixtures.Share(PaperFixtures.Shares128[0]), size),
        "group-passphrase" => renderer.RenderPdf(PaperFixtures.Share(PaperFixtures.VectorMnemonics("36.")[0], number: 1, count: 5, threshold: 3) with
        {
            Group = new ShareGroup(2, 4, 2),
            PassphraseProtected = true,
            Custodian = "Zoë Ångström-Łukasz",
        }, size),
        "key-file" => renderer.RenderPdf(PaperFixtures.KeyFile(), size),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
