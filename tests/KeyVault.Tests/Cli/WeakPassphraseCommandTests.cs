using System.Text;
using KeyVault.Cli;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Cli;

/// <summary>The strength floor on the command line: refused with a hint naming the flag, or taken with the flag and a warning.</summary>
public class WeakPassphraseCommandTests : IDisposable
{
    private static readonly string[] WeakKdf = ["--kdf-memory", "8KiB", "--kdf-iterations", "1", "--kdf-parallelism", "1"];
    private const string Flag = "--accept-weak-passphrase";

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Write(string name, string text)
    {
        var path = _dir.File(name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    [Fact]
    public void GenerateRefusesAWeakPassphraseFileAndNamesTheFlagInTheHint()
    {
        var path = _dir.File("k.kvk");
        var console = new TestConsole();
        Assert.Equal(ExitCode.BadInput, console.Run(["generate", "--out", path, "--passphrase-file", Write("p.txt", "password123\n"), .. WeakKdf]));
        Assert.Contains("keyvault: error: the new passphrase is too weak", console.StderrText);
        Assert.Contains($"keyvault: hint: use four or more words chosen at random", console.StderrText);
        Assert.Contains(Flag, console.StderrText);
        Assert.DoesNotContain("password123", console.StderrText);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void WithTheFlagAWeakPassphraseIsTakenWithOneWarningAndOpensTheFile()
    {
        var path = _dir.File("k.kvk");
        var pass = Write("p.txt", "pw1\n");
        var console = new TestConsole();
        Assert.Equal(ExitCode.Success, console.Run(["generate", "--out", path, "--passphrase-file", pass, Flag, .. WeakKdf]));
        Assert.Single(console.StderrText.Split('\n'), l => l.Contains("risk was accepted"));
        Assert.Contains("keyvault: warning: the new passphrase", console.StderrText);
        Assert.Equal(ExitCode.Success, new TestConsole().Run("reveal", path, "--out", "-", "--passphrase-file", pass));
    }

    [Fact]
    public void PasswdHoldsOnlyTheNewPassphraseToTheFloor()
    {
        var path = _dir.File("k.kvk");
        var weak = Write("weak.txt", "x\n");
        Assert.Equal(ExitCode.Success, new TestConsole().Run(["import", "--from", Write("k.hex", TestKeys.Key1 + "\n"), "--out", path,
            "--passphrase-file", weak, Flag, .. WeakKdf]));
        var before = File.ReadAllBytes(path);

        // The old passphrase is weak and still opens the file; the new one must meet the floor.
        var refused = new TestConsole();
        Assert.Equal(ExitCode.BadInput, refused.Run("passwd", path, "--passphrase-file", weak, "--new-passphrase-file", Write("new.txt", "qwertyuiop\n")));
        Assert.Contains(Flag, refused.StderrText);
        Assert.Equal(before, File.ReadAllBytes(path));

        // A weak new passphrase file is refused before the current passphrase is asked (here: no terminal to ask on).
        var early = new TestConsole();
        Assert.Equal(ExitCode.BadInput, early.Run("passwd", path, "--new-passphrase-file", Write("new2.txt", "qwertyuiop\n")));
        Assert.Contains(Flag, early.StderrText);
        Assert.Empty(early.Prompts);

        var strong = Write("strong.txt", "stove unwashed scorpion grumbling\n");
        Assert.Equal(ExitCode.Success, new TestConsole().Run("passwd", path, "--passphrase-file", weak, "--new-passphrase-file", strong));
        Assert.Equal(ExitCode.Success, new TestConsole().Run("reveal", path, "--out", "-", "--passphrase-file", strong));
    }

    [Fact]
    public void RestoreStartHoldsTheSessionPassphraseToTheFloor()
    {
        var refused = new TestConsole();
        Assert.Equal(ExitCode.BadInput, refused.Run(["restore", "start", "--out-dir", _dir.File("s1"), "--session-passphrase-file",
            Write("s.txt", "1234567890\n"), .. WeakKdf]));
        Assert.Contains("the session passphrase is too weak", refused.StderrText);
        Assert.False(File.Exists(Path.Combine(_dir.File("s1"), "recipient.txt")));

        var accepted = new TestConsole();
        Assert.Equal(ExitCode.Success, accepted.Run(["restore", "start", "--out-dir", _dir.File("s2"), "--session-passphrase-file",
            _dir.File("s.txt"), Flag, .. WeakKdf]));
        Assert.Contains("keyvault: warning: the session passphrase", accepted.StderrText);
    }

    [Theory]
    [InlineData("generate")]
    [InlineData("import")]
    [InlineData("combine")]
    [InlineData("passwd")]
    [InlineData("ceremony")]
    [InlineData("restore start")]
    [InlineData("restore finish")]
    public void EveryCommandThatTakesANewPassphraseTakesTheFlag(string command)
    {
        var console = new TestConsole();
        console.Run([.. command.Split(' '), "--help"]);
        Assert.Contains(Flag, console.StdoutText);
    }
}
