using BenchmarkDotNet.Attributes;
using KeyVault.Keys;
using KeyVault.Paper;
using KeyVault.Sheets;

namespace KeyVault.Benchmarks;

/// <summary>
/// Rendering a 5-share ceremony's sheets, the paper step an operator waits for at the ceremony. The words are
/// 33 fixed list words (the size of a 256-bit share); content does not change the cost.
/// </summary>
[MemoryDiagnoser]
public class PaperBenchmarks
{
    private static readonly string[] Words =
    [
        "academic", "acid", "acne", "acquire", "acrobat", "activity", "actress", "adapt", "adequate", "adjust", "admit",
        "adorn", "adult", "advance", "advocate", "afraid", "again", "agency", "agree", "aide", "aircraft", "airline",
        "airport", "ajar", "alarm", "album", "alcohol", "alien", "alive", "alpha", "already", "alto", "aluminum",
    ];

    private SheetRenderer _renderer = null!;
    private ShareSheet[] _sheets = null!;

    [GlobalSetup]
    public void Setup()
    {
        _renderer = new SheetRenderer();
        using var key = KeyGenerator.Generate();
        var identity = key.PublicKey.Identity();
        _sheets = Enumerable.Range(1, 5)
            .Select(n => new ShareSheet
            {
                Words = Words, ShareNumber = n, ShareCount = 5, Threshold = 3, Identifier = 12345, Identity = identity,
                Network = StacksNetwork.Mainnet, Date = new DateOnly(2025, 6, 1), Custodian = $"Custodian {n}",
            })
            .ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => _renderer.Dispose();

    [Benchmark]
    public long FiveShareSheetsPdf()
    {
        long total = 0;
        foreach (var sheet in _sheets) total += _renderer.RenderPdf(sheet, PaperSize.A4).Length;
        return total;
    }

    [Benchmark]
    public long OneSharePngPreview150Dpi() => _renderer.RenderPng(_sheets[0], PaperSize.A4, 150).Length;
}
