using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using KeyVault.Sheets;
using KeyVault.Text;
using SkiaSharp;
using static KeyVault.Paper.Typography;

namespace KeyVault.Paper;

/// <summary>
/// The sealed share sheet (docs/paper.md): who it is for and the key it is sealed to, the backup, the armored age file
/// as QR code and as text, how to open it, and what to do if the sheet is lost or exposed. A file that fits one code
/// beside its text gets two pages (the code takes whatever height the text leaves); a larger one, as a post-quantum
/// recipient makes, gets three: two codes side by side with the instructions, the text, the notice.
/// </summary>
internal sealed class SealedShareLayout
{
    private const float Margin = 40f;
    private const float MaxQrSide = 330f;
    private const float TextSize = 8f;
    private const float TextLeading = 9.6f;
    private const float SplitGap = 8f;

    /// <summary>Longest recipient accepted: an age1pq1… key is about 1,960 characters.</summary>
    public const int MaxRecipientLength = 2100;

    /// <summary>Longest recipient printed in full (three lines); a longer one is printed shortened (<see cref="PrintedRecipient"/>).</summary>
    public const int MaxPrintedRecipientLength = 300;

    /// <summary>Most armored lines printed beside one QR code: a share file sealed to one X25519 or SSH recipient needs about 20.</summary>
    public const int MaxLines = 26;

    /// <summary>Most armored lines the page of their own holds, when the file takes two codes.</summary>
    public const int MaxSplitLines = 56;

    /// <summary>
    /// The command printed on a two-code sheet (and in docs/paper.md) that rebuilds the armored file from a scan of the
    /// first page. zbarimg prints each code's text and a newline, in no fixed order: the empty lines go, the code with
    /// the BEGIN line comes first. Printed as these lines, each a point where sh and awk accept a line break.
    /// </summary>
    public static readonly IReadOnlyList<string> JoinCommand =
    [
        "zbarimg --raw -q -Sdisable -Sqrcode.enable page.png |",
        "awk '/^$/{next} /^-----BEGIN/{b=1} {if(b)h=h $0 \"\\n\"; else t=t $0 \"\\n\"}",
        "END{printf \"%s%s\", h, t}' > share.age",
    ];

    /// <summary>
    /// Smallest QR side accepted: below it the modules of the largest symbol a share needs (version 35) shrink under
    /// 0.45 mm, which a worn print and a phone camera no longer read reliably.
    /// </summary>
    public const float MinQrSide = 200f;

    private readonly SealedShareSheet _sheet;
    private readonly SheetFonts _fonts;
    private readonly SheetOrigin _origin;
    private readonly LostOrExposedNotice _notice;
    private readonly string _recipient;

    public SealedShareLayout(SealedShareSheet sheet, SheetFonts fonts)
    {
        ArgumentNullException.ThrowIfNull(sheet);
        Validate(sheet);
        _sheet = sheet;
        _fonts = fonts;
        Payloads = PayloadsOf(sheet.ArmoredLines);
        _recipient = PrintedRecipient(sheet.Recipient);
        SheetFonts.RequireGlyphs(fonts.Sans, sheet.Custodian, "custodian name");
        SheetFonts.RequireGlyphs(fonts.SansBold, sheet.Custodian, "custodian name");
        SheetFonts.RequireGlyphs(fonts.Mono, _recipient, "recipient");
        _origin = sheet.Origin ?? SheetOrigin.None;
        _notice = new LostOrExposedNotice(_origin, fonts, IfLost(sheet), IfExposed(sheet));
    }

    /// <summary>The text of each QR code: the whole armored file, or its two halves (<see cref="QrPayload.ForArmoredHalves"/>).</summary>
    public IReadOnlyList<string> Payloads { get; }

    /// <summary>Whether the file takes two codes, and so three pages.</summary>
    public bool IsSplit => Payloads.Count == 2;

    /// <summary>Pages of the PDF: 2 with one code, 3 with two.</summary>
    public int Pages => IsSplit ? 3 : 2;

    /// <summary>
    /// Smallest module of a single code beside its text on US Letter, the smaller page: 0.45 mm. A file whose one code
    /// would be finer (25 or 26 lines, versions 39 and 40) takes two codes side by side instead, whose modules are larger.
    /// </summary>
    public const float MinModule = 0.45f * 72 / 25.4f;

    /// <summary>
    /// One code (at level Q, as every sheet) when the file fits it, its text fits beside it and the modules stay at
    /// least <see cref="MinModule"/>, as every file sealed to one X25519, SSH or P-256 recipient does; otherwise two
    /// codes at level Q, each up to version 40.
    /// </summary>
    public static IReadOnlyList<string> PayloadsOf(IReadOnlyList<string> lines)
    {
        var whole = QrPayload.ForArmoredText(lines);
        if (lines.Count <= MaxLines && whole.Length <= QrSymbol.MaxBytesAtQ)
        {
            var modules = QrSymbol.Encode(whole).Size + 2 * QrSymbol.QuietZone;
            var side = QrSide(lines.Count, PaperSizes.Points(PaperSize.Letter).Height);
            if (side / modules >= MinModule) return [whole];
        }
        return QrPayload.ForArmoredHalves(lines, QrSymbol.MaxBytesAtQ) ?? throw PaperError.SealedText(
            $"is {whole.Length.ToString("N0", CultureInfo.InvariantCulture)} bytes: a sheet holds at most two QR codes of " +
            $"{QrSymbol.MaxBytesAtQ.ToString("N0", CultureInfo.InvariantCulture)} bytes each (version 40, level Q), cut at a line");
    }

    /// <summary>
    /// The recipient as printed: in full up to <see cref="MaxPrintedRecipientLength"/> characters; longer, its first 12
    /// and last 24 characters, its length and the first 16 hex digits of the SHA-256 of its ASCII text, enough to
    /// tell it from any other key and to check it against the custodians file.
    /// </summary>
    public static string PrintedRecipient(string recipient)
    {
        if (recipient.Length <= MaxPrintedRecipientLength) return recipient;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(recipient)).AsSpan(0, 8));
        return $"{recipient[..12]}{Ellipsis}{recipient[^24..]} ({recipient.Length.ToString("N0", CultureInfo.InvariantCulture)} characters; SHA-256 {hash})";
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
        if (s.Recipient is null || !IsRecipient(s.Recipient)) throw PaperError.Recipient(MaxRecipientLength);
        if (s.Origin is { } origin) LostOrExposedNotice.Validate(origin);
        var lines = s.ArmoredLines;
        if (lines.Count < 3) throw PaperError.SealedText("has fewer than three lines");
        if (lines.Count > MaxSplitLines) throw PaperError.SealedText($"has {lines.Count} lines; a sheet holds at most {MaxSplitLines}");
        if (lines[0] != "-----BEGIN AGE ENCRYPTED FILE-----" || lines[^1] != "-----END AGE ENCRYPTED FILE-----")
            throw PaperError.SealedText("does not start and end with the age armor lines");
        for (var i = 1; i < lines.Count - 1; i++)
        {
            var line = lines[i] ?? throw PaperError.SealedText($"has no line {i + 1}");
            if (line.Length is 0 or > 64 || line.Any(c => c is < ' ' or > '~'))
                throw PaperError.SealedText($"has a line {i + 1} that is not 1 to 64 printable ASCII characters");
        }
    }

    // Printable ASCII without spaces (age1…), or an SSH key whose type, key and comment are separated by spaces.
    private static bool IsRecipient(string r) =>
        r.Length is > 0 and <= MaxRecipientLength && r.All(c => c is >= ' ' and <= '~') && r.Trim().Length == r.Length
        && (!r.Contains(' ', StringComparison.Ordinal) || r.StartsWith("ssh-", StringComparison.Ordinal));

    /// <summary>The QR side the text block leaves on a page of height <paramref name="height"/>.</summary>
    public static float QrSide(SealedShareSheet s, float height)
    {
        var side = QrSide(s.ArmoredLines.Count, height);
        if (side < MinQrSide) throw PaperError.SealedText($"has {s.ArmoredLines.Count} lines, too many to leave room for its QR code on this paper");
        return side;
    }

    // Header to the top of the QR, the caption and heading under it, the text block, the footer.
    private static float QrSide(int lines, float height) => Math.Min(MaxQrSide, height - QrTop - 44 - (lines * TextLeading + 12) - (Margin + 12));

    // Baseline of the last header line plus the rule and spacing: fixed, so the QR side can be known before drawing.
    private const float QrTop = 214f;

    /// <summary>Draws page <paramref name="page"/> (1 to <see cref="Pages"/>) with the symbols of <see cref="Payloads"/>.</summary>
    public void DrawPage(SheetPainter p, int page, IReadOnlyList<QrSymbol> codes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(page, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(page, Pages);
        if (codes.Count != Payloads.Count) throw new ArgumentException($"{Payloads.Count} codes expected", nameof(codes));
        if (page == Pages) DrawNoticePage(p);
        else if (!IsSplit) Draw(p, codes[0]);
        else if (page == 1) DrawCodesPage(p, codes);
        else DrawTextPage(p);
    }

    // The top of the first page, down to the rule under the key: returns the baseline reached.
    private float Top(SheetPainter p, float left, float right)
    {
        var s = _sheet;
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
        y = Wrapped(p, _recipient, left, y, width, 8f, 10f);

        y += 4;
        w = p.Caps("KEY", left, y, SheetPainter.Ink);
        var kx = left + w + 10;
        kx += p.Text("fingerprint ", kx, y, _fonts.Sans, 8f, SheetPainter.Muted);
        kx += p.Text(s.Identity.Fingerprint, kx, y, _fonts.MonoBold, 9f, SheetPainter.Ink) + 10;
        kx += p.Text("public key ", kx, y, _fonts.Sans, 8f, SheetPainter.Muted);
        p.Text(s.Identity.PublicKey, kx, y, _fonts.Mono, 8f, SheetPainter.Ink);
        y += 8;
        p.Line(left, y, right, y, SheetPainter.Hairline);
        return y;
    }

    private void Draw(SheetPainter p, QrSymbol qr)
    {
        var s = _sheet;
        var left = Margin;
        var right = p.Width - Margin;
        var y = Top(p, left, right);

        var side = QrSide(s, p.Height);
        var qrTop = Math.Max(QrTop, y + 8);
        var overhang = side / (qr.Size + 2 * QrSymbol.QuietZone) * QrSymbol.QuietZone;
        p.Qr(qr, left - overhang, qrTop, side);
        var textLeft = left + side - overhang + 12;
        var textWidth = right - textLeft;
        var ty = qrTop + 16;
        p.Caps("TO OPEN IT", textLeft, ty, SheetPainter.Ink);
        ty += 14;
        foreach (var (text, command) in Instructions()) ty = Instruction(p, text, command, textLeft, ty, textWidth);

        p.QrCaption("QR: the whole armored age file below, line breaks included", qr, left, qrTop + side + 6);

        y = qrTop + side + 34;
        p.Line(left, y - 12, right, y - 12, SheetPainter.Hairline);
        var head = p.Caps("THE SEALED SHARE (AGE, ARMORED)", left, y, SheetPainter.Ink);
        p.Text($"   {EnDash}  type it exactly, one line per line; letter case matters", left + head, y, _fonts.Sans, 7.5f, SheetPainter.Muted);
        ArmoredBox(p, left, right, y + 6);

        Footer(p, left, right, page: 1);
    }

    private float Instruction(SheetPainter p, string text, string? command, float x, float y, float width)
    {
        y = p.Paragraph(text, x, y, width, _fonts.Sans, 8.5f, 11f, SheetPainter.Ink);
        if (command is null) return y + 4;
        // A command of several lines keeps its own breaks: they stand where the shell and awk accept one.
        y += 1;
        foreach (var line in command.Split('\n')) y = p.Paragraph(line, x + 8, y, width - 8, _fonts.Mono, 7.5f, 9.5f, SheetPainter.Ink);
        return y + 5;
    }

    /// <summary>The side of each of two codes drawn side by side across the page, their quiet zones over the margins.</summary>
    public static float SplitQrSide(float width, QrSymbol first, QrSymbol second) =>
        // Side by side with their quiet zones over the margins: 2 side - overhang 1 - overhang 2 + gap = width.
        Math.Min(MaxQrSide, (width - SplitGap) / (2 - (float)QrSymbol.QuietZone / (first.Size + 2 * QrSymbol.QuietZone)
                                                      - (float)QrSymbol.QuietZone / (second.Size + 2 * QrSymbol.QuietZone)));

    private static float Overhang(float side, QrSymbol qr) => side / (qr.Size + 2 * QrSymbol.QuietZone) * QrSymbol.QuietZone;

    // The first page of a two-code sheet: the codes side by side, as large as the width allows, the instructions under them.
    private void DrawCodesPage(SheetPainter p, IReadOnlyList<QrSymbol> codes)
    {
        var left = Margin;
        var right = p.Width - Margin;
        var width = right - left;
        var y = Top(p, left, right);

        var side = SplitQrSide(width, codes[0], codes[1]);
        var qrTop = Math.Max(QrTop, y + 8);
        var firstLines = Payloads[0].Count(c => c == '\n');
        var total = _sheet.ArmoredLines.Count;
        var overhang = Overhang(side, codes[0]);
        p.Qr(codes[0], left - overhang, qrTop, side);
        p.QrCaption($"Code 1 of 2: armored lines 1{EnDash}{firstLines} of page 2, BEGIN line first", codes[0], left, qrTop + side + 6);
        overhang = Overhang(side, codes[1]);
        var secondLeft = right + overhang - side;
        p.Qr(codes[1], secondLeft, qrTop, side);
        p.QrCaption($"Code 2 of 2: armored lines {firstLines + 1}{EnDash}{total} of page 2, END line last", codes[1], secondLeft + overhang, qrTop + side + 6);

        y = qrTop + side + 34;
        p.Line(left, y - 12, right, y - 12, SheetPainter.Hairline);
        p.Caps("TO OPEN IT", left, y, SheetPainter.Ink);
        y += 14;
        foreach (var (text, command) in SplitInstructions()) y = Instruction(p, text, command, left, y, width);

        Footer(p, left, right, page: 1);
    }

    // The second page of a two-code sheet: the armored text, for typing or checking a scan.
    private void DrawTextPage(SheetPainter p)
    {
        var s = _sheet;
        var left = Margin;
        var right = p.Width - Margin;
        var y = Identification(p, left, right, 2);

        y += 26;
        var head = p.Caps("THE SEALED SHARE (AGE, ARMORED)", left, y, SheetPainter.Ink);
        p.Text($"   {EnDash}  type it exactly, one line per line; letter case matters",
            left + head, y, _fonts.Sans, 7.5f, SheetPainter.Muted);
        y += 6;
        if (y + ArmoredBoxHeight(s) > ShareLayout.FooterTop(p) - 8) throw PaperError.SealedText($"has {s.ArmoredLines.Count} lines, more than its page holds on this paper");
        ArmoredBox(p, left, right, y);

        Footer(p, left, right, page: 2);
    }

    private static float ArmoredBoxHeight(SealedShareSheet s) => s.ArmoredLines.Count * TextLeading + 12;

    // The armored text in its box, one line per line, from the top edge <paramref name="top"/>.
    private void ArmoredBox(SheetPainter p, float left, float right, float top)
    {
        p.Box(SKRect.Create(left, top, right - left, ArmoredBoxHeight(_sheet)), SheetPainter.Hairline, null, 3f, 0.6f);
        var ly = top + 6 + TextLeading - 2;
        foreach (var line in _sheet.ArmoredLines)
        {
            p.Text(line, left + 10, ly, _fonts.Mono, TextSize, SheetPainter.Ink);
            ly += TextLeading;
        }
    }

    // The top of a page after the first: header, title, name, then the backup, key and date, so a page separated from
    // the others still says whose it is. Returns the baseline of the rule under it.
    private float Identification(SheetPainter p, float left, float right, int page)
    {
        var s = _sheet;
        var y = Heading(p, left, right, $"PAGE {page} OF {Pages}");
        p.Text($"Backup ID {s.Identifier.ToString(CultureInfo.InvariantCulture)}  {MiddleDot}  key fingerprint {s.Identity.Fingerprint}  {MiddleDot}  " +
               $"printed {s.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}", left, y, _fonts.Sans, 9.5f, SheetPainter.Ink);
        y += 11;
        p.Line(left, y, right, y, SheetPainter.Ink, 1f);
        return y;
    }

    /// <summary>
    /// The last page: whose sheet this is, whom to tell if it is lost or exposed, and which executable made it. Every
    /// line of it is public; a page separated from the others still names its custodian and backup.
    /// </summary>
    private void DrawNoticePage(SheetPainter p)
    {
        var left = Margin;
        var right = p.Width - Margin;
        var y = Identification(p, left, right, Pages);

        y += 24;
        _notice.Draw(p, left, right, y);
        y += _notice.Height(p, right - left) + 20;
        p.Line(left, y - 14, right, y - 14, SheetPainter.Hairline);
        p.Caps("WHERE TO GET KEYVAULT", left, y, SheetPainter.Ink);
        p.Paragraph(LostOrExposedNotice.WhereToGetKeyVault(_origin), left, y + 14, right - left, _fonts.Sans, 8.5f, 11f, SheetPainter.Ink);

        Footer(p, left, right, page: Pages);
    }

    /// <summary>
    /// The top of every page: the header line (with <paramref name="rightCaps"/> at its right), the title and the
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
            $"  {MiddleDot}  page {page} of {Pages}",
            page == Pages ? LostOrExposedNotice.ExecutableFooter(_origin) : null);
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

    private static IEnumerable<(string Text, string? Command)> SplitInstructions()
    {
        yield return ("Only the custodian's private key opens it: the age identity or SSH key of the recipient above. " +
                      "A stolen sheet is useless without that key.", null);
        yield return ("The two codes hold the armored text of page 2, cut at a line: code 1 from the BEGIN line, code 2 to the END line. " +
                      "Scan this page into page.png (150 dpi or more) and rebuild share.age; the order the codes are read in does not matter:",
            string.Join("\n", JoinCommand));
        yield return ("Or scan each code alone and join the two texts into share.age, code 1 first, or type page 2 into it. " +
                      "Check it, without showing the share:",
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
