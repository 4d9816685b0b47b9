using System.Globalization;
using KeyVault.Sheets;
using KeyVault.Text;
using SkiaSharp;
using static KeyVault.Paper.Typography;

namespace KeyVault.Paper;

/// <summary>
/// The sealed share sheet (docs/paper.md): who it is for and the key it is sealed to, the backup, one QR code of the
/// whole armored age file, how to open it, and the armored text itself. The QR takes whatever height the text leaves.
/// </summary>
internal sealed class SealedShareLayout
{
    private const float Margin = 40f;
    private const float MaxQrSide = 330f;
    private const float TextSize = 8f;
    private const float TextLeading = 9.6f;
    private const int MaxRecipientLength = 300;

    /// <summary>Most armored lines a sheet lays out: a share file sealed to one recipient needs about 20.</summary>
    public const int MaxLines = 26;

    /// <summary>
    /// Smallest QR side accepted: below it the modules of the largest symbol a share needs (version 35) shrink under
    /// 0.45 mm, which a worn print and a phone camera no longer read reliably.
    /// </summary>
    public const float MinQrSide = 200f;

    private readonly SealedShareSheet _sheet;
    private readonly SheetFonts _fonts;
    private readonly SheetOrigin _origin;
    private readonly LostOrExposedNotice _notice;

    public SealedShareLayout(SealedShareSheet sheet, SheetFonts fonts)
    {
        ArgumentNullException.ThrowIfNull(sheet);
        Validate(sheet);
        _sheet = sheet;
        _fonts = fonts;
        SheetFonts.RequireGlyphs(fonts.Sans, sheet.Custodian, "custodian name");
        SheetFonts.RequireGlyphs(fonts.SansBold, sheet.Custodian, "custodian name");
        SheetFonts.RequireGlyphs(fonts.Mono, sheet.Recipient, "recipient");
        _origin = sheet.Origin ?? SheetOrigin.None;
        _notice = new LostOrExposedNotice(_origin, fonts, IfLost(sheet), IfExposed(sheet));
    }

    public static string Title(SealedShareSheet s) =>
        $"KeyVault sealed share {ShareLayout.OfCount(s.ShareNumber, s.ShareCount)} for {s.Custodian}, backup {s.Identifier}, key {s.Identity.Fingerprint}";

    public static void Validate(SealedShareSheet s)
    {
        ArgumentNullException.ThrowIfNull(s.ArmoredLines);
        ArgumentNullException.ThrowIfNull(s.Identity);
        if (s.ShareCount is < 1 or > 16 || s.ShareNumber is < 1 or > 16 || s.Threshold < 1 || s.Threshold > s.ShareCount)
            throw PaperError.ShareNumbers(s.ShareNumber, s.ShareCount, s.Threshold);
        if (s.Group is { } g && (g.Count is < 1 or > 16 || g.Number < 1 || g.Number > g.Count || g.Threshold < 1 || g.Threshold > g.Count))
            throw PaperError.GroupNumbers(g.Number, g.Count, g.Threshold);
        if (s.Identifier is < 0 or > 0x7FFF) throw PaperError.Identifier(s.Identifier);
        if (s.Custodian is null || !ShareLayout.IsPrintableLine(s.Custodian, CustodianNames.MaxLength)) throw PaperError.TextField("custodian name", CustodianNames.MaxLength);
        if (s.Recipient is null || !ShareLayout.IsPrintableLine(s.Recipient, MaxRecipientLength)) throw PaperError.TextField("recipient", MaxRecipientLength);
        if (s.Origin is { } origin) LostOrExposedNotice.Validate(origin);
        var lines = s.ArmoredLines;
        if (lines.Count < 3) throw PaperError.SealedText("has fewer than three lines");
        if (lines.Count > MaxLines) throw PaperError.SealedText($"has {lines.Count} lines; a sheet holds at most {MaxLines}");
        if (lines[0] != "-----BEGIN AGE ENCRYPTED FILE-----" || lines[^1] != "-----END AGE ENCRYPTED FILE-----")
            throw PaperError.SealedText("does not start and end with the age armor lines");
        for (var i = 1; i < lines.Count - 1; i++)
        {
            var line = lines[i] ?? throw PaperError.SealedText($"has no line {i + 1}");
            if (line.Length is 0 or > 64 || line.Any(c => c is < ' ' or > '~'))
                throw PaperError.SealedText($"has a line {i + 1} that is not 1 to 64 printable ASCII characters");
        }
    }

    /// <summary>The QR side the text block leaves on a page of height <paramref name="height"/>.</summary>
    public static float QrSide(SealedShareSheet s, float height)
    {
        var textBlock = s.ArmoredLines.Count * TextLeading + 12;
        // Header to the top of the QR, the caption and heading under it, the text block, the footer.
        var side = Math.Min(MaxQrSide, height - QrTop - 44 - textBlock - (Margin + 12));
        if (side < MinQrSide) throw PaperError.SealedText($"has {s.ArmoredLines.Count} lines, too many to leave room for its QR code on this paper");
        return side;
    }

    // Baseline of the last header line plus the rule and spacing: fixed, so the QR side can be known before drawing.
    private const float QrTop = 214f;

    public void Draw(SheetPainter p, QrSymbol qr)
    {
        var s = _sheet;
        var left = Margin;
        var right = p.Width - Margin;
        var width = right - left;

        var y = Heading(p, left, right, "OPENS ONLY WITH ITS CUSTODIAN'S KEY");
        p.Text($"Backup ID {s.Identifier.ToString(CultureInfo.InvariantCulture)}  {MiddleDot}  printed {s.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}",
            left, y, _fonts.Sans, 9.5f, SheetPainter.Ink);
        y += 13;
        var threshold = s.Group is { } gr
            ? $"Any {s.Threshold} of the {s.ShareCount} shares of group {gr.Number} restore the group; any {gr.Threshold} of the {gr.Count} groups restore the key."
            : $"Any {s.Threshold} of the {s.ShareCount} shares restore the key.";
        p.Text(threshold, left, y, _fonts.Sans, 9.5f, SheetPainter.Ink);

        y += 11;
        p.Line(left, y, right, y, SheetPainter.Ink, 1f);

        y += 15;
        var w = p.Caps("SEALED TO", left, y, SheetPainter.Ink);
        p.Text($"   {EnDash}  the custodian's public key, from the custodians file", left + w, y, _fonts.Sans, 7.5f, SheetPainter.Muted);
        y += 12;
        y = Wrapped(p, s.Recipient, left, y, width, 8f, 10f);

        y += 4;
        w = p.Caps("KEY", left, y, SheetPainter.Ink);
        var kx = left + w + 10;
        kx += p.Text("fingerprint ", kx, y, _fonts.Sans, 8f, SheetPainter.Muted);
        kx += p.Text(s.Identity.Fingerprint, kx, y, _fonts.MonoBold, 9f, SheetPainter.Ink) + 10;
        kx += p.Text("public key ", kx, y, _fonts.Sans, 8f, SheetPainter.Muted);
        p.Text(s.Identity.PublicKey, kx, y, _fonts.Mono, 8f, SheetPainter.Ink);
        y += 8;
        p.Line(left, y, right, y, SheetPainter.Hairline);

        var side = QrSide(s, p.Height);
        var qrTop = Math.Max(QrTop, y + 8);
        var overhang = side / (qr.Size + 2 * QrSymbol.QuietZone) * QrSymbol.QuietZone;
        p.Qr(qr, left - overhang, qrTop, side);
        var textLeft = left + side - overhang + 12;
        var textWidth = right - textLeft;
        var ty = qrTop + 16;
        p.Caps("TO OPEN IT", textLeft, ty, SheetPainter.Ink);
        ty += 14;
        foreach (var (text, command) in Instructions())
        {
            ty = p.Paragraph(text, textLeft, ty, textWidth, _fonts.Sans, 8.5f, 11f, SheetPainter.Ink);
            if (command is not null) ty = p.Paragraph(command, textLeft + 8, ty + 1, textWidth - 8, _fonts.Mono, 7.5f, 9.5f, SheetPainter.Ink) + 1;
            ty += 4;
        }

        p.QrCaption("QR: the whole armored age file below, line breaks included", qr, left, qrTop + side + 6);

        y = qrTop + side + 34;
        p.Line(left, y - 12, right, y - 12, SheetPainter.Hairline);
        var head = p.Caps("THE SEALED SHARE (AGE, ARMORED)", left, y, SheetPainter.Ink);
        p.Text($"   {EnDash}  type it exactly, one line per line; letter case matters", left + head, y, _fonts.Sans, 7.5f, SheetPainter.Muted);
        y += 6;
        var boxHeight = s.ArmoredLines.Count * TextLeading + 12;
        p.Box(SKRect.Create(left, y, right - left, boxHeight), SheetPainter.Hairline, null, 3f, 0.6f);
        var ly = y + 6 + TextLeading - 2;
        foreach (var line in s.ArmoredLines)
        {
            p.Text(line, left + 10, ly, _fonts.Mono, TextSize, SheetPainter.Ink);
            ly += TextLeading;
        }

        Footer(p, left, right, page: 1);
    }

    /// <summary>
    /// The second page: whose sheet this is, whom to tell if it is lost or exposed, and which executable made it. Every
    /// line of it is public; a page separated from the first still names its custodian and backup.
    /// </summary>
    public void DrawNoticePage(SheetPainter p)
    {
        var s = _sheet;
        var left = Margin;
        var right = p.Width - Margin;

        var y = Heading(p, left, right, "PAGE 2 OF 2");
        p.Text($"Backup ID {s.Identifier.ToString(CultureInfo.InvariantCulture)}  {MiddleDot}  key fingerprint {s.Identity.Fingerprint}  {MiddleDot}  " +
               $"printed {s.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}", left, y, _fonts.Sans, 9.5f, SheetPainter.Ink);
        y += 11;
        p.Line(left, y, right, y, SheetPainter.Ink, 1f);

        y += 24;
        _notice.Draw(p, left, right, y);
        y += _notice.Height(p, right - left) + 20;
        p.Line(left, y - 14, right, y - 14, SheetPainter.Hairline);
        p.Caps("WHERE TO GET KEYVAULT", left, y, SheetPainter.Ink);
        p.Paragraph(LostOrExposedNotice.WhereToGetKeyVault(_origin), left, y + 14, right - left, _fonts.Sans, 8.5f, 11f, SheetPainter.Ink);

        Footer(p, left, right, page: 2);
    }

    /// <summary>
    /// The top of either page: the header line (with <paramref name="rightCaps"/> at its right), the title and the
    /// custodian's name. Returns the baseline of the next line.
    /// </summary>
    private float Heading(SheetPainter p, float left, float right, string rightCaps)
    {
        var s = _sheet;
        var y = Margin + 8;
        var x = left + p.Caps("KEYVAULT", left, y, SheetPainter.Ink, 8f);
        p.Text($"  {MiddleDot}  SIGNER KEY BACKUP  {MiddleDot}  SEALED SLIP-0039 SHARE", x, y, _fonts.Sans, 8f, SheetPainter.Muted);
        p.Caps(rightCaps, right, y, SheetPainter.Ink, 8f, SKTextAlign.Right);

        y += 30;
        var title = s.Group is { } g
            ? $"Sealed share {ShareLayout.OfCount(s.ShareNumber, s.ShareCount)}  {MiddleDot}  group {g.Number} of {g.Count}"
            : $"Sealed share {ShareLayout.OfCount(s.ShareNumber, s.ShareCount)}";
        p.Text(title, left, y, _fonts.SansBold, 22f, SheetPainter.Ink);

        y += 20;
        x = left + p.Text("For  ", left, y, _fonts.Sans, 10.5f, SheetPainter.Muted);
        // A name has no spaces to wrap at in the worst case (60 wide letters): it shrinks to fit the line instead.
        var nameSize = 11.5f;
        while (nameSize > 6f && p.Measure(s.Custodian, _fonts.SansBold, nameSize) > right - x) nameSize -= 0.5f;
        p.Text(s.Custodian, x, y, _fonts.SansBold, nameSize, SheetPainter.Ink);
        return y + 15;
    }

    private void Footer(SheetPainter p, float left, float right, int page)
    {
        var s = _sheet;
        ShareLayout.Footer(p, left, right,
            $"KeyVault {SheetRenderer.ToolVersion}  {MiddleDot}  sealed share (age v1)  {MiddleDot}  printed {s.Date:yyyy-MM-dd}",
            $"backup {s.Identifier}  {MiddleDot}  share {ShareLayout.OfCount(s.ShareNumber, s.ShareCount)}{(s.Group is { } gn ? $" in group {gn.Number}" : "")}" +
            $"  {MiddleDot}  page {page} of 2",
            page == 2 ? LostOrExposedNotice.ExecutableFooter(_origin) : null);
    }

    private static string IfLost(SealedShareSheet s)
    {
        var from = s.Group is { } g ? $"{s.Threshold} other shares of group {g.Number}" : $"{s.Threshold} other shares of this backup";
        var recreate = s.Threshold == 1
            ? "No other share can re-create it: the key's owner makes a new split from the encrypted key file."
            : $"Share {s.ShareNumber} can be re-created from {from} ({LeftQuote}keyvault share reissue{RightQuote}).";
        return $"Tell the contact. Keep your private key: the sealed file may still exist elsewhere. {recreate} " +
               $"See docs/custodians.md, {LeftQuote}A lost sheet{RightQuote}.";
    }

    private static string IfExposed(SealedShareSheet s) =>
        "Tell the contact. The sheet alone is useless: only your private key opens it. If that key may be known too, " +
        "treat the share as exposed: the backup must be replaced by a new split and retired, and your key replaced. " +
        $"See docs/custodians.md, {LeftQuote}A compromised sheet{RightQuote}.";

    private static IEnumerable<(string Text, string? Command)> Instructions()
    {
        yield return ("Only the custodian's private key opens it: the age identity or SSH key of the recipient above. " +
                      "A stolen sheet is useless without that key.", null);
        yield return ("Scan the QR code into a file share.age, or type the text below into it. Check it, without showing the share:",
            "keyvault share check --share-file share.age --identity KEY --manifest manifest.json");
        yield return ("To return it to a restore session, seal it on to the session's recipient and send return.age:",
            "age -d -i KEY share.age | age -r age1SESSION -a > return.age");
        yield return ("To see the words (alone, offline):", "age -d -i KEY share.age");
    }

    // Long recipients (an SSH key with its comment) wrap at a character boundary: they hold no spaces to break at.
    private float Wrapped(SheetPainter p, string text, float x, float y, float width, float size, float leading)
    {
        var start = 0;
        while (start < text.Length)
        {
            var n = text.Length - start;
            while (n > 1 && p.Measure(text.AsSpan(start, n), _fonts.Mono, size) > width) n--;
            p.Text(text.AsSpan(start, n), x, y, _fonts.Mono, size, SheetPainter.Ink);
            start += n;
            y += leading;
        }
        return y;
    }
}
