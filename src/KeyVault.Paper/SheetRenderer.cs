using System.Reflection;
using KeyVault.IO;
using KeyVault.Keys;
using KeyVault.Sheets;

namespace KeyVault.Paper;

/// <summary>
/// Renders sheets as PDFs (one page for share and key-file sheets, two or three for a sealed share, as many as a DKG export
/// needs; vector QR codes, embedded font subsets) or as PNG previews of the first page. Creating a renderer finds
/// the fonts, so a ceremony can fail before any key exists if a machine cannot print. Not thread-safe; make one per
/// thread.
/// </summary>
/// <remarks>
/// The caller's mnemonic strings are read, never copied into new strings, and the upper-case QR text and the
/// module matrix are wiped after use. What cannot be wiped: QRCoder's internal bit buffers, the glyph runs and
/// PDF stream SkiaSharp keeps in native memory until it frees them, and the returned bytes, which are the sheet.
/// </remarks>
public sealed class SheetRenderer : ISheetRenderer, IDkgSheetRenderer, IDisposable
{
    /// <summary>Lowest resolution a PNG preview accepts.</summary>
    public const int MinDpi = 72;
    /// <summary>Highest resolution a PNG preview accepts.</summary>
    public const int MaxDpi = 600;

    private readonly SheetFonts _fonts;

    /// <summary>Finds the fonts; throws <see cref="Errors.KeyVaultException"/> (OutputFailure) naming what is missing.</summary>
    public SheetRenderer() => _fonts = LoadFonts(SheetFonts.Load);

    /// <summary>
    /// Runs the first call into SkiaSharp: when its native library or a system library it needs cannot be loaded, the
    /// runtime throws a type-initialisation or DLL error, which becomes an error saying what the machine lacks.
    /// </summary>
    internal static SheetFonts LoadFonts(Func<SheetFonts> load)
    {
        try
        {
            return load();
        }
        catch (Exception ex) when (ex is DllNotFoundException or BadImageFormatException or EntryPointNotFoundException
                                   || ex is TypeInitializationException { InnerException: DllNotFoundException or BadImageFormatException or EntryPointNotFoundException })
        {
            throw PaperError.DrawingLibraryMissing(ex);
        }
    }

    internal SheetRenderer(SheetFonts fonts) => _fonts = fonts;

    /// <summary>Embeds the fonts whole, as before subsetting; the tests compare the two renderings.</summary>
    internal bool EmbedWholeFonts { get; init; }

    /// <summary>The KeyVault version printed in every sheet's footer.</summary>
    public static string ToolVersion { get; } = ReadVersion();

    /// <summary>
    /// Checks everything about a share sheet that could stop it from rendering (field ranges, word forms, a glyph for
    /// every character of the custodian's name) without drawing it, so a split can fail before any secret is read.
    /// Throws <see cref="Errors.KeyVaultException"/> as rendering would.
    /// </summary>
    public void Check(ShareSheet sheet)
    {
        // Laid out on both paper sizes without being drawn anywhere: whether the text fits depends on the page.
        foreach (var size in Enum.GetValues<PaperSize>())
            WithShare(sheet, (layout, qr) => Record(size, p => layout.Draw(p, qr), audit: false));
    }

    /// <summary>Lays the sheet out on a canvas that keeps nothing; returns every mark with its extent.</summary>
    internal List<DrawnItem> Layout(ShareSheet sheet, PaperSize size) =>
        WithShare(sheet, (layout, qr) => Record(size, p => layout.Draw(p, qr), audit: true)!);

    /// <summary>As <see cref="Layout(ShareSheet, PaperSize)"/>, for a key-file sheet.</summary>
    internal List<DrawnItem> Layout(KeyFileSheet sheet, PaperSize size) =>
        WithKeyFile(sheet, (layout, qr) => Record(size, p => layout.Draw(p, qr), audit: true)!);

    /// <summary>
    /// As <see cref="Layout(ShareSheet, PaperSize)"/>, for a page of a sealed share sheet (1: the sealed share; then the
    /// armored text when it has a page of its own; last: what to do if it is lost or exposed).
    /// </summary>
    internal List<DrawnItem> Layout(SealedShareSheet sheet, PaperSize size, int page) =>
        WithSealed(sheet, (layout, codes) => Record(size, p => layout.DrawPage(p, page, codes), audit: true)!);

    /// <summary>How many pages the sealed share sheet's PDF has (2, or 3 when its file takes two codes).</summary>
    internal int Pages(SealedShareSheet sheet) => new SealedShareLayout(sheet, _fonts).Pages;

    // Only layout tests audit: the record holds the text drawn, and a share's words are secret.
    private List<DrawnItem>? Record(PaperSize size, Action<SheetPainter> draw, bool audit)
    {
        var (width, height) = PaperSizes.Points(size);
        return PageRender.Record(_fonts, width, height, draw, audit);
    }

    /// <summary>The share sheet as a one-page PDF.</summary>
    public byte[] RenderPdf(ShareSheet sheet, PaperSize size) =>
        WithShare(sheet, (layout, qr) => Pdf(size, ShareLayout.Title(sheet), sheet.Date, p => layout.Draw(p, qr)));

    /// <summary>The share sheet as a PNG image at <paramref name="dpi"/> dots per inch.</summary>
    public byte[] RenderPng(ShareSheet sheet, PaperSize size, int dpi)
    {
        CheckDpi(dpi);
        return WithShare(sheet, (layout, qr) => Png(size, dpi, p => layout.Draw(p, qr)));
    }

    /// <summary>The key-file sheet as a one-page PDF.</summary>
    public byte[] RenderPdf(KeyFileSheet sheet, PaperSize size) =>
        WithKeyFile(sheet, (layout, qr) => Pdf(size, KeyFileLayout.Title(sheet), sheet.Date, p => layout.Draw(p, qr)));

    /// <summary>The key-file sheet as a PNG image at <paramref name="dpi"/> dots per inch.</summary>
    public byte[] RenderPng(KeyFileSheet sheet, PaperSize size, int dpi)
    {
        CheckDpi(dpi);
        return WithKeyFile(sheet, (layout, qr) => Png(size, dpi, p => layout.Draw(p, qr)));
    }

    /// <summary>
    /// Checks a sealed share sheet as rendering would: its fields, the glyphs of the name and recipient, that the
    /// armored text fits one QR code at level Q or two, and that every page of the smaller paper (Letter) has room for it.
    /// </summary>
    public void Check(SealedShareSheet sheet) =>
        WithSealed(sheet, (layout, codes) =>
        {
            for (var page = 1; page <= layout.Pages; page++) Record(PaperSize.Letter, p => layout.DrawPage(p, page, codes), audit: false);
            return 0;
        });

    /// <summary>
    /// The sealed share sheet as a PDF: the sealed share, then whom to tell if the sheet is lost or exposed (the first
    /// page has no room left beside a QR code that must stay large enough to scan). A file that takes two codes gets a
    /// page of its own for its armored text between the two: three pages.
    /// </summary>
    public byte[] RenderPdf(SealedShareSheet sheet, PaperSize size) =>
        WithSealed(sheet, (layout, codes) => Pdf(size, SealedShareLayout.Title(sheet), sheet.Date,
            Enumerable.Range(1, layout.Pages).Select(page => (Action<SheetPainter>)(p => layout.DrawPage(p, page, codes))).ToList()));

    /// <summary>The sealed share sheet's first page as a PNG image at <paramref name="dpi"/> dots per inch.</summary>
    public byte[] RenderPng(SealedShareSheet sheet, PaperSize size, int dpi)
    {
        CheckDpi(dpi);
        return WithSealed(sheet, (layout, codes) => Png(size, dpi, p => layout.DrawPage(p, 1, codes)));
    }

    // The armored text is ciphertext: unlike a mnemonic, it needs no wiping.
    private T WithSealed<T>(SealedShareSheet sheet, Func<SealedShareLayout, IReadOnlyList<QrSymbol>, T> render)
    {
        var layout = new SealedShareLayout(sheet, _fonts);
        return render(layout, layout.Payloads.Select(QrSymbol.Encode).ToList());
    }

    /// <summary>The pages of a DKG export as one PDF, four numbered codes a page.</summary>
    public byte[] RenderPdf(DkgExportSheet sheet, PaperSize size)
    {
        var layout = new DkgExportLayout(sheet, _fonts);
        var pages = new List<Action<SheetPainter>>();
        for (int page = 1; page <= sheet.Pages; page++)
        {
            var number = page;
            var texts = sheet.Parts.Skip((page - 1) * DkgExportSheet.PartsPerPage).Take(DkgExportSheet.PartsPerPage).ToList();
            pages.Add(p => layout.Draw(p, number, texts.Select(QrSymbol.Encode).ToList()));
        }
        return Pdf(size, DkgExportLayout.Title(sheet), sheet.Date, pages);
    }

    private T WithShare<T>(ShareSheet sheet, Func<ShareLayout, QrSymbol, T> render)
    {
        var layout = new ShareLayout(sheet, _fonts);
        var payload = QrPayload.ForMnemonic(sheet.Words);
        QrSymbol? symbol = null;
        try
        {
            symbol = QrSymbol.Encode(payload);
            return render(layout, symbol);
        }
        finally
        {
            SecretBuffers.WipeString(payload);
            symbol?.Wipe();
        }
    }

    private T WithKeyFile<T>(KeyFileSheet sheet, Func<KeyFileLayout, QrSymbol, T> render)
    {
        var layout = new KeyFileLayout(sheet, _fonts);
        var symbol = QrSymbol.Encode(QrPayload.ForArmoredText(sheet.ArmoredLines));
        try
        {
            return render(layout, symbol);
        }
        finally
        {
            symbol.Wipe();
        }
    }

    private byte[] Pdf(PaperSize size, string title, DateOnly date, Action<SheetPainter> draw) => Pdf(size, title, date, [draw]);

    private byte[] Pdf(PaperSize size, string title, DateOnly date, IReadOnlyList<Action<SheetPainter>> pages)
    {
        var (width, height) = PaperSizes.Points(size);
        return PageRender.Pdf(_fonts, width, height, title, date, pages, EmbedWholeFonts);
    }

    private byte[] Png(PaperSize size, int dpi, Action<SheetPainter> draw)
    {
        var (width, height) = PaperSizes.Points(size);
        return PageRender.Png(_fonts, width, height, dpi, draw, "PNG preview");
    }

    private static void CheckDpi(int dpi)
    {
        if (dpi is < MinDpi or > MaxDpi) throw PaperError.Dpi(dpi);
    }

    private static string ReadVersion()
    {
        var assembly = typeof(SheetRenderer).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        // Drop the "+commit" build metadata: the footer is for people, and the version alone names the release.
        var version = informational?.Split('+')[0];
        return string.IsNullOrEmpty(version) ? assembly.GetName().Version?.ToString(3) ?? "unknown" : version;
    }

    /// <inheritdoc />
    public void Dispose() => _fonts.Dispose();

    internal static string NetworkName(StacksNetwork network) => network == StacksNetwork.Mainnet ? "mainnet" : "testnet";
}
