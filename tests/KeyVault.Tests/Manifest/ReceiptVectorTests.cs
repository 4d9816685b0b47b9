using System.Text;
using System.Text.Json.Nodes;
using KeyVault.Errors;
using KeyVault.Manifest;
using KeyVault.Shares;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Manifest;

/// <summary>
/// The generator of test-vectors/receipt/ and its check: share check receipts (docs/status.md) of share 2 of the
/// 2-of-3 backup in test-vectors/manifest/manifest-valid. Rewrite with KEYVAULT_WRITE_VECTORS=1.
/// </summary>
public class ReceiptVectorTests
{
    private static string Dir => Path.Combine(External.RepoRoot, "test-vectors", "receipt");

    internal static SortedDictionary<string, byte[]> Generate()
    {
        var manifest = BackupManifest.ReadAuthentic(ManifestVectorTests.Read("manifest-valid").BodyText);
        var words = ManifestVectorTests.Read("share-single-1-2").BodyText.Trim();
        var receipt = ShareCheckReceipt.Of(manifest, ShareCheck.Against(manifest, words), ManifestTestKit.Later) with { ToolVersion = "0.1.0" };
        var text = receipt.Write();
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["receipt-valid"] = VectorFile.Format([("expect", "valid"), ("manifest", "manifest/manifest-valid"), ("share", "manifest/share-single-1-2"),
                ("comment", "the receipt of Bjørn Olsen's check of share #2 of backup 11092 (test key 1)")], text),
        };
        var node = JsonNode.Parse(text)!;
        node["checkedAt"] = "2027-09-14T16:30:00Z";
        files["receipt-date-changed"] = VectorFile.Format([("expect", "damaged"), ("comment", "receipt-valid with checkedAt moved a year on: sha256 no longer holds")],
            node.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
        var extra = JsonNode.Parse(text)!;
        extra["signature"] = "none";
        files["receipt-unknown-member"] = VectorFile.Format([("expect", "damaged"), ("comment", "receipt-valid with a member the format does not have")],
            extra.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
        return files;
    }

    [Fact]
    public void Committed_vectors_are_what_the_generator_produces() => VectorFile.AssertFolderIs(Dir, Generate());

    [Fact]
    public void Every_vector_has_the_outcome_its_expect_line_names()
    {
        foreach (var path in Directory.GetFiles(Dir).Where(p => Path.GetFileName(p) != "README.md"))
        {
            var v = VectorFile.Read(path);
            switch (v.Expect)
            {
                case "valid":
                    var r = ShareCheckReceipt.Read(Encoding.UTF8.GetBytes(v.BodyText));
                    var m = BackupManifest.ReadAuthentic(VectorFile.Read(Path.Combine(External.RepoRoot, "test-vectors", v["manifest"])).BodyText);
                    Assert.Equal(m.SourceHash, r.Manifest);
                    Assert.Equal(m.ShareAt(r.Group, r.Member)!.Commitment, r.Commitment);
                    Assert.Equal(ShareCommitment.Of(VectorFile.Read(Path.Combine(External.RepoRoot, "test-vectors", v["share"])).BodyText.Trim()), r.Commitment);
                    break;
                case "damaged":
                    Assert.Equal(ErrorKind.DamagedFile, Assert.Throws<KeyVaultException>(() => ShareCheckReceipt.Read(Encoding.UTF8.GetBytes(v.BodyText))).Kind);
                    break;
                default:
                    Assert.Fail($"{path}: unknown expect {v.Expect}");
                    break;
            }
        }
    }
}
