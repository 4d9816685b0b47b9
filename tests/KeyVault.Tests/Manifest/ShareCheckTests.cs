using KeyVault.Errors;
using KeyVault.Manifest;
using KeyVault.Shares;
using KeyVault.Tests.Shares;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Manifest;

public class ShareCheckTests
{
    [Fact]
    public void Every_share_of_the_backup_is_registered_for_its_custodian()
    {
        using var key = ManifestTestKit.Key();
        using var set = ManifestTestKit.Split(key, ManifestTestKit.Layout(1, [2, 3], [3, 5]), "check registered");
        var manifest = BackupManifest.ReadAuthentic(ManifestTestKit.Manifest(set, key).Sign(key));
        var names = ManifestTestKit.Names(set.Shares.Count);
        for (int i = 0; i < set.Shares.Count; i++)
        {
            var r = ShareCheck.Against(manifest, set.Shares[i].Mnemonic);
            Assert.Equal(ShareCheckVerdict.Registered, r.Verdict);
            Assert.Equal(names[i], r.Registration!.Custodian);
            Assert.Equal(set.Shares[i].Info, r.Share);
            Assert.Contains($"registered for {names[i]}", r.Message);
            r.ThrowUnlessRegistered();
        }
    }

    [Fact]
    public void A_share_of_another_backup_or_an_altered_share_is_not_in_the_manifest()
    {
        using var key = ManifestTestKit.Key();
        using var set = ManifestTestKit.Split(key, SplitLayout.Single(2, 3), "check other a");
        using var other = ManifestTestKit.Split(key, SplitLayout.Single(2, 3), "check other b");
        var manifest = ManifestTestKit.Manifest(set, key);

        var foreign = ShareCheck.Against(manifest, other.Shares[0].Mnemonic);
        Assert.Equal(ShareCheckVerdict.NotRegistered, foreign.Verdict);
        Assert.Contains($"backup {other.Identifier}", foreign.Message);
        Assert.Equal(ErrorKind.IdentityMismatch, Assert.Throws<KeyVaultException>(foreign.ThrowUnlessRegistered).Kind);

        var altered = ShareCheck.Against(manifest, ShareTestKit.Tamper(set.Shares[1].Mnemonic, 7));
        Assert.Equal(ShareCheckVerdict.NotRegistered, altered.Verdict);
        Assert.Contains("registers a different share #2 (for Bjørn Olsen)", altered.Message);
    }

    [Fact]
    public void A_share_of_a_retired_backup_says_destroy_this_sheet()
    {
        using var key = ManifestTestKit.Key();
        using var old = ManifestTestKit.Split(key, SplitLayout.Single(2, 3), "check retired old");
        using var current = ManifestTestKit.Split(key, SplitLayout.Single(3, 5), "check retired new");
        var (manifest, _) = BackupRetirement.Retire(ManifestTestKit.Manifest(old, key).Sign(key), ManifestTestKit.Manifest(current, key).Sign(key),
            key, "custodian left", ManifestTestKit.Later);

        var r = ShareCheck.Against(manifest, old.Shares[2].Mnemonic);
        Assert.Equal(ShareCheckVerdict.Retired, r.Verdict);
        Assert.Equal(old.Identifier, r.RetiredBackup!.BackupId);
        Assert.Contains("destroy this sheet", r.Message);
        Assert.Contains("2026-09-14", r.Message);
        Assert.Equal(ErrorKind.IdentityMismatch, Assert.Throws<KeyVaultException>(r.ThrowUnlessRegistered).Kind);
        Assert.Equal(ShareCheckVerdict.Registered, ShareCheck.Against(manifest, current.Shares[4].Mnemonic).Verdict);
    }

    [Fact]
    public void A_malformed_share_is_bad_input()
    {
        using var key = ManifestTestKit.Key();
        using var set = ManifestTestKit.Split(key, SplitLayout.Single(2, 3), "check malformed");
        var manifest = ManifestTestKit.Manifest(set, key);
        var ex = Assert.Throws<KeyVaultException>(() => ShareCheck.Against(manifest, set.Shares[0].Mnemonic + " academic"));
        Assert.Equal(ErrorKind.BadInput, ex.Kind);
    }

    [Fact]
    public void The_one_call_check_needs_an_authentic_manifest_and_works_without_one()
    {
        using var key = ManifestTestKit.Key();
        using var key2 = ManifestTestKit.Key(TestKeys.Key2);
        using var set = ManifestTestKit.Split(key, SplitLayout.Single(2, 3), "check one call");
        var json = ManifestTestKit.Manifest(set, key).Sign(key);

        var alone = ShareCheck.Check(set.Shares[1].Mnemonic, null);
        Assert.Equal(set.Shares[1].Info, alone.Share);
        Assert.Null(alone.Result);
        var with = ShareCheck.Check(set.Shares[1].Mnemonic, json);
        Assert.Equal(ShareCheckVerdict.Registered, with.Result!.Verdict);
        Assert.Equal("Bjørn Olsen", with.Result.Registration!.Custodian);
        var forged = BackupManifestTests.SignedByOther(ManifestTestKit.Manifest(set, key), key2);
        Assert.Equal(ErrorKind.DamagedFile, Assert.Throws<KeyVaultException>(() => ShareCheck.Check(set.Shares[1].Mnemonic, forged)).Kind);
    }
}
