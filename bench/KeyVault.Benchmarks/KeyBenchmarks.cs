using BenchmarkDotNet.Attributes;
using KeyVault.Keys;

namespace KeyVault.Benchmarks;

/// <summary>Key generation and identity derivation: the cost of the curve operations everything else builds on.</summary>
[MemoryDiagnoser]
public class KeyBenchmarks
{
    private SecretKey _key = null!;

    [GlobalSetup]
    public void Setup() => _key = KeyGenerator.Generate();

    [GlobalCleanup]
    public void Cleanup() => _key.Dispose();

    [Benchmark]
    public string GenerateAndDerivePublicKey()
    {
        using var k = KeyGenerator.Generate();
        return k.PublicKey.Hex66;
    }

    [Benchmark]
    public SignerIdentity Identity() => _key.PublicKey.Identity();
}
