using System.Globalization;
using KeyVault.Sheets;
using SkiaSharp;
using static KeyVault.Paper.Typography;

namespace KeyVault.Paper;

/// <summary>
/// The pages of a DKG export: on each, the header, what the codes hold, the signer's identity, up to four numbered
/// codes two by two, and how to read them back. Every page says all of that, because pages get separated.
/// </summary>
internal sealed class DkgExportLayout
{
    private const float Margin = 40f;
    private const float MaxQrSide = 200f;
    // Room kept under the codes for the instructions: six lines of 8-point text.
    private const float InstructionsHeight = 74f;
    private const float ColumnGap = 36f;
    private const float CaptionHeight = 30f;

    private readonly DkgExportSheet _sheet;
    private readonly SheetFonts _fonts;

    public DkgExportLayout(DkgExportSheet sheet, SheetFonts fonts)
    {
        ArgumentNullException.ThrowIfNull(sheet);
        if (sheet.Parts.Count is 0 or > DkgExportSheet.MaxParts) throw PaperError.DkgPartCount(sheet.Parts.Count);
        if (!Enum.IsDefined(sheet.Network)) throw PaperError.Network();
        _sheet = sheet;
        _fonts = fonts;
    }

    public static string Title(DkgExportSheet s) => $"KeyVault DKG shares export, set {s.SetId}";

    public void Draw(SheetPainter p, int page, IReadOnlyList<QrSymbol> codes)
    {
        var s = _sheet;
        var left = Margin;
        var right = p.Width - Margin;
        var width = right - left;

        var y = Margin + 8;
        var x = left + p.Caps("KEYVAULT", left, y, SheetPainter.Ink, 8f);
        p.Text($"  {MiddleDot}  SIGNER DATABASE BACKUP  {MiddleDot}  DKG SHARES", x, y, _fonts.Sans, 8f, SheetPainter.Muted);
        p.Caps($"PAGE {page} OF {s.Pages}", right, y, SheetPainter.Ink, 8f, SKTextAlign.Right);

        y += 32;
        p.Text(s.Content == DkgPaperContent.PrivatePart ? "DKG shares, private part" : "DKG shares export", left, y, _fonts.SansBold, 24f, SheetPainter.Ink);
        y += 19;
        y = p.Paragraph(Subtitle(s), left, y, width, _fonts.Sans, 10.5f, 13.5f, SheetPainter.Ink);

        y += 4;
        x = Field(p, "Date", s.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), left, y) + 18;
        x = Field(p, "Set", s.SetId, x, y) + 18;
        Field(p, "Codes", $"{s.Parts.Count} on {s.Pages} page{(s.Pages == 1 ? "" : "s")}", x, y);
        y += 13;
        // The sum to compare is that of the file dkg from-paper writes back: the private part, when that is what is printed.
        if (s.Content == DkgPaperContent.PrivatePart)
        {
            p.Text($"Private part (these codes): {s.PayloadBytes} bytes, SHA-256 {s.PayloadSha256}", left, y, _fonts.Mono, 7.5f, SheetPainter.Soft);
            y += 9;
            p.Text($"Taken from the export file: {s.FileBytes} bytes, SHA-256 {s.FileSha256}", left, y, _fonts.Mono, 7.5f, SheetPainter.Soft);
        }
        else
        {
            p.Text($"Export file (these codes): {s.PayloadBytes} bytes, SHA-256 {s.PayloadSha256}", left, y, _fonts.Mono, 7.5f, SheetPainter.Soft);
        }
        y += 9;
        p.Line(left, y, right, y, SheetPainter.Ink, 1f);

        if (s.Identity is { } identity)
        {
            y = ShareLayout.IdentityBlock(p, identity, s.Network, left, y + 16);
        }
        else
        {
            y += 16;
            var w = p.Caps("KEY IDENTITY", left, y, SheetPainter.Ink);
            p.Text($"   {EnDash}  not named when printed", left + w, y, _fonts.Sans, 7.5f, SheetPainter.Muted);
            y = p.Paragraph($"The export belongs to one of the keys of its signer set; {LeftQuote}keyvault drill --dkg-export{RightQuote} with the key shows that it opens the rows.",
                left, y + 15, width, _fonts.Sans, 9f, 11.5f, SheetPainter.Ink) - 4;
        }
        p.Line(left, y, right, y, SheetPainter.Hairline);

        var top = y + 8;
        // A4 gives the codes their full size; Letter, 50 points shorter, smaller ones (modules still over 0.5 mm).
        var side = Math.Min(MaxQrSide, (p.Height - Margin - 30 - InstructionsHeight - top - 2 * CaptionHeight) / 2);
        var codesLeft = left + (width - 2 * side - ColumnGap) / 2;
        var first = (page - 1) * DkgExportSheet.PartsPerPage;
        for (int i = 0; i < codes.Count; i++)
        {
            var cx = codesLeft + i % 2 * (side + ColumnGap);
            var cy = top + i / 2 * (side + CaptionHeight);
            p.Qr(codes[i], cx, cy, side);
            var k = first + i + 1;
            var inset = side / (codes[i].Size + 2 * QrSymbol.QuietZone) * QrSymbol.QuietZone;
            var cw = p.Text($"Part {k} of {s.Parts.Count}", cx + inset, cy + side + 4, _fonts.SansBold, 9.5f, SheetPainter.Ink);
            p.Text($"  {MiddleDot}  set {s.SetId}", cx + inset + cw, cy + side + 4, _fonts.Sans, 8.5f, SheetPainter.Muted);
            p.Text($"version {codes[i].Version}, error correction level Q, {Bytes(k)} bytes", cx + inset, cy + side + 14, _fonts.Sans, 7f, SheetPainter.Muted);
        }

        var ty = top + 2 * (side + CaptionHeight) + 6;
        p.Line(left, ty - 10, right, ty - 10, SheetPainter.Hairline);
        p.Caps("TO READ IT BACK", left, ty, SheetPainter.Ink);
        ty += 12;
        foreach (var paragraph in Instructions(s))
            ty = p.Paragraph(paragraph, left, ty, width, _fonts.Sans, 8f, 10f, SheetPainter.Ink) + 2;

        ShareLayout.Footer(p, left, right,
            $"KeyVault {SheetRenderer.ToolVersion}  {MiddleDot}  DKG shares export  {MiddleDot}  printed {s.Date:yyyy-MM-dd}",
            $"set {s.SetId}  {MiddleDot}  page {page} of {s.Pages}");
    }

    private int Bytes(int k)
    {
        var each = (_sheet.PayloadBytes + _sheet.Parts.Count - 1) / _sheet.Parts.Count;
        return k < _sheet.Parts.Count ? each : _sheet.PayloadBytes - each * (_sheet.Parts.Count - 1);
    }

    private static string Subtitle(DkgExportSheet s)
    {
        var rows = s.Rows.Count == 0 ? "" : $" It holds {s.Rows.Count} row{(s.Rows.Count == 1 ? "" : "s")}, the newest written {s.Rows.Max(r => r.CreatedAt):yyyy-MM-dd}.";
        if (s.Sealed)
            return "The signer's DKG shares table, exported and sealed with age to a cold-storage key: these codes are useless without that key.";
        return s.Content == DkgPaperContent.PrivatePart
            ? $"The encrypted private shares of the signer's DKG shares table: the part that exists nowhere else. The whole export did not fit on {DkgExportSheet.MaxPages} pages.{rows}"
            : $"The signer's DKG shares table, every row and column, as exported. The private shares in it are encrypted under the signer key.{rows}";
    }

    private static IEnumerable<string> Instructions(DkgExportSheet s)
    {
        var what = s.Content == DkgPaperContent.PrivatePart ? "the private part" : s.Sealed ? "the sealed export file" : "the export file";
        yield return $"Scan every code of every page at 300 dpi, in any order ({LeftQuote}zbarimg --raw -q page.png >> scans.txt{RightQuote}); " +
                     $"{LeftQuote}keyvault dkg from-paper --scans scans.txt --out FILE{RightQuote} checks each part and writes {what} back, byte for byte.";
        if (s.Sealed)
            yield return $"Open it with the cold-storage key ({LeftQuote}age -d -i KEY{RightQuote}), or give the key to {LeftQuote}keyvault drill --dkg-export-identity{RightQuote} and {LeftQuote}keyvault dkg restore --identity{RightQuote}.";
        else if (s.Content == DkgPaperContent.PrivatePart)
            yield return $"{LeftQuote}keyvault drill --dkg-export FILE{RightQuote} proves the key opens it. {LeftQuote}keyvault dkg restore --from FILE --public-from OTHER{RightQuote} " +
                         "puts the rows back, with the public columns taken from OTHER, the DKG export of another signer of the same rounds: its row of the same " +
                         "aggregate key holds the same public shares, signer set, threshold, tweaked key, script and start block.";
        else
            yield return $"{LeftQuote}keyvault drill --dkg-export FILE{RightQuote} proves the key opens it; {LeftQuote}keyvault dkg restore --from FILE{RightQuote} puts the rows back into a signer database.";
    }

    private float Field(SheetPainter p, string label, string value, float x, float y)
    {
        x += p.Text(label + "  ", x, y, _fonts.Sans, 9.5f, SheetPainter.Muted);
        return x + p.Text(value, x, y, _fonts.SansBold, 10.5f, SheetPainter.Ink);
    }
}
