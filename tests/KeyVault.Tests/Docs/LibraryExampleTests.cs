using System.Text.RegularExpressions;
using KeyVault.Drill;
using KeyVault.IO;
using KeyVault.KeyFile;
using KeyVault.Keys;
using KeyVault.Paper;
using KeyVault.Shares;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Docs;

/// <summary>
/// The example of docs/library.md, compiled and run: the code between the markers below is the code block of that
/// page, character for character, so the page cannot drift from an API that compiles.
/// </summary>
public partial class LibraryExampleTests
{
    [Fact]
    public void TheExampleRunsGenerateKeyFileSplitDrill()
    {
        using var temp = new TempDir();
        string dir = temp.Path;
        var op = new ScriptedOperator { CanAsk = false };

        // BEGIN docs/library.md
        // 1. A new signer key and its public identity.
        using var key = KeyGenerator.Generate();
        SignerIdentity identity = key.PublicKey.Identity();

        // 2. An encrypted key file. (Weak Argon2 parameters keep the example fast; real files use KdfParameters.Default.)
        var passphraseFile = Path.Combine(dir, "passphrase.txt");
        File.WriteAllText(passphraseFile, "correct horse battery staple\n");
        using var passphrase = Passphrase.FromFileContent(File.ReadAllBytes(passphraseFile));
        byte[] keyFile = EncryptedKeyFile.Encrypt(key, passphrase, new KdfParameters(8, 1, 1), label: "example signer");
        File.WriteAllBytes(Path.Combine(dir, "signer.kvk"), keyFile);

        // 3. A 2-of-3 SLIP-0039 split, written all or nothing (no sheets: that needs KeyVault.Paper's SheetRenderer).
        var options = new ShareOutputOptions(["Alice", "Bob", "Carol"], Paper: false, Png: false, PaperSize.A4,
            StacksNetwork.Mainnet, DateOnly.FromDateTime(DateTime.UtcNow), PassphraseProtected: false);
        using (var files = new FileSet(dir))
        using (var shares = Slip39.Split(key, SplitLayout.Single(2, 3)))
        {
            ShareWriter.WriteAll(op, files, shares, key.PublicKey, options, renderer: null);
            files.Complete();
        }

        // 4. A drill: the key file and two of the three share files must rebuild the expected identity.
        DrillResult result = DrillRun.Execute(op, new DrillRequest
        {
            Expected = ExpectedIdentity.FromPublicKey(key.PublicKey),
            KeyFile = Path.Combine(dir, "signer.kvk"),
            PassphraseFile = passphraseFile,
            ShareFiles = [Path.Combine(dir, "share-1.txt"), Path.Combine(dir, "share-3.txt")],
        });
        Console.WriteLine($"{identity.Fingerprint}: {DrillReport.OutcomeName(result.Report.Outcome)}");
        // END docs/library.md

        Assert.Equal(DrillOutcome.Passed, result.Report.Outcome);
        Assert.Equal(identity.PublicKey, result.Report.Derived.PublicKey);
        Assert.Equal(["passphrase.txt", "share-1.txt", "share-2.txt", "share-3.txt", "signer.kvk"], temp.Entries().Order(StringComparer.Ordinal));
        Assert.Contains("note: wrote share-2.txt for Bob", op.Text);
    }

    [GeneratedRegex(@"```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();

    [Fact]
    public void ThePageShowsExactlyTheCodeThisTestRuns()
    {
        var page = File.ReadAllText(Path.Combine(External.RepoRoot, "docs", "library.md"));
        var source = File.ReadAllText(Path.Combine(External.RepoRoot, "tests", "KeyVault.Tests", "Docs", "LibraryExampleTests.cs"));
        var begin = source.IndexOf("// BEGIN docs/library.md\n", StringComparison.Ordinal);
        var end = source.IndexOf("        // END docs/library.md", StringComparison.Ordinal);
        Assert.True(begin > 0 && end > begin);
        var lines = source[(begin + "// BEGIN docs/library.md\n".Length)..end].Split('\n')
            .Select(l => l.StartsWith("        ", StringComparison.Ordinal) ? l[8..] : l);
        var code = string.Join("\n", lines);
        var block = CodeBlock().Matches(page).Select(m => m.Groups[1].Value).Single(b => b.Contains("KeyGenerator.Generate()"));
        Assert.Equal(code, block);
    }
}
