using KeyVault.Sheets;
using static KeyVault.Paper.Typography;

namespace KeyVault.Paper;

/// <summary>
/// The block at the foot of every sheet that says whom to tell and what happens when the sheet is lost or exposed,
/// and the texts both sheets print about the KeyVault executable that made them (docs/paper.md).
/// </summary>
internal sealed class LostOrExposedNotice
{
    private const float LabelColumn = 70f;
    private const float TextSize = 8.5f;
    private const float Leading = 10.5f;
    private const float RowGap = 3f;
    private const float FirstRow = 14f;
    private const string NotRecorded = "not recorded";

    private readonly SheetFonts _fonts;
    private readonly SheetOrigin _origin;
    private readonly string _lost;
    private readonly string _exposed;

    public LostOrExposedNotice(SheetOrigin origin, SheetFonts fonts, string lost, string exposed)
    {
        if (origin.ExecutableName is { } name) SheetFonts.RequireGlyphs(fonts.Sans, name, "executable name");
        _origin = origin;
        _fonts = fonts;
        _lost = lost;
        _exposed = exposed;
        foreach (var (field, value) in Texts(origin))
        {
            SheetFonts.RequireGlyphs(fonts.Sans, value, field);
            SheetFonts.RequireGlyphs(fonts.SansBold, value, field);
            // Checked against the narrower paper, in the bold face it is printed in, so a text accepted for one size prints on both.
            var lines = TextWrap.Lines(value, ValueWidth(ChecksWidth), fonts.SansBold, TextSize).Count;
            if (lines > SheetOriginLimits.MaxPrintedLines) throw PaperError.TooWideToPrint(field, lines);
        }
    }

    /// <summary>Content width of the narrower paper (A4): the width texts are checked against.</summary>
    public static float ChecksWidth => PaperSizes.Points(PaperSize.A4).Width - 2 * SheetMargins.Side;

    /// <summary>Throws unless every text of <paramref name="origin"/> is a printable line within its limit and the hash has its form.</summary>
    public static void Validate(SheetOrigin origin)
    {
        foreach (var (field, value) in Texts(origin))
            if (!ShareLayout.IsPrintableLine(value, SheetOrigin.MaxTextLength)) throw PaperError.TextField(field, SheetOrigin.MaxTextLength);
        // The footer holds the name and the 64-character hash on one line.
        if (origin.ExecutableName is { } name && !ShareLayout.IsPrintableLine(name, MaxExecutableName))
            throw PaperError.TextField("executable name", MaxExecutableName);
        if (origin.ExecutableSha256 is { } hash && (hash.Length != 64 || !hash.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f')))
            throw PaperError.ExecutableHash();
    }

    private const int MaxExecutableName = 48;

    private static IEnumerable<(string Field, string Value)> Texts(SheetOrigin o)
    {
        if (o.Org is not null) yield return ("organisation", o.Org);
        if (o.Contact is not null) yield return ("contact", o.Contact);
    }

    private static float ValueWidth(float width) => width - LabelColumn;

    /// <summary>Height of the block from its heading's baseline to the bottom of its last line.</summary>
    public float Height(SheetPainter p, float width) => FirstRow + Rows(p, width).Sum(r => r.Lines.Count * Leading + RowGap) - RowGap - Leading + 3f;

    /// <summary>Draws the block with its heading's baseline at <paramref name="y"/>.</summary>
    public void Draw(SheetPainter p, float left, float right, float y)
    {
        var w = p.Caps("IF THIS SHEET IS LOST OR EXPOSED", left, y, SheetPainter.Ink);
        p.Text($"   {EnDash}  tell the contact; do not show the sheet to anyone else", left + w, y, _fonts.Sans, 7.5f, SheetPainter.Muted);
        y += FirstRow;
        foreach (var row in Rows(p, right - left))
        {
            foreach (var cell in row.Cells)
            {
                p.Text(cell.Label, left + cell.Offset, y, _fonts.Sans, TextSize, SheetPainter.Muted);
                var ly = y;
                foreach (var line in cell.Lines)
                {
                    p.Text(line, left + cell.Offset + LabelColumn, ly, cell.Style == CellStyle.Recorded ? _fonts.SansBold : _fonts.Sans, TextSize,
                        cell.Style == CellStyle.NotRecorded ? SheetPainter.Muted : SheetPainter.Ink);
                    ly += Leading;
                }
            }
            y += row.Lines.Count * Leading + RowGap;
        }
    }

    private enum CellStyle { Recorded, NotRecorded, Prose }

    private sealed record Cell(string Label, float Offset, List<string> Lines, CellStyle Style);

    private static CellStyle Given(string? value) => value is null ? CellStyle.NotRecorded : CellStyle.Recorded;

    private sealed record Row(List<Cell> Cells)
    {
        public List<string> Lines => Cells.MaxBy(c => c.Lines.Count)!.Lines;
    }

    private IEnumerable<Row> Rows(SheetPainter p, float width)
    {
        var half = width / 2;
        var org = _origin.Org ?? NotRecorded;
        var contact = _origin.Contact ?? NotRecorded;
        // Organisation and contact share a line when both fit half of it, as they usually do.
        var orgLines = TextWrap.Lines(org, ValueWidth(half) - 10, _fonts.SansBold, TextSize);
        var contactLines = TextWrap.Lines(contact, ValueWidth(half), _fonts.SansBold, TextSize);
        if (orgLines.Count == 1 && contactLines.Count == 1)
        {
            yield return new Row([new Cell("Organisation", 0, orgLines, Given(_origin.Org)), new Cell("Contact", half, contactLines, Given(_origin.Contact))]);
        }
        else
        {
            yield return new Row([new Cell("Organisation", 0, TextWrap.Lines(org, ValueWidth(width), _fonts.SansBold, TextSize), Given(_origin.Org))]);
            yield return new Row([new Cell("Contact", 0, TextWrap.Lines(contact, ValueWidth(width), _fonts.SansBold, TextSize), Given(_origin.Contact))]);
        }
        yield return new Row([new Cell("If lost", 0, TextWrap.Lines(_lost, ValueWidth(width), _fonts.Sans, TextSize), CellStyle.Prose)]);
        yield return new Row([new Cell("If exposed", 0, TextWrap.Lines(_exposed, ValueWidth(width), _fonts.Sans, TextSize), CellStyle.Prose)]);
    }

    /// <summary>Where to get KeyVault and which executable made the sheet, the last paragraph of a sheet's instructions.</summary>
    public static string WhereToGetKeyVault(SheetOrigin origin) =>
        (origin.ExecutableName is { } name
            ? $"Made by {name}, KeyVault {SheetRenderer.ToolVersion} (SHA-256 at the foot of the page): restore with that release or a later one"
            : $"Made by a development build of KeyVault {SheetRenderer.ToolVersion}: restore with a KeyVault release") +
        ", checked as docs/release.md in the KeyVault source says.";

    /// <summary>The footer line naming the executable and its hash.</summary>
    public static string ExecutableFooter(SheetOrigin origin) => origin.ExecutableName is { } name
        ? $"made by {name}  {MiddleDot}  SHA-256 {origin.ExecutableSha256 ?? NotRecorded}"
        : "made by a development build: no executable hash";
}

/// <summary>The page margins both layouts use.</summary>
internal static class SheetMargins
{
    /// <summary>Left, right, top and bottom margin in points.</summary>
    public const float Side = 40f;
}
