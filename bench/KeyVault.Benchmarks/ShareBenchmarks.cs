using BenchmarkDotNet.Attributes;
using KeyVault.Errors;
using KeyVault.Keys;
using KeyVault.Shares;

namespace KeyVault.Benchmarks;

/// <summary>
/// SLIP-0039 split and combine at the default iteration exponent (the PBKDF2 rounds dominate), and the cost of
/// naming a forged share among 16 given shares of a 5-of-16 split (threshold-sized subsets are tried).
/// </summary>
[MemoryDiagnoser]
public class ShareBenchmarks
{
    private SecretKey _key = null!;
    private ShareSet _small = null!;
    private ShareSet _large = null!;
    private string[] _smallThreshold = null!;
    private string[] _largeThreshold = null!;
    private string[] _largeWithForgery = null!;

    [GlobalSetup]
    public void Setup()
    {
        _key = KeyGenerator.Generate();
        _small = Slip39.Split(_key, SplitLayout.Single(3, 5));
        _large = Slip39.Split(_key, SplitLayout.Single(5, 16));
        _smallThreshold = _small.Shares.Take(3).Select(s => s.Mnemonic).ToArray();
        _largeThreshold = _large.Shares.Take(5).Select(s => s.Mnemonic).ToArray();
        _largeWithForgery = _large.Shares.Select(s => s.Mnemonic).ToArray();
        // The forgery goes first, so the subsets tried first all contain it: C(15,4) = 1365 of them fail before one fits.
        _largeWithForgery[0] = Forge(_largeWithForgery[0]);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _small.Dispose();
        _large.Dispose();
        _key.Dispose();
    }

    [Benchmark]
    public int Split3of5()
    {
        using var set = Slip39.Split(_key, SplitLayout.Single(3, 5));
        return set.Shares.Count;
    }

    [Benchmark]
    public int Split5of16()
    {
        using var set = Slip39.Split(_key, SplitLayout.Single(5, 16));
        return set.Shares.Count;
    }

    [Benchmark]
    public int Combine3of5()
    {
        using var secret = Slip39.Combine(_smallThreshold);
        return secret.Length;
    }

    [Benchmark]
    public int Combine5of16()
    {
        using var secret = Slip39.Combine(_largeThreshold);
        return secret.Length;
    }

    [Benchmark]
    public string IdentifyForgedShareAmong16()
    {
        try
        {
            using var secret = Slip39.Combine(_largeWithForgery);
            throw new InvalidOperationException("the forged share was not detected");
        }
        catch (KeyVaultException e)
        {
            return e.Message;
        }
    }

    private static string Forge(string mnemonic)
    {
        using var share = ShareCodec.Decode(mnemonic, 1);
        var value = share.Value.ToArray();
        value[0] ^= 1;
        return ShareCodec.ToMnemonic(ShareCodec.Encode(share.Identifier, share.Extendable, share.IterationExponent,
            share.GroupIndex, share.GroupThreshold, share.GroupCount, share.MemberIndex, share.MemberThreshold, value));
    }
}
