using System.Text.RegularExpressions;
using KeyVault.Drill;
using KeyVault.Manifest;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Docs;

/// <summary>
/// The example of docs/library.md, compiled and run. It lives in tests/KeyVault.LibraryExample, an assembly that is
/// not a friend of the library, so it compiles only against the public API, as another program would; the page must
/// show its code character for character.
/// </summary>
public partial class LibraryExampleTests
{
    private static string ExamplePath => Path.Combine(External.RepoRoot, "tests", "KeyVault.LibraryExample", "LibraryExample.cs");

    [Fact]
    public void TheExampleRunsSelfTestGenerateKeyFileSplitDrill()
    {
        using var temp = new TempDir();
        var op = new ScriptedOperator { CanAsk = false };

        var result = LibraryExample.LibraryExample.Run(temp.Path, op);

        Assert.Equal(DrillOutcome.Passed, result.Report.Outcome);
        Assert.Equal(["manifest.json", "share-1.txt", "share-2.txt", "share-3.txt", "signer.kvk"], temp.Entries().Order(StringComparer.Ordinal));
        foreach (var file in temp.Entries()) FileModes.AssertAsItsKind(Path.Combine(temp.Path, file));
        Assert.Contains("note: wrote share-2.txt for Bob", op.Text);
        var manifest = BackupManifest.Parse(File.ReadAllText(Path.Combine(temp.Path, "manifest.json")));
        Assert.Equal(result.Report.Derived.PublicKey, manifest.Identity.PublicKey);
        Assert.Equal($"{result.Report.Derived.Fingerprint}: pass", op.Transcript[^1]);
        Assert.Empty(op.Questions); // everything came from the example itself: no passphrase was asked
    }

    [Fact]
    public void TheExampleUsesOnlyThePublicApi()
    {
        // What makes the example a proof: its assembly is not among those the library lets see its internals.
        var friends = typeof(KeyVault.Keys.SecretKey).Assembly.GetCustomAttributes(typeof(System.Runtime.CompilerServices.InternalsVisibleToAttribute), false)
            .Cast<System.Runtime.CompilerServices.InternalsVisibleToAttribute>().Select(a => a.AssemblyName).ToList();
        Assert.Contains("keyvault", friends);
        Assert.DoesNotContain(typeof(LibraryExample.LibraryExample).Assembly.GetName().Name, friends);
    }

    [GeneratedRegex(@"```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();

    [Fact]
    public void ThePageShowsExactlyTheCodeTheExampleRuns()
    {
        var page = File.ReadAllText(Path.Combine(External.RepoRoot, "docs", "library.md"));
        var source = File.ReadAllText(ExamplePath);
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
