using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KeyVault.Codecs;
using KeyVault.Manifest;
using KeyVault.Shares;
using KeyVault.Tests.Shares;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Manifest;

/// <summary>
/// The generator of test-vectors/manifest/ and its check. Shares come from KeyVault's split with a fixed random
/// stream (SHA-256 counter mode, test-vectors/README.md) over the published test keys; dates are fixed; signatures are
/// deterministic (RFC 6979). Run with KEYVAULT_WRITE_VECTORS=1 to (re)write the files; otherwise the committed files
/// must equal the output.
/// </summary>
public class ManifestVectorTests
{
    private static string Dir => Path.Combine(External.RepoRoot, "test-vectors", "manifest");

    private const string ToolVersion = "0.1.0";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static ShareSet Split(KeyVault.Keys.SecretKey key, SplitLayout layout, string seed) =>
        Slip39.Split(key.Span, layout, default, Slip39.DefaultIterationExponent, extendable: true, new DeterministicRandom(seed).Fill);

    private static BackupManifest Pin(BackupManifest m) => m with { ToolVersion = ToolVersion };

    /// <summary>File name → content, exactly as committed.</summary>
    internal static SortedDictionary<string, string> Generate()
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        using var key1 = ManifestTestKit.Key(TestKeys.Key1);
        using var key2 = ManifestTestKit.Key(TestKeys.Key2);
        using var single = Split(key1, SplitLayout.Single(2, 3), "keyvault manifest vectors v1 single");
        using var groups = Split(key1, ManifestTestKit.Layout(2, [1, 1], [2, 3], [3, 5]), "keyvault manifest vectors v1 groups");

        // The shares of both backups, with every committed field and byte string, so a second implementation can
        // recompute each commitment from the words alone.
        var shares = new JsonArray();
        foreach (var (name, set) in new[] { ("single", single), ("groups", groups) })
        {
            foreach (var s in set.Shares)
            {
                using var d = ShareCodec.Decode(s.Mnemonic, 0);
                var bytes = ShareCommitment.CommittedBytes(d.Identifier, d.Extendable, d.IterationExponent, d.GroupIndex, d.GroupThreshold,
                    d.GroupCount, d.MemberIndex, d.MemberThreshold, d.Value);
                shares.Add(new JsonObject
                {
                    ["backup"] = name,
                    ["mnemonic"] = s.Mnemonic,
                    ["identifier"] = d.Identifier,
                    ["extendable"] = d.Extendable,
                    ["iterationExponent"] = d.IterationExponent,
                    ["groupIndex"] = d.GroupIndex,
                    ["groupThreshold"] = d.GroupThreshold,
                    ["groupCount"] = d.GroupCount,
                    ["memberIndex"] = d.MemberIndex,
                    ["memberThreshold"] = d.MemberThreshold,
                    ["value"] = Hex.Encode(d.Value),
                    ["committedBytes"] = Hex.Encode(bytes),
                    ["commitment"] = ShareCommitment.Of(d),
                });
            }
        }
        files["shares.json"] = shares.ToJsonString(Indented) + "\n";

        var valid = Pin(ManifestTestKit.Manifest(single, key1));
        files["manifest-valid.json"] = valid.Sign(key1);
        files["manifest-valid.signed-message.txt"] = valid.SignedMessage();
        files["manifest-groups.json"] = Pin(ManifestTestKit.Manifest(groups, key1)).Sign(key1);

        var tampered = JsonNode.Parse(files["manifest-valid.json"])!;
        tampered["shares"]![2]!["custodian"] = "Mallory";
        files["manifest-tampered.json"] = tampered.ToJsonString(Indented) + "\n";

        var commitment = JsonNode.Parse(files["manifest-valid.json"])!;
        var c = (string)commitment["shares"]![0]!["commitment"]!;
        commitment["shares"]![0]!["commitment"] = (c[0] == '0' ? "1" : "0") + c[1..];
        files["manifest-commitment-tampered.json"] = commitment.ToJsonString(Indented) + "\n";

        files["manifest-other-signer.json"] = JsonNode.Parse(BackupManifestTests.SignedByOther(valid, key2))!.ToJsonString(Indented) + "\n";

        using (var reissued = ManifestReissue.Reissue(valid, single.Shares.Take(2).Select(s => s.Mnemonic).ToList(),
                   new ReissueRequest(4, "Zoe Adams", "Chen Wei moved away; share #4 for the new custodian"), ManifestTestKit.Later, key1))
        {
            files["manifest-reissued.json"] = Pin(reissued.Manifest).Sign(key1);
            files["reissued-share-4.txt"] = reissued.Share.Mnemonic + "\n";
        }

        var (retired, _) = BackupRetirement.Retire(files["manifest-valid.json"], files["manifest-groups.json"], key1,
            "replaced by a grouped backup", ManifestTestKit.Later.AddDays(1));
        files["manifest-retires-valid.json"] = Pin(retired).Sign(key1);
        return files;
    }

    [Fact]
    public void Committed_vectors_are_what_the_generator_produces()
    {
        var files = Generate();
        if (Environment.GetEnvironmentVariable("KEYVAULT_WRITE_VECTORS") == "1")
        {
            Directory.CreateDirectory(Dir);
            foreach (var (name, content) in files) File.WriteAllText(Path.Combine(Dir, name), content, new UTF8Encoding(false));
        }
        foreach (var (name, content) in files)
        {
            var path = Path.Combine(Dir, name);
            Assert.True(File.Exists(path), $"{path} is missing; run the tests with KEYVAULT_WRITE_VECTORS=1");
            Assert.Equal(content, File.ReadAllText(path, Encoding.UTF8));
        }
        Assert.Equal(files.Keys.Order(StringComparer.Ordinal), Directory.GetFiles(Dir).Select(Path.GetFileName).Order(StringComparer.Ordinal)!);
    }

    [Fact]
    public void Vector_files_have_the_documented_outcomes()
    {
        string Read(string name) => File.ReadAllText(Path.Combine(Dir, name), Encoding.UTF8);

        var valid = BackupManifest.Verify(Read("manifest-valid.json"));
        Assert.True(valid.Authentic);
        Assert.Equal(Read("manifest-valid.signed-message.txt"), valid.Manifest.SignedMessage());
        Assert.True(BackupManifest.Verify(Read("manifest-groups.json")).Authentic);
        Assert.False(BackupManifest.Verify(Read("manifest-tampered.json")).SignatureValid);
        Assert.False(BackupManifest.Verify(Read("manifest-commitment-tampered.json")).SignatureValid);
        var other = BackupManifest.Verify(Read("manifest-other-signer.json"));
        Assert.True(other.SignatureValid);
        Assert.False(other.SignerIsIdentity);

        var reissued = BackupManifest.ReadAuthentic(Read("manifest-reissued.json"));
        Assert.Equal("Zoe Adams", ShareCheck.Against(reissued, Read("reissued-share-4.txt").Trim()).Registration!.Custodian);
        var retires = BackupManifest.ReadAuthentic(Read("manifest-retires-valid.json"));

        using var doc = JsonDocument.Parse(Read("shares.json"));
        foreach (var s in doc.RootElement.EnumerateArray())
        {
            var mnemonic = s.GetProperty("mnemonic").GetString()!;
            Assert.Equal(s.GetProperty("commitment").GetString(), ShareCommitment.Of(mnemonic));
            var m = s.GetProperty("backup").GetString() == "single" ? valid.Manifest : retires;
            Assert.Equal(ShareCheckVerdict.Registered, ShareCheck.Against(m, mnemonic).Verdict);
            if (m == valid.Manifest) Assert.Equal(ShareCheckVerdict.Retired, ShareCheck.Against(retires, mnemonic).Verdict);
        }
    }
}
