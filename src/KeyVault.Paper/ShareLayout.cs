using System.Globalization;
using KeyVault.Keys;
using KeyVault.Sheets;
using KeyVault.Text;
using SkiaSharp;
using static KeyVault.Paper.Typography;

namespace KeyVault.Paper;

/// <summary>The share sheet: header, public identity, QR code with instructions, the word grid, what to do if it is lost or exposed, footer.</summary>
internal sealed class ShareLayout
{
    // Four columns: a 33-word share in 9 rows leaves room at the foot for what to do if the sheet is lost.
    private const int Columns = 4;
    private const float Margin = SheetMargins.Side;
    private const float QrSide = 190f;
    private const float WordSize = 16f;
    private const float MinRowHeight = 16f;
    private const float MaxRowHeight = 27f;
    internal const int MaxLabelLength = 100;

    private readonly ShareSheet _sheet;
    private readonly SheetFonts _fonts;
    private readonly SheetOrigin _origin;
    private readonly LostOrExposedNotice _notice;

    public ShareLayout(ShareSheet sheet, SheetFonts fonts)
    {
        ArgumentNullException.ThrowIfNull(sheet);
        Validate(sheet);
        _sheet = sheet;
        _fonts = fonts;
        if (sheet.Custodian is { } name) SheetFonts.RequireGlyphs(fonts.Sans, name, "custodian name");
        CheckLabel(sheet.Label, fonts);
        _origin = sheet.Origin ?? SheetOrigin.None;
        _notice = new LostOrExposedNotice(_origin, fonts, IfLost(sheet), IfExposed(sheet));
    }

    /// <summary>Throws unless the key label has glyphs and fits its one line in the identity block.</summary>
    internal static void CheckLabel(string? label, SheetFonts fonts)
    {
        if (label is null) return;
        SheetFonts.RequireGlyphs(fonts.Sans, label, "key label");
        var lines = TextWrap.Lines(label, LostOrExposedNotice.ChecksWidth - IdentityValueOffset, fonts.Sans, LabelSize).Count;
        if (lines > 1) throw PaperError.TooWideToPrint("key label", lines);
    }

    /// <summary>
    /// "3 of 5"; a share issued after the split to a number above the shares custodians hold (one who left was
    /// replaced) reads "6, one of 5", so every sheet of the backup counts the same 5.
    /// </summary>
    public static string OfCount(int number, int count) => number <= count ? $"{number} of {count}" : $"{number}, one of {count}";

    public static string Title(ShareSheet s) =>
        $"KeyVault share {OfCount(s.ShareNumber, s.ShareCount)}{(s.Group is { } g ? $", group {g.Number} of {g.Count}" : "")}, backup {s.Identifier}";

    public static void Validate(ShareSheet s)
    {
        ArgumentNullException.ThrowIfNull(s.Words);
        ArgumentNullException.ThrowIfNull(s.Identity);
        if (s.Words.Count is < ShareSheet.MinWords or > ShareSheet.MaxWords) throw PaperError.WordCount(s.Words.Count);
        if (s.ShareCount is < 1 or > 16 || s.ShareNumber is < 1 or > 16
            || s.Threshold < 1 || s.Threshold > s.ShareCount)
            throw PaperError.ShareNumbers(s.ShareNumber, s.ShareCount, s.Threshold);
        if (s.Group is { } g && (g.Count is < 1 or > 16 || g.Number < 1 || g.Number > g.Count || g.Threshold < 1 || g.Threshold > g.Count))
            throw PaperError.GroupNumbers(g.Number, g.Count, g.Threshold);
        if (s.Identifier is < 0 or > 0x7FFF) throw PaperError.Identifier(s.Identifier);
        if (!Enum.IsDefined(s.Network)) throw PaperError.Network();
        if (s.Custodian is { } name && !IsPrintableLine(name, CustodianNames.MaxLength)) throw PaperError.TextField("custodian name", CustodianNames.MaxLength);
        if (s.Label is { } label && !IsPrintableLine(label, MaxLabelLength)) throw PaperError.TextField("key label", MaxLabelLength);
        if (s.Origin is { } origin) LostOrExposedNotice.Validate(origin);
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
            ? $"Group {g.Number} of {g.Count}  {MiddleDot}  Share {OfCount(s.ShareNumber, s.ShareCount)}"
            : $"Share {OfCount(s.ShareNumber, s.ShareCount)}";
        p.Text(title, left, y, _fonts.SansBold, 26f, SheetPainter.Ink);

        y += 20;
        y = p.Paragraph(ThresholdLine(s), left, y, width, _fonts.Sans, 11.5f, 15f, SheetPainter.Ink);

        y += 7;
        x = left;
        if (s.Custodian is { } custodian)
        {
            var labelWidth = p.Measure("Custodian  ", _fonts.Sans, 9.5f);
            if (labelWidth + p.Measure(custodian, _fonts.SansBold, 10.5f) <= width)
            {
                x = Field(p, "Custodian", custodian, x, y) + 22;
            }
            else
            {
                // A name of wide letters is wrapped rather than run off the page.
                p.Text("Custodian", left, y, _fonts.Sans, 9.5f, SheetPainter.Muted);
                y = p.Paragraph(custodian, left + labelWidth, y, width - labelWidth, _fonts.SansBold, 10.5f, 14f, SheetPainter.Ink) - 14f;
                x = width;
            }
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
        y = IdentityBlock(p, s.Identity, s.Network, s.Label, left, right, y + 16);

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
            ty = p.Paragraph(paragraph, textLeft, ty, textWidth, _fonts.Sans, 9f, 11.5f, SheetPainter.Ink) + 4;
        if (s.PassphraseProtected)
        {
            ty += 1;
            p.Text("SLIP-0039 passphrase hint (never the passphrase itself):", textLeft, ty, _fonts.SansBold, 9f, SheetPainter.Ink);
            ty += 24;
            p.Line(textLeft, ty, right, ty, SheetPainter.Soft, 0.8f);
        }
        p.QrCaption($"QR: the {s.Words.Count} words in capitals, single spaces", qr, left, qrTop + QrSide + 6);

        // Words.
        y = Math.Max(qrTop + QrSide + 32, ty + 16);
        p.Line(left, y - 12, right, y - 12, SheetPainter.Hairline);
        var head = p.Caps($"THE {s.Words.Count} WORDS OF THIS SHARE, IN ORDER", left, y, SheetPainter.Ink);
        p.Text($"   {EnDash}  the first four letters (bold) identify each word", left + head, y, _fonts.Sans, 7.5f, SheetPainter.Muted);
        // Taller paper (A4) gives the words more room; Letter gets the compact grid.
        var rows = (s.Words.Count + Columns - 1) / Columns;
        var notice = _notice.Height(p, width);
        var room = FooterTop(p) - NoticeGap - notice - 8 - (y + 10);
        if (room / rows < MinRowHeight) throw PaperError.NoRoom();
        var rowHeight = Math.Min(room / rows, MaxRowHeight);
        WordGrid(p, s.Words, left, y + 10, width, rowHeight);

        var noticeY = y + 10 + rows * rowHeight + NoticeGap;
        p.Line(left, noticeY - 14, right, noticeY - 14, SheetPainter.Hairline);
        _notice.Draw(p, left, right, noticeY);

        Footer(p, left, right,
            $"KeyVault {SheetRenderer.ToolVersion}  {MiddleDot}  SLIP-0039 share  {MiddleDot}  printed {s.Date:yyyy-MM-dd}",
            $"backup {s.Identifier}  {MiddleDot}  share {OfCount(s.ShareNumber, s.ShareCount)}{(s.Group is { } gr ? $" in group {gr.Number}" : "")}",
            LostOrExposedNotice.ExecutableFooter(_origin));
    }

    private const float NoticeGap = 20f;

    /// <summary>The y of the rule above the footer: nothing may be drawn below it but the footer.</summary>
    internal static float FooterTop(SheetPainter p) => p.Height - Margin - 6;

    private static string IfLost(ShareSheet s)
    {
        if (s.Threshold == 1)
            return "Tell the contact. No other sheet can re-create this share: the key's owner makes a new split from the encrypted key file, and the lost sheet stays valid wherever it is.";
        var from = s.Group is { } g ? $"{s.Threshold} other sheets of group {g.Number}" : $"{s.Threshold} other sheets of this backup";
        return $"Tell the contact. Share {s.ShareNumber} can be re-created from {from} ({LeftQuote}keyvault share reissue{RightQuote}); " +
               $"the other sheets stay valid. See docs/custodians.md, {LeftQuote}A lost sheet{RightQuote}.";
    }

    private static string IfExposed(ShareSheet s)
    {
        var others = s.Threshold - 1;
        var rebuild = s.Group is { } g
            ? (others == 0 ? $"this sheet alone completes group {g.Number}" : $"this sheet and {others} other{(others == 1 ? "" : "s")} complete group {g.Number}")
            : others == 0 ? "this sheet alone rebuilds the key" : $"this sheet and {others} other{(others == 1 ? "" : "s")} rebuild the key";
        return $"Tell the contact at once: {rebuild}. The backup must be replaced by a new split and retired, and the key rotated " +
               $"if enough sheets may be known. See docs/custodians.md, {LeftQuote}A compromised sheet{RightQuote}.";
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
        yield return LostOrExposedNotice.WhereToGetKeyVault(s.Origin ?? SheetOrigin.None);
    }

    private float Field(SheetPainter p, string label, string value, float x, float y)
    {
        x += p.Text(label + "  ", x, y, _fonts.Sans, 9.5f, SheetPainter.Muted);
        return x + p.Text(value, x, y, _fonts.SansBold, 10.5f, SheetPainter.Ink);
    }

    private const float IdentityValueOffset = 96f;
    private const float LabelSize = 10f;

    /// <summary>Fingerprint, public key and address, for sheets that name no key label; returns the y just below the block.</summary>
    internal static float IdentityBlock(SheetPainter p, SignerIdentity identity, StacksNetwork network, float left, float y) =>
        IdentityBlock(p, identity, network, label: null, left, right: float.NaN, y);

    /// <summary>
    /// Fingerprint, key label (unless <paramref name="right"/> is NaN: no label line at all), public key and address;
    /// returns the y just below the block.
    /// </summary>
    internal static float IdentityBlock(SheetPainter p, SignerIdentity identity, StacksNetwork network, string? label, float left, float right, float y)
    {
        var fonts = p.Fonts;
        var w = p.Caps("KEY IDENTITY", left, y, SheetPainter.Ink);
        p.Text($"   {EnDash}  public, not secret: tells which key this sheet restores", left + w, y, fonts.Sans, 7.5f, SheetPainter.Muted);
        var valueX = left + IdentityValueOffset;
        y += 19;
        p.Text("Fingerprint", left, y, fonts.Sans, 9.5f, SheetPainter.Muted);
        var fw = p.Text(identity.Fingerprint, valueX, y, fonts.MonoBold, 13f, SheetPainter.Ink);
        if (!float.IsNaN(right))
        {
            // The label sits beside the fingerprint when it fits there, and gets a line of its own otherwise.
            var labelX = valueX + fw + 24;
            var labelWidth = p.Measure("Key label  ", fonts.Sans, 9.5f) + p.Measure(label ?? "not recorded", fonts.Sans, LabelSize);
            if (labelX + labelWidth > right)
            {
                labelX = left;
                y += 16;
            }
            var lx = labelX + p.Text(labelX == left ? "Key label" : "Key label  ", labelX, y, fonts.Sans, 9.5f, SheetPainter.Muted);
            if (labelX == left) lx = valueX;
            p.Text(label ?? "not recorded", lx, y, fonts.Sans, LabelSize, label is null ? SheetPainter.Muted : SheetPainter.Ink);
        }
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
        // Rows lower than the full size take a smaller word, so that it stays inside its cell.
        var wordSize = Math.Min(WordSize, (rowHeight - 4) * 0.78f);
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
                var baseline = y + (rowHeight - 4) / 2 + wordSize * 0.3f;
                p.Text((i + 1).ToString(CultureInfo.InvariantCulture), x + 21, baseline, _fonts.Sans, 9f, SheetPainter.Muted, SKTextAlign.Right);

                var word = words[i];
                var n = word.Length;
                for (var k = 0; k < n; k++) lower[k] = char.ToLowerInvariant(word[k]);
                var head = Math.Min(4, n);
                var wx = x + 34;
                wx += p.Text(lower[..head], wx, baseline, _fonts.MonoBold, wordSize, SheetPainter.Ink);
                p.Text(lower[head..n], wx, baseline, _fonts.Mono, wordSize, SheetPainter.Soft);
            }
        }
        finally
        {
            lower.Clear();
        }
    }

    internal static void Footer(SheetPainter p, float left, float right, string leftText, string rightText, string? executable = null)
    {
        var y = FooterTop(p) + 12;
        p.Line(left, y - 12, right, y - 12, SheetPainter.Hairline);
        p.Text(leftText, left, y, p.Fonts.Sans, 7.5f, SheetPainter.Muted);
        p.Text(rightText, right, y, p.Fonts.Sans, 7.5f, SheetPainter.Muted, SKTextAlign.Right);
        if (executable is not null) p.Text(executable, left, y + 9, p.Fonts.Sans, 7f, SheetPainter.Muted);
    }
}
