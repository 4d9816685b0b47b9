using KeyVault.Cli;
using KeyVault.Manifest;
using KeyVault.Tests.Manifest;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Cli;

/// <summary>split's manifest.json, manifest verify, share check, share reissue and backup retire, through Program.Run.</summary>
public sealed class ManifestShareCommandTests : IDisposable
{
    private readonly CustodyKit _k = new();

    public void Dispose() => _k.Dispose();

    // The manifest itself, as the commands take it: the body of the vector file.
    private string Vector(string name) => ManifestVectorTests.Read(name[..^".json".Length]).WriteBody(_k.Kit.Write(name, ""));

    [Fact]
    public void Split_writes_a_signed_manifest_beside_the_shares()
    {
        Assert.Equal(["manifest.json", "share-1.txt", "share-2.txt", "share-3.txt"], _k.Kit.OutEntries());
        FileModes.AssertPublic(_k.Manifest);
        var v = BackupManifest.Verify(File.ReadAllText(_k.Manifest));
        Assert.True(v.Authentic, v.Problem);
        Assert.Equal(TestKeys.Key1PublicKey, v.Manifest.Identity.PublicKey);
        Assert.Equal(["Alice", "Bob", "Carol"], v.Manifest.Shares.Select(s => s.Custodian));
        Assert.Equal("Example Signers", v.Manifest.Org);
        Assert.Equal("ops@example.org", v.Manifest.Contact);
        // The tests run keyvault.dll through dotnet, not the published single file: no executable hash to record.
        Assert.Null(v.Manifest.ExecutableSha256);
        Assert.Equal(2, v.Manifest.Groups[0].MemberThreshold);
    }

    [Fact]
    public void Split_without_custodian_names_numbers_them()
    {
        var dir = _k.SplitAgain("unnamed");
        var m = BackupManifest.ReadAuthentic(File.ReadAllText(Path.Combine(dir, "manifest.json")));
        Assert.Equal(["custodian 1", "custodian 2", "custodian 3"], m.Shares.Select(s => s.Custodian));
    }

    [Fact]
    public void A_failed_split_leaves_no_manifest_and_no_share()
    {
        var dir = _k.Dir("clash");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "share-3.txt"), "already here");
        var (rc, console) = CustodyKit.Run("split", _k.Kit.KeyFile, "--out-dir", dir, "--passphrase-file", _k.Kit.PassFile,
            "--threshold", "2", "--shares", "3");
        Assert.Equal(ExitCode.OutputFailure, rc);
        Assert.Equal(["share-3.txt"], CustodyKit.Entries(dir));

        File.Delete(Path.Combine(dir, "share-3.txt"));
        File.WriteAllText(Path.Combine(dir, "manifest.json"), "{}");
        (rc, console) = CustodyKit.Run("split", _k.Kit.KeyFile, "--out-dir", dir, "--passphrase-file", _k.Kit.PassFile,
            "--threshold", "2", "--shares", "3");
        Assert.True(rc == ExitCode.OutputFailure, console.StderrText);
        Assert.Equal(["manifest.json"], CustodyKit.Entries(dir));
        Assert.Equal("{}", File.ReadAllText(Path.Combine(dir, "manifest.json")));
    }

    [Fact]
    public void An_organisation_the_manifest_cannot_hold_stops_the_split_before_the_passphrase()
    {
        var dir = _k.Dir("badorg");
        Directory.CreateDirectory(dir);
        var console = new TestConsole();
        int rc = console.Run("split", _k.Kit.KeyFile, "--out-dir", dir, "--threshold", "2", "--shares", "3", "--org", "line\nbreak");
        Assert.Equal(ExitCode.BadInput, rc);
        Assert.Empty(console.Prompts);
        Assert.Empty(CustodyKit.Entries(dir));
    }

    [Fact]
    public void Manifest_verify_accepts_an_authentic_manifest_and_shows_it()
    {
        var (rc, console) = CustodyKit.Run("manifest", "verify", _k.Manifest);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Contains("authentic:", console.StdoutText);
        Assert.Contains("share #2", console.StdoutText);
        Assert.Contains("Bob", console.StdoutText);
        Assert.Contains("Example Signers", console.StdoutText);
    }

    [Theory]
    [InlineData("manifest-tampered.json")]
    [InlineData("manifest-other-signer.json")]
    [InlineData("manifest-commitment-tampered.json")]
    public void Manifest_verify_refuses_vectors_that_are_not_authentic(string vector)
    {
        var (rc, console) = CustodyKit.Run("manifest", "verify", Vector(vector));
        Assert.Equal(ExitCode.DamagedFile, rc);
        Assert.Contains("not authentic", console.StderrText);
        Assert.Equal("", console.StdoutText);
    }

    [Fact]
    public void Manifest_verify_refuses_an_edited_custodian_and_a_malformed_or_missing_file()
    {
        var json = CustodyKit.Json(_k.Manifest);
        json["shares"]![1]!["custodian"] = "Mallory";
        var forged = _k.Kit.Write("forged.json", json.ToJsonString());
        Assert.Equal(ExitCode.DamagedFile, CustodyKit.Run("manifest", "verify", forged).Rc);
        Assert.Equal(ExitCode.DamagedFile, CustodyKit.Run("manifest", "verify", _k.Kit.Write("junk.json", "not json")).Rc);
        Assert.Equal(ExitCode.BadInput, CustodyKit.Run("manifest", "verify", _k.Dir("absent.json")).Rc);
        Assert.Equal(ExitCode.Success, CustodyKit.Run("manifest", "verify", Vector("manifest-valid.json")).Rc);
    }

    [Fact]
    public void Share_check_confirms_the_registered_share_and_writes_nothing()
    {
        var before = CustodyKit.Entries(_k.Kit.Dir.Path);
        var (rc, console) = CustodyKit.Run("share", "check", "--share-file", _k.Share(2), "--manifest", _k.Manifest);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Contains("registered for Bob", console.StdoutText);
        Assert.Contains("share:              #2", console.StdoutText);
        Assert.Contains("extendable:         yes", console.StdoutText);
        Assert.Equal(before, CustodyKit.Entries(_k.Kit.Dir.Path));
    }

    [Fact]
    public void Share_check_without_a_manifest_checks_the_share_alone()
    {
        var (rc, console) = CustodyKit.Run("share", "check", "--share-file", _k.Share(1));
        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Contains("member threshold:   2", console.StdoutText);
        Assert.Contains("no manifest given", console.StdoutText);
    }

    [Fact]
    public void Share_check_typed_asks_again_after_an_empty_line_or_a_typo_and_takes_one_share()
    {
        var words = ShareCommandKit.Mnemonic(_k.Share(3));
        var typo = string.Join(' ', words.Split(' ').Select((w, i) => i == 5 ? (w == "academic" ? "acid" : "academic") : w));
        var console = new TestConsole();
        console.Secrets.Enqueue("");
        console.Secrets.Enqueue(typo);
        console.Secrets.Enqueue(words);
        int rc = console.Run("share", "check", "--manifest", _k.Manifest);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Equal(3, console.Prompts.Count);
        Assert.Contains("registered for Carol", console.StdoutText);
        Assert.Contains("keyvault: error:", console.StderrText);
    }

    [Fact]
    public void Share_check_piped_takes_exactly_one_share()
    {
        var one = ShareCommandKit.Mnemonic(_k.Share(1));
        var console = new TestConsole { Interactive = false }.WithStdin("\n" + one + "\n\n");
        Assert.Equal(ExitCode.Success, console.Run("share", "check", "--manifest", _k.Manifest));

        console = new TestConsole { Interactive = false }.WithStdin(one + "\n" + ShareCommandKit.Mnemonic(_k.Share(2)) + "\n");
        Assert.Equal(ExitCode.BadInput, console.Run("share", "check", "--manifest", _k.Manifest));
        Assert.Contains("more than one share", console.StderrText);
        Assert.Equal("", console.StdoutText);

        console = new TestConsole { Interactive = false }.WithStdin("\n");
        Assert.Equal(ExitCode.Cancelled, console.Run("share", "check"));
    }

    [Fact]
    public void Share_check_names_a_share_of_another_backup()
    {
        var other = _k.SplitAgain("other");
        var (rc, console) = CustodyKit.Run("share", "check", "--share-file", Path.Combine(other, "share-1.txt"), "--manifest", _k.Manifest);
        Assert.Equal(ExitCode.IdentityMismatch, rc);
        Assert.Contains("not in this manifest", console.StderrText);
    }

    [Fact]
    public void Share_check_refuses_a_malformed_share_and_a_manifest_that_is_not_authentic()
    {
        var bad = _k.Kit.Write("bad.txt", string.Join(' ', Enumerable.Repeat("academic", 20)) + "\n");
        Assert.Equal(ExitCode.BadInput, CustodyKit.Run("share", "check", "--share-file", bad).Rc);
        var json = CustodyKit.Json(_k.Manifest);
        json["shares"]![0]!["commitment"] = new string('0', 64);
        var tampered = _k.Kit.Write("tampered.json", json.ToJsonString());
        var (rc, console) = CustodyKit.Run("share", "check", "--share-file", _k.Share(1), "--manifest", tampered);
        Assert.Equal(ExitCode.DamagedFile, rc);
        Assert.Equal("", console.StdoutText);
        Assert.Equal(ExitCode.DamagedFile, CustodyKit.Run("share", "check", "--share-file", _k.Share(1), "--manifest", Vector("manifest-other-signer.json")).Rc);
    }

    [Fact]
    public void Retire_then_share_check_says_destroy_this_sheet()
    {
        var newer = _k.SplitAgain("newer");
        var newManifest = Path.Combine(newer, "manifest.json");
        var (rc, console) = CustodyKit.Run("backup", "retire", "--manifest", _k.Manifest, "--replaced-by", newManifest,
            "--key-file", _k.Kit.KeyFile, "--passphrase-file", _k.Kit.PassFile);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        var m = BackupManifest.ReadAuthentic(File.ReadAllText(newManifest));
        var old = BackupManifest.ReadAuthentic(File.ReadAllText(_k.Manifest));
        Assert.Equal(old.BackupId, Assert.Single(m.Retired).BackupId);

        (rc, console) = CustodyKit.Run("share", "check", "--share-file", _k.Share(2), "--manifest", newManifest);
        Assert.Equal(ExitCode.ShareRetired, rc);
        Assert.Contains("destroy this sheet", console.StderrText);
        Assert.Equal(ExitCode.Success, CustodyKit.Run("share", "check", "--share-file", Path.Combine(newer, "share-2.txt"), "--manifest", newManifest).Rc);

        // Retiring again changes nothing.
        var bytes = File.ReadAllBytes(newManifest);
        Assert.Equal(ExitCode.BadInput, CustodyKit.Run("backup", "retire", "--manifest", _k.Manifest, "--replaced-by", newManifest,
            "--key-file", _k.Kit.KeyFile, "--passphrase-file", _k.Kit.PassFile).Rc);
        Assert.Equal(bytes, File.ReadAllBytes(newManifest));
    }

    [Fact]
    public void Retire_with_shares_instead_of_the_key_file()
    {
        var newer = _k.SplitAgain("newer");
        var newManifest = Path.Combine(newer, "manifest.json");
        var (rc, console) = CustodyKit.Run("backup", "retire", "--manifest", _k.Manifest, "--replaced-by", newManifest,
            "--share-file", Path.Combine(newer, "share-1.txt"), "--share-file", Path.Combine(newer, "share-3.txt"), "--reason", "Bob left");
        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Equal("Bob left", Assert.Single(BackupManifest.ReadAuthentic(File.ReadAllText(newManifest)).Retired).Reason);
    }

    [Fact]
    public void Retire_refuses_a_forged_manifest_and_no_key_and_writes_nothing()
    {
        var newer = _k.SplitAgain("newer");
        var newManifest = Path.Combine(newer, "manifest.json");
        var bytes = File.ReadAllBytes(newManifest);
        Assert.Equal(ExitCode.DamagedFile, CustodyKit.Run("backup", "retire", "--manifest", Vector("manifest-tampered.json"),
            "--replaced-by", newManifest, "--key-file", _k.Kit.KeyFile, "--passphrase-file", _k.Kit.PassFile).Rc);
        var (rc, console) = CustodyKit.Run("backup", "retire", "--manifest", _k.Manifest, "--replaced-by", newManifest);
        Assert.Equal(ExitCode.Usage, rc);
        Assert.Contains("--key-file", console.StderrText);
        // A manifest whose signature is by another key than the one it backs up.
        Assert.Equal(ExitCode.DamagedFile, CustodyKit.Run("backup", "retire", "--manifest", Vector("manifest-other-signer.json"),
            "--replaced-by", newManifest, "--key-file", _k.Kit.KeyFile, "--passphrase-file", _k.Kit.PassFile).Rc);
        // Both manifests the same backup.
        Assert.Equal(ExitCode.BadInput, CustodyKit.Run("backup", "retire", "--manifest", newManifest,
            "--replaced-by", newManifest, "--key-file", _k.Kit.KeyFile, "--passphrase-file", _k.Kit.PassFile).Rc);
        Assert.Equal(bytes, File.ReadAllBytes(newManifest));
    }

    [Fact]
    public void Reissue_recreates_a_lost_sheet_identical_to_the_original()
    {
        var out1 = _k.Dir("reissued");
        Directory.CreateDirectory(out1);
        var (rc, console) = CustodyKit.Run("share", "reissue", "--share-file", _k.Share(1), "--share-file", _k.Share(3),
            "--number", "2", "--custodian", "Bob", "--manifest", _k.Manifest, "--out-dir", out1,
            "--key-file", _k.Kit.KeyFile, "--passphrase-file", _k.Kit.PassFile);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Equal(["manifest.json", "share-2.txt"], CustodyKit.Entries(out1));
        Assert.Equal(ShareCommandKit.Mnemonic(_k.Share(2)), ShareCommandKit.Mnemonic(Path.Combine(out1, "share-2.txt")));
        Assert.Equal(ExitCode.Success, CustodyKit.Run("manifest", "verify", Path.Combine(out1, "manifest.json")).Rc);
    }

    [Fact]
    public void Reissue_with_paper_writes_the_sheet_too()
    {
        var out1 = _k.Dir("reissued");
        Directory.CreateDirectory(out1);
        var (rc, console) = CustodyKit.Run("share", "reissue", "--share-file", _k.Share(1), "--share-file", _k.Share(3),
            "--number", "2", "--custodian", "Bob", "--manifest", _k.Manifest, "--out-dir", out1, "--paper",
            "--key-file", _k.Kit.KeyFile, "--passphrase-file", _k.Kit.PassFile);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Equal(["manifest.json", "share-2.pdf", "share-2.txt"], CustodyKit.Entries(out1));
        Assert.StartsWith("%PDF", File.ReadAllText(Path.Combine(out1, "share-2.pdf"))[..4]);
    }

    [Fact]
    public void Reissue_with_paper_prints_the_manifests_org_and_contact_unless_told_otherwise()
    {
        SheetTools.RequireTools();
        var out1 = _k.Dir("reissued");
        Directory.CreateDirectory(out1);
        string[] reissue = ["share", "reissue", "--share-file", _k.Share(1), "--share-file", _k.Share(3), "--number", "2", "--custodian", "Bob",
            "--manifest", _k.Manifest, "--key-file", _k.Kit.KeyFile, "--passphrase-file", _k.Kit.PassFile, "--paper"];
        var (rc, console) = CustodyKit.Run([.. reissue, "--out-dir", out1]);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        var text = System.Text.RegularExpressions.Regex.Replace(SheetTools.PdfText(Path.Combine(out1, "share-2.pdf")), @"\s+", " ");
        Assert.Contains("Organisation Example Signers", text);
        Assert.Contains("Contact ops@example.org", text);

        var out2 = _k.Dir("reissued-2");
        Directory.CreateDirectory(out2);
        (rc, console) = CustodyKit.Run([.. reissue, "--out-dir", out2, "--contact", "Dana Example, dana@example.org"]);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        text = System.Text.RegularExpressions.Regex.Replace(SheetTools.PdfText(Path.Combine(out2, "share-2.pdf")), @"\s+", " ");
        Assert.Contains("Organisation Example Signers", text);
        Assert.Contains("Contact Dana Example, dana@example.org", text);
        // The option changes the sheet only: the re-signed manifest keeps the contact it records.
        Assert.Equal("ops@example.org", BackupManifest.ReadAuthentic(File.ReadAllText(Path.Combine(out2, "manifest.json"))).Contact);

        var out3 = _k.Dir("reissued-3");
        Directory.CreateDirectory(out3);
        (rc, console) = CustodyKit.Run([.. reissue[..^1], "--out-dir", out3, "--org", "Other"]);
        Assert.Equal(ExitCode.Usage, rc);
        Assert.Contains("--paper", console.StderrText);
        Assert.Empty(CustodyKit.Entries(out3));
    }

    [Fact]
    public void Reissue_adds_a_custodian_whose_share_restores_with_an_original_one()
    {
        var out1 = _k.Dir("reissued");
        Directory.CreateDirectory(out1);
        // Two shares reach the threshold, so the key is rebuilt to sign and no key file is needed.
        var (rc, console) = CustodyKit.Run("share", "reissue", "--share-file", _k.Share(1), "--share-file", _k.Share(2),
            "--number", "4", "--custodian", "Dave", "--manifest", _k.Manifest, "--out-dir", out1);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        var newManifest = Path.Combine(out1, "manifest.json");
        var m = BackupManifest.ReadAuthentic(File.ReadAllText(newManifest));
        Assert.Equal(["Alice", "Bob", "Carol", "Dave"], m.Shares.Select(s => s.Custodian));
        var (combined, combine) = ShareCommandKit.RevealFrom([Path.Combine(out1, "share-4.txt"), _k.Share(3)]);
        Assert.True(combined == ExitCode.Success, combine.StderrText);
        Assert.Contains(TestKeys.Key1, combine.StdoutText);
        Assert.Equal(ExitCode.Success, CustodyKit.Run("share", "check", "--share-file", Path.Combine(out1, "share-4.txt"), "--manifest", newManifest).Rc);
        Assert.Equal(ExitCode.Success, CustodyKit.Run("share", "check", "--share-file", _k.Share(3), "--manifest", newManifest).Rc);
    }

    [Fact]
    public void Reissue_refuses_a_taken_number_too_few_shares_and_a_forged_manifest_writing_nothing()
    {
        var out1 = _k.Dir("reissued");
        Directory.CreateDirectory(out1);
        string[] key = ["--key-file", _k.Kit.KeyFile, "--passphrase-file", _k.Kit.PassFile, "--out-dir", out1];
        var (rc, console) = CustodyKit.Run(["share", "reissue", "--share-file", _k.Share(1), "--share-file", _k.Share(3),
            "--number", "2", "--custodian", "Eve", "--manifest", _k.Manifest, .. key]);
        Assert.Equal(ExitCode.BadInput, rc);
        Assert.Contains("already registered to Bob", console.StderrText);

        (rc, console) = CustodyKit.Run(["share", "reissue", "--share-file", _k.Share(1),
            "--number", "4", "--custodian", "Dave", "--manifest", _k.Manifest, .. key]);
        Assert.Equal(ExitCode.RebuildFailed, rc);

        (rc, console) = CustodyKit.Run(["share", "reissue", "--share-file", _k.Share(1), "--share-file", _k.Share(3),
            "--number", "17", "--custodian", "Dave", "--manifest", _k.Manifest, .. key]);
        Assert.Equal(ExitCode.BadInput, rc);

        var other = _k.SplitAgain("other");
        (rc, console) = CustodyKit.Run(["share", "reissue", "--share-file", Path.Combine(other, "share-1.txt"), "--share-file", Path.Combine(other, "share-2.txt"),
            "--number", "4", "--custodian", "Dave", "--manifest", _k.Manifest, .. key]);
        Assert.Equal(ExitCode.IdentityMismatch, rc);

        var json = CustodyKit.Json(_k.Manifest);
        json["shares"]![0]!["custodian"] = "Mallory";
        var forged = _k.Kit.Write("forged.json", json.ToJsonString());
        (rc, console) = CustodyKit.Run(["share", "reissue", "--share-file", _k.Share(1), "--share-file", _k.Share(3),
            "--number", "4", "--custodian", "Dave", "--manifest", forged, .. key]);
        Assert.Equal(ExitCode.DamagedFile, rc);
        Assert.Empty(CustodyKit.Entries(out1));
    }

    [Theory]
    [InlineData("alice ", "the custodian of share #4 has the same name as the custodian of share #1 (Alice)")]
    [InlineData("CAROL", "the custodian of share #4 has the same name as the custodian of share #3 (Carol)")]
    [InlineData("Dave\u200bDave", "U+200B")]
    [InlineData("   ", "the name of the custodian of share 4 is empty")]
    public void Reissue_holds_a_new_custodian_to_the_split_name_rule_writing_nothing(string name, string expected)
    {
        var out1 = _k.Dir("reissued");
        Directory.CreateDirectory(out1);
        var (rc, console) = CustodyKit.Run("share", "reissue", "--share-file", _k.Share(1), "--share-file", _k.Share(2),
            "--number", "4", "--custodian", name, "--manifest", _k.Manifest, "--out-dir", out1);
        Assert.True(rc == ExitCode.BadInput, console.StderrText);
        Assert.Contains(expected, console.StderrText);
        Assert.Empty(CustodyKit.Entries(out1));
    }

    [Fact]
    public void Reissue_takes_60_characters_as_split_does_and_refuses_61()
    {
        var out1 = _k.Dir("reissued");
        Directory.CreateDirectory(out1);
        string[] args = ["share", "reissue", "--share-file", _k.Share(1), "--share-file", _k.Share(2), "--number", "4", "--manifest", _k.Manifest];
        var (rc, console) = CustodyKit.Run([.. args, "--custodian", new string('d', 61), "--out-dir", out1]);
        Assert.True(rc == ExitCode.BadInput, console.StderrText);
        Assert.Contains("longer than 60 characters", console.StderrText);
        Assert.Empty(CustodyKit.Entries(out1));

        (rc, console) = CustodyKit.Run([.. args, "--custodian", " " + new string('d', 60) + " ", "--out-dir", out1]);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        var m = BackupManifest.ReadAuthentic(File.ReadAllText(Path.Combine(out1, "manifest.json")));
        // Stored trimmed, as split stores its names, and printed so in the share file.
        Assert.Equal(new string('d', 60), m.ShareAt(1, 4)!.Custodian);
        Assert.Contains($"# custodian: {new string('d', 60)}\n", File.ReadAllText(Path.Combine(out1, "share-4.txt")));
    }

    [Fact]
    public void Reissue_recreates_a_lost_sheet_for_its_custodian_given_with_spaces()
    {
        var out1 = _k.Dir("reissued");
        Directory.CreateDirectory(out1);
        var (rc, console) = CustodyKit.Run("share", "reissue", "--share-file", _k.Share(1), "--share-file", _k.Share(3),
            "--number", "2", "--custodian", " Bob ", "--manifest", _k.Manifest, "--out-dir", out1);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Equal(ShareCommandKit.Mnemonic(_k.Share(2)), ShareCommandKit.Mnemonic(Path.Combine(out1, "share-2.txt")));
        Assert.Equal(["Alice", "Bob", "Carol"], BackupManifest.ReadAuthentic(File.ReadAllText(Path.Combine(out1, "manifest.json"))).Shares.Select(x => x.Custodian));
    }
}
