using System.Diagnostics;
using System.Text.RegularExpressions;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Docs;

/// <summary>
/// Every fenced example in docs/ marked <c>```sh runnable</c> runs as written: in an empty folder, with the published
/// keyvault first on PATH, under <c>bash -euo pipefail</c>. A page's runnable blocks run in order in one folder.
/// </summary>
public partial class RunnableExamplesTests
{
    [GeneratedRegex(@"^```sh runnable\n(.*?)^```", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex RunnableBlock();

    public static TheoryData<string> Pages()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(External.RepoRoot, "docs"), "*.md").Order(StringComparer.Ordinal))
            if (RunnableBlock().IsMatch(File.ReadAllText(file))) data.Add(Path.GetFileName(file));
        return data;
    }

    [Fact]
    public void TheRunbooksHaveRunnableExamples()
    {
        var pages = Pages().Select(row => row.Data).ToList();
        Assert.Contains("ceremony.md", pages);
        Assert.Contains("age.md", pages);
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task EveryRunnableExampleOfThePageRunsAsWritten(string page)
    {
        var published = Environment.GetEnvironmentVariable("KEYVAULT_PUBLISHED");
        if (string.IsNullOrEmpty(published) || !File.Exists(published))
            External.Unavailable("KEYVAULT_PUBLISHED is not set to the published keyvault (run ./test.sh)");
        var text = File.ReadAllText(Path.Combine(External.RepoRoot, "docs", page));
        var script = string.Join("\n", RunnableBlock().Matches(text).Select(m => m.Groups[1].Value));
        foreach (var tool in Regex.Matches(script, @"(?m)(?:^|\| |\$\()(age|age-keygen|ssh-keygen|pdftoppm|zbarimg|pdftotext)\b")
                     .Select(m => m.Groups[1].Value).Distinct())
            External.RequireTool(tool, tool switch { "age" or "age-keygen" => "age", "ssh-keygen" => "openssh-client", "zbarimg" => "zbar-tools", _ => "poppler-utils" });

        using var dir = new TempDir();
        var psi = new ProcessStartInfo("bash", ["-euo", "pipefail", "-c", script])
        {
            WorkingDirectory = dir.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.Environment["PATH"] = Path.GetDirectoryName(published) + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var cancel = TestContext.Current.CancellationToken;
        var stdout = p.StandardOutput.ReadToEndAsync(cancel);
        var stderr = p.StandardError.ReadToEndAsync(cancel);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(TimeSpan.FromMinutes(5));
        await p.WaitForExitAsync(timeout.Token);
        Assert.True(p.ExitCode == 0, $"{page}: exit {p.ExitCode}\n--- stdout\n{await stdout}\n--- stderr\n{await stderr}");
    }
}
