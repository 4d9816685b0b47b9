using System.Reflection;
using KeyVault.Keys;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Architecture;

/// <summary>
/// The library's public surface is chosen, not whatever the command line happened to need: the public types of the
/// three assemblies are listed in public-api.txt, and a type made public or internal must change that list in the
/// same commit. (The command line reaches the core's helpers as a friend assembly, as cmd/age does age's internal
/// packages.) Rewrite the list with KEYVAULT_WRITE_VECTORS=1 after a deliberate change.
/// </summary>
public class PublicApiTests
{
    private static string ListPath => Path.Combine(External.RepoRoot, "tests", "KeyVault.Tests", "Architecture", "public-api.txt");

    private static IEnumerable<string> PublicTypes(Assembly assembly) =>
        assembly.GetExportedTypes().Select(t => $"{assembly.GetName().Name}: {t.FullName}");

    [Fact]
    public void ThePublicTypesAreExactlyTheListedOnes()
    {
        var actual = new[] { typeof(SecretKey).Assembly, typeof(KeyVault.Paper.SheetRenderer).Assembly, typeof(KeyVault.Postgres.PostgresSignerDatabase).Assembly }
            .SelectMany(PublicTypes).Order(StringComparer.Ordinal).ToList();
        if (Environment.GetEnvironmentVariable("KEYVAULT_WRITE_VECTORS") == "1")
            File.WriteAllLines(ListPath, actual);
        var listed = File.ReadAllLines(ListPath).Where(l => l.Length > 0).ToList();
        var added = actual.Except(listed).ToList();
        var removed = listed.Except(actual).ToList();
        Assert.True(added.Count == 0 && removed.Count == 0,
            $"public types not in public-api.txt: {string.Join(", ", added)}; listed but not public: {string.Join(", ", removed)}");
        // Helpers the front end uses stay inside: byte codecs, buffer wiping, input reading, atomic files.
        foreach (var helper in new[] { "KeyVault.Codecs.Hex", "KeyVault.IO.SecretBuffers", "KeyVault.IO.Inputs", "KeyVault.IO.AtomicFile", "KeyVault.Text.DisplayText" })
            Assert.DoesNotContain(actual, t => t.EndsWith(": " + helper, StringComparison.Ordinal));
    }

    [Fact]
    public void EveryPublicTypeADocNamesLivesInAFileOfItsName()
    {
        // A reader who meets `RestoreFlow` or `ISignerDatabase` in docs/ finds it at src/…/RestoreFlow.cs.
        var docs = string.Join("\n", Directory.GetFiles(Path.Combine(External.RepoRoot, "docs"), "*.md")
            .Append(Path.Combine(External.RepoRoot, "README.md")).Select(File.ReadAllText));
        var sources = Directory.GetFiles(Path.Combine(External.RepoRoot, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToLookup(f => Path.GetFileNameWithoutExtension(f), StringComparer.Ordinal);
        var named = new[] { typeof(SecretKey).Assembly, typeof(KeyVault.Paper.SheetRenderer).Assembly, typeof(KeyVault.Postgres.PostgresSignerDatabase).Assembly }
            .SelectMany(a => a.GetExportedTypes()).Where(t => !t.IsNested).Select(t => t.Name.Split('`')[0]).Distinct()
            .Where(n => System.Text.RegularExpressions.Regex.IsMatch(docs, $@"`(?:[\w.]*\.)?{n}[.(`<]"))
            .ToList();
        Assert.True(named.Count > 40, $"only {named.Count} public types were found named in the docs");
        var elsewhere = named.Where(n => !sources[n].Any(f => System.Text.RegularExpressions.Regex.IsMatch(
            File.ReadAllText(f), $@"\b(class|record|struct|interface|enum)\s+{n}\b"))).ToList();
        Assert.True(elsewhere.Count == 0, "public types named in docs/ that are declared in a file of another name: " + string.Join(", ", elsewhere));
    }
}
