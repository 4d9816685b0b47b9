using KeyVault.Sheets;
using SkiaSharp;

namespace KeyVault.Paper;

/// <summary>Drawing primitives shared by both sheet layouts, in PDF points on one page.</summary>
internal sealed class SheetPainter : IDisposable
{
    public static readonly SKColor Ink = new(0x11, 0x11, 0x11);
    public static readonly SKColor Soft = new(0x44, 0x44, 0x44);
    public static readonly SKColor Muted = new(0x6b, 0x6b, 0x6b);
    public static readonly SKColor Hairline = new(0xb4, 0xb4, 0xb4);
    public static readonly SKColor Tint = new(0xf3, 0xf3, 0xf3);

    private readonly SKPaint _fill = new() { IsAntialias = true, Style = SKPaintStyle.Fill };
    private readonly SKPaint _stroke = new() { IsAntialias = true, Style = SKPaintStyle.Stroke };
    private readonly SKFont _font = new() { Subpixel = true, Edging = SKFontEdging.Antialias };
    private readonly GlyphUse? _glyphUse;
    private readonly SubsetFonts? _subsets;

    /// <summary>
    /// A painter on <paramref name="canvas"/>. With <paramref name="glyphUse"/> it records every glyph it draws; with
    /// <paramref name="subsets"/> it draws each face's subset in its place (same glyph IDs and advances).
    /// </summary>
    public SheetPainter(SKCanvas canvas, SheetFonts fonts, float width, float height,
        GlyphUse? glyphUse = null, SubsetFonts? subsets = null)
    {
        Canvas = canvas;
        Fonts = fonts;
        Width = width;
        Height = height;
        _glyphUse = glyphUse;
        _subsets = subsets;
    }

    /// <summary>When set, every text, line, frame and QR code drawn is recorded here with its extent, for layout tests.</summary>
    internal List<DrawnItem>? Drawn { get; set; }

    public SKCanvas Canvas { get; }
    public SheetFonts Fonts { get; }
    public float Width { get; }
    public float Height { get; }

    /// <summary>Width of <paramref name="text"/> in the given face and size.</summary>
    public float Measure(ReadOnlySpan<char> text, SKTypeface face, float size)
    {
        Use(face, size);
        return _font.MeasureText(text);
    }

    /// <summary>Draws one line of text with its baseline at <paramref name="y"/>; returns its width.</summary>
    public float Text(ReadOnlySpan<char> text, float x, float y, SKTypeface face, float size, SKColor color,
        SKTextAlign align = SKTextAlign.Left)
    {
        if (text.IsEmpty) return 0;
        Use(face, size);
        var width = _font.MeasureText(text);
        var left = align switch
        {
            SKTextAlign.Center => x - width / 2,
            SKTextAlign.Right => x - width,
            _ => x,
        };
        if (_glyphUse is not null) Record(text, face);
        // A text blob built from the span draws secret words without making substrings of them.
        using var blob = SKTextBlob.Create(text, _font, new SKPoint(0, 0))
            ?? throw PaperError.RenderFailed("text");
        _fill.Color = color;
        Canvas.DrawText(blob, left, y, _fill);
        if (Drawn is not null)
        {
            // From the pen position to the advance, as type is set: a bold letter's ink may reach into the next run of one word.
            _font.MeasureText(text, out var ink);
            Drawn.Add(new DrawnItem(DrawnKind.Text, new SKRect(left, y + ink.Top, left + width, y + ink.Bottom), text.ToString()));
        }
        return width;
    }

    /// <summary>A small bold heading.</summary>
    public float Caps(string text, float x, float y, SKColor color, float size = 7.5f, SKTextAlign align = SKTextAlign.Left)
    {
        return Text(text, x, y, Fonts.SansBold, size, color, align);
    }

    /// <summary>
    /// Draws <paramref name="text"/> wrapped to <paramref name="width"/>; returns the baseline after the last
    /// line (the next line's baseline).
    /// </summary>
    public float Paragraph(string text, float x, float y, float width, SKTypeface face, float size, float leading, SKColor color)
    {
        foreach (var line in TextWrap.Lines(text, width, face, size))
        {
            Text(line, x, y, face, size, color);
            y += leading;
        }
        return y;
    }

    public void Line(float x1, float y1, float x2, float y2, SKColor color, float thickness = 0.6f)
    {
        _stroke.Color = color;
        _stroke.StrokeWidth = thickness;
        Canvas.DrawLine(x1, y1, x2, y2, _stroke);
        Drawn?.Add(new DrawnItem(DrawnKind.Line, new SKRect(Math.Min(x1, x2), Math.Min(y1, y2) - thickness / 2, Math.Max(x1, x2), Math.Max(y1, y2) + thickness / 2), "line"));
    }

    public void Box(SKRect rect, SKColor stroke, SKColor? fill = null, float radius = 3f, float thickness = 0.6f)
    {
        if (fill is { } f)
        {
            _fill.Color = f;
            Canvas.DrawRoundRect(rect, radius, radius, _fill);
        }
        _stroke.Color = stroke;
        _stroke.StrokeWidth = thickness;
        Canvas.DrawRoundRect(rect, radius, radius, _stroke);
        Drawn?.Add(new DrawnItem(DrawnKind.Frame, rect, "frame"));
    }

    /// <summary>A filled disc: a coloured mark whose centre pixel is exactly <paramref name="color"/>.</summary>
    public void Disc(float cx, float cy, float radius, SKColor color)
    {
        _fill.Color = color;
        Canvas.DrawCircle(cx, cy, radius, _fill);
        Drawn?.Add(new DrawnItem(DrawnKind.Frame, new SKRect(cx - radius, cy - radius, cx + radius, cy + radius), "mark"));
    }

    /// <summary>
    /// Draws <paramref name="symbol"/> as vector rectangles inside a square of side <paramref name="side"/> whose
    /// outer <see cref="QrSymbol.QuietZone"/> modules stay white. All runs go into one path so that renderers fill
    /// it as one shape: no seams between rows, and anti-aliasing cannot grey the module edges.
    /// </summary>
    public void Qr(QrSymbol symbol, float x, float y, float side)
    {
        var module = side / (symbol.Size + 2 * QrSymbol.QuietZone);
        var origin = new SKPoint(x + QrSymbol.QuietZone * module, y + QrSymbol.QuietZone * module);
        _fill.Color = SKColors.White;
        Canvas.DrawRect(x, y, side, side, _fill);
        using var path = new SKPath { FillType = SKPathFillType.Winding };
        foreach (var (row, column, length) in symbol.DarkRuns())
            path.AddRect(SKRect.Create(origin.X + column * module, origin.Y + row * module, length * module, module));
        using var paint = new SKPaint { Color = SKColors.Black, Style = SKPaintStyle.Fill, IsAntialias = false };
        Canvas.DrawPath(path, paint);
        path.Reset();
        Drawn?.Add(new DrawnItem(DrawnKind.Qr, SKRect.Create(x, y, side, side), "QR code"));
    }

    /// <summary>Two small lines under a QR code: what it holds, then how it is encoded.</summary>
    public void QrCaption(string what, QrSymbol symbol, float x, float y)
    {
        Text(what, x, y, Fonts.Sans, 7f, Muted);
        Text($"version {symbol.Version}, error correction level {symbol.Level}", x, y + 9, Fonts.Sans, 7f, Muted);
    }

    private void Record(ReadOnlySpan<char> text, SKTypeface face)
    {
        // Lines are short (a paragraph is drawn line by line); a longer one takes a heap buffer.
        var count = _font.CountGlyphs(text);
        Span<ushort> glyphs = count <= 256 ? stackalloc ushort[count] : new ushort[count];
        try
        {
            _font.GetGlyphs(text, glyphs);
            _glyphUse!.Add(face, glyphs);
        }
        finally
        {
            glyphs.Clear();
        }
    }

    private void Use(SKTypeface face, float size)
    {
        _font.Typeface = _subsets?.For(face) ?? face;
        _font.Size = size;
        _font.ScaleX = 1f;
    }

    public void Dispose()
    {
        _fill.Dispose();
        _stroke.Dispose();
        _font.Dispose();
    }
}

/// <summary>What kind of mark a <see cref="DrawnItem"/> is.</summary>
internal enum DrawnKind
{
    /// <summary>A line of text; its extent is the ink of its glyphs.</summary>
    Text,
    /// <summary>A rule.</summary>
    Line,
    /// <summary>A frame that may hold text (a word cell, the armored text's box).</summary>
    Frame,
    /// <summary>A QR code with its quiet zone.</summary>
    Qr,
}

/// <summary>One mark on a sheet and the rectangle it covers, in points.</summary>
internal readonly record struct DrawnItem(DrawnKind Kind, SKRect Box, string What);
