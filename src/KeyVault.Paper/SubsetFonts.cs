using System.Runtime.InteropServices;
using System.Security.Cryptography;
using SkiaSharp;

namespace KeyVault.Paper;

/// <summary>Which glyphs of each typeface a page draws, collected in a first pass over the layout that draws nothing.</summary>
internal sealed class GlyphUse : IDisposable
{
    private readonly Dictionary<SKTypeface, bool[]> _used = new(ReferenceEqualityComparer.Instance);

    /// <summary>Marks <paramref name="glyphs"/> of <paramref name="face"/> as drawn.</summary>
    public void Add(SKTypeface face, ReadOnlySpan<ushort> glyphs)
    {
        if (!_used.TryGetValue(face, out var set)) _used[face] = set = new bool[face.GlyphCount];
        foreach (var g in glyphs)
            if (g < set.Length) set[g] = true;
    }

    /// <summary>Each typeface drawn, with its glyphs as flags indexed by glyph ID.</summary>
    public IEnumerable<KeyValuePair<SKTypeface, bool[]>> Faces => _used;

    /// <summary>Clears the flags: together they say which letters the share's words use.</summary>
    public void Dispose()
    {
        foreach (var set in _used.Values) Array.Clear(set);
        _used.Clear();
    }
}

/// <summary>
/// Subset copies of the typefaces a page draws, for its PDF (see <see cref="FontSubset"/>). A typeface that cannot
/// be subset is drawn, and so embedded, whole; <see cref="Whole"/> says which and why.
/// </summary>
internal sealed class SubsetFonts : IDisposable
{
    private static readonly SKDataReleaseDelegate WipeAndFree = Release;
    private readonly Dictionary<SKTypeface, SKTypeface> _subsets = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<SKTypeface, string> _whole = new(ReferenceEqualityComparer.Instance);
    private readonly List<NativeCopy> _copies = [];

    private SubsetFonts() { }

    /// <summary>The typefaces kept whole, each with the reason it could not be subset.</summary>
    public IReadOnlyDictionary<SKTypeface, string> Whole => _whole;

    /// <summary>Subsets every typeface of <paramref name="use"/> to the glyphs recorded for it.</summary>
    public static SubsetFonts Create(GlyphUse use)
    {
        var fonts = new SubsetFonts();
        try
        {
            foreach (var (face, glyphs) in use.Faces)
            {
                var reason = fonts.TryAdd(face, glyphs);
                if (reason is not null) fonts._whole[face] = reason;
            }
            return fonts;
        }
        catch
        {
            fonts.Dispose();
            throw;
        }
    }

    /// <summary>True once Skia has let go of every subset's data, which is then zeroed and freed.</summary>
    internal bool AllReleased => _copies.TrueForAll(c => c.Released);

    /// <summary>The typeface to draw in place of <paramref name="face"/>: its subset, or itself.</summary>
    public SKTypeface For(SKTypeface face) => _subsets.TryGetValue(face, out var subset) ? subset : face;

    private string? TryAdd(SKTypeface face, bool[] glyphs)
    {
        using var stream = face.OpenStream(out var faceIndex);
        if (stream is null) return "the font manager gives no font data";
        using var original = SKData.Create(stream);
        if (original is null) return "the font data could not be read";
        if (!FontSubset.TryCreate(original.AsSpan(), faceIndex, glyphs, out var bytes, out var reason)) return reason;
        var subset = Load(bytes, out var copy);
        _copies.Add(copy);
        if (subset is null) return "SkiaSharp cannot load the subset";
        if (subset.GlyphCount != face.GlyphCount)
        {
            subset.Dispose();
            return "the subset loads with a different glyph count";
        }
        _subsets[face] = subset;
        return null;
    }

    /// <summary>
    /// A typeface over a native copy of <paramref name="bytes"/> that is zeroed when Skia lets go of it, which may be
    /// after the typeface is disposed (its glyph cache holds a reference); the managed copy is zeroed now.
    /// </summary>
    private static unsafe SKTypeface? Load(byte[] bytes, out NativeCopy copy)
    {
        copy = new NativeCopy(bytes.Length);
        var native = NativeMemory.Alloc((nuint)copy.Length);
        bytes.CopyTo(new Span<byte>(native, copy.Length));
        CryptographicOperations.ZeroMemory(bytes);
        using var data = SKData.Create((IntPtr)native, copy.Length, WipeAndFree, copy);
        if (data is null)
        {
            Release((IntPtr)native, copy);
            return null;
        }
        return SKTypeface.FromData(data, 0);
    }

    private static unsafe void Release(IntPtr address, object? context)
    {
        var copy = (NativeCopy)context!;
        NativeMemory.Clear((void*)address, (nuint)copy.Length);
        NativeMemory.Free((void*)address);
        copy.Released = true;
    }

    private sealed class NativeCopy(int length)
    {
        public int Length { get; } = length;
        public volatile bool Released;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var subset in _subsets.Values) subset.Dispose();
        _subsets.Clear();
        // Skia's glyph cache keeps the subsets alive; emptying it releases (and so wipes) their data now.
        SKGraphics.PurgeFontCache();
    }
}
