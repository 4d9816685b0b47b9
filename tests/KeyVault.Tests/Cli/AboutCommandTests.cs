using KeyVault.Cli;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Cli;

public class AboutCommandTests
{
    [Fact]
    public void AboutPrintsTheVersionAndTheComponentTableOfTheNoticesFile()
    {
        var console = new TestConsole();
        Assert.Equal(ExitCode.Success, Program.Run(["about"], console));
        var notices = File.ReadAllText(Path.Combine(External.RepoRoot, "THIRD-PARTY-NOTICES"));
        var table = KeyVault.Cli.Commands.AboutCommand.ComponentTable(notices).ToList();
        Assert.True(table.Count > 5, "the notices file has no component table");
        foreach (var line in table) Assert.Contains(line + "\n", console.StdoutText);
        Assert.StartsWith("keyvault ", console.StdoutText);
    }

    [Fact]
    public void AboutNoticesPrintsTheLicenceAndTheWholeNoticesFile()
    {
        var console = new TestConsole();
        Assert.Equal(ExitCode.Success, Program.Run(["about", "--notices"], console));
        Assert.Equal(File.ReadAllText(Path.Combine(External.RepoRoot, "LICENSE")) + "\n" + File.ReadAllText(Path.Combine(External.RepoRoot, "THIRD-PARTY-NOTICES")),
            console.StdoutText);
    }
}
