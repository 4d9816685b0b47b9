using System.Text;
using System.Text.Json.Nodes;
using KeyVault.Age;
using KeyVault.Cli;
using KeyVault.Manifest;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Cli;

/// <summary>
/// Custodians whose keys are a hardware key (age1tag1…, age1yubikey1…) or post-quantum (age1pq1…), through
/// Program.Run: split and share reissue seal to them, the manifest records each share's recipient type, and what is
/// sealed opens in npm age-encryption with software identities of those types (tests/interop/age-peer.mjs). A bad
/// recipient is refused before any passphrase is asked.
/// </summary>
public sealed class HardwareAndPostQuantumCustodianTests : IDisposable
{
    private readonly CustodyKit _k = new(split: false);

    public void Dispose() => _k.Dispose();

    private static JsonNode Peer(object request) => AgePeer.Run(request);

    private string Out(string name) => Path.Combine(_k.Kit.OutDir, name);

    private string OpenInPeer(string type, JsonNode key, string file)
    {
        return Encoding.UTF8.GetString(AgePeer.Open(type, (string)key["identity"]!, File.ReadAllBytes(file)).Plaintext);
    }

    [Fact]
    public void Split_seals_to_tag_yubikey_and_hybrid_custodians_and_the_peer_opens_every_share()
    {
        var tag = Peer(new { op = "keygen", type = "tag" });
        var yubikey = Peer(new { op = "keygen", type = "yubikey" });
        var hybrid = Peer(new { op = "keygen", type = "hybrid" });
        var custodians = _k.Kit.Write("custodians.txt",
            $"Ana = {tag["recipient"]}\nBen = {yubikey["recipient"]}\n  contact: ben@example.org\nCy = {hybrid["recipient"]}\n  time zone: Asia/Tokyo\nDee\n");
        var (rc, console) = CustodyKit.Run(["split", _k.Kit.KeyFile, "--out-dir", _k.Kit.OutDir, "--passphrase-file", _k.Kit.PassFile,
            "--threshold", "2", "--shares", "4", "--custodians-file", custodians]);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Equal(["manifest.json", "share-1.age", "share-2.age", "share-3.age", "share-4.txt"], _k.Kit.OutEntries());

        var m = BackupManifest.ReadAuthentic(File.ReadAllText(Out("manifest.json")));
        Assert.Equal(["p256tag", "piv-p256", "mlkem768x25519", null], m.Shares.Select(s => s.RecipientType));
        Assert.Equal((string)hybrid["recipient"]!, m.Shares[2].AgeRecipient);

        var opened = new[] { ("tag", tag, 1), ("yubikey", yubikey, 2), ("hybrid", hybrid, 3) }
            .Select(x => (Name: x.Item1, Text: OpenInPeer(x.Item1, x.Item2, Out($"share-{x.Item3}.age")))).ToList();
        Assert.Contains("Ana", opened[0].Text);
        Assert.Contains("Ben", opened[1].Text);
        Assert.Contains("Cy", opened[2].Text);
        Assert.Equal("mlkem768x25519", AgeFile.Inspect(File.ReadAllBytes(Out("share-3.age"))).Stanzas.Single().Type);

        // The words the peer opened rebuild the key, with the paper share.
        var fromPeer = _k.Kit.Write("opened-2.txt", opened[1].Text);
        var output = _k.Dir("rebuilt.hex");
        (rc, console) = CustodyKit.Run(["combine", "--share-file", fromPeer, "--share-file", Out("share-4.txt"), "--reveal-format", "hex", "--out", output]);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Equal(TestKeys.Key1, File.ReadAllText(output).Trim());

        // A hybrid identity file opens the post-quantum share in KeyVault itself.
        var pqKey = _k.Kit.Write("cy.key", (string)hybrid["identity"]! + "\n");
        (rc, console) = CustodyKit.Run(["combine", "--share-file", Out("share-3.age"), "--share-file", Out("share-4.txt"), "--identity", pqKey,
            "--reveal-format", "hex", "--out", _k.Dir("rebuilt-2.hex")]);
        Assert.True(rc == ExitCode.Success, console.StderrText);
    }

    [Fact]
    public void Share_reissue_seals_the_new_share_to_a_yubikey_and_records_its_type()
    {
        var (rc, console) = CustodyKit.Run(["split", _k.Kit.KeyFile, "--out-dir", _k.Kit.OutDir, "--passphrase-file", _k.Kit.PassFile,
            "--threshold", "2", "--shares", "3", "--custodians-file", _k.Kit.Write("paper.txt", "Ana\nBen\nCy\n")]);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        var yubikey = Peer(new { op = "keygen", type = "yubikey" });
        var newDir = _k.Dir("reissued");
        Directory.CreateDirectory(newDir);
        (rc, console) = CustodyKit.Run(["share", "reissue", "--manifest", Out("manifest.json"), "--share-file", Out("share-1.txt"),
            "--share-file", Out("share-2.txt"), "--number", "4", "--custodian", "Dana", "--reason", "a custodian with a YubiKey", "--seal-to", (string)yubikey["recipient"]!,
            "--out-dir", newDir]);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        var sealedFile = Directory.GetFiles(newDir, "*.age").Single();
        Assert.Contains("Dana", OpenInPeer("yubikey", yubikey, sealedFile));
        var m = BackupManifest.ReadAuthentic(File.ReadAllText(Out("manifest.json")));
        Assert.Equal("piv-p256", m.Shares.Single(s => s.Custodian == "Dana").RecipientType);
    }

    [Fact]
    public void The_ceremony_prints_sealed_sheets_for_hardware_and_post_quantum_custodians_that_scan_back_and_open()
    {
        SheetTools.RequireTools();
        var keys = new[] { ("tag", Peer(new { op = "keygen", type = "tag" })), ("yubikey", Peer(new { op = "keygen", type = "yubikey" })),
            ("hybrid", Peer(new { op = "keygen", type = "hybrid" })) };
        var custodians = _k.Kit.Write("custodians.txt", $"Ana = {keys[0].Item2["recipient"]}\nBen = {keys[1].Item2["recipient"]}\nCy = {keys[2].Item2["recipient"]}\n");
        var (outDir, rc, console) = _k.Ceremony("ceremony", ["Ana", "Ben", "Cy"], "--custodians-file", custodians, "--armor");
        Assert.True(rc == ExitCode.Success, console.StderrText);

        var m = BackupManifest.ReadAuthentic(File.ReadAllText(Path.Combine(outDir, "manifest.json")));
        Assert.Equal(["p256tag", "piv-p256", "mlkem768x25519"], m.Shares.Select(s => s.RecipientType));
        for (int i = 0; i < 3; i++)
        {
            var (type, key) = keys[i];
            var armored = File.ReadAllText(Path.Combine(outDir, $"share-{i + 1}.age"));
            var work = _k.Dir($"scan-{i + 1}");
            Directory.CreateDirectory(work);
            // The page as a custodian scans it, rebuilt with the command the sheet prints.
            File.Copy(SheetTools.Rasterize(Path.Combine(outDir, $"share-{i + 1}.pdf"), 150, work), Path.Combine(work, "page.png"));
            var (code, _, stderr) = External.Run("sh", "-c", $"cd '{work}' && {string.Join("\n", KeyVault.Paper.SealedShareLayout.JoinCommand)}");
            Assert.True(code == 0, stderr);
            var scanned = Path.Combine(work, "share.age");
            Assert.Equal(armored, File.ReadAllText(scanned));
            Assert.Contains(i == 0 ? "Ana" : i == 1 ? "Ben" : "Cy", OpenInPeer(type, key, scanned));
        }
        // The post-quantum sheet is the one with two codes and its text on a page of its own.
        Assert.Contains("page 3 of 3", SheetTools.PdfText(Path.Combine(outDir, "share-3.pdf")));
        Assert.Contains("page 2 of 2", SheetTools.PdfText(Path.Combine(outDir, "share-1.pdf")));
    }

    public static TheoryData<string, string> BadRecipients()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in new[] { "tag-bad-checksum", "tag-not-on-curve", "tag-infinity", "tag-mixed-case", "yubikey-truncated",
                     "hybrid-truncated", "hybrid-mixed-case", "hybrid-coefficient-out-of-range", "tagpq-unsupported" })
        {
            var v = VectorFile.Read(Path.Combine(External.RepoRoot, "test-vectors", "age-recipients", name));
            data.Add(v.BodyText.TrimEnd('\n'), v["error"]);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(BadRecipients))]
    public void A_bad_recipient_is_refused_before_any_passphrase(string recipient, string error)
    {
        var custodians = _k.Kit.Write("custodians.txt", $"Ana = {recipient}\nBen\nCy\n");
        foreach (var command in new[] { "split", "ceremony" })
        {
            var console = new TestConsole();
            var dir = _k.Dir($"out-{command}");
            Directory.CreateDirectory(dir);
            int rc = command == "split"
                ? console.Run("split", _k.Kit.KeyFile, "--out-dir", dir, "--threshold", "2", "--shares", "3", "--custodians-file", custodians)
                : console.Run("ceremony", "--out-dir", dir, "--custodians-file", custodians);
            Assert.True(rc == ExitCode.BadInput, $"{command}: exit {rc}: {console.StderrText}");
            Assert.Empty(console.Prompts);
            Assert.Contains(error, console.StderrText);
            Assert.Contains("line 1", console.StderrText);
        }
    }
}
