using BenchmarkDotNet.Attributes;
using KeyVault.Keys;
using KeyVault.Paper;
using KeyVault.Shares;
using KeyVault.Sheets;

namespace KeyVault.Benchmarks;

/// <summary>
/// What keyvault split adds to the library's split: laying out every sheet with placeholder words before the
/// passphrase is asked (so a bad custodian name or a machine without fonts fails early), and combining all new
/// shares back into the key before any file is written. 16 shares is the most a single-level split can have.
/// </summary>
[MemoryDiagnoser]
public class ShareCommandBenchmarks
{
    private SecretKey _key = null!;
    private SheetRenderer _renderer = null!;
    private ShareSheet[] _placeholderSheets = null!;

    [GlobalSetup]
    public void Setup()
    {
        _key = KeyGenerator.Generate();
        _renderer = new SheetRenderer();
        var words = Enumerable.Repeat("academic", Slip39.WordCountFor(SecretKey.Length)).ToArray();
        _placeholderSheets = Enumerable.Range(1, 16)
            .Select(i => new ShareSheet
            {
                Words = words, ShareNumber = i, ShareCount = 16, Threshold = 5, Identifier = 0, Identity = _key.PublicKey.Identity(),
                Network = StacksNetwork.Mainnet, Date = new DateOnly(2025, 6, 1), Custodian = $"Custodian number {i}",
            })
            .ToArray();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _renderer.Dispose();
        _key.Dispose();
    }

    [Benchmark]
    public int CheckSixteenSheets()
    {
        foreach (var sheet in _placeholderSheets) _renderer.Check(sheet);
        return _placeholderSheets.Length;
    }

    [Benchmark]
    public int Split5of16AndCombineAllBack()
    {
        using var set = Slip39.Split(_key, SplitLayout.Single(5, 16));
        using var secret = Slip39.Combine(set.Shares.Select(s => s.Mnemonic));
        return secret.Length;
    }
}
