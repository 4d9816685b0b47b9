using System.Net;
using System.Net.NetworkInformation;
using KeyVault.Errors;
using KeyVault.Flows;
using KeyVault.IO;
using KeyVault.KeyFile;
using KeyVault.Keys;
using KeyVault.Paper;
using KeyVault.Shares;
using KeyVault.Sheets;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Ceremony;

/// <summary>
/// The ceremony as a library flow, driven by a scripted operator with no console: what another front end would do.
/// The command-line runs in Cli/CeremonyCommandTests cover the same flow end to end through the program.
/// </summary>
public sealed class CeremonyFlowTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly SheetRenderer _renderer = new();
    private static readonly IReadOnlyList<InterfaceState> Offline =
        [new("lo", IsLoopback: true, OperationalStatus.Unknown, [IPAddress.Loopback])];

    public void Dispose()
    {
        _renderer.Dispose();
        _dir.Dispose();
    }

    private CeremonySettings Settings(string outDir, string? answers = null) => new()
    {
        OutDir = outDir, Network = StacksNetwork.Testnet, Label = "flow test", PaperSize = PaperSize.A4,
        Kdf = new KdfParameters(8, 1, 1), PassphraseFile = WritePass(), AnswersPath = answers, Check = CheckMode.Words,
    };

    private string WritePass()
    {
        var path = _dir.File("pass.txt");
        File.WriteAllText(path, "flow test passphrase velvet orbit canyon\n");
        return path;
    }

    private string OutDir() => Directory.CreateDirectory(_dir.File("out")).FullName;

    [Fact]
    public void AScriptedOperatorRunsTheWholeCeremonyAndTheSharesRestoreTheTranscriptsKey()
    {
        var outDir = OutDir();
        var op = new ScriptedOperator();
        foreach (var a in new[] { "yes", "yes", "3", "1", "2", "Alice", "Bob", "Bob", "Carol", "yes", "no" }) op.Answers.Enqueue(a);
        // The words check: each custodian types the words asked for, read here from the share file just written.
        op.SecretResponder = prompt =>
        {
            var m = System.Text.RegularExpressions.Regex.Match(prompt, @"^Share (\d+) \([^)]*\), word (\d+): $");
            Assert.True(m.Success, prompt);
            return Mnemonic(outDir, int.Parse(m.Groups[1].Value)).Split(' ')[int.Parse(m.Groups[2].Value) - 1];
        };
        var transcript = new CeremonyFlow(op, Settings(outDir), _renderer, Offline).Run();

        Assert.Equal(2, transcript.Threshold);
        Assert.Equal(["Alice", "Bob", "Carol"], transcript.Custodians.Select(c => c.Name));
        Assert.All(transcript.Custodians, c => Assert.Equal(SheetCheckMethod.Words, c.Method));
        // The bad answers were explained and asked again, never fatal.
        Assert.Contains(op.Problems, p => p.Message.Contains("a threshold of 1 with 3 shares"));
        Assert.Contains(op.Problems, p => p.Message.Contains("same name as the custodian of share 2"));
        using var secret = Slip39.Combine([Mnemonic(outDir, 1), Mnemonic(outDir, 3)]);
        using var key = secret.ToSecretKey();
        Assert.Equal(transcript.Identity.PublicKey, key.PublicKey.Hex66);
        Assert.Contains("drill-report.json", Directory.GetFiles(outDir).Select(Path.GetFileName));
        // The closing drill is the drill runner's: both sources judged by the same identity checks, the key file by its name.
        var report = KeyVault.Drill.DrillReport.Verify(File.ReadAllText(Path.Combine(outDir, "drill-report.json")));
        Assert.True(report.Valid, report.Problem);
        Assert.Equal($"signer-key-{transcript.Identity.Fingerprint}.kvk", report.Report.KeyFile!.Path);
        Assert.Equal(2, report.Report.Shares!.Shares.Count);
        Assert.Contains(report.Report.Checks, c => c is { Name: "identity", Subject: "publicKey", Result: KeyVault.Drill.DrillCheckResult.Pass }
            && c.Detail.StartsWith("key file: ", StringComparison.Ordinal));
        Assert.Contains(report.Report.Checks, c => c is { Name: "identity", Subject: "publicKey", Result: KeyVault.Drill.DrillCheckResult.Pass }
            && c.Detail.StartsWith("shares: ", StringComparison.Ordinal));
        Assert.True(transcript.Drill.KeyFileOpened);
    }

    [Fact]
    public void AWeakTypedPassphraseIsExplainedAndAskedAgainAndTheCeremonyGoesOn()
    {
        var outDir = OutDir();
        var op = new ScriptedOperator();
        foreach (var a in new[] { "yes", "yes", "2", "2", "Alice", "Bob", "yes", "no" }) op.Answers.Enqueue(a);
        // The weak one is refused as soon as it is typed, before it is asked again.
        foreach (var s in new[] { "pw1", "flow test passphrase velvet orbit canyon", "flow test passphrase velvet orbit canyon" })
            op.Secrets.Enqueue(s);
        op.SecretResponder = prompt =>
        {
            var m = System.Text.RegularExpressions.Regex.Match(prompt, @"^Share (\d+) \([^)]*\), word (\d+): $");
            Assert.True(m.Success, prompt);
            return Mnemonic(outDir, int.Parse(m.Groups[1].Value)).Split(' ')[int.Parse(m.Groups[2].Value) - 1];
        };
        var transcript = new CeremonyFlow(op, Settings(outDir) with { PassphraseFile = null }, _renderer, Offline).Run();

        var weak = Assert.Single(op.Problems, p => p.Code == ErrorCodes.WeakPassphrase);
        Assert.Contains("too weak", weak.Message);
        Assert.Contains("words chosen at random", weak.Hint);
        Assert.Equal(3, op.Questions.Count(q => q.Contains("the key file's passphrase")));
        Assert.Equal(2, transcript.Threshold);
    }

    [Fact]
    public void AWeakPassphraseFileStopsTheCeremonyUnlessTheRiskIsAcceptedThenItGoesOnWithAWarning()
    {
        var weak = _dir.File("weak.txt");
        File.WriteAllText(weak, "pw1\n");
        ScriptedOperator Operator(string outDir)
        {
            var op = new ScriptedOperator();
            foreach (var a in new[] { "yes", "yes", "2", "2", "Alice", "Bob", "yes", "no" }) op.Answers.Enqueue(a);
            op.SecretResponder = prompt =>
            {
                var m = System.Text.RegularExpressions.Regex.Match(prompt, @"^Share (\d+) \([^)]*\), word (\d+): $");
                Assert.True(m.Success, prompt);
                return Mnemonic(outDir, int.Parse(m.Groups[1].Value)).Split(' ')[int.Parse(m.Groups[2].Value) - 1];
            };
            return op;
        }

        var refusedDir = OutDir();
        var refusedOp = Operator(refusedDir);
        var ex = Assert.Throws<KeyVaultException>(() =>
            new CeremonyFlow(refusedOp, Settings(refusedDir) with { PassphraseFile = weak }, _renderer, Offline).Run());
        Assert.Equal(ErrorCodes.WeakPassphrase, ex.Code);
        Assert.Empty(Directory.GetFiles(refusedDir));
        Assert.Empty(refusedOp.Questions); // refused before step 1 asks anything, and before a key exists

        var acceptedDir = Directory.CreateDirectory(_dir.File("accepted")).FullName;
        var op = Operator(acceptedDir);
        var transcript = new CeremonyFlow(op, Settings(acceptedDir) with { PassphraseFile = weak, AcceptWeakPassphrase = true }, _renderer, Offline).Run();
        Assert.Contains(op.Transcript, l => l.StartsWith("warning: the key file's passphrase", StringComparison.Ordinal) && l.Contains("risk was accepted"));
        Assert.Equal(2, transcript.Threshold);
        // The passphrase read before step 1 is the one the key file was written with.
        var keyFile = Directory.GetFiles(acceptedDir, "signer-key-*.kvk").Single();
        using (var pw = Passphrase.FromChars("pw1"))
            EncryptedKeyFile.Parse(File.ReadAllBytes(keyFile)).Decrypt(pw).Dispose();
    }

    [Fact]
    public void NoTerminalAndNoAnswersFileStopsBeforeAnythingExists()
    {
        var outDir = OutDir();
        var op = new ScriptedOperator { CanAsk = false };
        var ex = Assert.Throws<KeyVaultException>(() => new CeremonyFlow(op, Settings(outDir), _renderer, Offline).Run());
        Assert.Equal(ErrorKind.Usage, ex.Kind);
        Assert.Equal(ErrorCodes.CeremonyNeedsTerminal, ex.Code);
        Assert.Empty(Directory.GetFileSystemEntries(outDir));
        Assert.Empty(op.Questions);
    }

    private static string Mnemonic(string outDir, int share)
    {
        using var file = ShareFile.Parse(File.ReadAllBytes(Path.Combine(outDir, $"share-{share}.txt")), "share");
        return new string(file.Mnemonic);
    }
}
