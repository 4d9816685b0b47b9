using System.Diagnostics;
using System.Text.RegularExpressions;
using KeyVault.Cli;
using KeyVault.Keys;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Architecture;

/// <summary>
/// The shape docs/architecture.md promises: a core that carries no drawing or database library, library messages
/// that know nothing of the command line, and a command line that only wires.
/// </summary>
public partial class LayeringTests
{
    [Theory]
    [InlineData("Npgsql")]
    [InlineData("SkiaSharp")]
    [InlineData("QRCoder")]
    public void TheCoreNeitherReferencesNorLoadsAHeavyDependency(string package)
    {
        var project = File.ReadAllText(Path.Combine(External.RepoRoot, "src", "KeyVault", "KeyVault.csproj"));
        Assert.DoesNotContain($"Include=\"{package}", project);
        var referenced = typeof(SecretKey).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.Contains("BouncyCastle.Cryptography", referenced); // the check reads real references
        Assert.DoesNotContain(referenced, name => name.StartsWith(package, StringComparison.Ordinal));
    }

    // Sheets and transcripts tell a person which command to run: that is product content, not an error message.
    private static readonly string[] ProductContent = ["ShareLayout.cs", "KeyFileLayout.cs", "SealedShareLayout.cs", "DkgExportLayout.cs", "CeremonyTranscript.cs"];

    // Taken from the real command tree, so a command added later is looked for too.
    private static readonly string[] Commands =
        Program.BuildRootCommand(new TestConsole()).Subcommands.Select(c => c.Name).ToArray();

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex StringLiteral();

    [Fact]
    public void NoLibraryMessageNamesAnOptionOrACommandOfTheCommandLine()
    {
        var offending = new List<string>();
        int literals = 0;
        foreach (var project in new[] { "KeyVault", "KeyVault.Paper", "KeyVault.Postgres" })
        {
            var dir = Path.Combine(External.RepoRoot, "src", project);
            foreach (var file in Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories))
            {
                if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") || file.EndsWith(".g.cs")
                    || ProductContent.Contains(Path.GetFileName(file))) continue;
                var lines = File.ReadAllLines(file);
                for (int i = 0; i < lines.Length; i++)
                {
                    if (lines[i].TrimStart().StartsWith("//", StringComparison.Ordinal)) continue;
                    foreach (Match m in StringLiteral().Matches(lines[i]))
                    {
                        literals++;
                        var text = m.Value;
                        if (Regex.IsMatch(text, @"(^|[\s""`'(])--[a-z]")
                            || Commands.Any(c => Regex.IsMatch(text, $@"\bkeyvault {Regex.Escape(c)}\b")))
                            offending.Add($"{Path.GetRelativePath(External.RepoRoot, file)}:{i + 1}: {text}");
                    }
                }
            }
        }
        Assert.Contains("restore", Commands);
        Assert.Contains("self-test", Commands);
        Assert.True(literals > 500, $"only {literals} string literals were read: the scan is not looking at the sources");
        Assert.True(offending.Count == 0, string.Join("\n", offending));
    }

    [Fact]
    public void TheCommandLineIsAtMostAFifthOfTheHandWrittenSource()
    {
        var psi = new ProcessStartInfo("bash", [Path.Combine(External.RepoRoot, "tools", "loc.sh")]) { RedirectStandardOutput = true };
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        var m = Regex.Match(output, @"command line: (\d+) of (\d+) lines");
        Assert.True(m.Success, output);
        long cli = long.Parse(m.Groups[1].Value), all = long.Parse(m.Groups[2].Value);
        Assert.True(cli > 0 && 5 * cli <= all, output);
    }
}
