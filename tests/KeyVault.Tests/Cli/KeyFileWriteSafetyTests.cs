using System.Text;
using KeyVault.Cli;
using KeyVault.IO;
using KeyVault.KeyFile;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Cli;

/// <summary>
/// passwd and reveal against what an outside review found: two passwd runs at once, a key file reached through a
/// symbolic link, and the temporaries a killed run leaves. Weak KDF options throughout.
/// </summary>
public class KeyFileWriteSafetyTests : IDisposable
{
    private static readonly string[] WeakKdf = ["--kdf-memory", "8KiB", "--kdf-iterations", "1", "--kdf-parallelism", "1"];
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Write(string name, string text)
    {
        var path = _dir.File(name);
        File.WriteAllText(path, text);
        return path;
    }

    private string KeyFile(string name = "k.kvk")
    {
        var path = _dir.File(name);
        var console = new TestConsole();
        int rc = console.Run(["import", "--from", Write("key.hex", TestKeys.Key1 + "\n"), "--out", path, "--passphrase-file", Write("old.txt", "old pass velvet orbit canyon\n"), .. WeakKdf]);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        return path;
    }

    private static bool Opens(string path, string passphrase)
    {
        using var p = Passphrase.FromFileContent(Encoding.UTF8.GetBytes(passphrase));
        try
        {
            using var key = EncryptedKeyFile.Parse(File.ReadAllBytes(path)).Decrypt(p);
            return true;
        }
        catch (KeyVault.Errors.KeyVaultException)
        {
            return false;
        }
    }

    [Fact]
    public void Passwd_fails_clearly_while_another_run_holds_the_key_file()
    {
        var file = KeyFile();
        var console = new TestConsole();
        using (LockedFile.Open(file))
        {
            int rc = console.Run("passwd", file, "--passphrase-file", Write("old2.txt", "old pass velvet orbit canyon\n"), "--new-passphrase-file", Write("new.txt", "new pass velvet orbit canyon\n"));
            Assert.Equal(ExitCode.OutputFailure, rc);
        }
        Assert.Contains("is being changed by another run at this moment", console.StderrText);
        Assert.True(Opens(file, "old pass velvet orbit canyon\n"));
        Assert.DoesNotContain(_dir.Entries(), e => e.StartsWith('.'));

        // Released, the same change goes through.
        Assert.Equal(ExitCode.Success, new TestConsole().Run("passwd", file, "--passphrase-file", _dir.File("old2.txt"), "--new-passphrase-file", _dir.File("new.txt")));
        Assert.True(Opens(file, "new pass velvet orbit canyon\n"));
    }

    [Fact]
    public async Task Of_two_concurrent_passwd_runs_at_most_one_reports_success_and_that_passphrase_opens_the_file()
    {
        var file = KeyFile();
        var passes = Enumerable.Range(0, 2).Select(i => Write($"new{i}.txt", $"new pass {i} velvet orbit canyon\n")).ToArray();
        var old = Write("old-c.txt", "old pass velvet orbit canyon\n");
        for (int round = 0; round < 5; round++)
        {
            var results = await Task.WhenAll(passes.Select(p => Task.Run(() =>
            {
                var c = new TestConsole();
                return (Code: c.Run("passwd", file, "--passphrase-file", old, "--new-passphrase-file", p), Pass: p, Err: c.StderrText);
            }, TestContext.Current.CancellationToken)));
            var winners = results.Where(r => r.Code == ExitCode.Success).ToList();
            Assert.True(winners.Count <= 1, string.Join("\n", results.Select(r => r.Err)));
            foreach (var loser in results.Where(r => r.Code != ExitCode.Success))
                Assert.True(loser.Code is ExitCode.OutputFailure or ExitCode.AuthenticationFailed, loser.Err);
            if (winners.Count == 1)
            {
                Assert.True(Opens(file, File.ReadAllText(winners[0].Pass)));
                // Back to the old passphrase for the next round.
                Assert.Equal(ExitCode.Success, new TestConsole().Run("passwd", file, "--passphrase-file", winners[0].Pass, "--new-passphrase-file", old));
            }
        }
    }

    [Fact]
    public void Passwd_refuses_a_symbolic_link_and_changes_nothing()
    {
        var file = KeyFile();
        var link = _dir.File("link.kvk");
        File.CreateSymbolicLink(link, file);
        var console = new TestConsole();
        int rc = console.Run("passwd", link, "--passphrase-file", Write("old2.txt", "old pass velvet orbit canyon\n"), "--new-passphrase-file", Write("new.txt", "new pass velvet orbit canyon\n"));

        Assert.Equal(ExitCode.BadInput, rc);
        Assert.Contains("is a symbolic link", console.StderrText);
        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.True(Opens(file, "old pass velvet orbit canyon\n"));
        Assert.DoesNotContain("re-encrypted", console.StderrText);
    }

    [Fact]
    public void Passwd_removes_and_reports_what_a_killed_passwd_left()
    {
        var file = KeyFile();
        Write(".k.kvk.new-4242", "stale re-encrypted key file");
        Write("..k.kvk.new-4243.0123456789ab.tmp", "stale temporary");
        Write(".k.kvk.new-notapid", "someone else's file");
        var console = new TestConsole();
        int rc = console.Run("passwd", file, "--passphrase-file", Write("old2.txt", "old pass velvet orbit canyon\n"), "--new-passphrase-file", Write("new.txt", "new pass velvet orbit canyon\n"));

        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Contains("removed .k.kvk.new-4242, left by an earlier run that was killed", console.StderrText);
        Assert.Contains("removed ..k.kvk.new-4243.0123456789ab.tmp, left by an earlier run that was killed", console.StderrText);
        Assert.Equal([".k.kvk.new-notapid"], _dir.Entries().Where(e => e.StartsWith('.')).ToArray());
    }

    [Fact]
    public void Reveal_removes_and_reports_the_temporary_a_killed_reveal_left()
    {
        var file = KeyFile();
        Write(".r.hex.0123456789ab.tmp", TestKeys.Key1);
        Write(".r.hex.not-ours.tmp", "someone else's file");
        var console = new TestConsole();
        int rc = console.Run("reveal", file, "--out", _dir.File("r.hex"), "--passphrase-file", Write("old2.txt", "old pass velvet orbit canyon\n"));

        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Contains("removed .r.hex.0123456789ab.tmp, left by an earlier run that was killed", console.StderrText);
        Assert.Equal([".r.hex.not-ours.tmp"], _dir.Entries().Where(e => e.StartsWith('.')).ToArray());
    }
}
