using System.Runtime.InteropServices;
using System.Security.Cryptography;
using KeyVault.Sheets;
using SkiaSharp;

namespace KeyVault.Paper;

/// <summary>
/// Turns drawing code into a document: a PDF of one or more pages with embedded font subsets, a PNG of one page, or
/// only the list of marks a page would hold (for layout tests). Shared by the sheets and the backup-health chart.
/// </summary>
internal static class PageRender
{
    /// <summary>Lays a page out on a canvas that keeps nothing; with <paramref name="audit"/>, returns every mark with its extent.</summary>
    public static List<DrawnItem>? Record(SheetFonts fonts, float width, float height, Action<SheetPainter> draw, bool audit)
    {
        using var recorder = new SKPictureRecorder();
        var canvas = recorder.BeginRecording(new SKRect(0, 0, width, height));
        using var painter = new SheetPainter(canvas, fonts, width, height) { Drawn = audit ? [] : null };
        draw(painter);
        using var picture = recorder.EndRecording();
        return painter.Drawn;
    }

    /// <summary>
    /// The pages as one PDF/A document of <paramref name="width"/> × <paramref name="height"/> points, dated
    /// <paramref name="date"/> rather than by the clock, so the same inputs give the same file.
    /// </summary>
    public static byte[] Pdf(SheetFonts fonts, float width, float height, string title, DateOnly date,
        IReadOnlyList<Action<SheetPainter>> pages, bool embedWholeFonts = false)
    {
        var stamp = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var metadata = new SKDocumentPdfMetadata
        {
            Title = title,
            Creator = "KeyVault " + SheetRenderer.ToolVersion,
            Producer = "KeyVault " + SheetRenderer.ToolVersion,
            Creation = stamp,
            Modified = stamp,
            // PDF/A: the archival profile, for a document meant to be opened in ten years.
            PdfA = true,
            RasterDpi = 300,
        };
        using var subsets = embedWholeFonts ? null : Subsets(fonts, width, height, pages);
        using var buffer = new WipingBufferStream(initialCapacity: 256 * 1024);
        using (var stream = new SKManagedWStream(buffer, disposeManagedStream: false))
        using (var document = SKDocument.CreatePdf(stream, metadata) ?? throw PaperError.RenderFailed("PDF"))
        {
            foreach (var draw in pages)
            {
                var canvas = document.BeginPage(width, height);
                using (var painter = new SheetPainter(canvas, fonts, width, height, subsets: subsets))
                    draw(painter);
                document.EndPage();
            }
            document.Close();
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// Runs every page's drawing once on a canvas that draws nothing to find every glyph the document uses, and subsets
    /// the fonts to those glyphs, so the PDF embeds only the outlines it shows.
    /// </summary>
    private static SubsetFonts Subsets(SheetFonts fonts, float width, float height, IReadOnlyList<Action<SheetPainter>> pages)
    {
        using var glyphUse = new GlyphUse();
        foreach (var draw in pages)
        {
            using var nothing = new SKNoDrawCanvas((int)Math.Ceiling(width), (int)Math.Ceiling(height));
            using var recorder = new SheetPainter(nothing, fonts, width, height, glyphUse: glyphUse);
            draw(recorder);
        }
        return SubsetFonts.Create(glyphUse);
    }

    /// <summary>One page as a PNG image at <paramref name="dpi"/> dots per inch, on white; <paramref name="what"/> names it in errors.</summary>
    public static byte[] Png(SheetFonts fonts, float width, float height, int dpi, Action<SheetPainter> draw, string what)
    {
        var scale = dpi / 72f;
        var info = new SKImageInfo((int)Math.Ceiling(width * scale), (int)Math.Ceiling(height * scale),
            SKColorType.Rgba8888, SKAlphaType.Premul);
        // Pixels live in a pinned managed array we own, so the rendered words can be wiped after encoding.
        var pixels = GC.AllocateArray<byte>(info.BytesSize, pinned: true);
        try
        {
            using var surface = SKSurface.Create(info, Marshal.UnsafeAddrOfPinnedArrayElement(pixels, 0), info.RowBytes)
                ?? throw PaperError.RenderFailed(what);
            surface.Canvas.Clear(SKColors.White);
            surface.Canvas.Scale(scale);
            using (var painter = new SheetPainter(surface.Canvas, fonts, width, height))
                draw(painter);
            surface.Canvas.Flush();
            using var pixmap = surface.PeekPixels() ?? throw PaperError.RenderFailed(what);
            using var data = pixmap.Encode(SKEncodedImageFormat.Png, 100) ?? throw PaperError.RenderFailed(what);
            return data.ToArray();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pixels);
        }
    }
}
