using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace KeyVault.Paper;

/// <summary>
/// A glyph subsetter for TrueType fonts, so a sheet's PDF embeds the outlines it draws rather than whole font files
/// (SkiaSharp's native build embeds what it is given, unsubset). Glyph IDs stay as they are: a dropped glyph keeps
/// its place in <c>loca</c> and its advance in <c>hmtx</c> but has no outline, so the cmap, the metrics and every
/// glyph ID Skia writes into the PDF are those of the original font, and the page lays out identically.
/// </summary>
/// <remarks>
/// Kept tables: the outlines (<c>glyf</c>, <c>loca</c>), what a rasteriser needs to draw and hint them (<c>head</c>,
/// <c>hhea</c>, <c>maxp</c>, <c>hmtx</c>, <c>cvt </c>, <c>fpgm</c>, <c>prep</c>, <c>gasp</c>) and what names and maps
/// the font (<c>cmap</c>, <c>name</c>, <c>OS/2</c>, <c>post</c> as version 3, without glyph names). Dropped: layout
/// tables (<c>GSUB</c>, <c>GPOS</c>, <c>GDEF</c>, <c>kern</c>), which neither Skia's PDF output nor a PDF viewer uses,
/// since a PDF places every glyph itself; device metrics (<c>hdmx</c>, <c>VDMX</c>, <c>LTSH</c>); anything else.
/// Fonts this cannot subset faithfully (CFF outlines, variable fonts, colour or bitmap glyphs) are refused with a
/// reason, and the caller embeds them whole.
/// </remarks>
internal static class FontSubset
{
    private const uint TrueTypeVersion = 0x00010000;
    private const uint AppleTrueTypeVersion = 0x74727565; // 'true'
    private const uint OpenTypeCffVersion = 0x4F54544F; // 'OTTO'
    private const uint CollectionTag = 0x74746366; // 'ttcf'
    private const uint ChecksumMagic = 0xB1B0AFBA;

    /// <summary>Tables copied into the subset; all others are left out.</summary>
    private static readonly string[] KeptTables =
        ["OS/2", "cmap", "cvt ", "fpgm", "gasp", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "name", "post", "prep"];

    /// <summary>Tables whose presence means the outlines in <c>glyf</c> are not the whole picture.</summary>
    private static readonly (string Tag, string Reason)[] Refused =
    [
        ("CFF ", "CFF outlines"), ("CFF2", "CFF outlines"), ("fvar", "a variable font"),
        ("CBDT", "colour or bitmap glyphs"), ("EBDT", "colour or bitmap glyphs"), ("sbix", "colour or bitmap glyphs"),
        ("COLR", "colour or bitmap glyphs"), ("SVG ", "colour or bitmap glyphs"),
    ];

    /// <summary>
    /// Builds a standalone TrueType font from face <paramref name="faceIndex"/> of <paramref name="font"/> with the
    /// outlines of <paramref name="keep"/> (indexed by glyph ID), glyph 0 and every component they use; all other
    /// glyphs are empty. Returns false with <paramref name="reason"/> when the font cannot be subset.
    /// </summary>
    public static bool TryCreate(ReadOnlySpan<byte> font, int faceIndex, ReadOnlySpan<bool> keep,
        [NotNullWhen(true)] out byte[]? subset, [NotNullWhen(false)] out string? reason)
    {
        subset = null;
        try
        {
            reason = Build(font, faceIndex, keep, out subset);
            return reason is null;
        }
        catch (FormatException e)
        {
            reason = "malformed font: " + e.Message;
            return false;
        }
    }

    private static string? Build(ReadOnlySpan<byte> font, int faceIndex, ReadOnlySpan<bool> keep, out byte[]? subset)
    {
        subset = null;
        var directory = 0;
        if (U32(font, 0) == CollectionTag)
        {
            var faces = U32(font, 8);
            if (faceIndex < 0 || (uint)faceIndex >= faces) throw new FormatException($"no face {faceIndex} in the collection");
            var at = U32(font, 12 + 4 * faceIndex);
            if (at >= (uint)font.Length) throw new FormatException($"face {faceIndex} lies past the end");
            directory = (int)at;
        }
        else if (faceIndex != 0)
        {
            throw new FormatException($"face {faceIndex} asked of a single font");
        }

        var version = U32(font, directory);
        if (version == OpenTypeCffVersion) return "CFF outlines";
        if (version is not (TrueTypeVersion or AppleTrueTypeVersion)) throw new FormatException("not an sfnt font");
        var tables = ReadDirectory(font, directory);
        foreach (var (tag, why) in Refused)
            if (tables.ContainsKey(tag)) return why;
        foreach (var tag in (string[])["head", "hhea", "maxp", "hmtx", "loca", "glyf", "cmap"])
            if (!tables.ContainsKey(tag)) return tag == "glyf" ? "no TrueType outlines" : $"no {tag} table";

        var head = Table(font, tables, "head");
        if (head.Length < 54) throw new FormatException("head table too short");
        var longOffsets = BinaryPrimitives.ReadInt16BigEndian(head[50..]) switch
        {
            0 => false,
            1 => true,
            _ => throw new FormatException("unknown loca format"),
        };
        var glyphCount = (int)U16(Table(font, tables, "maxp"), 4);
        var glyf = Table(font, tables, "glyf");
        var offsets = ReadLoca(Table(font, tables, "loca"), glyphCount, longOffsets, glyf.Length);

        var kept = Closure(glyf, offsets, keep, glyphCount);
        try
        {
            subset = Write(font, tables, head, glyf, offsets, kept);
            return null;
        }
        finally
        {
            // Which glyphs were kept says which letters the sheet's words use.
            Array.Clear(kept);
        }
    }

    private static Dictionary<string, (int Offset, int Length)> ReadDirectory(ReadOnlySpan<byte> font, int directory)
    {
        var count = U16(font, directory + 4);
        var tables = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var record = directory + 12 + 16 * i;
            var tag = System.Text.Encoding.Latin1.GetString(Slice(font, record, 4));
            var offset = U32(font, record + 8);
            var length = U32(font, record + 12);
            if ((ulong)offset + length > (ulong)font.Length) throw new FormatException($"table {tag.TrimEnd()} runs past the end");
            tables[tag] = ((int)offset, (int)length);
        }
        return tables;
    }

    private static int[] ReadLoca(ReadOnlySpan<byte> loca, int glyphCount, bool longOffsets, int glyfLength)
    {
        var offsets = new int[glyphCount + 1];
        for (var g = 0; g <= glyphCount; g++)
        {
            var offset = longOffsets ? U32(loca, 4 * g) : 2u * U16(loca, 2 * g);
            if (offset > glyfLength || (g > 0 && offset < offsets[g - 1])) throw new FormatException($"loca entry {g} out of order");
            offsets[g] = (int)offset;
        }
        return offsets;
    }

    /// <summary>The glyphs asked for, glyph 0 (.notdef, which a viewer draws for a missing glyph) and all their components.</summary>
    private static bool[] Closure(ReadOnlySpan<byte> glyf, int[] offsets, ReadOnlySpan<bool> keep, int glyphCount)
    {
        var kept = new bool[glyphCount];
        var pending = new int[glyphCount];
        var top = 0;
        try
        {
            void Add(int g)
            {
                if (g >= glyphCount) throw new FormatException($"glyph {g} beyond the font's {glyphCount}");
                if (kept[g]) return;
                kept[g] = true;
                pending[top++] = g;
            }

            Add(0);
            for (var g = 1; g < Math.Min(glyphCount, keep.Length); g++)
                if (keep[g]) Add(g);
            while (top > 0)
            {
                var g = pending[--top];
                var data = glyf[offsets[g]..offsets[g + 1]];
                // An empty glyph (a space) has no header; a simple glyph has a contour count of zero or more.
                if (data.Length == 0 || BinaryPrimitives.ReadInt16BigEndian(Slice(data, 0, 2)) >= 0) continue;
                var at = 10;
                while (true)
                {
                    var flags = U16(data, at);
                    Add(U16(data, at + 2));
                    at += 4 + ((flags & 0x0001) != 0 ? 4 : 2);
                    if ((flags & 0x0008) != 0) at += 2; // WE_HAVE_A_SCALE
                    else if ((flags & 0x0040) != 0) at += 4; // WE_HAVE_AN_X_AND_Y_SCALE
                    else if ((flags & 0x0080) != 0) at += 8; // WE_HAVE_A_TWO_BY_TWO
                    if ((flags & 0x0020) == 0) break; // MORE_COMPONENTS
                }
            }
            return kept;
        }
        finally
        {
            Array.Clear(pending);
        }
    }

    private static byte[] Write(ReadOnlySpan<byte> font, Dictionary<string, (int Offset, int Length)> tables,
        ReadOnlySpan<byte> head, ReadOnlySpan<byte> glyf, int[] offsets, bool[] kept)
    {
        var glyphCount = kept.Length;
        long glyfLength = 0;
        for (var g = 0; g < glyphCount; g++)
            if (kept[g]) glyfLength += Pad(offsets[g + 1] - offsets[g]);
        var lengths = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var tag in KeptTables)
        {
            if (!tables.TryGetValue(tag, out var t)) continue;
            lengths[tag] = tag switch
            {
                "glyf" => checked((int)glyfLength),
                // Long offsets always: short ones cannot address a glyf table past 128 KiB.
                "loca" => checked(4 * (glyphCount + 1)),
                "post" => Math.Min(t.Length, 32),
                _ => t.Length,
            };
        }

        var count = lengths.Count;
        var log2 = 0;
        while (2 << log2 <= count) log2++;
        var total = 12 + 16 * count;
        foreach (var length in lengths.Values) total = checked(total + Pad(length));
        var output = new byte[total];
        var o = output.AsSpan();
        BinaryPrimitives.WriteUInt32BigEndian(o, TrueTypeVersion);
        BinaryPrimitives.WriteUInt16BigEndian(o[4..], (ushort)count);
        BinaryPrimitives.WriteUInt16BigEndian(o[6..], (ushort)(16 << log2));
        BinaryPrimitives.WriteUInt16BigEndian(o[8..], (ushort)log2);
        BinaryPrimitives.WriteUInt16BigEndian(o[10..], (ushort)(16 * count - (16 << log2)));

        var at = 12 + 16 * count;
        var record = 12;
        var headAt = -1;
        foreach (var (tag, length) in lengths)
        {
            var body = o.Slice(at, length);
            switch (tag)
            {
                case "glyf":
                case "loca":
                    if (tag == "glyf") WriteGlyf(body, glyf, offsets, kept);
                    else WriteLoca(body, offsets, kept);
                    break;
                case "head":
                    head.CopyTo(body);
                    BinaryPrimitives.WriteUInt32BigEndian(body[8..], 0); // checkSumAdjustment, set last
                    BinaryPrimitives.WriteInt16BigEndian(body[50..], 1); // indexToLocFormat: long
                    headAt = at;
                    break;
                case "post":
                    Table(font, tables, tag)[..length].CopyTo(body);
                    // Version 3: no glyph names. A PDF finds glyphs by ID and text by its ToUnicode map, never by name.
                    if (length >= 4) BinaryPrimitives.WriteUInt32BigEndian(body, 0x00030000);
                    break;
                default:
                    Table(font, tables, tag).CopyTo(body);
                    break;
            }
            System.Text.Encoding.Latin1.GetBytes(tag, o.Slice(record, 4));
            BinaryPrimitives.WriteUInt32BigEndian(o[(record + 4)..], Checksum(o.Slice(at, Pad(length))));
            BinaryPrimitives.WriteUInt32BigEndian(o[(record + 8)..], (uint)at);
            BinaryPrimitives.WriteUInt32BigEndian(o[(record + 12)..], (uint)length);
            record += 16;
            at += Pad(length);
        }
        BinaryPrimitives.WriteUInt32BigEndian(o[(headAt + 8)..], unchecked(ChecksumMagic - Checksum(o)));
        return output;
    }

    private static void WriteGlyf(Span<byte> body, ReadOnlySpan<byte> glyf, int[] offsets, bool[] kept)
    {
        var at = 0;
        for (var g = 0; g < kept.Length; g++)
        {
            if (!kept[g]) continue;
            var data = glyf[offsets[g]..offsets[g + 1]];
            data.CopyTo(body[at..]);
            at += Pad(data.Length);
        }
    }

    private static void WriteLoca(Span<byte> body, int[] offsets, bool[] kept)
    {
        var at = 0;
        for (var g = 0; g < kept.Length; g++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(body[(4 * g)..], (uint)at);
            if (kept[g]) at += Pad(offsets[g + 1] - offsets[g]);
        }
        BinaryPrimitives.WriteUInt32BigEndian(body[(4 * kept.Length)..], (uint)at);
    }

    /// <summary>The sfnt checksum: the sum of big-endian 32-bit words, the last one padded with zeros.</summary>
    internal static uint Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        var i = 0;
        for (; i + 4 <= data.Length; i += 4) sum = unchecked(sum + BinaryPrimitives.ReadUInt32BigEndian(data[i..]));
        if (i < data.Length)
        {
            Span<byte> last = stackalloc byte[4];
            last.Clear();
            data[i..].CopyTo(last);
            sum = unchecked(sum + BinaryPrimitives.ReadUInt32BigEndian(last));
        }
        return sum;
    }

    private static int Pad(int length) => checked((length + 3) & ~3);

    private static ReadOnlySpan<byte> Table(ReadOnlySpan<byte> font, Dictionary<string, (int Offset, int Length)> tables, string tag)
    {
        var (offset, length) = tables[tag];
        return Slice(font, offset, length);
    }

    private static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> data, int offset, int length) =>
        offset >= 0 && length >= 0 && (long)offset + length <= data.Length
            ? data.Slice(offset, length)
            : throw new FormatException("a read runs past the end of a table");

    private static uint U32(ReadOnlySpan<byte> data, int offset) => BinaryPrimitives.ReadUInt32BigEndian(Slice(data, offset, 4));

    private static ushort U16(ReadOnlySpan<byte> data, int offset) => BinaryPrimitives.ReadUInt16BigEndian(Slice(data, offset, 2));
}
