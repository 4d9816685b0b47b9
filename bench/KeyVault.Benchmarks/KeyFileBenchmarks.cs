using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using KeyVault.IO;
using KeyVault.KeyFile;
using KeyVault.Keys;

namespace KeyVault.Benchmarks;

/// <summary>
/// Unlock time of a key file (Argon2id + AES-256-GCM + the public-key check) at the fastest setting the format allows,
/// at the defaults, and at the slowest setting the caps allow. Each unlock takes up to a minute, so the job runs a
/// few single invocations instead of BenchmarkDotNet's usual statistics. The numbers go into docs/key-file-format.md.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
[MemoryDiagnoser]
public class KeyFileBenchmarks
{
    private KeyFileHeader _header = null!;
    private Passphrase _passphrase = null!;

    /// <summary>Which parameter set to unlock.</summary>
    [Params("minimum", "default", "slowest")]
    public string Setting { get; set; } = "default";

    private KdfParameters Parameters => Setting switch
    {
        "minimum" => KdfParameters.Minimum,
        "slowest" => KdfLimits.Default.Slowest,
        _ => KdfParameters.Default,
    };

    [GlobalSetup]
    public void Setup()
    {
        _passphrase = Passphrase.FromChars("benchmark passphrase".ToCharArray());
        using var key = KeyGenerator.Generate();
        _header = EncryptedKeyFile.Parse(EncryptedKeyFile.Encrypt(key, _passphrase, Parameters));
    }

    [GlobalCleanup]
    public void Cleanup() => _passphrase.Dispose();

    [Benchmark]
    public string Unlock()
    {
        using var key = _header.Decrypt(_passphrase);
        return key.PublicKey.Fingerprint;
    }
}
