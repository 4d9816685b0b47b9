using KeyVault.Cli;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Cli;

/// <summary>
/// drill verify-report keeps two facts apart: the report is authentic, and the drill it records passed. Exit 0 needs
/// both; an authentic report of a failed drill has its own exit code, so a script cannot read it as a good backup.
/// </summary>
public sealed class DrillVerifyReportOutcomeTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    // The report itself, as drill verify-report takes it: the body of the vector file.
    private string Vector(string name) => KeyVault.Tests.Drill.DrillVectorTests.Read(name).WriteBody(_dir.File(name + ".json"));

    [Fact]
    public void An_authentic_report_of_a_failed_drill_is_not_success()
    {
        var console = new TestConsole();
        int rc = console.Run("drill", "verify-report", Vector("report-identity-mismatch"));

        Assert.Equal(ExitCode.DrillReportedFailure, rc);
        Assert.Contains("signature   valid", console.StdoutText);
        Assert.Contains("outcome     identity-mismatch", console.StdoutText);
        Assert.Contains("keyvault: error: the report is authentic, but the drill it records failed (identity-mismatch)", console.StderrText);
    }

    [Fact]
    public void An_authentic_report_of_a_passed_drill_is_success()
    {
        var console = new TestConsole();
        Assert.Equal(ExitCode.Success, console.Run("drill", "verify-report", Vector("report-valid")));
        Assert.Contains("outcome     pass", console.StdoutText);
        Assert.Empty(console.StderrText);
    }

    [Fact]
    public void The_exit_code_is_in_the_documented_table()
    {
        var cli = File.ReadAllText(Path.Combine(External.RepoRoot, "docs", "cli.md"));
        Assert.Contains($"| {ExitCode.DrillReportedFailure} | drill reported a failure |", cli);
    }
}
