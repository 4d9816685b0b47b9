using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using KeyVault.IO;
using KeyVault.KeyFile;
using KeyVault.Keys;
using KeyVault.Restore;
using KeyVault.Shares;

namespace KeyVault.Benchmarks;

/// <summary>
/// What a custodian waits for at `restore add`: opening a restore session (Argon2id at the session's parameters,
/// AES-256-GCM, re-checking the stored shares) and adding one share (one atomic, fsynced write), at the default
/// parameters (1 GiB, 3 passes, 4 lanes) and at the minimum. Single invocations, as for key files.
/// The numbers go into docs/restore-session-format.md.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
[MemoryDiagnoser]
public class RestoreSessionBenchmarks
{
    private Passphrase _passphrase = null!;
    private string _dir = null!;
    private string[] _shares = null!;

    /// <summary>Which Argon2 parameters the session uses.</summary>
    [Params("minimum", "default")]
    public string Setting { get; set; } = "default";

    [GlobalSetup]
    public void Setup()
    {
        _passphrase = Passphrase.FromChars("benchmark session passphrase".ToCharArray());
        using var key = KeyGenerator.Generate();
        using var set = Slip39.Split(key, SplitLayout.Single(5, 16));
        _shares = set.Shares.Select(s => new string(s.Mnemonic)).ToArray();
        _dir = Path.Combine(Path.GetTempPath(), "kv-bench-session-" + Guid.NewGuid().ToString("n"));
        using var session = RestoreSession.Start(_dir, _passphrase, null, Setting == "minimum" ? KdfParameters.Minimum : KdfParameters.Default);
        for (int i = 0; i < 3; i++) session.Add(_shares[i]);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _passphrase.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>Open the session (3 shares in it) and read its status.</summary>
    [Benchmark]
    public int Open()
    {
        using var session = RestoreSession.Open(_dir, _passphrase);
        return session.Status.Shares.Count;
    }

    /// <summary>Open, then one atomic fsynced write of the session (what adding a share costs beyond the opening).</summary>
    [Benchmark]
    public int OpenAndSave()
    {
        using var session = RestoreSession.Open(_dir, _passphrase);
        session.SetRestoreIdentity([]);
        return session.Status.Shares.Count;
    }
}
