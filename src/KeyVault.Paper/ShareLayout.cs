using System.Globalization;
using KeyVault.Keys;
using SkiaSharp;
using static KeyVault.Paper.Typography;

namespace KeyVault.Paper;

/// <summary>The share sheet: header, public identity, QR code with instructions, the word grid, footer.</summary>
internal sealed class ShareLayout
{
    private const int Columns = 3;
    private const float Margin = 40f;
    private const float QrSide = 190f;
    private const float WordSize = 16f;
    private const float MinRowHeight = 22f;
    private const float MaxRowHeight = 27f;
    private const int MaxNameLength = 60;

    private readonly ShareSheet _sheet;
    private readonly SheetFonts _fonts;

    public ShareLayout(ShareSheet sheet, SheetFonts fonts)
    {
        ArgumentNullException.ThrowIfNull(sheet);
        Validate(sheet);
        _sheet = sheet;
        _fonts = fonts;
        if (sheet.Custodian is { } name) SheetFonts.RequireGlyphs(fonts.Sans, name, "custodian name");
    }

    public static string Title(ShareSheet s) =>
        $"KeyVault share {s.ShareNumber} of {s.ShareCount}{(s.Group is { } g ? $", group {g.Number} of {g.Count}" : "")}, backup {s.Identifier}";

    public static void Validate(ShareSheet s)
    {
        ArgumentNullException.ThrowIfNull(s.Words);
        ArgumentNullException.ThrowIfNull(s.Identity);
        if (s.Words.Count is < ShareSheet.MinWords or > ShareSheet.MaxWords) throw PaperError.WordCount(s.Words.Count);
        if (s.ShareCount is < 1 or > 16 || s.ShareNumber < 1 || s.ShareNumber > s.ShareCount
            || s.Threshold < 1 || s.Threshold > s.ShareCount)
            throw PaperError.ShareNumbers(s.ShareNumber, s.ShareCount, s.Threshold);
        if (s.Group is { } g && (g.Count is < 1 or > 16 || g.Number < 1 || g.Number > g.Count || g.Threshold < 1 || g.Threshold > g.Count))
            throw PaperError.GroupNumbers(g.Number, g.Count, g.Threshold);
        if (s.Identifier is < 0 or > 0x7FFF) throw PaperError.Identifier(s.Identifier);
        if (!Enum.IsDefined(s.Network)) throw PaperError.Network();
        if (s.Custodian is { } name && !IsPrintableLine(name, MaxNameLength)) throw PaperError.TextField("custodian name", MaxNameLength);
        // Checks every word's form (and so that the QR text is alphanumeric) before anything is drawn.
        SecretWordsCheck(s.Words);
    }

    internal static bool IsPrintableLine(string text, int max) =>
        text.Length is > 0 && text.Length <= max && !text.Any(char.IsControl) && text.Trim().Length > 0;

    private static void SecretWordsCheck(IReadOnlyList<string> words)
    {
        for (var i = 0; i < words.Count; i++)
        {
            var w = words[i];
            if (w is null || w.Length is < 4 or > 8) throw PaperError.BadWord(i + 1);
            foreach (var c in w)
                if (c is not (>= 'a' and <= 'z') and not (>= 'A' and <= 'Z')) throw PaperError.BadWord(i + 1);
        }
    }

    public void Draw(SheetPainter p, QrSymbol qr)
    {
        var s = _sheet;
        var left = Margin;
        var right = p.Width - Margin;
        var width = right - left;

        // Header.
        var y = Margin + 8;
        var x = left + p.Caps("KEYVAULT", left, y, SheetPainter.Ink, 8f);
        p.Text($"  {MiddleDot}  SIGNER KEY BACKUP  {MiddleDot}  SLIP-0039 SHARE", x, y, _fonts.Sans, 8f, SheetPainter.Muted);
        p.Caps("SECRET " + EnDash + " KEEP IN A SAFE PLACE", right, y, SheetPainter.Ink, 8f, SKTextAlign.Right);

        y += 32;
        var title = s.Group is { } g
            ? $"Group {g.Number} of {g.Count}  {MiddleDot}  Share {s.ShareNumber} of {s.ShareCount}"
            : $"Share {s.ShareNumber} of {s.ShareCount}";
        p.Text(title, left, y, _fonts.SansBold, 26f, SheetPainter.Ink);

        y += 20;
        y = p.Paragraph(ThresholdLine(s), left, y, width, _fonts.Sans, 11.5f, 15f, SheetPainter.Ink);

        y += 7;
        x = left;
        if (s.Custodian is { } custodian)
        {
            x = Field(p, "Custodian", custodian, x, y) + 22;
            // A long name leaves no room for the date and the identifier: they move to a line of their own.
            if (x > left + width * 0.5f)
            {
                x = left;
                y += 16;
            }
        }
        x = Field(p, "Date", s.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), x, y) + 22;
        Field(p, "Backup ID", s.Identifier.ToString(CultureInfo.InvariantCulture), x, y);

        y += 12;
        p.Line(left, y, right, y, SheetPainter.Ink, 1f);

        // Public identity.
        y = IdentityBlock(p, s.Identity, s.Network, left, y + 16);

        p.Line(left, y, right, y, SheetPainter.Hairline);

        // QR code and instructions.
        var qrTop = y + 10;
        p.Qr(qr, left - QrQuietOverhang(qr), qrTop, QrSide);
        var textLeft = left + QrSide - QrQuietOverhang(qr) + 14;
        var textWidth = right - textLeft;
        var ty = qrTop + 18;
        p.Caps("TO RESTORE THE KEY", textLeft, ty, SheetPainter.Ink);
        ty += 16;
        foreach (var paragraph in Instructions(s))
            ty = p.Paragraph(paragraph, textLeft, ty, textWidth, _fonts.Sans, 9.5f, 12.5f, SheetPainter.Ink) + 5;
        if (s.PassphraseProtected)
        {
            ty += 6;
            p.Text("SLIP-0039 passphrase hint (never the passphrase itself):", textLeft, ty, _fonts.SansBold, 9f, SheetPainter.Ink);
            ty += 24;
            p.Line(textLeft, ty, right, ty, SheetPainter.Soft, 0.8f);
        }
        p.QrCaption($"QR: the {s.Words.Count} words in capitals, single spaces", qr, left, qrTop + QrSide + 6);

        // Words.
        y = Math.Max(qrTop + QrSide + 34, ty + 20);
        p.Line(left, y - 12, right, y - 12, SheetPainter.Hairline);
        var head = p.Caps($"THE {s.Words.Count} WORDS OF THIS SHARE, IN ORDER", left, y, SheetPainter.Ink);
        p.Text($"   {EnDash}  the first four letters (bold) identify each word", left + head, y, _fonts.Sans, 7.5f, SheetPainter.Muted);
        // Taller paper (A4) gives the words more room; Letter gets the compact grid.
        var rows = (s.Words.Count + Columns - 1) / Columns;
        var room = p.Height - Margin - 30 - (y + 10);
        WordGrid(p, s.Words, left, y + 10, width, Math.Clamp(room / rows, MinRowHeight, MaxRowHeight));

        Footer(p, left, right,
            $"KeyVault {SheetRenderer.ToolVersion}  {MiddleDot}  SLIP-0039 share  {MiddleDot}  printed {s.Date:yyyy-MM-dd}",
            $"backup {s.Identifier}  {MiddleDot}  share {s.ShareNumber} of {s.ShareCount}{(s.Group is { } gr ? $" in group {gr.Number}" : "")}");
    }

    /// <summary>The quiet zone may overhang the margin: it is white, and the QR then aligns with the text above.</summary>
    private static float QrQuietOverhang(QrSymbol qr) => QrSide / (qr.Size + 2 * QrSymbol.QuietZone) * QrSymbol.QuietZone;

    private static string ThresholdLine(ShareSheet s) => s.Group is { } g
        ? $"Threshold: any {s.Threshold} of the {s.ShareCount} shares of group {g.Number} restore the group; any {g.Threshold} of the {g.Count} groups restore the key."
        : $"Threshold: any {s.Threshold} of the {s.ShareCount} shares restore the key.";

    private static IEnumerable<string> Instructions(ShareSheet s)
    {
        var sheets = s.Group is null
            ? $"Any {s.Threshold} of the {s.ShareCount} sheets of backup {s.Identifier}"
            : $"Enough sheets of backup {s.Identifier} ({s.Threshold} of {s.ShareCount} in each of {s.Group.Threshold} groups)";
        // Tools older than the 2024 revision reject extendable shares as having a bad checksum, so "any" would mislead.
        yield return s.Extendable
            ? $"{sheets} restore the signer key with {LeftQuote}keyvault combine{RightQuote}, or with a SLIP-0039 tool that supports extendable backups (SLIP-0039 as revised in 2024)."
            : $"{sheets} restore the signer key with {LeftQuote}keyvault combine{RightQuote}, or with any SLIP-0039 tool.";
        yield return "Scan the QR code, or type the words in order. The restored key must show the fingerprint and public key printed above.";
        if (s.PassphraseProtected)
            yield return "This backup is also protected by a SLIP-0039 passphrase; restoring needs it too.";
        const string never = "Never photograph a sheet or type its words into a computer that is online.";
        if (s.Group is not null)
            yield return "Whoever holds enough sheets holds the signer key. " + never;
        else if (s.Threshold == 1)
            yield return "This sheet alone is the signer key. " + never;
        else
            yield return $"Whoever holds {s.Threshold} sheets holds the signer key. " + never;
    }

    private float Field(SheetPainter p, string label, string value, float x, float y)
    {
        x += p.Text(label + "  ", x, y, _fonts.Sans, 9.5f, SheetPainter.Muted);
        return x + p.Text(value, x, y, _fonts.SansBold, 10.5f, SheetPainter.Ink);
    }

    /// <summary>Fingerprint, public key and address; returns the y just below the block.</summary>
    internal static float IdentityBlock(SheetPainter p, SignerIdentity identity, StacksNetwork network, float left, float y)
    {
        var fonts = p.Fonts;
        var w = p.Caps("KEY IDENTITY", left, y, SheetPainter.Ink);
        p.Text($"   {EnDash}  public, not secret: tells which key this sheet restores", left + w, y, fonts.Sans, 7.5f, SheetPainter.Muted);
        var valueX = left + 96;
        y += 19;
        p.Text("Fingerprint", left, y, fonts.Sans, 9.5f, SheetPainter.Muted);
        p.Text(identity.Fingerprint, valueX, y, fonts.MonoBold, 13f, SheetPainter.Ink);
        y += 17;
        p.Text("Public key", left, y, fonts.Sans, 9.5f, SheetPainter.Muted);
        p.Text(identity.PublicKey, valueX, y, fonts.Mono, 10f, SheetPainter.Ink);
        y += 16;
        p.Text("Stacks address", left, y, fonts.Sans, 9.5f, SheetPainter.Muted);
        var aw = p.Text(identity.Address(network), valueX, y, fonts.Mono, 10f, SheetPainter.Ink);
        p.Text($"  ({SheetRenderer.NetworkName(network)})", valueX + aw, y, fonts.Sans, 9f, SheetPainter.Muted);
        return y + 12;
    }

    private void WordGrid(SheetPainter p, IReadOnlyList<string> words, float left, float top, float width, float rowHeight)
    {
        var rows = (words.Count + Columns - 1) / Columns;
        const float gap = 8f;
        var cellWidth = (width - gap * (Columns - 1)) / Columns;
        Span<char> lower = stackalloc char[8];
        try
        {
            for (var i = 0; i < words.Count; i++)
            {
                // Column-major, so the numbers run down each column as people read a numbered list.
                var column = i / rows;
                var row = i % rows;
                var x = left + column * (cellWidth + gap);
                var y = top + row * rowHeight;
                var cell = SKRect.Create(x, y, cellWidth, rowHeight - 4);
                p.Box(cell, SheetPainter.Hairline, row % 2 == 0 ? SheetPainter.Tint : SKColors.White, 2.5f, 0.5f);
                var baseline = y + (rowHeight - 4) / 2 + WordSize * 0.3f;
                p.Text((i + 1).ToString(CultureInfo.InvariantCulture), x + 21, baseline, _fonts.Sans, 9f, SheetPainter.Muted, SKTextAlign.Right);

                var word = words[i];
                var n = word.Length;
                for (var k = 0; k < n; k++) lower[k] = char.ToLowerInvariant(word[k]);
                var head = Math.Min(4, n);
                var wx = x + 34;
                wx += p.Text(lower[..head], wx, baseline, _fonts.MonoBold, WordSize, SheetPainter.Ink);
                p.Text(lower[head..n], wx, baseline, _fonts.Mono, WordSize, SheetPainter.Soft);
            }
        }
        finally
        {
            lower.Clear();
        }
    }

    internal static void Footer(SheetPainter p, float left, float right, string leftText, string rightText)
    {
        var y = p.Height - Margin + 6;
        p.Line(left, y - 12, right, y - 12, SheetPainter.Hairline);
        p.Text(leftText, left, y, p.Fonts.Sans, 7.5f, SheetPainter.Muted);
        p.Text(rightText, right, y, p.Fonts.Sans, 7.5f, SheetPainter.Muted, SKTextAlign.Right);
    }
}
