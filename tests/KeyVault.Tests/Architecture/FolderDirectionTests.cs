using KeyVault.Keys;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Architecture;

/// <summary>
/// The core's folders have floors (docs/architecture.md, "Folders and their floors"): a folder may use only the folders
/// on floors below its own, never one beside or above it. The check reads every core source file for the three ways C#
/// names another namespace (a using directive, a KeyVault.X qualified name, and an X.Type name resolved through the
/// enclosing KeyVault namespace), ignoring comments and string literals.
/// </summary>
public class FolderDirectionTests
{
    /// <summary>Lowest floor first. A new folder must be given a floor here before anything may use it.</summary>
    internal static readonly string[][] Floors =
    [
        ["Errors", "Codecs"],
        ["Text"],
        ["Interaction"],
        ["IO"],
        ["Keys"],
        ["KeyFile"],
        ["Signing"],
        ["Shares", "Age"],
        ["SelfTest"],
        ["Manifest"],
        ["Dkg"],
        ["Drill"],
        ["Restore", "Sheets", "Signers"],
        ["Flows"],
    ];

    private static string CoreRoot => Path.Combine(External.RepoRoot, "src", "KeyVault");

    private static readonly SourceReferences Scanner = new(
        typeof(SecretKey).Assembly.GetTypes().Where(t => t.Namespace is not null && !t.Name.Contains('<', StringComparison.Ordinal))
            .Select(t => (t.Namespace!, t.Name.Split('`')[0])));

    private static int FloorOf(string folder)
    {
        for (int i = 0; i < Floors.Length; i++)
            if (Floors[i].Contains(folder)) return i;
        return -1;
    }

    private static IEnumerable<(string Folder, string File, string Text)> CoreSources() =>
        Directory.GetFiles(CoreRoot, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(CoreRoot, f))
            .Where(f => !f.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                        && !f.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Select(f => (f.Split(Path.DirectorySeparatorChar)[0], f, File.ReadAllText(Path.Combine(CoreRoot, f))));

    [Fact]
    public void EveryCoreFolderHasAFloor()
    {
        var folders = Directory.GetDirectories(CoreRoot).Select(Path.GetFileName).Where(d => d is not ("obj" or "bin")).ToList();
        Assert.NotEmpty(folders);
        Assert.DoesNotContain(folders, f => FloorOf(f!) < 0);
        Assert.DoesNotContain(Floors.SelectMany(f => f), f => !folders.Contains(f));
        Assert.Empty(CoreSources().Where(s => !s.File.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal)).Select(s => s.File));
    }

    [Fact]
    public void EachCoreFileIsInTheNamespaceOfItsFolderAndNoneReachesOthersGlobally()
    {
        // The floors are read off the folders, so a file must not declare another folder's namespace, and nothing may
        // import a core namespace into every file at once.
        var wrong = new List<string>();
        foreach (var (_, file, text) in CoreSources())
        {
            var expected = "KeyVault." + Path.GetDirectoryName(file)!.Replace(Path.DirectorySeparatorChar, '.');
            var declared = System.Text.RegularExpressions.Regex.Matches(SourceReferences.Blank(text), @"(?m)^\s*namespace\s+([\w.]+)\s*([;{])")
                .Select(m => (Name: m.Groups[1].Value, FileScoped: m.Groups[2].Value == ";")).ToList();
            if (declared.Count != 1 || declared[0].Name != expected || !declared[0].FileScoped)
                wrong.Add($"{file}: declares {string.Join(", ", declared.Select(d => d.Name))}, expected one file-scoped namespace {expected}");
            if (System.Text.RegularExpressions.Regex.IsMatch(SourceReferences.Blank(text), @"\bglobal\s+using\b"))
                wrong.Add($"{file}: a global using");
        }
        foreach (var project in Directory.GetFiles(External.RepoRoot, "*.props").Concat(Directory.GetFiles(CoreRoot, "*.csproj")))
            if (System.Text.RegularExpressions.Regex.IsMatch(File.ReadAllText(project), @"<Using\s+Include=""KeyVault"))
                wrong.Add($"{Path.GetFileName(project)}: a global using of a KeyVault namespace");
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void NoCoreFolderUsesAFolderBesideOrAboveIt()
    {
        var upward = new List<string>();
        var edges = 0;
        foreach (var (folder, file, text) in CoreSources())
        {
            foreach (var (target, line) in Scanner.Find(text))
            {
                if (target == folder) continue;
                edges++;
                if (FloorOf(target) >= FloorOf(folder))
                    upward.Add($"{file}:{line}: {folder} (floor {FloorOf(folder)}) uses {target} (floor {FloorOf(target)})");
            }
        }
        Assert.True(edges > 200, $"only {edges} cross-folder references were found: the scanner no longer reads the sources");
        Assert.True(upward.Count == 0, "references that point beside or up:\n" + string.Join("\n", upward));
    }

    [Fact]
    public void TheFlowsUseTheModelsTheyDrive()
    {
        var targets = CoreSources().Where(s => s.Folder == "Flows").SelectMany(s => Scanner.Find(s.Text)).Select(r => r.Namespace).ToHashSet();
        foreach (var model in new[] { "Shares", "Manifest", "Age", "Dkg", "Drill", "Restore", "Sheets", "IO", "Interaction" })
            Assert.Contains(model, targets);
    }

    [Theory]
    [InlineData("using KeyVault.Flows;\nnamespace KeyVault.IO;", "Flows")]
    [InlineData("using static KeyVault.Flows.CeremonyFlow;", "Flows")]
    [InlineData("using Alias = KeyVault.Manifest.BackupManifest;", "Manifest")]
    [InlineData("var x = global::KeyVault.Drill.DrillReport.FormatName;", "Drill")]
    [InlineData("var x = KeyVault.Drill.DrillReport.FormatName;", "Drill")]
    [InlineData("throw Manifest.ManifestError.Unreadable();", "Manifest")]
    [InlineData("var s = $\"{Drill.DrillReport.FormatName}\";", "Drill")]
    [InlineData("namespace KeyVault.Shares;\nusing Flows;", "Flows")]
    [InlineData("namespace KeyVault.Shares;\nusing F = Flows.CeremonyFlow;", "Flows")]
    [InlineData("var e = KeyFile.Argon2.Argon2Engine.Selected;", "KeyFile")]
    [InlineData("var r = Flows\n    .CeremonyFlow.Patterns;", "Flows")]
    [InlineData("var r = @Flows.@CeremonyFlow.Patterns;", "Flows")]
    [InlineData("using KeyVault.@Flows;", "Flows")]
    [InlineData("var s = $\"{string.Join(\"}\", a)}\";\nvar r = Flows.CeremonyFlow.Patterns;", "Flows")]
    [InlineData("var s = $\"{(a ? \"{\" : \"\")}\";\n}\nvar r = Flows.CeremonyFlow.Patterns;", "Flows")]
    [InlineData("var s = $\"{x.IndexOf('{')}\";\n}\nvar r = Flows.CeremonyFlow.Patterns;", "Flows")]
    [InlineData("#region 12\" paper\nvar r = Flows.CeremonyFlow.Patterns;", "Flows")]
    [InlineData("#if false\n\"\n#endif\nvar r = Flows.CeremonyFlow.Patterns;", "Flows")]
    public void TheScannerSeesEachWayOfNamingAFolder(string source, string folder) =>
        Assert.Contains(folder, Scanner.Find(source).Select(r => r.Namespace));

    [Theory]
    [InlineData("// using KeyVault.Flows;")]
    [InlineData("/* KeyVault.Flows.CeremonyFlow */")]
    [InlineData("/// <see cref=\"Flows.CeremonyFlow\"/>")]
    [InlineData("var s = \"KeyVault.Flows.CeremonyFlow\";")]
    [InlineData("var s = @\"Flows.CeremonyFlow \"\" Flows.CeremonyFlow\";")]
    [InlineData("var s = \"\"\"\n Flows.CeremonyFlow\n \"\"\";")]
    [InlineData("w.WriteNumber(\"identifier\", Shares.Identifier);")] // a property named like a folder
    [InlineData("var n = report.Flows.CeremonyFlow;")] // a member access, not a namespace
    [InlineData("var s = $\"{Name(\"KeyVault.Flows.CeremonyFlow\")}\";")] // a string inside a hole
    public void TheScannerIgnoresWhatIsNotAReference(string source) =>
        Assert.Empty(Scanner.Find(source));
}
