using System.Net;
using System.Net.NetworkInformation;
using System.Text.Json;
using System.Text.RegularExpressions;
using KeyVault.Errors;
using KeyVault.Flows;
using KeyVault.KeyFile;
using KeyVault.Keys;
using KeyVault.Paper;
using KeyVault.Shares;
using KeyVault.Sheets;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Ceremony;

/// <summary>
/// What the ceremony flow tests share: an output folder, a passphrase file, settings with deliberately weak KDF
/// parameters (the ceremony's logic is under test, not Argon2's cost), and ways to read back what a run left.
/// </summary>
public abstract partial class CeremonyFlowFixture : IDisposable
{
    protected const string PassphraseText = "ceremony test passphrase velvet orbit canyon";
    protected const string Answers2Of3 = "threshold = 2\ncustodians = [\"Alice Example\", \"Bob Example\", \"Carol Example\"]\nsheet-check = \"automated\"\n";

    /// <summary>A machine with only its loopback interface: offline.</summary>
    protected static readonly IReadOnlyList<InterfaceState> Offline =
        [new("lo", IsLoopback: true, OperationalStatus.Unknown, [IPAddress.Loopback, IPAddress.IPv6Loopback])];

    protected readonly TempDir Dir = new();
    protected readonly string Out;
    private readonly SheetRenderer _renderer = new();

    protected CeremonyFlowFixture()
    {
        Out = Path.Combine(Dir.Path, "out");
        Directory.CreateDirectory(Out);
    }

    public void Dispose()
    {
        _renderer.Dispose();
        Dir.Dispose();
        GC.SuppressFinalize(this);
    }

    protected string WriteFile(string name, string text)
    {
        var path = Dir.File(name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>What the command line gives by default, with the passphrase from a file and, for a rehearsal, an answers file.</summary>
    protected CeremonySettings Settings(string? answers = null) => new()
    {
        OutDir = Out, Network = StacksNetwork.Mainnet, PaperSize = PaperSize.A4, Kdf = new KdfParameters(8, 1, 1),
        PassphraseFile = WriteFile("pass.txt", PassphraseText + "\n"),
        AnswersPath = answers is null ? null : WriteFile("answers.toml", answers),
    };

    /// <summary>An operator who gives these answers to the plain questions, in order.</summary>
    private protected static ScriptedOperator Operator(params string?[] answers)
    {
        var op = new ScriptedOperator();
        foreach (var a in answers) op.Answers.Enqueue(a);
        return op;
    }

    private protected CeremonyTranscript Run(ScriptedOperator op, CeremonySettings settings, IReadOnlyList<InterfaceState>? interfaces = null) =>
        new CeremonyFlow(op, settings, _renderer, interfaces ?? Offline).Run();

    /// <summary>Runs a ceremony that must stop, and returns why.</summary>
    private protected KeyVaultException Stopped(ScriptedOperator op, CeremonySettings settings, IReadOnlyList<InterfaceState>? interfaces = null) =>
        Assert.Throws<KeyVaultException>(() => Run(op, settings, interfaces));

    protected string[] OutEntries() => Directory.GetFileSystemEntries(Out).Select(Path.GetFileName).Order().ToArray()!;

    protected JsonElement TranscriptJson() => JsonDocument.Parse(File.ReadAllText(Path.Combine(Out, "transcript.json"))).RootElement;

    /// <summary>The share written to share-N.txt.</summary>
    protected string ShareText(int number) => ShareText(Out, number);

    /// <summary>The share written to share-N.txt in <paramref name="outDir"/>.</summary>
    internal static string ShareText(string outDir, int number)
    {
        var bytes = File.ReadAllBytes(Path.Combine(outDir, $"share-{number}.txt"));
        using var file = ShareFile.Parse(bytes, "share");
        return new string(file.Mnemonic);
    }

    internal static SecretKey Restore(IEnumerable<string> mnemonics)
    {
        using var secret = Slip39.Combine(mnemonics);
        return secret.ToSecretKey();
    }

    internal static string KeyHex(SecretKey key)
    {
        var bytes = new byte[SecretKey.Length];
        key.Export(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>Neither the key nor any three consecutive words of any share appear in the text, in any case.</summary>
    internal static void AssertNoSecret(string text, string keyHex, IEnumerable<string> mnemonics)
    {
        Assert.DoesNotContain(keyHex, text, StringComparison.OrdinalIgnoreCase);
        foreach (var mnemonic in mnemonics)
        {
            var words = mnemonic.Split(' ');
            for (int i = 0; i + 3 <= words.Length; i++)
                Assert.DoesNotContain(string.Join(' ', words[i..(i + 3)]), text, StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>The share with its tenth word changed to another valid word: it fails the checksum.</summary>
    protected static string Mistype(string mnemonic)
    {
        var words = mnemonic.Split(' ');
        words[9] = words[9] == "academic" ? "acid" : "academic";
        return string.Join(' ', words);
    }

    /// <summary>The share number a sheet check question is about.</summary>
    protected static int ShareAsked(string prompt)
    {
        var m = SharePrompt().Match(prompt);
        Assert.True(m.Success, prompt);
        return int.Parse(m.Groups[1].Value);
    }

    /// <summary>The word position a words-mode question asks for.</summary>
    protected static int WordAsked(string prompt)
    {
        var m = WordPrompt().Match(prompt);
        Assert.True(m.Success, prompt);
        return int.Parse(m.Groups[1].Value);
    }

    protected static bool IsWordQuestion(string prompt) => WordPrompt().IsMatch(prompt);

    [GeneratedRegex(@"^Share (\d+) \(")]
    private static partial Regex SharePrompt();

    [GeneratedRegex(@", word (\d+): $")]
    private static partial Regex WordPrompt();
}
