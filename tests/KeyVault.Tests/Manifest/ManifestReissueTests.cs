using KeyVault.Errors;
using KeyVault.Manifest;
using KeyVault.Shares;

namespace KeyVault.Tests.Manifest;

public class ManifestReissueTests
{
    [Fact]
    public void A_new_custodian_gets_a_new_number_and_the_manifest_is_re_signed()
    {
        using var key = ManifestTestKit.Key();
        using var set = ManifestTestKit.Split(key, SplitLayout.Single(2, 3), "mreissue new");
        var manifest = BackupManifest.ReadAuthentic(ManifestTestKit.Manifest(set, key).Sign(key));
        var given = set.Shares.Take(2).Select(s => s.Mnemonic).ToList();

        using var outcome = ManifestReissue.Reissue(manifest, given, new ReissueRequest(4, "Zoe Adams", "Chen Wei moved abroad"), ManifestTestKit.Later);
        Assert.False(outcome.Recreated);
        Assert.Equal(4, outcome.Share.AsMnemonicShare.MemberCount);
        var v = BackupManifest.Verify(outcome.ManifestJson);
        Assert.True(v.Authentic, v.Problem);
        var updated = v.Manifest;
        Assert.Equal(new ManifestGroup(2, 4), updated.Groups[0]);
        Assert.Equal(new ManifestShare(1, 4, "Zoe Adams", outcome.Share.Commitment), updated.ShareAt(1, 4));
        var e = updated.History[^1];
        Assert.Equal(("reissue", 1, 4, "Zoe Adams", "Chen Wei moved abroad"), (e.Action, e.Group!.Value, e.Member!.Value, e.Custodian, e.Reason));
        Assert.Equal(ShareCheckVerdict.Registered, ShareCheck.Against(updated, outcome.Share.Mnemonic).Verdict);
        // Every other custodian's sheet is still registered.
        foreach (var s in set.Shares) Assert.Equal(ShareCheckVerdict.Registered, ShareCheck.Against(updated, s.Mnemonic).Verdict);
        Assert.DoesNotContain(outcome.Share.Mnemonic.Split(' ')[10], outcome.ManifestJson.Split('"'));
    }

    [Fact]
    public void A_lost_sheet_is_re_created_identically_for_its_custodian_only()
    {
        using var key = ManifestTestKit.Key();
        using var set = ManifestTestKit.Split(key, SplitLayout.Single(3, 5), "mreissue lost");
        var manifest = ManifestTestKit.Manifest(set, key);
        var given = new[] { 0, 1, 3 }.Select(i => set.Shares[i].Mnemonic).ToList();

        using var outcome = ManifestReissue.Reissue(manifest, given, new ReissueRequest(3, "Chen Wei", "sheet lost in a move"), ManifestTestKit.Later);
        Assert.True(outcome.Recreated);
        Assert.Equal(set.Shares[2].Mnemonic, outcome.Share.Mnemonic);
        Assert.Equal(manifest.Shares, outcome.Manifest.Shares);
        Assert.True(BackupManifest.Verify(outcome.ManifestJson).Authentic);

        var taken = Assert.Throws<KeyVaultException>(() =>
            ManifestReissue.Reissue(manifest, given, new ReissueRequest(3, "Mallory", "takeover"), ManifestTestKit.Later));
        Assert.Equal(ErrorKind.BadInput, taken.Kind);
        Assert.Contains("already registered to Chen Wei", taken.Message);
    }

    [Fact]
    public void Refuses_unregistered_shares_too_few_shares_and_numbers_out_of_range()
    {
        using var key = ManifestTestKit.Key();
        using var set = ManifestTestKit.Split(key, SplitLayout.Single(3, 5), "mreissue refuse");
        using var other = ManifestTestKit.Split(key, SplitLayout.Single(3, 5), "mreissue refuse other");
        var manifest = ManifestTestKit.Manifest(set, key);
        var request = new ReissueRequest(7, "Zoe Adams", "new custodian");
        var m = set.Shares.Select(s => s.Mnemonic).ToList();

        Assert.Equal(ErrorKind.RebuildFailed, Assert.Throws<KeyVaultException>(() => ManifestReissue.Reissue(manifest, m.Take(2).ToList(), request, ManifestTestKit.Later)).Kind);
        Assert.Equal(ErrorKind.IdentityMismatch, Assert.Throws<KeyVaultException>(() =>
            ManifestReissue.Reissue(manifest, other.Shares.Take(3).Select(s => s.Mnemonic).ToList(), request, ManifestTestKit.Later)).Kind);
        Assert.Equal(ErrorKind.BadInput, Assert.Throws<KeyVaultException>(() =>
            ManifestReissue.Reissue(manifest, m.Take(3).ToList(), request with { ShareNumber = 17 }, ManifestTestKit.Later)).Kind);
        Assert.Equal(ErrorKind.BadInput, Assert.Throws<KeyVaultException>(() =>
            ManifestReissue.Reissue(manifest, m.Take(3).ToList(), request with { Custodian = "tab\there" }, ManifestTestKit.Later)).Kind);
        Assert.Equal(ErrorKind.IdentityMismatch, Assert.Throws<KeyVaultException>(() =>
            ManifestReissue.Reissue(manifest, [m[0], m[1], KeyVault.Tests.Shares.ShareTestKit.Tamper(m[2])], request, ManifestTestKit.Later)).Kind);
    }

    [Fact]
    public void With_groups_the_key_comes_from_enough_groups_or_is_given()
    {
        using var key = ManifestTestKit.Key();
        using var set = ManifestTestKit.Split(key, ManifestTestKit.Layout(2, [2, 3], [2, 3]), "mreissue groups", "pass phrase");
        var manifest = ManifestTestKit.Manifest(set, key, "pass phrase");
        var group2 = set.Group(2).Take(2).Select(s => s.Mnemonic).ToList();
        var request = new ReissueRequest(4, "Zoe Adams", "new custodian", Group: 2);

        var ex = Assert.Throws<KeyVaultException>(() => ManifestReissue.Reissue(manifest, group2, request, ManifestTestKit.Later));
        Assert.Equal(ErrorKind.RebuildFailed, ex.Kind);
        Assert.Contains("signed by the backed-up key", ex.Message);

        using (var withKey = ManifestReissue.Reissue(manifest, group2, request, ManifestTestKit.Later, signingKey: key))
            Assert.True(BackupManifest.Verify(withKey.ManifestJson).Authentic);

        var both = set.Group(1).Take(2).Select(s => s.Mnemonic).Concat(group2).ToList();
        var wrongPassphrase = Assert.Throws<KeyVaultException>(() => ManifestReissue.Reissue(manifest, both, request, ManifestTestKit.Later));
        Assert.Equal(ErrorKind.IdentityMismatch, wrongPassphrase.Kind);
        using var rebuilt = ManifestReissue.Reissue(manifest, both, request, ManifestTestKit.Later, slip39Passphrase: "pass phrase"u8);
        Assert.True(BackupManifest.Verify(rebuilt.ManifestJson).Authentic);
        Assert.Equal(2, rebuilt.Share.Info.GroupNumber);
    }
}
