using KeyVault.Cli;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Cli;

/// <summary>The dkg commands' own option rules, which need no database.</summary>
public class DkgCommandTests
{
    [Fact]
    public void RestoreWithoutADatabaseNamesItsOwnOptionOnly()
    {
        // restore has --db only; it once asked for "--db or --from-config", an option only export has.
        var console = new TestConsole();
        Assert.Equal(ExitCode.Usage, console.Run("dkg", "restore", "--from", "export.kvdkg"));
        Assert.Contains("--db", console.StderrText);
        Assert.DoesNotContain("--from-config", console.StderrText);
    }

    [Fact]
    public void ExportNeedsExactlyOneOfItsTwoDatabaseOptions()
    {
        var console = new TestConsole();
        Assert.Equal(ExitCode.Usage, console.Run("dkg", "export", "--out", "x.kvdkg"));
        Assert.Contains("exactly one of --db and --from-config", console.StderrText);
    }
}
