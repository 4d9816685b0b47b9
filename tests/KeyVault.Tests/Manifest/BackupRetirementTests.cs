using KeyVault.Errors;
using KeyVault.Manifest;
using KeyVault.Shares;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Manifest;

public class BackupRetirementTests
{
    [Fact]
    public void The_new_manifest_records_the_old_backup_as_retired_and_stays_authentic()
    {
        using var key = ManifestTestKit.Key();
        using var old = ManifestTestKit.Split(key, SplitLayout.Single(2, 3), "retire old");
        using var current = ManifestTestKit.Split(key, SplitLayout.Single(2, 3), "retire new");
        var oldJson = ManifestTestKit.Manifest(old, key).Sign(key);
        var (manifest, json) = BackupRetirement.Retire(oldJson, ManifestTestKit.Manifest(current, key).Sign(key), key, "Chen Wei left", ManifestTestKit.Later);

        var v = BackupManifest.Verify(json);
        Assert.True(v.Authentic, v.Problem);
        var r = Assert.Single(v.Manifest.Retired);
        Assert.Equal(old.Identifier, r.BackupId);
        Assert.Equal(ManifestTestKit.Later, r.RetiredAt);
        Assert.Equal("Chen Wei left", r.Reason);
        Assert.Equal(old.Shares.Select(s => ShareCommitment.Of(s.Mnemonic)), r.Commitments);
        Assert.Equal(["split", "retire"], v.Manifest.History.Select(e => e.Action));
        Assert.Equal(old.Identifier, v.Manifest.History[1].BackupId);
        Assert.Equal(current.Identifier, manifest.BackupId);
    }

    [Fact]
    public void What_the_old_manifest_retired_stays_retired()
    {
        using var key = ManifestTestKit.Key();
        using var first = ManifestTestKit.Split(key, SplitLayout.Single(2, 3), "retire chain 1");
        using var second = ManifestTestKit.Split(key, SplitLayout.Single(2, 3), "retire chain 2");
        using var third = ManifestTestKit.Split(key, SplitLayout.Single(2, 3), "retire chain 3");
        var (_, secondJson) = BackupRetirement.Retire(ManifestTestKit.Manifest(first, key).Sign(key), ManifestTestKit.Manifest(second, key).Sign(key),
            key, "lost sheet", ManifestTestKit.Later);
        var (manifest, _) = BackupRetirement.Retire(secondJson, ManifestTestKit.Manifest(third, key).Sign(key), key, "yearly rotation",
            ManifestTestKit.Later.AddDays(30));
        Assert.Equal([second.Identifier, first.Identifier], manifest.Retired.Select(r => r.BackupId));
        Assert.Equal(ShareCheckVerdict.Retired, ShareCheck.Against(manifest, first.Shares[0].Mnemonic).Verdict);
    }

    [Fact]
    public void Refuses_manifests_of_different_keys_forged_manifests_and_itself()
    {
        using var key = ManifestTestKit.Key();
        using var key2 = ManifestTestKit.Key(TestKeys.Key2);
        using var a = ManifestTestKit.Split(key, SplitLayout.Single(2, 3), "retire refuse a");
        using var b = ManifestTestKit.Split(key2, SplitLayout.Single(2, 3), "retire refuse b");
        using var c = ManifestTestKit.Split(key, SplitLayout.Single(2, 3), "retire refuse c");
        var aJson = ManifestTestKit.Manifest(a, key).Sign(key);
        var bJson = ManifestTestKit.Manifest(b, key2).Sign(key2);
        var cJson = ManifestTestKit.Manifest(c, key).Sign(key);

        Assert.Equal(ErrorKind.IdentityMismatch, Assert.Throws<KeyVaultException>(() => BackupRetirement.Retire(aJson, bJson, key2, "x", ManifestTestKit.Later)).Kind);
        var forged = BackupManifestTests.SignedByOther(ManifestTestKit.Manifest(a, key), key2);
        Assert.Equal(ErrorKind.DamagedFile, Assert.Throws<KeyVaultException>(() => BackupRetirement.Retire(forged, cJson, key, "x", ManifestTestKit.Later)).Kind);
        Assert.Equal(ErrorKind.DamagedFile, Assert.Throws<KeyVaultException>(() => BackupRetirement.Retire(aJson, cJson.Replace("Ana Silva", "Eve"), key, "x", ManifestTestKit.Later)).Kind);
        Assert.Equal(ErrorKind.BadInput, Assert.Throws<KeyVaultException>(() => BackupRetirement.Retire(aJson, aJson, key, "x", ManifestTestKit.Later)).Kind);
        Assert.Equal(ErrorKind.IdentityMismatch, Assert.Throws<KeyVaultException>(() => BackupRetirement.Retire(aJson, cJson, key2, "x", ManifestTestKit.Later)).Kind);
        var (_, retired) = BackupRetirement.Retire(aJson, cJson, key, "x", ManifestTestKit.Later);
        Assert.Equal(ErrorKind.BadInput, Assert.Throws<KeyVaultException>(() => BackupRetirement.Retire(aJson, retired, key, "again", ManifestTestKit.Later)).Kind);
    }
}
