using System.Globalization;
using SkiaSharp;
using static KeyVault.Paper.Typography;

namespace KeyVault.Paper;

/// <summary>The key-file sheet: header, public identity, QR code with KDF parameters and instructions, the armored text.</summary>
internal sealed class KeyFileLayout
{
    private const float Margin = 40f;
    private const float QrSide = 210f;
    private const float TextSize = 10.5f;
    private const float TextLeading = 14.5f;
    private const int MaxLabelLength = 60;
    private const int MaxKdfField = 24;

    private readonly KeyFileSheet _sheet;
    private readonly SheetFonts _fonts;

    public KeyFileLayout(KeyFileSheet sheet, SheetFonts fonts)
    {
        ArgumentNullException.ThrowIfNull(sheet);
        Validate(sheet);
        _sheet = sheet;
        _fonts = fonts;
        if (sheet.Label is { } label) SheetFonts.RequireGlyphs(fonts.Sans, label, "label");
        foreach (var (name, value) in KdfFields(sheet.Kdf)) SheetFonts.RequireGlyphs(fonts.Sans, value, "KDF " + name);
    }

    public static string Title(KeyFileSheet s) =>
        $"KeyVault encrypted key file, key {s.Identity.Fingerprint}{(s.Label is { } l ? ", " + l : "")}";

    public static void Validate(KeyFileSheet s)
    {
        ArgumentNullException.ThrowIfNull(s.ArmoredLines);
        ArgumentNullException.ThrowIfNull(s.Identity);
        ArgumentNullException.ThrowIfNull(s.Kdf);
        if (s.ArmoredLines.Count > KeyFileSheetLimits.MaxLines) throw PaperError.TooManyArmoredLines(s.ArmoredLines.Count);
        QrPayload.ForArmoredText(s.ArmoredLines);
        if (!Enum.IsDefined(s.Network)) throw PaperError.Network();
        if (s.Label is { } label && !ShareLayout.IsPrintableLine(label, MaxLabelLength)) throw PaperError.TextField("label", MaxLabelLength);
        foreach (var (name, value) in KdfFields(s.Kdf))
            if (value is null || !ShareLayout.IsPrintableLine(value, MaxKdfField)) throw PaperError.TextField("KDF " + name, MaxKdfField);
    }

    private static IEnumerable<(string Name, string Value)> KdfFields(KdfDisplay k) =>
        [("algorithm", k.Algorithm), ("memory", k.MemoryKiB), ("iterations", k.Iterations), ("parallelism", k.Parallelism)];

    public void Draw(SheetPainter p, QrSymbol qr)
    {
        var s = _sheet;
        var left = Margin;
        var right = p.Width - Margin;

        var y = Margin + 8;
        var x = left + p.Caps("KEYVAULT", left, y, SheetPainter.Ink, 8f);
        p.Text($"  {MiddleDot}  SIGNER KEY BACKUP  {MiddleDot}  ENCRYPTED KEY FILE", x, y, _fonts.Sans, 8f, SheetPainter.Muted);
        p.Caps("USELESS WITHOUT ITS PASSPHRASE", right, y, SheetPainter.Ink, 8f, SKTextAlign.Right);

        y += 32;
        p.Text("Encrypted key file", left, y, _fonts.SansBold, 26f, SheetPainter.Ink);
        y += 20;
        p.Text("The signer key, encrypted with a passphrase (Argon2id and AES-256-GCM).", left, y, _fonts.Sans, 11.5f, SheetPainter.Ink);

        y += 22;
        x = left;
        if (s.Label is { } label) x = Field(p, "Label", label, x, y) + 22;
        Field(p, "Date", s.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), x, y);
        y += 12;
        p.Line(left, y, right, y, SheetPainter.Ink, 1f);

        y = ShareLayout.IdentityBlock(p, s.Identity, s.Network, left, y + 16);
        p.Line(left, y, right, y, SheetPainter.Hairline);

        var qrTop = y + 10;
        var overhang = QrSide / (qr.Size + 2 * QrSymbol.QuietZone) * QrSymbol.QuietZone;
        p.Qr(qr, left - overhang, qrTop, QrSide);
        var textLeft = left + QrSide - overhang + 14;
        var textWidth = right - textLeft;
        var ty = qrTop + 18;

        p.Caps("KEY DERIVATION", textLeft, ty, SheetPainter.Ink);
        ty += 15;
        var valueX = textLeft + 70;
        foreach (var (name, value) in new[]
                 {
                     ("Algorithm", s.Kdf.Algorithm), ("Memory", s.Kdf.MemoryKiB + " KiB"),
                     ("Iterations", s.Kdf.Iterations), ("Parallelism", s.Kdf.Parallelism),
                 })
        {
            p.Text(name, textLeft, ty, _fonts.Sans, 9f, SheetPainter.Muted);
            p.Text(value, valueX, ty, _fonts.Mono, 9.5f, SheetPainter.Ink);
            ty += 12.5f;
        }

        ty += 10;
        p.Caps("TO RESTORE THE KEY", textLeft, ty, SheetPainter.Ink);
        ty += 15;
        foreach (var paragraph in Instructions())
            ty = p.Paragraph(paragraph, textLeft, ty, textWidth, _fonts.Sans, 9.5f, 12.5f, SheetPainter.Ink) + 4;
        ty += 6;
        p.Text("Passphrase hint (never the passphrase itself):", textLeft, ty, _fonts.SansBold, 9f, SheetPainter.Ink);
        ty += 24;
        p.Line(textLeft, ty, right, ty, SheetPainter.Soft, 0.8f);

        p.QrCaption("QR: the armored text below, line breaks included", qr, left, qrTop + QrSide + 6);

        y = Math.Max(qrTop + QrSide + 34, ty + 20);
        p.Line(left, y - 12, right, y - 12, SheetPainter.Hairline);
        var head = p.Caps("ARMORED KEY FILE", left, y, SheetPainter.Ink);
        p.Text($"   {EnDash}  type it exactly, one line per line; letter case matters", left + head, y, _fonts.Sans, 7.5f, SheetPainter.Muted);
        y += 10;
        var boxHeight = s.ArmoredLines.Count * TextLeading + 14;
        p.Box(SKRect.Create(left, y, right - left, boxHeight), SheetPainter.Hairline, null, 3f, 0.6f);
        var ly = y + 7 + TextLeading - 3;
        foreach (var line in s.ArmoredLines)
        {
            p.Text(line, left + 12, ly, _fonts.Mono, TextSize, SheetPainter.Ink);
            ly += TextLeading;
        }

        ShareLayout.Footer(p, left, right,
            $"KeyVault {SheetRenderer.ToolVersion}  {MiddleDot}  encrypted key file  {MiddleDot}  printed {s.Date:yyyy-MM-dd}",
            $"key {s.Identity.Fingerprint}");
    }

    private static IEnumerable<string> Instructions()
    {
        yield return $"Scan the QR code into a text file, or type the armored text below exactly. {LeftQuote}keyvault identity --from FILE{RightQuote} shows the key's identity without the passphrase; {LeftQuote}keyvault reveal FILE --out PATH{RightQuote} asks for the passphrase and writes the key for the signer.";
        yield return "The restored key must show the fingerprint and public key printed above.";
        yield return "Keep this sheet apart from anything that records the passphrase.";
    }

    private float Field(SheetPainter p, string label, string value, float x, float y)
    {
        x += p.Text(label + "  ", x, y, _fonts.Sans, 9.5f, SheetPainter.Muted);
        return x + p.Text(value, x, y, _fonts.SansBold, 10.5f, SheetPainter.Ink);
    }
}
