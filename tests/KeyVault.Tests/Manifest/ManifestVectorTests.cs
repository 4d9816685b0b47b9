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

    /// <summary>File name → content, exactly as committed: one case a file, in the layout of <see cref="VectorFile"/>.</summary>
    internal static SortedDictionary<string, byte[]> Generate()
    {
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        using var key1 = ManifestTestKit.Key(TestKeys.Key1);
        using var key2 = ManifestTestKit.Key(TestKeys.Key2);
        using var single = Split(key1, SplitLayout.Single(2, 3), "keyvault manifest vectors v1 single");
        using var groups = Split(key1, ManifestTestKit.Layout(2, [1, 1], [2, 3], [3, 5]), "keyvault manifest vectors v1 groups");

        var valid = Pin(ManifestTestKit.Manifest(single, key1));
        var validJson = valid.Sign(key1);
        var groupsJson = Pin(ManifestTestKit.Manifest(groups, key1)).Sign(key1);
        var (retired, _) = BackupRetirement.Retire(validJson, groupsJson, key1, "replaced by a grouped backup", ManifestTestKit.Later.AddDays(1));

        // The shares of both backups, with every committed field and byte string, so a second implementation can
        // recompute each commitment from the words alone, and where each is registered or retired.
        foreach (var (name, set) in new[] { ("single", single), ("groups", groups) })
        {
            foreach (var share in set.Shares)
            {
                using var d = ShareCodec.Decode(share.Mnemonic, 0);
                var bytes = ShareCommitment.CommittedBytes(d.Identifier, d.Extendable, d.IterationExponent, d.GroupIndex, d.GroupThreshold,
                    d.GroupCount, d.MemberIndex, d.MemberThreshold, d.Value);
                var header = new List<(string, string)>
                {
                    ("expect", "commitment"), ("backup", name), ("identifier", $"{d.Identifier}"), ("extendable", d.Extendable ? "true" : "false"),
                    ("iteration exponent", $"{d.IterationExponent}"), ("group index", $"{d.GroupIndex}"), ("group threshold", $"{d.GroupThreshold}"),
                    ("group count", $"{d.GroupCount}"), ("member index", $"{d.MemberIndex}"), ("member threshold", $"{d.MemberThreshold}"),
                    ("value", Hex.Encode(d.Value)), ("committed bytes", Hex.Encode(bytes)), ("commitment", ShareCommitment.Of(d)),
                    ("registered in", name == "single" ? "manifest-valid" : "manifest-retires-valid"),
                };
                if (name == "single")
                {
                    header.Add(("retired in", "manifest-retires-valid"));
                    header.Add(("superseded in", "manifest-rotation-superseded"));
                }
                header.Add(("comment", $"share {d.GroupIndex + 1}/{d.MemberIndex + 1} of the {(name == "single" ? "2-of-3" : "grouped")} backup"));
                files[$"share-{name}-{d.GroupIndex + 1}-{d.MemberIndex + 1}"] = VectorFile.Format(header, share.Mnemonic + "\n");
            }
        }

        files["manifest-valid"] = Case("authentic", "the manifest of a 2-of-3 backup of test key 1", validJson, ("signer", TestKeys.Key1PublicKey));
        files["manifest-valid-signed-message"] = Case("canonical",
            "the exact message manifest-valid's signature covers: RFC 8785 canonical JSON without signature, no trailing newline",
            valid.SignedMessage(), ("manifest", "manifest-valid"));
        files["manifest-groups"] = Case("authentic", "the manifest of a grouped backup (2 of 3 groups: 1-of-1, 2-of-3, 3-of-5)", groupsJson,
            ("signer", TestKeys.Key1PublicKey));

        var tampered = JsonNode.Parse(validJson)!;
        tampered["shares"]![2]!["custodian"] = "Mallory";
        files["manifest-tampered"] = Case("signature invalid", "manifest-valid with custodian 3 renamed after signing", tampered.ToJsonString(Indented) + "\n");

        var commitment = JsonNode.Parse(validJson)!;
        var c = (string)commitment["shares"]![0]!["commitment"]!;
        commitment["shares"]![0]!["commitment"] = (c[0] == '0' ? "1" : "0") + c[1..];
        files["manifest-commitment-tampered"] = Case("signature invalid", "manifest-valid with one hex digit of the first commitment changed",
            commitment.ToJsonString(Indented) + "\n");

        files["manifest-other-signer"] = Case("signer not identity", "manifest-valid's content signed by test key 2, naming key 2 as signer",
            JsonNode.Parse(BackupManifestTests.SignedByOther(valid, key2))!.ToJsonString(Indented) + "\n", ("signer", TestKeys.Key2PublicKey));

        var validRead = BackupManifest.Parse(validJson);
        using (var reissued = ManifestReissue.Reissue(validRead, single.Shares.Take(2).Select(s => s.Mnemonic).ToList(),
                   new ReissueRequest(4, "Zoe Adams", "Chen Wei moved away; share #4 for the new custodian"), ManifestTestKit.Later, key1))
        {
            files["manifest-reissued"] = Case("authentic", "manifest-valid after share 4 was reissued (from shares 1 and 2) to a new custodian: revision 2",
                Pin(reissued.Manifest).Sign(key1), ("signer", TestKeys.Key1PublicKey), ("supersedes", "manifest-valid"));
            files["reissued-share-4"] = Case("registered", "the reissued share's words", reissued.Share.Mnemonic + "\n",
                ("manifest", "manifest-reissued"), ("custodian", "Zoe Adams"), ("member", "4"));
        }

        using (var replaced = ManifestReissue.Reissue(validRead, single.Shares.Take(2).Select(s => s.Mnemonic).ToList(),
                   new ReissueRequest(4, "Zoe Adams", "Chen Wei left the company", AgeRecipient: "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj",
                       Contact: "zoe@example.org", TimeZone: "Asia/Singapore", Replaces: 3), ManifestTestKit.Later, key1))
        {
            files["manifest-departed"] = Case("authentic",
                "manifest-valid after Chen Wei (share 3) left and share 4 was sealed to Zoe Adams in their place: a depart and a reissue entry, revision 2",
                Pin(replaced.Manifest).Sign(key1), ("signer", TestKeys.Key1PublicKey), ("supersedes", "manifest-valid"));
        }
        files["manifest-v1-valid"] = File.ReadAllBytes(Path.Combine(Dir, "manifest-v1-valid"));
        files["manifest-v2-valid"] = File.ReadAllBytes(Path.Combine(Dir, "manifest-v2-valid"));
        files["manifest-v2-departed"] = File.ReadAllBytes(Path.Combine(Dir, "manifest-v2-departed"));

        using (var six = Split(key1, SplitLayout.Single(2, 6), "keyvault manifest vectors v3 recipient types"))
        {
            var custodians = SealedTypeCustodians();
            var typed = BackupManifest.Create(six, custodians, key1.PublicKey,
                new ManifestOptions(ManifestTestKit.SplitDate, false, ManifestTestKit.ExecutableSha256, "sBTC signer mainnet", "Example Signer Ltd", "custody@example.org"));
            files["manifest-recipient-types"] = Case("authentic",
                "a 2-of-6 backup of test key 1 sealed to one custodian of each recipient type (X25519, ssh-ed25519, p256tag, piv-p256, mlkem768x25519) and one paper share",
                Pin(BackupManifest.Parse(typed.Sign(key1))).Sign(key1), ("signer", TestKeys.Key1PublicKey));
        }

        files["manifest-retires-valid"] = Case("authentic", "manifest-groups after retiring the 2-of-3 backup",
            Pin(retired).Sign(key1), ("signer", TestKeys.Key1PublicKey), ("supersedes", "manifest-groups"));
        RotationVectors(files, validJson, key1, key2);
        return files;
    }

    private static byte[] Case(string expect, string comment, string body, params (string, string)[] more) =>
        VectorFile.Format([("expect", expect), .. more, ("comment", comment)], body);

    /// <summary>
    /// Version 4: test key 1 rotated to test key 2 (docs/rotation.md). Key 2's backup supersedes manifest-valid (still
    /// needed), then retires it with the drill report the generator makes of key 2 (it opened the DKG shares of an
    /// aggregate key); and a manifest key 2 signed over a statement changed after the old key signed it.
    /// </summary>
    private static void RotationVectors(SortedDictionary<string, byte[]> files, string validJson, KeyVault.Keys.SecretKey key1, KeyVault.Keys.SecretKey key2)
    {
        using var set = Split(key2, SplitLayout.Single(2, 3), "keyvault manifest vectors v4 rotated key");
        var first = Pin(ManifestTestKit.Manifest(set, key2)).Sign(key2);
        files["manifest-rotated-key"] = Case("authentic", "the manifest of a 2-of-3 backup of test key 2, the successor of test key 1", first,
            ("signer", TestKeys.Key2PublicKey));

        var rotatedAt = ManifestTestKit.Later.AddDays(30);
        var statement = KeyVault.Signing.SuccessorStatement.Accept(new KeyVault.Signing.SuccessorStatement
        {
            OldKey = key1.PublicKey, NewKey = key2.PublicKey, CreatedAt = rotatedAt, ToolVersion = ToolVersion,
        }.Announce(key1), key2);
        var (superseded, _) = BackupRetirement.AcrossRotation(validJson, first, statement, null, key2, "test key 1 rotated to test key 2; still needed",
            rotatedAt.AddDays(1));
        var supersededJson = Pin(superseded).Sign(key2);
        files["manifest-rotation-superseded"] = Case("authentic",
            "manifest-rotated-key recording manifest-valid (test key 1) as superseded, still needed: version 4, revision 2; its shares check as superseded",
            supersededJson, ("signer", TestKeys.Key2PublicKey), ("supersedes", "manifest-rotated-key"));

        var report = System.Text.Encoding.UTF8.GetBytes(new KeyVault.Drill.DrillReport
        {
            CreatedAt = rotatedAt.AddDays(40),
            ToolVersion = ToolVersion,
            KeyFile = new KeyVault.Drill.KeyFileTested("signer.kvk", new string('0', 64)),
            Expected = new KeyVault.Drill.DrillExpected("publicKey", key2.PublicKey.Hex66),
            Derived = key2.PublicKey.Identity(),
            Checks =
            [
                new(KeyVault.Drill.DrillCheck.IdentityName, "publicKey", KeyVault.Drill.DrillCheckResult.Pass, "key file: the same key"),
                new(KeyVault.Drill.DrillCheck.DkgSharesName, "02" + new string('7', 64), KeyVault.Drill.DrillCheckResult.Pass, "opened"),
            ],
        }.Sign(key2));
        var proof = KeyVault.Signers.RotationRetirement.Proof(report, key2.PublicKey, "the drill report");
        var (retired, _) = BackupRetirement.AcrossRotation(validJson, supersededJson, statement, proof, key2,
            "test key 2 opened the DKG shares of its aggregate key", rotatedAt.AddDays(41));
        files["manifest-rotation-retired"] = Case("authentic",
            "manifest-rotation-superseded after a drill of test key 2 proved DKG shares: manifest-valid is retired, revision 3; its shares check as retired",
            Pin(retired).Sign(key2), ("signer", TestKeys.Key2PublicKey), ("supersedes", "manifest-rotation-superseded"));

        // A forger who holds the new key only: changes the date the old key signed and signs the manifest anew.
        var forged = JsonNode.Parse(supersededJson)!.AsObject();
        forged["retired"]![0]!["rotation"]!["successorStatement"]!["createdAt"] = KeyVault.Signing.SignedDocument.FormatTime(rotatedAt.AddDays(-1));
        forged.Remove("signature");
        var message = System.Text.Encoding.UTF8.GetString(KeyVault.Signing.CanonicalJson.Serialize(JsonDocument.Parse(forged.ToJsonString()).RootElement));
        forged["signature"] = new JsonObject
        {
            ["scheme"] = "stacks-signed-message-rsv",
            ["publicKey"] = key2.PublicKey.Hex66,
            ["value"] = Hex.Encode(KeyVault.Signing.StacksMessageSigning.Sign(key2, message)),
        };
        files["manifest-rotation-statement-altered"] = Case("rejected",
            "manifest-rotation-superseded with the embedded statement's createdAt changed and the manifest signed again by test key 2: "
            + "the old key's signature no longer holds (rule 10)", forged.ToJsonString(Indented) + "\n");
    }

    /// <summary>
    /// Six custodians, one of each recipient type and one on paper. The X25519, ssh-ed25519 and p256tag keys are the
    /// examples of the age specifications; the piv-p256 key is the p256tag example's point under the age1yubikey prefix;
    /// the hybrid key is the recipient of the specification's example AGE-SECRET-KEY-PQ-1 identity.
    /// </summary>
    internal static List<ManifestCustodian> SealedTypeCustodians()
    {
        const string tag = "age1tag1qt8lw0ual6avlwmwatk888yqnmdamm7xfd0wak53ut6elz5c4swx2yqdj4e";
        var point = new byte[33];
        Assert.True(Bech32.TryDecode(System.Text.Encoding.ASCII.GetBytes(tag), "age1tag", point));
        using var pq = KeyVault.Age.AgeIdentity.ParseSecretKey("AGE-SECRET-KEY-PQ-1XX76JRALNLXDMEW0CRK45QMCCH4X06SE84UN3VPM33W6HWDX0H3SK3ZQFR"u8);
        return
        [
            new("Ana Lima", "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj"),
            new("Bo Chen", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDKeXB8air8kVbyipmcfbnqvW5iSiDXmefB9o2vpNINr"),
            new("Cleo Ward", tag),
            new("Dev Patel", Bech32.EncodeToString("age1yubikey", point)),
            new("Emi Sato", pq.Recipient.Text),
            new("Finn Berg"),
        ];
    }

    /// <summary>The vector <paramref name="name"/> of test-vectors/manifest/.</summary>
    internal static VectorFile Read(string name) => VectorFile.Read(Path.Combine(Dir, name));

    [Fact]
    public void Committed_vectors_are_what_the_generator_produces()
    {
        VectorFile.AssertFolderIs(Dir, Generate());
    }

    [Fact]
    public void Every_vector_has_the_outcome_its_expect_line_names()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in Directory.GetFiles(Dir).Order(StringComparer.Ordinal))
        {
            var v = VectorFile.Read(path);
            seen.Add(v.Expect);
            switch (v.Expect)
            {
                case "authentic":
                    var verified = BackupManifest.Verify(v.BodyText);
                    Assert.True(verified.Authentic, path);
                    Assert.Equal(v["signer"], verified.Signer.Hex66);
                    // A later revision names its predecessor by hash; the vector says which file that is.
                    if (v.Get("supersedes") is { } previous)
                    {
                        Assert.Equal(BackupManifest.Hash(Read(previous).BodyText), verified.Manifest.Supersedes);
                        Assert.Equal(BackupManifest.Verify(Read(previous).BodyText).Manifest.Revision + 1, verified.Manifest.Revision);
                    }
                    else
                    {
                        Assert.Equal((1, (string?)null), (verified.Manifest.Revision, verified.Manifest.Supersedes));
                    }
                    break;
                case "canonical":
                    Assert.Equal(v.BodyText, BackupManifest.Verify(Read(v["manifest"]).BodyText).Manifest.SignedMessage());
                    break;
                case "signature invalid":
                    Assert.False(BackupManifest.Verify(v.BodyText).SignatureValid, path);
                    break;
                case "rejected":
                    Assert.Equal(KeyVault.Errors.ErrorKind.DamagedFile, Assert.Throws<KeyVault.Errors.KeyVaultException>(() => BackupManifest.Verify(v.BodyText)).Kind);
                    break;
                case "signer not identity":
                    var other = BackupManifest.Verify(v.BodyText);
                    Assert.True(other.SignatureValid, path);
                    Assert.Equal(v["signer"], other.Signer.Hex66);
                    Assert.False(other.SignerIsIdentity, path);
                    break;
                case "registered":
                    var check = ShareCheck.Against(BackupManifest.ReadAuthentic(Read(v["manifest"]).BodyText), v.BodyText.Trim());
                    Assert.Equal(ShareCheckVerdict.Registered, check.Verdict);
                    Assert.Equal(v["custodian"], check.Registration!.Custodian);
                    Assert.Equal(int.Parse(v["member"], System.Globalization.CultureInfo.InvariantCulture), check.Registration.Member);
                    break;
                case "commitment":
                    var mnemonic = v.BodyText.Trim();
                    Assert.Equal(v["commitment"], ShareCommitment.Of(mnemonic));
                    using (var d = ShareCodec.Decode(mnemonic, 0))
                    {
                        Assert.Equal(v["value"], Hex.Encode(d.Value));
                        Assert.Equal(v["committed bytes"], Hex.Encode(ShareCommitment.CommittedBytes(d.Identifier, d.Extendable, d.IterationExponent,
                            d.GroupIndex, d.GroupThreshold, d.GroupCount, d.MemberIndex, d.MemberThreshold, d.Value)));
                    }
                    Assert.Equal(ShareCheckVerdict.Registered, ShareCheck.Against(BackupManifest.ReadAuthentic(Read(v["registered in"]).BodyText), mnemonic).Verdict);
                    if (v.Get("retired in") is { } retiredIn)
                        Assert.Equal(ShareCheckVerdict.Retired, ShareCheck.Against(BackupManifest.ReadAuthentic(Read(retiredIn).BodyText), mnemonic).Verdict);
                    if (v.Get("superseded in") is { } supersededIn)
                        Assert.Equal(ShareCheckVerdict.Superseded, ShareCheck.Against(BackupManifest.ReadAuthentic(Read(supersededIn).BodyText), mnemonic).Verdict);
                    break;
                default:
                    Assert.Fail($"{path}: unknown expect \"{v.Expect}\"");
                    break;
            }
        }
        Assert.Equal(["authentic", "canonical", "commitment", "registered", "rejected", "signature invalid", "signer not identity"], seen.Order(StringComparer.Ordinal));
    }
}
