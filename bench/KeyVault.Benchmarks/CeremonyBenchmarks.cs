using BenchmarkDotNet.Attributes;
using KeyVault.Ceremony;
using KeyVault.Cli.Infrastructure;

namespace KeyVault.Benchmarks;

/// <summary>
/// A whole rehearsed ceremony, as the operator waits for it apart from Argon2: the up-front sheet checks, key
/// generation, the key file and its sheet, the split, every share file and sheet with its read-back, the drill
/// (SLIP-0039 recovery and a second key-file decryption) and the transcript with the checksums of every file.
/// Argon2 runs with deliberately weak parameters (8 KiB, 1 pass): its cost is in KeyFileBenchmarks.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5, invocationCount: 1)]
public class CeremonyBenchmarks
{
    private string _root = null!;
    private string _out = null!;
    private string _answers = null!;
    private string _passphrase = null!;

    /// <summary>Custodians (one share each); the threshold is the majority.</summary>
    [Params(3, 5)]
    public int Custodians { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _root = Path.Combine(Path.GetTempPath(), "kv-bench-ceremony-" + Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(_root);
        var names = string.Join(", ", Enumerable.Range(1, Custodians).Select(n => $"\"Custodian {n}\""));
        _answers = Path.Combine(_root, "answers.toml");
        File.WriteAllText(_answers, $"threshold = {Custodians / 2 + 1}\ncustodians = [{names}]\nsheet-check = \"automated\"\n");
        _passphrase = Path.Combine(_root, "pass.txt");
        File.WriteAllText(_passphrase, "benchmark passphrase, not a real one\n");
    }

    [IterationSetup]
    public void NewFolder()
    {
        _out = Path.Combine(_root, Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(_out);
    }

    [IterationCleanup]
    public void RemoveFolder() => Directory.Delete(_out, recursive: true);

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_root, recursive: true);

    [Benchmark]
    public int Rehearsal()
    {
        int code = global::KeyVault.Cli.Program.Run(["ceremony", "--out-dir", _out, "--answers", _answers, "--passphrase-file", _passphrase,
            "--kdf-memory", "8KiB", "--kdf-iterations", "1", "--kdf-parallelism", "1"], new QuietOfflineConsole());
        if (code != 0) throw new InvalidOperationException($"the rehearsal failed with exit code {code}");
        return code;
    }

    /// <summary>No terminal, no output, and the network interfaces of an air-gapped machine (loopback only).</summary>
    private sealed class QuietOfflineConsole : CliConsole
    {
        public override TextWriter Out => TextWriter.Null;
        public override TextWriter Error => TextWriter.Null;
        public override bool IsInteractive => false;
        public override bool ErrorIsTerminal => false;
        public override IReadOnlyList<InterfaceState> NetworkInterfaces() => [];
    }
}
