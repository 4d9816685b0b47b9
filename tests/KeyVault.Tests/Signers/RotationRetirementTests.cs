using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using KeyVault.Drill;
using KeyVault.Errors;
using KeyVault.Keys;
using KeyVault.Manifest;
using KeyVault.Shares;
using KeyVault.Signers;
using KeyVault.Signing;
using KeyVault.Tests.Manifest;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Signers;

/// <summary>
/// Retiring the previous key's backup after a rotation (docs/rotation.md, docs/manifest.md version 4): linked by the
/// successor statement, superseded and still needed until a drill of the new key proves DKG shares, then retired.
/// </summary>
public sealed class RotationRetirementTests : IDisposable
{
    private static readonly DateTimeOffset Rotated = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly SecretKey _old = ManifestTestKit.Key(TestKeys.Key1);
    private readonly SecretKey _new = ManifestTestKit.Key(TestKeys.Key2);
    private readonly ShareSet _oldSet;
    private readonly ShareSet _newSet;
    private readonly string _oldJson;
    private readonly string _newJson;

    public RotationRetirementTests()
    {
        _oldSet = ManifestTestKit.Split(_old, SplitLayout.Single(2, 3), "rotation old key");
        _newSet = ManifestTestKit.Split(_new, SplitLayout.Single(2, 3), "rotation new key");
        _oldJson = ManifestTestKit.Manifest(_oldSet, _old).Sign(_old);
        _newJson = ManifestTestKit.Manifest(_newSet, _new).Sign(_new);
    }

    public void Dispose()
    {
        _oldSet.Dispose();
        _newSet.Dispose();
        _old.Dispose();
        _new.Dispose();
    }

    private static string Statement(SecretKey from, SecretKey to) => SuccessorStatement.Accept(
        new SuccessorStatement { OldKey = from.PublicKey, NewKey = to.PublicKey, CreatedAt = Rotated, ToolVersion = "1.0.0" }.Announce(from), to);

    private static readonly PublicKey Aggregate = PointOf("aggregate key of the new signer set");

    private static PublicKey PointOf(string label)
    {
        using var k = SecretKey.FromBytes(SHA256.HashData(Encoding.UTF8.GetBytes(label)));
        return k.PublicKey;
    }

    /// <summary>A drill report of <paramref name="key"/> with the given DKG shares checks.</summary>
    private static byte[] Report(SecretKey key, params DrillCheck[] dkg) => Encoding.UTF8.GetBytes(new DrillReport
    {
        CreatedAt = Rotated.AddDays(20),
        ToolVersion = "1.0.0",
        KeyFile = new KeyFileTested("signer.kvk", new string('b', 64)),
        Expected = new DrillExpected("publicKey", key.PublicKey.Hex66),
        Derived = key.PublicKey.Identity(),
        Checks = [new DrillCheck(DrillCheck.IdentityName, "publicKey", DrillCheckResult.Pass, "key file: the same key"), .. dkg],
    }.Sign(key));

    private static DrillCheck Dkg(string subject, DrillCheckResult result = DrillCheckResult.Pass) =>
        new(DrillCheck.DkgSharesName, subject, result, result == DrillCheckResult.Pass ? "opened" : "not opened");

    [Fact]
    public void Superseded_then_retired_once_a_drill_of_the_new_key_proves_dkg_shares()
    {
        var statement = Statement(_old, _new);
        var (superseded, supersededJson) = BackupRetirement.AcrossRotation(_oldJson, _newJson, statement, null, _new, "rotated", Rotated);
        var v = BackupManifest.Verify(supersededJson);
        Assert.True(v.Authentic, v.Problem);
        Assert.Equal(BackupManifest.RotationFormatVersion, v.Manifest.Version);
        Assert.Contains("\"version\": 4", supersededJson);
        var entry = Assert.Single(v.Manifest.Retired);
        Assert.True(entry.StillNeeded);
        Assert.Equal(_oldSet.Identifier, entry.BackupId);
        Assert.Equal(_old.PublicKey.Hex66, entry.Rotation!.PreviousPublicKey);
        Assert.Equal(BackupManifest.Hash(_oldJson), entry.Rotation.PreviousManifest);
        Assert.True(SuccessorStatement.Verify(entry.Rotation.SuccessorStatement).Valid);
        Assert.Equal(["split", "supersede"], superseded.History.Select(e => e.Action));

        // A sheet of the old backup is to be kept while it is still needed.
        var kept = ShareCheck.Against(v.Manifest, _oldSet.Shares[0].Mnemonic);
        Assert.Equal(ShareCheckVerdict.Superseded, kept.Verdict);
        Assert.Contains("still needed: keep this sheet", kept.Message);
        Assert.Contains(_old.PublicKey.Fingerprint, kept.Message);
        Assert.Equal(ErrorKind.IdentityMismatch, Assert.Throws<KeyVaultException>(kept.ThrowUnlessRegistered).Kind);

        var proof = RotationRetirement.Proof(Report(_new, Dkg(Aggregate.Hex66)), _new.PublicKey, "report.json");
        Assert.Equal(Aggregate.Hex66, proof.AggregateKey);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Report(_new, Dkg(Aggregate.Hex66)))), proof.ReportSha256);
        var (retired, retiredJson) = BackupRetirement.AcrossRotation(_oldJson, supersededJson, statement, proof, _new, "proven", Rotated.AddDays(21));
        Assert.True(BackupManifest.Verify(retiredJson).Authentic);
        var done = Assert.Single(retired.Retired);
        Assert.False(done.StillNeeded);
        Assert.Equal(proof, done.Rotation!.Drill);
        Assert.Equal(["split", "supersede", "retire"], BackupManifest.Parse(retiredJson).History.Select(e => e.Action));
        Assert.Equal(3, retired.Revision);
        Assert.Equal(ShareCheckVerdict.Retired, ShareCheck.Against(retired, _oldSet.Shares[1].Mnemonic).Verdict);
        Assert.Equal(ShareCheckVerdict.Registered, ShareCheck.Against(retired, _newSet.Shares[1].Mnemonic).Verdict);

        // Nothing is recorded twice.
        Assert.Equal(ErrorKind.BadInput, Assert.Throws<KeyVaultException>(() =>
            BackupRetirement.AcrossRotation(_oldJson, supersededJson, statement, null, _new, "again", Rotated)).Kind);
        Assert.Equal(ErrorKind.BadInput, Assert.Throws<KeyVaultException>(() =>
            BackupRetirement.AcrossRotation(_oldJson, retiredJson, statement, proof, _new, "again", Rotated)).Kind);
        Assert.Equal(ErrorKind.BadInput, Assert.Throws<KeyVaultException>(() =>
            BackupRetirement.AcrossRotation(_oldJson, retiredJson, statement, null, _new, "again", Rotated)).Kind);
    }

    [Fact]
    public void A_manifest_of_one_key_stays_version_3_and_a_retirement_of_one_key_needs_no_statement()
    {
        using var again = ManifestTestKit.Split(_new, SplitLayout.Single(2, 3), "rotation new key again");
        var (m, json) = BackupRetirement.Retire(ManifestTestKit.Manifest(again, _new).Sign(_new), _newJson, _new, "lost sheet", Rotated);
        Assert.Equal(BackupManifest.FormatVersion, BackupManifest.Parse(json).Version);
        Assert.Contains("\"version\": 3", json);
        Assert.DoesNotContain("rotation", json);
        Assert.Null(Assert.Single(m.Retired).Rotation);
    }

    [Fact]
    public void The_statement_must_link_exactly_the_two_keys_and_be_accepted()
    {
        using var third = ManifestTestKit.Key(TestKeys.Key3);
        var wrong = Statement(_old, third);
        var ex = Assert.Throws<KeyVaultException>(() => BackupRetirement.AcrossRotation(_oldJson, _newJson, wrong, null, _new, "x", Rotated));
        Assert.Equal(ErrorKind.IdentityMismatch, ex.Kind);
        Assert.Contains("rotates key", ex.Message);

        var announced = new SuccessorStatement { OldKey = _old.PublicKey, NewKey = _new.PublicKey, CreatedAt = Rotated }.Announce(_old);
        ex = Assert.Throws<KeyVaultException>(() => BackupRetirement.AcrossRotation(_oldJson, _newJson, announced, null, _new, "x", Rotated));
        Assert.Equal(ErrorKind.DamagedFile, ex.Kind);
        Assert.Contains(SuccessorStatement.NotAcceptedYet, ex.Message);

        // Manifests of one key are not a rotation; the new key must sign.
        Assert.Equal(ErrorKind.BadInput, Assert.Throws<KeyVaultException>(() =>
            BackupRetirement.AcrossRotation(_newJson, _newJson, Statement(_old, _new), null, _new, "x", Rotated)).Kind);
        Assert.Equal(ErrorKind.IdentityMismatch, Assert.Throws<KeyVaultException>(() =>
            BackupRetirement.AcrossRotation(_oldJson, _newJson, Statement(_old, _new), null, _old, "x", Rotated)).Kind);
        // The reversed order is another rotation.
        Assert.Equal(ErrorKind.IdentityMismatch, Assert.Throws<KeyVaultException>(() =>
            BackupRetirement.AcrossRotation(_newJson, _oldJson, Statement(_old, _new), null, _old, "x", Rotated)).Kind);
    }

    [Fact]
    public void Only_an_authentic_passing_drill_of_the_new_key_with_dkg_shares_of_an_aggregate_key_is_proof()
    {
        KeyVaultException Refused(byte[] report) => Assert.Throws<KeyVaultException>(() => RotationRetirement.Proof(report, _new.PublicKey, "r.json"));

        Assert.Equal(ErrorKind.IdentityMismatch, Refused(Report(_old, Dkg(Aggregate.Hex66))).Kind);
        var none = Refused(Report(_new));
        Assert.Equal(ErrorKind.BadInput, none.Kind);
        Assert.Contains("proves no DKG shares", none.Message);
        var blob = Refused(Report(_new, Dkg("shares.bin")));
        Assert.Equal(ErrorKind.BadInput, blob.Kind);
        Assert.Contains("blob file only", blob.Message);
        var failed = Refused(Report(_new, Dkg(Aggregate.Hex66), Dkg(PointOf("older").Hex66, DrillCheckResult.Fail)));
        Assert.Contains("did not pass (dkg-shares-not-opened)", failed.Message);

        var node = JsonNode.Parse(Report(_new, Dkg(Aggregate.Hex66)))!;
        node["checks"]![1]!["subject"] = PointOf("another aggregate key").Hex66;
        var altered = Refused(Encoding.UTF8.GetBytes(node.ToJsonString()));
        Assert.Equal(ErrorKind.DamagedFile, altered.Kind);
        Assert.Contains("not an authentic drill report", altered.Message);
        Assert.Equal(ErrorKind.DamagedFile, Refused([0xff, 0xfe]).Kind);

        // A report that also holds a blob check and an info row still proves the aggregate key it opened.
        var mixed = RotationRetirement.Proof(Report(_new, Dkg("shares.bin"), Dkg(Aggregate.Hex66)), _new.PublicKey, "r.json");
        Assert.Equal(Aggregate.Hex66, mixed.AggregateKey);
    }

    [Fact]
    public void A_reader_refuses_an_embedded_statement_that_does_not_hold_or_links_other_keys()
    {
        var (_, json) = BackupRetirement.AcrossRotation(_oldJson, _newJson, Statement(_old, _new), null, _new, "rotated", Rotated);
        Assert.Equal(BackupManifest.Hash(json), BackupManifest.Parse(json).SourceHash);

        string Edited(Action<JsonObject> change)
        {
            var node = JsonNode.Parse(json)!.AsObject();
            change(node["retired"]![0]!["rotation"]!.AsObject());
            return node.ToJsonString();
        }
        void Refused(string text, string why) =>
            Assert.Contains(why, Assert.Throws<KeyVaultException>(() => BackupManifest.Parse(text)).Message);

        Refused(Edited(r => r["successorStatement"]!["createdAt"] = "2026-11-03T09:00:00Z"), "successorStatement does not hold");
        using var third = ManifestTestKit.Key(TestKeys.Key3);
        Refused(Edited(r => r["successorStatement"] = JsonNode.Parse(Statement(third, _new))), "not the rotation from previousPublicKey");
        Refused(Edited(r => r["previousPublicKey"] = _new.PublicKey.Hex66), "the manifest's own key");
        Refused(Edited(r => r["previousManifest"] = "ABC"), "previousManifest is not 64 lowercase hex");
        Refused(Edited(r => r["drill"] = new JsonObject { ["reportSha256"] = new string('a', 64), ["createdAt"] = "2026-11-20T00:00:00Z", ["aggregateKey"] = "02" }),
            "drill.aggregateKey is not a compressed public key");
        Refused(Edited(r => r.Remove("drill")), "drill is missing");
        Refused(Edited(r => r["extra"] = 1), "unknown member \"extra\"");
        // Version 3 has no rotation member.
        Refused(json.Replace("\"version\": 4", "\"version\": 3", StringComparison.Ordinal), "unknown member \"rotation\"");
    }
}
