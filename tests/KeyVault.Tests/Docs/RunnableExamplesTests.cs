using System.Diagnostics;
using System.Text.RegularExpressions;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Docs;

/// <summary>
/// Every fenced example in docs/ marked <c>```sh runnable</c> runs as written, and no other shell example escapes
/// (<see cref="EveryShellExampleIsRunnableOrMarkedAsNot"/>): in an empty folder, with the published
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

    /// <summary>Every fence that opens shell text, with its info string.</summary>
    [GeneratedRegex(@"^ *```(sh|bash|console|shell|zsh)\b([^\n]*)\n(.*?)^ *```", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex ShellBlock();

    /// <summary>
    /// An indented code block after a blank line whose first line is a command a reader would run (not a synopsis:
    /// those name their values in capitals, FILE, DIR, or bracket what is optional).
    /// </summary>
    [GeneratedRegex(@"(?<=\n\n)( {4,})(keyvault|age|age-keygen|mkdir|printf|pdftoppm|zbarimg|pdftotext|ssh-keygen|cp|psql|pg_dump)(?= )[^\n]*")]
    private static partial Regex IndentedCommand();

    [GeneratedRegex(@"\[|\b[A-Z][A-Z0-9]+\b")]
    private static partial Regex SynopsisMark();

    [GeneratedRegex(@"<[a-z][^<>\n]*>")]
    private static partial Regex MarkedPlaceholder();

    /// <summary>The page whose PostgreSQL examples another test runs, against a database (runnable-postgres).</summary>
    private const string PostgresPage = "database-backup.md";

    public static TheoryData<string> AllPages()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(External.RepoRoot, "docs"), "*.md").Order(StringComparer.Ordinal))
            data.Add("docs/" + Path.GetFileName(file));
        data.Add("README.md");
        return data;
    }

    /// <summary>
    /// No shell example escapes the runner: each fenced one runs here (runnable), runs against PostgreSQL
    /// (runnable-postgres, one page), or says it cannot run as written (placeholder, with its placeholders in
    /// &lt;angle brackets&gt;; repository, run from a checkout of this repository). A command in an indented block is an
    /// example outside any fence, which is refused too.
    /// </summary>
    [Theory]
    [MemberData(nameof(AllPages))]
    public void EveryShellExampleIsRunnableOrMarkedAsNot(string page)
    {
        var text = File.ReadAllText(Path.Combine(External.RepoRoot, page)).ReplaceLineEndings("\n");
        if (page == "docs/" + PostgresPage)
            Assert.Contains("```sh runnable-postgres", text, StringComparison.Ordinal);
        var problems = new List<string>();
        foreach (Match m in ShellBlock().Matches(text))
        {
            var line = text[..m.Index].Count(c => c == '\n') + 1;
            var kind = (m.Groups[1].Value + m.Groups[2].Value).Trim();
            var body = m.Groups[3].Value;
            switch (kind)
            {
                case "sh runnable":
                    break;
                case "sh runnable-postgres" when page == "docs/" + PostgresPage:
                    break;
                case "sh placeholder" when MarkedPlaceholder().IsMatch(body):
                    break;
                case "sh placeholder":
                    problems.Add($"line {line}: a placeholder block with no <placeholder> marked");
                    break;
                case "sh repository":
                    break;
                default:
                    problems.Add($"line {line}: ```{kind} is neither runnable nor marked as not (sh runnable, sh placeholder, sh repository)");
                    break;
            }
        }
        foreach (Match m in IndentedCommand().Matches(text))
            if (!SynopsisMark().IsMatch(m.Value))
                problems.Add($"line {text[..m.Index].Count(c => c == '\n') + 1}: an example in an indented block, outside any fence: {m.Value.Trim()}");
        Assert.True(problems.Count == 0, $"{page}:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void TheRunbooksHaveRunnableExamples()
    {
        var pages = Pages().Select(row => row.Data).ToList();
        Assert.Contains("ceremony.md", pages);
        Assert.Contains("age.md", pages);
        Assert.Contains("cli.md", pages);
        Assert.Contains("custodians.md", pages);
        Assert.Contains("paper.md", pages);
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
