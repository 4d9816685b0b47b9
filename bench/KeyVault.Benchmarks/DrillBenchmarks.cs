using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using KeyVault.Dkg;
using KeyVault.Drill;
using KeyVault.Keys;

namespace KeyVault.Benchmarks;

/// <summary>
/// The drill's per-item costs: trying the key on one DKG shares blob (a signer database holds one row per DKG
/// round), and signing and verifying a report (ECDSA with RFC 6979, plus public-key recovery on verification).
/// </summary>
[MemoryDiagnoser]
public class DrillBenchmarks
{
    private SecretKey _key = null!;
    private byte[] _blob = null!;
    private DrillReport _report = null!;
    private string _signedReport = null!;

    /// <summary>Blob plaintext size: a few kilobytes is typical of a signer's saved WSTS state.</summary>
    [Params(4096)]
    public int PlaintextBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _key = KeyGenerator.Generate();
        var raw = new byte[32];
        _key.Export(raw);
        var nonce = RandomNumberGenerator.GetBytes(12);
        var plaintext = RandomNumberGenerator.GetBytes(PlaintextBytes);
        _blob = new byte[12 + PlaintextBytes + 16];
        nonce.CopyTo(_blob, 0);
        using (var aes = new AesGcm(raw, 16))
            aes.Encrypt(nonce, plaintext, _blob.AsSpan(12, PlaintextBytes), _blob.AsSpan(12 + PlaintextBytes));
        CryptographicOperations.ZeroMemory(raw);

        var expected = ExpectedIdentity.FromPublicKey(_key.PublicKey);
        _report = new DrillReport
        {
            CreatedAt = new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero),
            ToolVersion = "0.1.0",
            KeyFile = new KeyFileTested("signer.kvkey", new string('0', 64)),
            Expected = DrillExpected.From(expected),
            Derived = _key.PublicKey.Identity(),
            Checks = [.. DrillCheck.FromIdentity(expected.Match(_key.PublicKey)),
                      .. Enumerable.Range(0, 10).Select(i => DrillCheck.FromDkgBlob($"blob-{i}.hex", DkgBlobOutcome.Opened, _blob.Length))],
        };
        _signedReport = _report.Sign(_key);
    }

    [GlobalCleanup]
    public void Cleanup() => _key.Dispose();

    [Benchmark]
    public bool OpenDkgBlob() => DkgShares.Opens(_key, _blob);

    [Benchmark]
    public string SignReport() => _report.Sign(_key);

    [Benchmark]
    public bool VerifyReport() => DrillReport.Verify(_signedReport).Valid;
}
