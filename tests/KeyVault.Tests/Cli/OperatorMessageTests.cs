using KeyVault.Age;
using KeyVault.Cli;
using KeyVault.Flows;
using KeyVault.Keys;
using KeyVault.Shares;
using KeyVault.Tests.Support;
using KeyVault.Text;

namespace KeyVault.Tests.Cli;

/// <summary>What the operator reads: prompts that name their file, hints that offer only what the command has, counts in
/// good English, a read-back that says which word is wrong, and a second retirement refused before any secret is asked.</summary>
public sealed class OperatorMessageTests : IDisposable
{
    private readonly CustodyKit _k = new();

    public void Dispose() => _k.Dispose();

    [Fact]
    public void The_passphrase_prompt_names_the_key_file()
    {
        var console = new TestConsole();
        console.Secrets.Enqueue(ShareCommandKit.KeyPassphrase);
        Assert.Equal(ExitCode.Success, console.Run("reveal", _k.Kit.KeyFile, "--format", "hex", "--out", "-"));
        Assert.Equal(["Passphrase for key.kvk: "], console.Prompts);

        var dir = _k.Dir("again");
        Directory.CreateDirectory(dir);
        console = new TestConsole();
        console.Secrets.Enqueue(ShareCommandKit.KeyPassphrase);
        Assert.Equal(ExitCode.Success, console.Run("split", _k.Kit.KeyFile, "--out-dir", dir, "--threshold", "2", "--shares", "3"));
        Assert.Equal(["Passphrase for key.kvk: "], console.Prompts);
    }

    [Fact]
    public void An_existing_output_hint_offers_force_only_where_the_command_has_it()
    {
        // split refuses a folder that already holds its files, and has no --force.
        var (rc, console) = CustodyKit.Run("split", _k.Kit.KeyFile, "--out-dir", _k.Kit.OutDir, "--passphrase-file", _k.Kit.PassFile,
            "--threshold", "2", "--shares", "3");
        Assert.NotEqual(ExitCode.Success, rc);
        Assert.Contains("keyvault: hint: ", console.StderrText);
        Assert.DoesNotContain("--force", console.StderrText);

        (rc, console) = CustodyKit.Run(["generate", "--out", _k.Kit.KeyFile, "--passphrase-file", _k.Kit.PassFile, .. CustodyKit.WeakKdf]);
        Assert.NotEqual(ExitCode.Success, rc);
        Assert.Contains("add --force to replace it", console.StderrText);
    }

    [Fact]
    public void Restore_finish_without_a_terminal_names_itself_in_its_hint()
    {
        var (dir, _) = _k.StartSession();
        var console = new TestConsole { Interactive = false };
        int rc = console.Run(["restore", "finish", dir, "--out", _k.Dir("restored.kvk"), "--session-passphrase-file", _k.SessionPass, .. CustodyKit.WeakKdf]);
        Assert.Equal(ExitCode.Usage, rc);
        Assert.Contains("run keyvault restore finish on a terminal", console.StderrText);
        Assert.DoesNotContain("combine", console.StderrText);
    }

    [Fact]
    public void Retiring_a_backup_twice_says_so_before_asking_for_the_key()
    {
        var newer = _k.SplitAgain("newer");
        var newManifest = Path.Combine(newer, "manifest.json");
        var (rc, first) = CustodyKit.Run("backup", "retire", "--manifest", _k.Manifest, "--replaced-by", newManifest,
            "--key-file", _k.Kit.KeyFile, "--passphrase-file", _k.Kit.PassFile);
        Assert.True(rc == ExitCode.Success, first.StderrText);

        var console = new TestConsole();
        rc = console.Run("backup", "retire", "--manifest", _k.Manifest, "--replaced-by", newManifest, "--key-file", _k.Kit.KeyFile);
        Assert.Equal(ExitCode.BadInput, rc);
        Assert.Contains("already retires backup", console.StderrText);
        Assert.Empty(console.Prompts);
        Assert.DoesNotContain("derived key", console.StderrText);
    }

    [Theory]
    [InlineData(1, 1, "the given identity does not open the file's recipient stanza")]
    [InlineData(1, 2, "the given identity opens none of the file's 2 recipient stanzas")]
    [InlineData(2, 1, "none of the 2 given identities opens the file's recipient stanza")]
    [InlineData(3, 2, "none of the 3 given identities opens any of the file's 2 recipient stanzas")]
    public void Counts_read_as_English(int identities, int stanzas, string expected)
    {
        Assert.Equal(expected, AgeError.NoMatch(identities, stanzas).Message);
        Assert.Equal("1 row", DisplayText.Count(1, "row"));
        Assert.Equal("0 rows", DisplayText.Count(0, "row"));
        Assert.Equal("2 identities", DisplayText.Count(2, "identity", "identities"));
    }

    [Fact]
    public void A_valid_word_in_the_wrong_place_at_read_back_is_named_by_its_position()
    {
        using var key = SecretKey.FromBytes(Convert.FromHexString(TestKeys.Key2));
        using var set = Slip39.Split(key, SplitLayout.Single(2, 3));
        var share = set.Shares[1];
        var words = share.Words.ToArray();
        // Word 11 typed where word 10 belongs: every word is a valid one, so only the checksum notices.
        var j = Enumerable.Range(10, words.Length - 10).First(i => words[i] != words[9]);
        var moved = (string[])words.Clone();
        moved[9] = words[j];
        var problem = SheetCheck.Mismatch(share, string.Join(' ', moved));
        Assert.Contains("invalid checksum", problem);
        Assert.EndsWith("word 10 does not match the sheet", problem);
        Assert.DoesNotContain($" {words[j]} ", $" {problem} ");

        (moved[4], moved[9]) = (words[9], words[4]);
        if (words[4] != words[9])
            Assert.EndsWith("words 5, 10 do not match the sheet", SheetCheck.Mismatch(share, string.Join(' ', moved)));
        Assert.EndsWith($"{words.Length - 1} words were typed, and the sheet has {words.Length}",
            SheetCheck.Mismatch(share, string.Join(' ', words.Skip(1))));
    }
}
