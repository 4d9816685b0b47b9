using System.Buffers.Binary;
using KeyVault.Paper;
using SkiaSharp;

namespace KeyVault.Tests.Paper;

/// <summary>
/// The glyph subsetter on the sans-serif font the sheets use (found as the renderer finds it): what it keeps is
/// drawn exactly as in the original, what it drops is empty, and the file it writes is a well-formed TrueType font.
/// </summary>
public class FontSubsetTests
{
    // "é" and "Å" are composite glyphs in the usual fonts: their components must come along.
    private const string Kept = "Share 3 of 3 \u00E9\u00C5";

    [Fact]
    public void KeptGlyphsAreIdenticalDroppedOnesEmptyAndEveryAdvanceUnchanged()
    {
        using var fonts = SheetFonts.Load();
        var original = fonts.Sans;
        using var subset = Subset(original, Kept, out _);
        Assert.Equal(original.GlyphCount, subset.GlyphCount);
        Assert.Equal(original.FamilyName, subset.FamilyName);

        using var before = new SKFont(original, 1000);
        using var after = new SKFont(subset, 1000);
        var requested = before.GetGlyphs(Kept).ToHashSet();
        // Same glyph IDs from the same cmap, so a sheet drawn with the subset uses the same glyphs.
        Assert.Equal(before.GetGlyphs(Kept), after.GetGlyphs(Kept));

        var all = Enumerable.Range(0, original.GlyphCount).Select(g => (ushort)g).ToArray();
        Assert.Equal(before.GetGlyphWidths(all), after.GetGlyphWidths(all));

        var components = 0;
        var dropped = 0;
        foreach (var g in all)
        {
            using var was = before.GetGlyphPath(g);
            using var now = after.GetGlyphPath(g);
            if (requested.Contains(g) || g == 0)
            {
                Assert.Equal(was.ToSvgPathData(), now.ToSvgPathData());
            }
            else if (!now.IsEmpty)
            {
                // Only components of kept composite glyphs may keep an outline, and then the original one.
                Assert.Equal(was.ToSvgPathData(), now.ToSvgPathData());
                components++;
            }
            else if (!was.IsEmpty)
            {
                dropped++;
            }
        }
        Assert.InRange(components, 1, 8);
        Assert.True(dropped > original.GlyphCount / 2, $"only {dropped} of {original.GlyphCount} glyphs dropped");
        using var z = after.GetGlyphPath(after.GetGlyphs("Z")[0]);
        Assert.True(z.IsEmpty);
    }

    [Fact]
    public void TheSubsetIsAWellFormedTrueTypeFontWithOnlyTheTablesItNeeds()
    {
        using var fonts = SheetFonts.Load();
        var bytes = SubsetBytes(fonts.Sans, Kept, out var originalLength);
        Assert.True(bytes.Length < originalLength / 4, $"subset {bytes.Length} bytes of {originalLength}");

        Assert.Equal(0x00010000u, BinaryPrimitives.ReadUInt32BigEndian(bytes));
        var count = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(4));
        var tags = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var record = bytes.AsSpan(12 + 16 * i);
            var tag = System.Text.Encoding.Latin1.GetString(record[..4]);
            var offset = (int)BinaryPrimitives.ReadUInt32BigEndian(record[8..]);
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(record[12..]);
            Assert.Equal(0, offset % 4);
            var body = bytes.AsSpan(offset, (length + 3) & ~3).ToArray();
            // The head table's checksum is taken with its checkSumAdjustment field as zero.
            if (tag == "head") BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(8), 0);
            Assert.True(BinaryPrimitives.ReadUInt32BigEndian(record[4..]) == FontSubset.Checksum(body), $"checksum of {tag}");
            tags.Add(tag);
        }
        Assert.Equal(tags.Order(StringComparer.Ordinal), tags);
        Assert.Contains("glyf", tags);
        Assert.Contains("cmap", tags);
        Assert.DoesNotContain("GPOS", tags);
        Assert.DoesNotContain("GSUB", tags);
        Assert.DoesNotContain("kern", tags);
        // The whole file sums to the sfnt magic number once checkSumAdjustment is in place.
        Assert.Equal(0xB1B0AFBAu, FontSubset.Checksum(bytes));
    }

    [Fact]
    public void AFaceInsideACollectionIsSubsetAsTheSameFontAlone()
    {
        using var fonts = SheetFonts.Load();
        var font = FontBytes(fonts.Sans);
        var alone = SubsetBytes(font, Kept, fonts.Sans);
        // A one-face collection: the 'ttcf' header, then the font with every table offset moved past that header.
        const int header = 16;
        var collection = new byte[header + font.Length];
        "ttcf"u8.CopyTo(collection);
        BinaryPrimitives.WriteUInt32BigEndian(collection.AsSpan(4), 0x00010000);
        BinaryPrimitives.WriteUInt32BigEndian(collection.AsSpan(8), 1);
        BinaryPrimitives.WriteUInt32BigEndian(collection.AsSpan(12), header);
        font.CopyTo(collection.AsSpan(header));
        var tables = BinaryPrimitives.ReadUInt16BigEndian(font.AsSpan(4));
        for (var i = 0; i < tables; i++)
        {
            var at = collection.AsSpan(header + 12 + 16 * i + 8);
            BinaryPrimitives.WriteUInt32BigEndian(at, BinaryPrimitives.ReadUInt32BigEndian(at) + header);
        }
        var keep = Keep(fonts.Sans, Kept);
        Assert.True(FontSubset.TryCreate(collection, 0, keep, out var fromCollection, out var reason), reason);
        Assert.Equal(alone, fromCollection);
        Assert.False(FontSubset.TryCreate(collection, 1, keep, out _, out reason));
        Assert.Contains("no face 1", reason);
        BinaryPrimitives.WriteUInt32BigEndian(collection.AsSpan(12), uint.MaxValue);
        Assert.False(FontSubset.TryCreate(collection, 0, keep, out _, out reason));
        Assert.Contains("past the end", reason);
    }

    public static TheoryData<string, Action<byte[]>, string> Refusals => new()
    {
        { "CFF outlines", f => "OTTO"u8.CopyTo(f), "CFF outlines" },
        { "a variable font", f => RenameTable(f, "GPOS", "fvar"), "a variable font" },
        { "colour glyphs", f => RenameTable(f, "GSUB", "COLR"), "colour or bitmap glyphs" },
        { "no outlines", f => RenameTable(f, "glyf", "glyx"), "no TrueType outlines" },
        { "a table past the end", f => BinaryPrimitives.WriteUInt32BigEndian(TableRecord(f, "loca")[12..], (uint)f.Length), "malformed font" },
        { "not a font", f => "%PDF"u8.CopyTo(f), "malformed font: not an sfnt font" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void AFontItCannotSubsetIsRefusedWithTheReason(string what, Action<byte[]> spoil, string reason)
    {
        using var fonts = SheetFonts.Load();
        var font = FontBytes(fonts.Sans);
        spoil(font);
        Assert.False(FontSubset.TryCreate(font, 0, Keep(fonts.Sans, Kept), out var subset, out var why), what);
        Assert.Null(subset);
        Assert.StartsWith(reason, why);
    }

    [Fact]
    public void ADamagedFontIsRefusedOrSubsetButNeverThrows()
    {
        using var fonts = SheetFonts.Load();
        var font = FontBytes(fonts.Sans);
        var keep = Keep(fonts.Sans, Kept);
        var directory = 12 + 16 * BinaryPrimitives.ReadUInt16BigEndian(font.AsSpan(4));
        var loca = TableRecord(font, "loca");
        var locaAt = (int)BinaryPrimitives.ReadUInt32BigEndian(loca[8..]);
        var locaLength = (int)BinaryPrimitives.ReadUInt32BigEndian(loca[12..]);
        var random = new Random(20250601);
        var refused = 0;
        for (var trial = 0; trial < 300; trial++)
        {
            var damaged = (byte[])font.Clone();
            // The bytes the subsetter interprets: the table directory, loca, and the start of glyf.
            var at = (trial % 3) switch
            {
                0 => random.Next(directory),
                1 => locaAt + random.Next(locaLength),
                _ => random.Next(font.Length),
            };
            damaged[at] ^= (byte)(1 << random.Next(8));
            if (!FontSubset.TryCreate(damaged, 0, keep, out _, out _)) refused++;
        }
        // Cut short anywhere before the end of the last table, a font is refused.
        var end = Enumerable.Range(0, BinaryPrimitives.ReadUInt16BigEndian(font.AsSpan(4)))
            .Max(i => BinaryPrimitives.ReadUInt32BigEndian(font.AsSpan(12 + 16 * i + 8)) + BinaryPrimitives.ReadUInt32BigEndian(font.AsSpan(12 + 16 * i + 12)));
        for (var length = 0; length < end; length += 4099)
            Assert.False(FontSubset.TryCreate(font.AsSpan(0, length), 0, keep, out _, out _));
        Assert.True(refused > 0);
    }

    [Fact]
    public void TheSheetFontsOfThisMachineAreAllSubsetNoneEmbeddedWhole()
    {
        using var fonts = SheetFonts.Load();
        using var use = new GlyphUse();
        foreach (var face in new[] { fonts.Sans, fonts.SansBold, fonts.Mono, fonts.MonoBold })
        {
            using var font = new SKFont(face);
            use.Add(face, font.GetGlyphs(Kept));
        }
        using var subsets = SubsetFonts.Create(use);
        Assert.Empty(subsets.Whole.Select(w => $"{w.Key.FamilyName}: {w.Value}"));
        Assert.NotSame(fonts.Mono, subsets.For(fonts.Mono));
    }

    [Fact]
    public void TheSubsetDataIsReleasedAndWipedOnceThePdfIsWritten()
    {
        using var fonts = SheetFonts.Load();
        using var use = new GlyphUse();
        using (var font = new SKFont(fonts.Mono)) use.Add(fonts.Mono, font.GetGlyphs("abandon"));
        var subsets = SubsetFonts.Create(use);
        using (var stream = new SKDynamicMemoryWStream())
        using (var document = SKDocument.CreatePdf(stream)!)
        {
            using var font = new SKFont(subsets.For(fonts.Mono), 16);
            using var paint = new SKPaint();
            document.BeginPage(200, 100).DrawText("abandon", 10, 50, font, paint);
            document.EndPage();
            document.Close();
        }
        // The data the subset typeface was made from says which letters were drawn; it must not wait for a cache to fill.
        Assert.False(subsets.AllReleased);
        subsets.Dispose();
        Assert.True(subsets.AllReleased);
    }

    private static SKTypeface Subset(SKTypeface face, string text, out byte[] bytes)
    {
        bytes = SubsetBytes(face, text, out _);
        return SKTypeface.FromData(SKData.CreateCopy(bytes), 0) ?? throw new InvalidOperationException("subset does not load");
    }

    private static byte[] SubsetBytes(SKTypeface face, string text, out int originalLength)
    {
        var font = FontBytes(face);
        originalLength = font.Length;
        return SubsetBytes(font, text, face);
    }

    private static byte[] SubsetBytes(byte[] font, string text, SKTypeface face)
    {
        Assert.True(FontSubset.TryCreate(font, 0, Keep(face, text), out var subset, out var reason), reason);
        return subset;
    }

    private static bool[] Keep(SKTypeface face, string text)
    {
        using var font = new SKFont(face);
        var keep = new bool[face.GlyphCount];
        foreach (var g in font.GetGlyphs(text)) keep[g] = true;
        return keep;
    }

    private static byte[] FontBytes(SKTypeface face)
    {
        using var stream = face.OpenStream(out var index);
        Assert.Equal(0, index);
        using var data = SKData.Create(stream);
        return data.ToArray();
    }

    private static Span<byte> TableRecord(byte[] font, string tag)
    {
        var count = BinaryPrimitives.ReadUInt16BigEndian(font.AsSpan(4));
        for (var i = 0; i < count; i++)
            if (System.Text.Encoding.Latin1.GetString(font, 12 + 16 * i, 4) == tag) return font.AsSpan(12 + 16 * i, 16);
        throw new InvalidOperationException($"no {tag} table");
    }

    private static void RenameTable(byte[] font, string from, string to) => System.Text.Encoding.Latin1.GetBytes(to, TableRecord(font, from));
}
