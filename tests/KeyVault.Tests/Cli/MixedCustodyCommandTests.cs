using System.Text;
using KeyVault.Age;
using KeyVault.Cli;
using KeyVault.Manifest;
using KeyVault.Shares;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Cli;

/// <summary>
/// One custodians file for paper and sealed custodians alike, through Program.Run: split writes each share as its
/// custodian receives it; combine and share reissue take sealed shares with --identity; reissue seals the new share,
/// marks a departed custodian, and keeps one current manifest (a later revision in place, the superseded one refused).
/// </summary>
public sealed class MixedCustodyCommandTests : IDisposable
{
    private readonly CustodyKit _k = new(split: false);
    private readonly AgeIdentity _alice = AgeIdentity.Generate();
    private readonly AgeIdentity _dara = AgeIdentity.Generate();

    public void Dispose()
    {
        _alice.Dispose();
        _dara.Dispose();
        _k.Dispose();
    }

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

    // Alice far away (sealed), Bob and Carol in the room (paper), with contacts and time zones.
    private string Custodians() => _k.Kit.Write("custodians.txt",
        $"Alice = {_alice.Recipient.Text}\n  contact: alice@example.org\n  time zone: Asia/Singapore\nBob\n  contact: +41 79 000 00 00\nCarol = paper\n");

    private (int Rc, TestConsole Console) Split(params string[] extra) =>
        CustodyKit.Run(["split", _k.Kit.KeyFile, "--out-dir", _k.Kit.OutDir, "--passphrase-file", _k.Kit.PassFile,
            "--threshold", "2", "--shares", "3", "--custodians-file", Custodians(), .. extra]);

    private string Out(string name) => Path.Combine(_k.Kit.OutDir, name);

    [Fact]
    public void Split_seals_the_remote_share_and_writes_the_paper_ones_plain_with_one_manifest()
    {
        var (rc, console) = Split("--paper");
        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Equal(["manifest.json", "share-1.age", "share-1.pdf", "share-2.pdf", "share-2.txt", "share-3.pdf", "share-3.txt"], _k.Kit.OutEntries());
        Assert.Contains("1 are sealed", console.StderrText);
        FileModes.AssertPublic(Out("manifest.json"));
        foreach (var f in new[] { "share-1.age", "share-1.pdf", "share-2.txt", "share-2.pdf", "share-3.txt" }) FileModes.AssertOwnerOnly(Out(f));

        var m = BackupManifest.ReadAuthentic(File.ReadAllText(Out("manifest.json")));
        Assert.Equal((3, 1, (string?)null), (m.Version, m.Revision, m.Supersedes));
        Assert.Equal(["Alice", "Bob", "Carol"], m.Shares.Select(s => s.Custodian));
        Assert.Equal([_alice.Recipient.Text, null, null], m.Shares.Select(s => s.AgeRecipient));
        Assert.Equal(["X25519", null, null], m.Shares.Select(s => s.RecipientType));
        Assert.Contains("\"recipientType\": \"X25519\"", File.ReadAllText(Out("manifest.json")));
        Assert.Equal(["alice@example.org", "+41 79 000 00 00", null], m.Shares.Select(s => s.Contact));
        Assert.Equal(["Asia/Singapore", null, null], m.Shares.Select(s => s.TimeZone));

        using var plain = AgeDecryptor.Decrypt(File.ReadAllBytes(Out("share-1.age")), _alice);
        using var sealedFile = ShareFile.Parse(plain.Span, "sealed");
        using var paperFile = ShareFile.Parse(File.ReadAllBytes(Out("share-2.txt")), "paper");
        Assert.Equal(("Alice", 1), (sealedFile.Custodian, sealedFile.Share.MemberNumber));
        Assert.Equal(("Bob", 2), (paperFile.Custodian, paperFile.Share.MemberNumber));
    }

    [Fact]
    public void Combine_opens_a_sealed_share_with_its_identity_and_refuses_it_without()
    {
        Assert.Equal(ExitCode.Success, Split().Rc);
        var output = _k.Dir("rebuilt.hex");
        var (rc, console) = CustodyKit.Run(["combine", "--share-file", Out("share-1.age"), "--share-file", Out("share-2.txt"),
            "--reveal-format", "hex", "--out", output]);
        Assert.Equal(ExitCode.Usage, rc);
        Assert.Contains("sealed (age) share file", console.StderrText);
        Assert.False(File.Exists(output));

        (rc, console) = CustodyKit.Run(["combine", "--share-file", Out("share-1.age"), "--share-file", Out("share-2.txt"),
            "--identity", IdentityFile("alice.key", _alice), "--reveal-format", "hex", "--out", output]);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Equal(TestKeys.Key1, File.ReadAllText(output).Trim());

        // Someone else's identity does not open Alice's share.
        (rc, console) = CustodyKit.Run(["combine", "--share-file", Out("share-1.age"), "--share-file", Out("share-2.txt"),
            "--identity", IdentityFile("dara.key", _dara), "--reveal-format", "hex", "--out", _k.Dir("other.hex")]);
        Assert.Equal(ExitCode.AuthenticationFailed, rc);
        Assert.Contains("share-1.age", console.StderrText);
    }

    [Fact]
    public void Reissue_from_a_sealed_share_seals_the_new_one_marks_the_departed_custodian_and_keeps_one_current_manifest()
    {
        SheetTools.RequireTools();
        Assert.Equal(ExitCode.Success, Split().Rc);
        var kept = _k.Dir("kept");
        Directory.CreateDirectory(kept);
        var manifest = Path.Combine(kept, "manifest.json");
        File.Copy(Out("manifest.json"), manifest);
        var before = File.ReadAllText(manifest);
        var handOver = _k.Dir("for-dara");
        Directory.CreateDirectory(handOver);

        var (rc, console) = CustodyKit.Run(["share", "reissue", "--share-file", Out("share-1.age"), "--identity", IdentityFile("alice.key", _alice),
            "--share-file", Out("share-2.txt"), "--number", "4", "--custodian", "Dara", "--seal-to", _dara.Recipient.Text, "--replaces", "3",
            "--reason", "Carol left the company", "--manifest", manifest, "--out-dir", handOver, "--key-file", _k.Kit.KeyFile,
            "--passphrase-file", _k.Kit.PassFile, "--paper"]);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Equal(["manifest.json", "share-4.age", "share-4.pdf"], CustodyKit.Entries(handOver));

        // The manifest kept with the backup is now the next revision, naming the one it replaced; the copy is the same.
        var current = BackupManifest.ReadAuthentic(File.ReadAllText(manifest));
        Assert.Equal(File.ReadAllText(manifest), File.ReadAllText(Path.Combine(handOver, "manifest.json")));
        FileModes.AssertPublic(manifest);
        Assert.Equal((2, BackupManifest.Hash(before)), (current.Revision, current.Supersedes));
        var carol = current.ShareAt(1, 3)!;
        Assert.Equal("Carol left the company", carol.Departed?.Reason);
        Assert.Equal(_dara.Recipient.Text, current.ShareAt(1, 4)!.AgeRecipient);
        Assert.Equal(["split", "depart", "reissue"], current.History.Select(e => e.Action));
        Assert.Equal(3, current.HeldCount(1));

        // The new share opens with Dara's key only, and its sheet counts the three shares custodians hold.
        using (var plain = AgeDecryptor.Decrypt(File.ReadAllBytes(Path.Combine(handOver, "share-4.age")), _dara))
        using (var file = ShareFile.Parse(plain.Span, "share 4"))
            Assert.Equal(("Dara", 4), (file.Custodian, file.Share.MemberNumber));
        var sheet = SheetTools.PdfText(Path.Combine(handOver, "share-4.pdf"));
        Assert.Contains("4, one of 3", sheet);

        var verify = CustodyKit.Run(["manifest", "verify", manifest]);
        Assert.Equal(ExitCode.Success, verify.Rc);
        Assert.Contains("revision:        2, supersedes", verify.Console.StdoutText);
        Assert.Contains("Carol, DEPARTED", verify.Console.StdoutText);
        Assert.Contains("depart   Carol (share #3) left: Carol left the company", verify.Console.StdoutText);

        // The superseded revision is refused wherever it lies beside the current one.
        var stale = Path.Combine(kept, "manifest-old.json");
        File.WriteAllText(stale, before);
        (rc, console) = CustodyKit.Run(["manifest", "verify", stale]);
        Assert.Equal(ExitCode.BadInput, rc);
        Assert.Contains("is superseded", console.StderrText);
        Assert.Contains("revision 2", console.StderrText);
    }

    [Fact]
    public void Reissue_takes_the_custodians_line_of_the_new_custodian_and_refuses_a_departed_number()
    {
        Assert.Equal(ExitCode.Success, Split().Rc);
        var list = _k.Kit.Write("custodians-2.txt", $"Alice = {_alice.Recipient.Text}\nBob\nCarol\nDara = {_dara.Recipient.Text}\n  time zone: America/New_York\n");
        var outDir = _k.Dir("out-2");
        Directory.CreateDirectory(outDir);
        string[] common = ["share", "reissue", "--share-file", Out("share-2.txt"), "--share-file", Out("share-3.txt"), "--manifest", Out("manifest.json"),
            "--key-file", _k.Kit.KeyFile, "--passphrase-file", _k.Kit.PassFile];
        var (rc, console) = CustodyKit.Run([.. common, "--number", "4", "--custodian", "dara", "--custodians-file", list, "--replaces", "1", "--out-dir", outDir]);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        var m = BackupManifest.ReadAuthentic(File.ReadAllText(Out("manifest.json")));
        Assert.Equal(("America/New_York", _dara.Recipient.Text), (m.ShareAt(1, 4)!.TimeZone, m.ShareAt(1, 4)!.AgeRecipient));
        Assert.NotNull(m.ShareAt(1, 1)!.Departed);

        // Alice's number is not handed out again.
        var outDir3 = _k.Dir("out-3");
        Directory.CreateDirectory(outDir3);
        (rc, console) = CustodyKit.Run([.. common, "--number", "1", "--custodian", "Alice", "--out-dir", outDir3]);
        Assert.Equal(ExitCode.BadInput, rc);
        Assert.Contains("left the backup", console.StderrText);
        Assert.Empty(CustodyKit.Entries(outDir3));
    }

    [Fact]
    public void Restore_status_names_how_to_reach_each_custodian_still_out()
    {
        Assert.Equal(ExitCode.Success, Split().Rc);
        var dir = _k.Dir("session");
        var (rc, console) = CustodyKit.Run(["restore", "start", "--out-dir", dir, "--session-passphrase-file", _k.SessionPass,
            "--manifest", Out("manifest.json"), .. CustodyKit.WeakKdf]);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Equal(ExitCode.Success, _k.Add(dir, "--share-file", Out("share-2.txt")).Rc);
        var status = CustodyKit.Run(["restore", "status", dir]);
        Assert.Equal(ExitCode.Success, status.Rc);
        Assert.Contains("still out:   share #1 (Alice, contact alice@example.org, time zone Asia/Singapore)", status.Console.StdoutText);
        Assert.Contains("still out:   share #3 (Carol)", status.Console.StdoutText);
    }

    [Fact]
    public void A_sealed_sheet_prints_the_ssh_keys_comment_so_the_custodian_knows_which_key_opens_it()
    {
        SheetTools.RequireTools();
        var list = _k.Kit.Write("custodians-ssh.txt",
            "Alice\nBob\nCarol = ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDKeXB8air8kVbyipmcfbnqvW5iSiDXmefB9o2vpNINr carol@laptop\n");
        var (rc, console) = CustodyKit.Run(["split", _k.Kit.KeyFile, "--out-dir", _k.Kit.OutDir, "--passphrase-file", _k.Kit.PassFile,
            "--threshold", "2", "--shares", "3", "--custodians-file", list, "--paper"]);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        var text = SheetTools.PdfText(Out("share-3.pdf"));
        Assert.Contains("carol@laptop", text);
    }

    [Fact]
    public void Reissue_refuses_to_seal_a_new_share_to_a_key_that_already_holds_one()
    {
        Assert.Equal(ExitCode.Success, Split().Rc);
        var outDir = _k.Dir("out-dup");
        Directory.CreateDirectory(outDir);
        var (rc, console) = CustodyKit.Run(["share", "reissue", "--share-file", Out("share-2.txt"), "--share-file", Out("share-3.txt"),
            "--number", "4", "--custodian", "Zed", "--seal-to", _alice.Recipient.Text, "--manifest", Out("manifest.json"), "--out-dir", outDir,
            "--key-file", _k.Kit.KeyFile, "--passphrase-file", _k.Kit.PassFile]);
        Assert.Equal(ExitCode.BadInput, rc);
        Assert.Contains("already holds share #1 (Alice)", console.StderrText);
        Assert.Empty(CustodyKit.Entries(outDir));
    }

    [Fact]
    public void Two_different_manifests_of_the_same_revision_side_by_side_are_refused_as_a_fork()
    {
        Assert.Equal(ExitCode.Success, Split().Rc);
        var original = File.ReadAllText(Out("manifest.json"));
        var copy = _k.Dir("copy");
        Directory.CreateDirectory(copy);
        File.WriteAllText(Path.Combine(copy, "manifest.json"), original);
        string[] common = ["share", "reissue", "--share-file", Out("share-2.txt"), "--share-file", Out("share-3.txt"),
            "--key-file", _k.Kit.KeyFile, "--passphrase-file", _k.Kit.PassFile];
        foreach (var (manifest, number, name) in new[] { (Out("manifest.json"), "4", "Gina"), (Path.Combine(copy, "manifest.json"), "5", "Hank") })
        {
            var dir = _k.Dir("to-" + name);
            Directory.CreateDirectory(dir);
            var (rc, console) = CustodyKit.Run([.. common, "--number", number, "--custodian", name, "--manifest", manifest, "--out-dir", dir]);
            Assert.True(rc == ExitCode.Success, console.StderrText);
        }
        File.Copy(Path.Combine(copy, "manifest.json"), Out("manifest-hank.json"));
        var verify = CustodyKit.Run(["manifest", "verify", Out("manifest.json")]);
        Assert.Equal(ExitCode.BadInput, verify.Rc);
        Assert.Contains("both revision 2", verify.Console.StderrText);
    }
}
