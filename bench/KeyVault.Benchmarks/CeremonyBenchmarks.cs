using BenchmarkDotNet.Attributes;
using KeyVault.Errors;
using KeyVault.Flows;
using KeyVault.Interaction;
using KeyVault.KeyFile;
using KeyVault.Keys;
using KeyVault.Paper;
using KeyVault.Sheets;

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
    public string Rehearsal()
    {
        // The library flow itself, as any front end runs it; no command-line parsing is measured.
        var settings = new CeremonySettings
        {
            OutDir = _out, Network = StacksNetwork.Mainnet, PaperSize = PaperSize.A4, Kdf = new KdfParameters(8, 1, 1),
            PassphraseFile = _passphrase, AnswersPath = _answers,
        };
        using var renderer = new SheetRenderer();
        var transcript = new CeremonyFlow(new QuietOperator(), settings, renderer, []).Run();
        return transcript.Identity.Fingerprint;
    }

    /// <summary>No terminal and no output: a rehearsal asks nothing.</summary>
    private sealed class QuietOperator : IOperator
    {
        public bool CanAsk => false;
        public void Show(string line) { }
        public void Note(string message) { }
        public void Warn(string message) { }
        public void Problem(KeyVaultException error) { }
        public string? Ask(string prompt) => throw new InvalidOperationException($"a rehearsal asked: {prompt}");
        public char[]? AskSecret(string prompt) => throw new InvalidOperationException($"a rehearsal asked for a secret: {prompt}");
        public Stream OpenStandardInput() => Stream.Null;
        public IProgress<KdfProgress> KdfProgress(string purpose) => new Progress<KdfProgress>(_ => { });
    }
}
