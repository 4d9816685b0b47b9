using System.Globalization;
using KeyVault.Sheets;
using SkiaSharp;
using static KeyVault.Paper.Typography;

namespace KeyVault.Paper;

/// <summary>The key-file sheet: header, public identity, QR code with KDF parameters and instructions, the armored text, what to do if it is lost or exposed.</summary>
internal sealed class KeyFileLayout
{
    private const float Margin = SheetMargins.Side;
    private const float QrSide = 210f;
    private const float TextSize = 10.5f;
    private const float TextLeading = 13.5f;
    private const int MaxKdfField = 24;

    private readonly KeyFileSheet _sheet;
    private readonly SheetFonts _fonts;
    private readonly SheetOrigin _origin;
    private readonly LostOrExposedNotice _notice;

    public KeyFileLayout(KeyFileSheet sheet, SheetFonts fonts)
    {
        ArgumentNullException.ThrowIfNull(sheet);
        Validate(sheet);
        _sheet = sheet;
        _fonts = fonts;
        ShareLayout.CheckLabel(sheet.Label, fonts);
        foreach (var (name, value) in KdfFields(sheet.Kdf)) SheetFonts.RequireGlyphs(fonts.Sans, value, "KDF " + name);
        _origin = sheet.Origin ?? SheetOrigin.None;
        _notice = new LostOrExposedNotice(_origin, fonts, IfLost, IfExposed);
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
        if (s.Label is { } label && !ShareLayout.IsPrintableLine(label, ShareLayout.MaxLabelLength)) throw PaperError.TextField("key label", ShareLayout.MaxLabelLength);
        if (s.Origin is { } origin) LostOrExposedNotice.Validate(origin);
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
        Field(p, "Date", s.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), left, y);
        y += 12;
        p.Line(left, y, right, y, SheetPainter.Ink, 1f);

        y = ShareLayout.IdentityBlock(p, s.Identity, s.Network, s.Label, left, right, y + 16);
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
            ty += 11.5f;
        }

        ty += 10;
        p.Caps("TO RESTORE THE KEY", textLeft, ty, SheetPainter.Ink);
        ty += 15;
        foreach (var paragraph in Instructions(_origin))
            ty = p.Paragraph(paragraph, textLeft, ty, textWidth, _fonts.Sans, 9f, 11.5f, SheetPainter.Ink) + 4;
        ty += 1;
        p.Text("Passphrase hint (never the passphrase itself):", textLeft, ty, _fonts.SansBold, 9f, SheetPainter.Ink);
        ty += 24;
        p.Line(textLeft, ty, right, ty, SheetPainter.Soft, 0.8f);

        p.QrCaption("QR: the armored text below, line breaks included", qr, left, qrTop + QrSide + 6);

        y = Math.Max(qrTop + QrSide + 32, ty + 16);
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

        var noticeY = y + boxHeight + NoticeGap;
        if (noticeY + _notice.Height(p, right - left) > ShareLayout.FooterTop(p) - 8) throw PaperError.NoRoom();
        p.Line(left, noticeY - 14, right, noticeY - 14, SheetPainter.Hairline);
        _notice.Draw(p, left, right, noticeY);

        ShareLayout.Footer(p, left, right,
            $"KeyVault {SheetRenderer.ToolVersion}  {MiddleDot}  encrypted key file  {MiddleDot}  printed {s.Date:yyyy-MM-dd}",
            $"key {s.Identity.Fingerprint}", LostOrExposedNotice.ExecutableFooter(_origin));
    }

    private const float NoticeGap = 20f;

    private const string IfLost =
        "Useless without its passphrase, but tell the contact: a finder can try passphrases offline for years.";

    private const string IfExposed =
        "Tell the contact. The key's safety now rests on the passphrase alone (a new passphrase does not protect this copy): " +
        "if the passphrase may be known too, the signer key must be rotated.";

    private static IEnumerable<string> Instructions(SheetOrigin origin)
    {
        yield return $"Scan the QR code into a text file, or type the armored text below exactly. {LeftQuote}keyvault identity --from FILE{RightQuote} shows the key's identity without the passphrase; {LeftQuote}keyvault reveal FILE --out PATH{RightQuote} asks for the passphrase and writes the key for the signer.";
        yield return "The restored key must show the fingerprint and public key printed above.";
        yield return "Keep this sheet apart from anything that records the passphrase.";
        yield return LostOrExposedNotice.WhereToGetKeyVault(origin);
    }

    private float Field(SheetPainter p, string label, string value, float x, float y)
    {
        x += p.Text(label + "  ", x, y, _fonts.Sans, 9.5f, SheetPainter.Muted);
        return x + p.Text(value, x, y, _fonts.SansBold, 10.5f, SheetPainter.Ink);
    }
}
