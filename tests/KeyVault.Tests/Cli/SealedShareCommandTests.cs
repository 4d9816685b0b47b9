using System.Text;
using KeyVault.Age;
using KeyVault.Cli;
using KeyVault.Manifest;
using KeyVault.Shares;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Cli;

/// <summary>split --seal-to, and share check of a sealed share, through Program.Run (age done by the library here; the stock tool in AgeRoundTripTests).</summary>
public sealed class SealedShareCommandTests : IDisposable
{
    private readonly CustodyKit _k = new(split: false);
    private readonly AgeIdentity _alice = AgeIdentity.Generate();
    private readonly AgeIdentity _bob = AgeIdentity.Generate();
    private readonly AgeIdentity _carol = AgeIdentity.Generate();

    public void Dispose()
    {
        _alice.Dispose();
        _bob.Dispose();
        _carol.Dispose();
        _k.Dispose();
    }

    private string Custodians() => _k.Kit.Write("custodians.txt",
        $"# who holds which share\nAlice = {_alice.Recipient.Text}\n\nBob = {_bob.Recipient.Text}\nCarol = {_carol.Recipient.Text}\n");

    private string IdentityFile(string name, AgeIdentity id)
    {
        var secret = id.ExportSecretKey();
        try
        {
            return _k.Kit.Write(name, Encoding.ASCII.GetString(secret) + "\n");
        }
        finally
        {
            Array.Clear(secret);
        }
    }

    private (int Rc, TestConsole Console) Split(params string[] extra) =>
        CustodyKit.Run(["split", _k.Kit.KeyFile, "--out-dir", _k.Kit.OutDir, "--passphrase-file", _k.Kit.PassFile,
            "--threshold", "2", "--shares", "3", .. extra]);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Split_seals_each_share_to_its_custodian_and_records_the_recipients(bool armor)
    {
        var (rc, console) = Split(armor ? ["--seal-to", Custodians(), "--armor"] : ["--seal-to", Custodians()]);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Equal(["manifest.json", "share-1.age", "share-2.age", "share-3.age"], _k.Kit.OutEntries());
        var m = BackupManifest.ReadAuthentic(File.ReadAllText(Path.Combine(_k.Kit.OutDir, "manifest.json")));
        Assert.Equal(["Alice", "Bob", "Carol"], m.Shares.Select(s => s.Custodian));
        Assert.Equal([_alice.Recipient.Text, _bob.Recipient.Text, _carol.Recipient.Text], m.Shares.Select(s => s.AgeRecipient));

        AgeIdentity[] ids = [_alice, _bob, _carol];
        for (int i = 0; i < 3; i++)
        {
            var sealedBytes = File.ReadAllBytes(_k.Kit.Share($"share-{i + 1}").Replace(".txt", ".age"));
            FileModes.AssertOwnerOnly(_k.Kit.Share($"share-{i + 1}").Replace(".txt", ".age"));
            Assert.Equal(armor, sealedBytes.AsSpan().StartsWith("-----BEGIN AGE ENCRYPTED FILE-----"u8));
            Assert.Single(AgeFile.Inspect(sealedBytes).Stanzas);
            using var plain = AgeDecryptor.Decrypt(sealedBytes, ids[i]);
            using var file = ShareFile.Parse(plain.Span, "sealed");
            Assert.Equal(m.Shares[i].Custodian, file.Custodian);
            Assert.Equal(i + 1, file.Share.MemberNumber);
            // Another custodian's key does not open it.
            Assert.Throws<AgeException>(() => AgeDecryptor.Decrypt(sealedBytes, ids[(i + 1) % 3]).Dispose());
        }
    }

    [Theory]
    [InlineData("Alice = age1notakey\n", "line 1")]
    [InlineData("Alice age1\n", "line 1")]
    [InlineData("Alice = {0}\nAlice = {1}\nCarol = {2}\n", "line 2")]
    [InlineData("Alice = {0}\nBob = {1}\n", "2 custodians for 3 shares")]
    public void A_bad_custodians_file_is_named_and_nothing_is_written(string content, string named)
    {
        var file = _k.Kit.Write("custodians.txt", string.Format(content, _alice.Recipient.Text, _bob.Recipient.Text, _carol.Recipient.Text));
        var (rc, console) = Split("--seal-to", file);
        Assert.Equal(ExitCode.BadInput, rc);
        Assert.Contains(named, console.StderrText);
        Assert.Empty(_k.Kit.OutEntries());
    }

    [Fact]
    public void Seal_options_that_cannot_work_are_usage_errors()
    {
        Assert.Equal(ExitCode.Usage, Split("--armor").Rc);
        Assert.Equal(ExitCode.Usage, Split("--seal-to", Custodians(), "--custodian", "A", "--custodian", "B", "--custodian", "C").Rc);
        Assert.Empty(_k.Kit.OutEntries());
    }

    [Fact]
    public void Share_check_opens_a_sealed_share_with_the_identity()
    {
        Assert.Equal(ExitCode.Success, Split("--seal-to", Custodians()).Rc);
        var manifest = Path.Combine(_k.Kit.OutDir, "manifest.json");
        var share2 = Path.Combine(_k.Kit.OutDir, "share-2.age");
        var (rc, console) = CustodyKit.Run("share", "check", "--share-file", share2, "--identity", IdentityFile("bob.key", _bob), "--manifest", manifest);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Contains("registered for Bob", console.StdoutText);
        Assert.Contains("opened with the identity", console.StdoutText);

        (rc, console) = CustodyKit.Run("share", "check", "--share-file", share2, "--identity", IdentityFile("alice.key", _alice));
        Assert.Equal(ExitCode.AuthenticationFailed, rc);
        Assert.Equal("", console.StdoutText);
    }

    [Fact]
    public void Share_check_without_identity_says_plainly_that_x25519_cannot_tell()
    {
        Assert.Equal(ExitCode.Success, Split("--seal-to", Custodians()).Rc);
        var manifest = Path.Combine(_k.Kit.OutDir, "manifest.json");
        var share1 = Path.Combine(_k.Kit.OutDir, "share-1.age");
        var (rc, console) = CustodyKit.Run("share", "check", "--share-file", share1, "--manifest", manifest);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Contains("well-formed age v1 file", console.StdoutText);
        Assert.Contains("X25519 stanzas do not name their recipient", console.StdoutText);

        (rc, console) = CustodyKit.Run("share", "check", "--share-file", share1);
        Assert.Equal(ExitCode.Usage, rc);
        Assert.Contains("--identity", console.StderrText);

        // A header MAC one character too long: not a well-formed age file.
        var bytes = File.ReadAllBytes(share1);
        int mac = bytes.AsSpan().IndexOf("\n--- "u8) + 5;
        byte[] broken = [.. bytes[..mac], (byte)'A', .. bytes[mac..]];
        var bad = _k.Dir("bad.age");
        File.WriteAllBytes(bad, broken);
        Assert.Equal(ExitCode.DamagedFile, CustodyKit.Run("share", "check", "--share-file", bad, "--manifest", manifest).Rc);
    }
}
