using System.Text;
using System.Xml.Linq;
using KeyVault.Cli.Commands;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Packaging;

/// <summary>
/// THIRD-PARTY-NOTICES is what the generator makes from the package metadata now, and it names every centrally
/// pinned package the program uses. Run with KEYVAULT_WRITE_VECTORS=1 (tools/notices.sh) to rewrite the file.
/// </summary>
public class ThirdPartyNoticesTests
{
    private static string NoticesPath => Path.Combine(External.RepoRoot, "THIRD-PARTY-NOTICES");

    [Fact]
    public void TheCommittedFileIsWhatTheGeneratorMakesFromThePackageMetadata()
    {
        var generated = ThirdPartyNotices.Generate(ThirdPartyNotices.Components());
        if (Environment.GetEnvironmentVariable("KEYVAULT_WRITE_VECTORS") == "1")
            File.WriteAllText(NoticesPath, generated, new UTF8Encoding(false));
        Assert.True(generated == File.ReadAllText(NoticesPath),
            "THIRD-PARTY-NOTICES differs from what the package metadata gives; run tools/notices.sh and commit the result");
    }

    [Fact]
    public void EveryPinnedPackageTheProgramReferencesIsListedWithItsPinnedVersion()
    {
        var pinned = XDocument.Load(Path.Combine(External.RepoRoot, "Directory.Packages.props")).Descendants("PackageVersion")
            .ToDictionary(e => e.Attribute("Include")!.Value, e => e.Attribute("Version")!.Value);
        // The packages every project under src/ references directly (all of them are inside the executable); the
        // tests' and benchmarks' are not shipped.
        var projects = Directory.GetFiles(Path.Combine(External.RepoRoot, "src"), "*.csproj", SearchOption.AllDirectories);
        Assert.Equal(4, projects.Length);
        var shipped = projects
            .SelectMany(p => XDocument.Load(p).Descendants("PackageReference"))
            .Select(e => e.Attribute("Include")!.Value).Distinct().ToList();
        Assert.Contains("SkiaSharp", shipped);
        Assert.Contains("Npgsql", shipped);
        var table = AboutCommand.ComponentTable(File.ReadAllText(NoticesPath)).Skip(1)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(t => (Id: string.Join(' ', t[..^2]), Version: t[^2], Licence: t[^1])).ToList();
        foreach (var id in shipped)
        {
            Assert.True(pinned.ContainsKey(id), $"{id} is referenced but not pinned in Directory.Packages.props");
            Assert.Contains(table, row => row.Id == id && row.Version == pinned[id]);
        }
        Assert.Contains(table, row => row.Id == ".NET runtime");
        // Every licence inside is one that lets KeyVault ship under MIT (ODC-By asks only for the attribution the
        // notices carry, for the estimator's English word frequencies).
        foreach (var row in table) Assert.Contains(row.Licence, new[] { "MIT", "BSD-2-Clause", "PostgreSQL", "MIT,ODC-By-1.0" });
    }

    [Fact]
    public void TheTestPackagesAreNotListed()
    {
        var text = File.ReadAllText(NoticesPath);
        foreach (var id in new[] { "xunit", "Microsoft.NET.Test.Sdk", "BenchmarkDotNet", "Microsoft.NET.ILLink.Tasks" })
            Assert.DoesNotContain(AboutCommand.ComponentTable(text), l => l.StartsWith(id, StringComparison.Ordinal));
    }
}
