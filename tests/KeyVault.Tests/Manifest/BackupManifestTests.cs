using System.Text.Json;
using System.Text.Json.Nodes;
using KeyVault.Codecs;
using KeyVault.Errors;
using KeyVault.Manifest;
using KeyVault.Shares;
using KeyVault.Signing;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Manifest;

public class BackupManifestTests
{
    [Fact]
    public void A_signed_manifest_verifies_and_reads_back_as_written()
    {
        using var key = ManifestTestKit.Key();
        using var set = ManifestTestKit.Split(key, ManifestTestKit.Layout(2, [1, 1], [2, 3], [3, 5]), "manifest roundtrip");
        var manifest = ManifestTestKit.Manifest(set, key);
        var json = manifest.Sign(key);

        var v = BackupManifest.Verify(json);
        Assert.True(v.Authentic, v.Problem);
        Assert.True(v.SignerIsIdentity);
        Assert.Null(v.Problem);
        var read = v.Manifest;
        Assert.Equal(set.Identifier, read.BackupId);
        Assert.Equal(TestKeys.Key1PublicKey, read.Identity.PublicKey);
        Assert.Equal(TestKeys.Key1Mainnet, read.Identity.MainnetAddress);
        Assert.Equal(2, read.GroupThreshold);
        Assert.Equal([new ManifestGroup(1, 1), new ManifestGroup(2, 3), new ManifestGroup(3, 5)], read.Groups);
        Assert.Equal(9, read.Shares.Count);
        Assert.Equal(ManifestTestKit.Names(9), read.Shares.Select(s => s.Custodian));
        Assert.Equal(set.Shares.Select(s => ShareCommitment.Of(s.Mnemonic)), read.Shares.Select(s => s.Commitment));
        Assert.Equal(ManifestTestKit.SplitDate, read.CreatedAt);
        Assert.Equal(ManifestTestKit.ExecutableSha256, read.ExecutableSha256);
        Assert.Equal("Example Signer Ltd", read.Org);
        Assert.Equal("custody@example.org", read.Contact);
        Assert.True(read.Extendable);
        Assert.False(read.Slip39Passphrase);
        Assert.Equal("split", Assert.Single(read.History).Action);
        // Writing what was read gives the same signed message, so the signature covers exactly these fields.
        Assert.Equal(manifest.SignedMessage(), read.SignedMessage());
        Assert.Equal(json, read.Sign(key));
    }

    [Fact]
    public void Only_the_backed_up_key_can_sign()
    {
        using var key = ManifestTestKit.Key();
        using var other = ManifestTestKit.Key(TestKeys.Key2);
        using var set = ManifestTestKit.Split(key, SplitLayout.Single(2, 3), "manifest signer");
        var ex = Assert.Throws<KeyVaultException>(() => ManifestTestKit.Manifest(set, key).Sign(other));
        Assert.Equal(ErrorKind.IdentityMismatch, ex.Kind);
    }

    [Fact]
    public void A_changed_manifest_is_not_authentic()
    {
        using var key = ManifestTestKit.Key();
        using var set = ManifestTestKit.Split(key, SplitLayout.Single(2, 3), "manifest tamper");
        var json = ManifestTestKit.Manifest(set, key).Sign(key);

        foreach (var (from, to) in new[] { ("\"Chen Wei\"", "\"Mallory\""), ("\"memberThreshold\": 2", "\"memberThreshold\": 3"),
                     ("2026-03-02T10:00:00Z", "2026-03-03T10:00:00Z") })
        {
            Assert.Contains(from, json);
            var changed = json.Replace(from, to);
            ManifestVerification v;
            try
            {
                v = BackupManifest.Verify(changed);
            }
            catch (KeyVaultException ex)
            {
                // A change that breaks the manifest's own rules is refused before the signature is looked at.
                Assert.Equal(ErrorKind.DamagedFile, ex.Kind);
                continue;
            }
            Assert.False(v.SignatureValid, from);
            Assert.False(v.Authentic);
            Assert.Contains("does not verify", v.Problem);
            Assert.Equal(ErrorKind.DamagedFile, Assert.Throws<KeyVaultException>(() => BackupManifest.ReadAuthentic(changed)).Kind);
        }
    }

    [Fact]
    public void Every_flipped_bit_of_a_manifest_file_is_refused_or_not_authentic()
    {
        using var key = ManifestTestKit.Key();
        using var set = ManifestTestKit.Split(key, SplitLayout.Single(2, 3), "manifest flips");
        var good = System.Text.Encoding.UTF8.GetBytes(ManifestTestKit.Manifest(set, key).Sign(key));
        for (int i = 0; i < good.Length; i++)
        {
            foreach (var bit in new byte[] { 0x01, 0x20 })
            {
                var bad = (byte[])good.Clone();
                bad[i] ^= bit;
                string text;
                try
                {
                    text = BackupManifest.DecodeFile(bad);
                }
                catch (KeyVaultException ex)
                {
                    Assert.Equal(ErrorKind.DamagedFile, ex.Kind);
                    continue;
                }
                try
                {
                    Assert.False(BackupManifest.Verify(text).Authentic, $"byte {i} ^ {bit:x2} still authentic");
                }
                catch (KeyVaultException ex)
                {
                    Assert.True(ex.Kind == ErrorKind.DamagedFile, $"byte {i}: {ex.Kind}");
                }
            }
        }
    }

    [Fact]
    public void A_tampered_commitment_is_not_authentic()
    {
        using var key = ManifestTestKit.Key();
        using var set = ManifestTestKit.Split(key, SplitLayout.Single(2, 3), "manifest commitment");
        var json = ManifestTestKit.Manifest(set, key).Sign(key);
        var node = JsonNode.Parse(json)!;
        var c = (string)node["shares"]![1]!["commitment"]!;
        node["shares"]![1]!["commitment"] = (c[0] == '0' ? "1" : "0") + c[1..];
        var v = BackupManifest.Verify(node.ToJsonString());
        Assert.False(v.Authentic);
        Assert.False(v.SignatureValid);
    }

    [Fact]
    public void A_manifest_signed_by_another_key_is_valid_as_a_signature_but_not_authentic()
    {
        using var key = ManifestTestKit.Key();
        using var other = ManifestTestKit.Key(TestKeys.Key2);
        using var set = ManifestTestKit.Split(key, SplitLayout.Single(2, 3), "manifest other");
        var json = SignedByOther(ManifestTestKit.Manifest(set, key), other);
        var v = BackupManifest.Verify(json);
        Assert.True(v.SignatureValid);
        Assert.False(v.SignerIsIdentity);
        Assert.False(v.Authentic);
        Assert.Contains("not by the key the manifest backs up", v.Problem);
    }

    /// <summary>What a forger holding another key can make: a correct signature by the wrong key.</summary>
    internal static string SignedByOther(BackupManifest manifest, KeyVault.Keys.SecretKey other)
    {
        var signature = StacksMessageSigning.Sign(other, manifest.SignedMessage());
        var node = JsonNode.Parse(manifest.SignedMessage())!.AsObject();
        node["signature"] = new JsonObject
        {
            ["scheme"] = "stacks-signed-message-rsv",
            ["publicKey"] = other.PublicKey.Hex66,
            ["value"] = Hex.Encode(signature),
        };
        return node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    [Theory]
    [InlineData("unknown member", "\"org\":", "\"extra\": 1, \"org\":")]
    [InlineData("member count", "\"memberCount\": 3", "\"memberCount\": 4")]
    [InlineData("identity field", "\"fingerprint\": \"", "\"fingerprint\": \"0")]
    [InlineData("version", "\"version\": 3", "\"version\": 5")]
    [InlineData("recipient type of a paper share", "\"recipientType\": null", "\"recipientType\": \"X25519\"")]
    [InlineData("revision", "\"revision\": 1", "\"revision\": 2")]
    [InlineData("departed", "\"departed\": null", "\"departed\": {\"at\": \"2026-03-02T10:00:00Z\", \"reason\": \"left\"}")]
    [InlineData("not JSON", "{", "[")]
    [InlineData("fractional number", "\"secretLength\": 32", "\"secretLength\": 32.0")]
    public void A_malformed_manifest_is_a_damaged_file(string what, string from, string to)
    {
        using var key = ManifestTestKit.Key();
        using var set = ManifestTestKit.Split(key, SplitLayout.Single(2, 3), "manifest malformed");
        var json = ManifestTestKit.Manifest(set, key).Sign(key);
        Assert.Contains(from, json);
        var ex = Assert.Throws<KeyVaultException>(() => BackupManifest.Verify(ReplaceFirst(json, from, to)));
        Assert.True(ex.Kind == ErrorKind.DamagedFile, what);
    }

    [Fact]
    public void A_share_registered_twice_is_refused()
    {
        using var key = ManifestTestKit.Key();
        using var set = ManifestTestKit.Split(key, SplitLayout.Single(2, 3), "manifest twice");
        var json = ManifestTestKit.Manifest(set, key).Sign(key);
        var node = JsonNode.Parse(json)!;
        node["shares"]![2]!["member"] = 2;
        Assert.Equal(ErrorKind.DamagedFile, Assert.Throws<KeyVaultException>(() => BackupManifest.Verify(node.ToJsonString())).Kind);
    }

    [Fact]
    public void No_secret_appears_in_a_manifest()
    {
        using var key = ManifestTestKit.Key();
        using var set = ManifestTestKit.Split(key, ManifestTestKit.Layout(2, [1, 1], [2, 3], [3, 5]), "manifest secrets", "TREZOR");
        var json = ManifestTestKit.Manifest(set, key, "TREZOR").Sign(key);
        var lower = json.ToLowerInvariant();
        Assert.DoesNotContain(TestKeys.Key1, lower);
        Assert.DoesNotContain(Convert.ToBase64String(Hex.TryDecode(TestKeys.Key1)!), json);
        Assert.DoesNotContain("trezor", lower);
        foreach (var s in set.Shares)
        {
            using var share = ShareCodec.Decode(s.Mnemonic, 0);
            Assert.DoesNotContain(Hex.Encode(share.Value), lower);
            Assert.DoesNotContain(Convert.ToBase64String(share.Value), json);
            // No two consecutive words of any share. (Single words can occur by chance: "custody" is a SLIP-0039 word.)
            var words = s.Words;
            for (int i = 0; i + 2 <= words.Count; i++)
                Assert.DoesNotMatch($"\\b{words[i]}\\W+{words[i + 1]}\\b", lower);
        }
    }

    [Fact]
    public void Custodian_names_follow_the_text_rules()
    {
        using var key = ManifestTestKit.Key();
        using var set = ManifestTestKit.Split(key, SplitLayout.Single(2, 3), "manifest names");
        var options = new ManifestOptions(ManifestTestKit.SplitDate, false);
        foreach (var bad in new[] { "", "line\nbreak", "right\u202Eleft", new string('x', 101) })
        {
            var ex = Assert.Throws<KeyVaultException>(() => BackupManifest.Create(set, [new("Ana"), new(bad), new("Chen")], key.PublicKey, options));
            Assert.Equal(ErrorKind.BadInput, ex.Kind);
        }
        Assert.Equal(ErrorKind.BadInput, Assert.Throws<KeyVaultException>(() => BackupManifest.Create(set, [new("Ana"), new("Bo")], key.PublicKey, options)).Kind);
        // Decomposed input is stored in NFC, so the same name always signs the same.
        var m = BackupManifest.Create(set, [new("Ana"), new("Bjo\u0308rn"), new("Chen")], key.PublicKey, options);
        Assert.Equal("Bj\u00f6rn", m.Shares[1].Custodian);
    }

    private static string ReplaceFirst(string s, string from, string to)
    {
        int i = s.IndexOf(from, StringComparison.Ordinal);
        return s[..i] + to + s[(i + from.Length)..];
    }
}
