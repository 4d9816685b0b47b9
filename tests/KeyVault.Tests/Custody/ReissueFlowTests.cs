using KeyVault.Errors;
using KeyVault.Flows;
using KeyVault.IO;
using KeyVault.Shares;
using KeyVault.Tests.Cli;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Custody;

/// <summary>
/// The reissue flow writes its share and the re-signed manifest into the caller's staged set: a discard (what the
/// front end's signal handler does) at any point leaves the output folder empty, and a killed run's temporaries are
/// removed by the next one.
/// </summary>
public sealed class ReissueFlowTests : IDisposable
{
    private readonly CustodyKit _k = new();

    public void Dispose() => _k.Dispose();

    private static ShareOutputOptions Options => new([], Paper: false, Png: false, KeyVault.Sheets.PaperSize.A4, KeyVault.Keys.StacksNetwork.Mainnet,
        new DateOnly(2026, 1, 2), PassphraseProtected: false);

    private ReissueFlowRequest Request(string custodian = "Bob") =>
        new([_k.Share(1), _k.Share(3)], _k.Manifest, 2, custodian, "lost sheet", null, null, null, null);

    private string OutDir(string name) => Directory.CreateDirectory(_k.Dir(name)).FullName;

    [Fact]
    public void A_completed_reissue_names_the_share_and_the_manifest()
    {
        var dir = OutDir("done");
        using var files = new FileSet(dir, staged: true);
        var written = CustodyFlows.Reissue(new ScriptedOperator(), Request(), Options, files, null);
        // Staged: nothing carries its final name before the caller completes the set.
        Assert.All(CustodyKit.Entries(dir), e => Assert.StartsWith(".", e));
        Assert.True(files.Complete());
        Assert.Equal(["manifest.json", "share-2.txt"], CustodyKit.Entries(dir));
        Assert.True(written.Recreated);
        using var original = ShareFile.Parse(File.ReadAllBytes(_k.Share(2)), "original");
        using var again = ShareFile.Parse(File.ReadAllBytes(written.ShareFile), "reissued");
        Assert.Equal(original.Mnemonic, again.Mnemonic);
    }

    [Fact]
    public void A_discard_after_the_share_is_written_leaves_nothing()
    {
        var dir = OutDir("cut");
        using var files = new FileSet(dir, staged: true);
        // The handler runs on another thread in the program; here it runs at the moment the share file is written.
        var op = new ScriptedOperator { OnNote = m => { if (m.StartsWith("wrote share-2.txt", StringComparison.Ordinal)) files.Discard(); } };
        var ex = Assert.Throws<KeyVaultException>(() => CustodyFlows.Reissue(op, Request(), Options, files, null));
        Assert.Equal(ErrorKind.Cancelled, ex.Kind);
        Assert.Contains(op.Transcript, l => l.StartsWith("note: wrote share-2.txt", StringComparison.Ordinal));
        Assert.Empty(CustodyKit.Entries(dir));
        Assert.False(files.Complete());
    }

    [Fact]
    public void A_failure_after_the_share_is_written_leaves_nothing_once_the_set_is_disposed()
    {
        var dir = OutDir("failed");
        var op = new ScriptedOperator { OnNote = m => { if (m.StartsWith("wrote share-2.txt", StringComparison.Ordinal)) throw new IOException("disk gone"); } };
        using (var files = new FileSet(dir, staged: true))
            Assert.Throws<IOException>(() => CustodyFlows.Reissue(op, Request(), Options, files, null));
        Assert.Empty(CustodyKit.Entries(dir));
    }

    [Fact]
    public void Temporaries_of_a_killed_run_are_removed_with_a_note_and_the_reissue_goes_on()
    {
        var dir = OutDir("killed");
        string[] left = [".share-2.txt.0123456789ab.tmp", ".manifest.json.abcdef012345.tmp"];
        foreach (var name in left) File.WriteAllText(Path.Combine(dir, name), "secret words of a killed run");
        File.WriteAllText(Path.Combine(dir, ".share-2.txt.not-ours.tmp"), "someone else's");
        var op = new ScriptedOperator();
        using var files = new FileSet(dir, staged: true);
        CustodyFlows.Reissue(op, Request(), Options, files, null);
        Assert.True(files.Complete());
        foreach (var name in left) Assert.Contains($"note: removed {name}, left by an earlier run that was killed", op.Transcript);
        Assert.Equal([".share-2.txt.not-ours.tmp", "manifest.json", "share-2.txt"], CustodyKit.Entries(dir));
    }

    public static TheoryData<string, string> RefusedWithoutAPassphrase => new()
    {
        { "alice ", "same name as the custodian of share #1" }, // another custodian's name, case and spaces ignored
        { "Da\u200Bve", "not allowed" },                        // an invisible character
        { new string('x', 61), "60" },                           // longer than the one rule allows
    };

    [Theory]
    [MemberData(nameof(RefusedWithoutAPassphrase))]
    public void A_bad_custodian_name_is_refused_before_the_key_passphrase_is_asked(string custodian, string expected)
    {
        var dir = OutDir("names");
        using var files = new FileSet(dir, staged: true);
        // No terminal and no passphrase file: a check that came after the key file's passphrase would fail on that.
        var op = new ScriptedOperator { CanAsk = false };
        var request = new ReissueFlowRequest([_k.Share(1), _k.Share(3)], _k.Manifest, 4, custodian, "new custodian", null, _k.Kit.KeyFile, null, null);
        var ex = Assert.Throws<KeyVaultException>(() => CustodyFlows.Reissue(op, request, Options, files, null));
        Assert.Contains(expected, ex.Message);
        Assert.Empty(op.Questions);
        Assert.Empty(CustodyKit.Entries(dir));
    }

    [Fact]
    public void An_existing_share_file_is_refused_before_the_key_passphrase_is_asked()
    {
        var dir = OutDir("taken");
        File.WriteAllText(Path.Combine(dir, "share-4.txt"), "someone else's file\n");
        using var files = new FileSet(dir, staged: true);
        var op = new ScriptedOperator { CanAsk = false };
        var request = new ReissueFlowRequest([_k.Share(1), _k.Share(3)], _k.Manifest, 4, "Dave", "new custodian", null, _k.Kit.KeyFile, null, null);
        var ex = Assert.Throws<KeyVaultException>(() => CustodyFlows.Reissue(op, request, Options, files, null));
        Assert.Equal(ErrorCodes.OutputExists, ex.Code);
        Assert.Empty(op.Questions);
        Assert.Equal("someone else's file\n", File.ReadAllText(Path.Combine(dir, "share-4.txt")));
    }
}
