using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KeyVault.Codecs;
using KeyVault.Dkg;
using KeyVault.Drill;
using KeyVault.Keys;
using KeyVault.SelfTest;
using KeyVault.Signing;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Drill;

/// <summary>
/// The generator of test-vectors/drill/ and its check. Every vector derives from the published test keys and fixed
/// byte strings (nonces and plaintexts are SHA-256 of fixed labels), so regenerating gives the same bytes.
/// Run with KEYVAULT_WRITE_VECTORS=1 to (re)write the files; otherwise the committed files must equal the output.
/// </summary>
public class DrillVectorTests
{
    private static string Dir => Path.Combine(External.RepoRoot, "test-vectors", "drill");

    private static SecretKey Key(string hex) => SecretKey.FromBytes(Hex.TryDecode(hex)!);

    private static byte[] Fixed(string label, int length)
    {
        var output = new byte[length];
        for (int block = 0; block * 32 < length; block++)
        {
            var h = SHA256.HashData(Encoding.UTF8.GetBytes($"keyvault drill vector {label} {block}"));
            h.AsSpan(0, Math.Min(32, length - block * 32)).CopyTo(output.AsSpan(block * 32));
        }
        return output;
    }

    /// <summary>File name → content, exactly as committed: one case a file, in the layout of <see cref="VectorFile"/>.</summary>
    internal static SortedDictionary<string, byte[]> Generate()
    {
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        using var key1 = Key(TestKeys.Key1);
        using var key2 = Key(TestKeys.Key2);

        // Stacks signed messages: lengths on both sides of the CompactSize boundary, and non-ASCII text.
        var messages = new[]
        {
            ("empty", "", "the empty message: length prefix 00"),
            ("short", "KeyVault restore drill", "a short ASCII message"),
            ("non-ascii", "d\u00e9j\u00e0 vu \u20ac", "UTF-8 text: the length counts bytes, not characters"),
            ("252", new string('x', 252), "252 bytes: the longest one-byte length prefix"),
            ("253", new string('x', 253), "253 bytes: the first three-byte length prefix, fd fd 00"),
            ("300", new string('y', 300), "300 bytes: a three-byte length prefix, fd 2c 01"),
        };
        foreach (var (name, message, why) in messages)
        {
            files[$"message-{name}"] = VectorFile.Format(
            [
                ("expect", "valid"), ("private key", TestKeys.Key1), ("public key", key1.PublicKey.Hex66),
                ("message", message), ("encoded", Hex.Encode(StacksMessageSigning.Encode(message))),
                ("hash", Hex.Encode(StacksMessageSigning.Hash(message))), ("comment", why),
            ], Hex.Encode(StacksMessageSigning.Sign(key1, message)) + "\n");
        }

        // Drill reports.
        var row = new DkgShareRow(Hex.TryDecode("03" + Hex.Encode(Fixed("aggregate key", 32)))!, [], "verified",
            new DateTimeOffset(2025, 5, 20, 14, 0, 0, TimeSpan.Zero));
        var expected = ExpectedIdentity.ParseValue(TestKeys.Key1Mainnet);
        var report = new DrillReport
        {
            CreatedAt = new DateTimeOffset(2025, 6, 1, 9, 30, 0, TimeSpan.Zero),
            ToolVersion = "0.1.0",
            Executable = new ExecutableRecord(Hex.Encode(Fixed("executable", 32)), SelfTestPassed: true),
            KeyFile = new KeyFileTested("signer-key.kvkey", Hex.Encode(Fixed("key file", 32))),
            Shares = new SharesTested(7945, 1, 1, [new ShareUsed(0, 0, 2), new ShareUsed(0, 3, 2)]),
            Expected = DrillExpected.From(expected),
            Derived = key1.PublicKey.Identity(),
            Checks =
            [
                .. DrillCheck.FromIdentity(expected.Match(key1.PublicKey)),
                DrillCheck.FromDkgRow(new DkgShareResult(row with { EncryptedPrivateShares = new byte[344] }, DkgBlobOutcome.Opened)),
                new DrillCheck("dkg-shares", "shares-2025-05.hex", DrillCheckResult.Pass, "opened: the AES-256-GCM tag verifies with this key (344 bytes)"),
            ],
        };
        var valid = report.Sign(key1);
        files["report-valid"] = VectorFile.Format(
            [("expect", "valid"), ("signer", key1.PublicKey.Hex66), ("result", "pass"), ("comment", "a passed drill, signed by the rebuilt key (test key 1)")],
            valid);
        files["report-valid-signed-message"] = VectorFile.Format(
            [("expect", "canonical"), ("report", "report-valid"),
             ("comment", "the exact message report-valid's signature covers: RFC 8785 canonical JSON of the report without signature, no trailing newline")],
            report.SignedMessage());
        files["report-tampered"] = VectorFile.Format(
            [("expect", "signature invalid"), ("comment", "report-valid with createdAt moved one day after signing")],
            valid.Replace("\"createdAt\": \"2025-06-01T09:30:00Z\"", "\"createdAt\": \"2025-06-02T09:30:00Z\"", StringComparison.Ordinal));

        // Written without the optional executable members, as reports made before they existed are.
        var mismatch = report with
        {
            Executable = null,
            Derived = key2.PublicKey.Identity(),
            Checks = DrillCheck.FromIdentity(expected.Match(key2.PublicKey)),
        };
        files["report-identity-mismatch"] = VectorFile.Format(
            [("expect", "valid"), ("signer", key2.PublicKey.Hex66), ("result", "identity-mismatch"),
             ("comment", "the backup rebuilt test key 2 while test key 1's mainnet address was expected; honestly signed by key 2, without the optional tool members")],
            mismatch.Sign(key2));

        var node = JsonNode.Parse(valid)!.AsObject();
        node["signature"]!["publicKey"] = key2.PublicKey.Hex66;
        node["signature"]!["value"] = Hex.Encode(StacksMessageSigning.Sign(key2, report.SignedMessage()));
        files["report-other-signer"] = VectorFile.Format(
            [("expect", "signer not derived"), ("signer", key2.PublicKey.Hex66),
             ("comment", "report-valid re-signed by test key 2: the signature verifies, but the signer is not the derived identity")],
            node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");

        // DKG shares blobs: nonce(12) || AES-256-GCM ciphertext || tag(16) under the raw key bytes.
        var blob = SignerEncryption.Encrypt(TestKeys.Key1, Fixed("dkg plaintext", 96), Fixed("dkg nonce", 12));
        files["dkg-blob-key1"] = VectorFile.Format(
            [("expect", "opens"), ("key", TestKeys.Key1), ("other key", TestKeys.Key2), ("plaintext", Hex.Encode(Fixed("dkg plaintext", 96))),
             ("comment", "an encrypted_private_shares value as psql prints it; opens with key, not with other key")],
            "\\x" + Hex.Encode(blob) + "\n");
        var flipped = (byte[])blob.Clone();
        flipped[40] ^= 0x01;
        files["dkg-blob-key1-flipped"] = VectorFile.Format(
            [("expect", "does not open"), ("key", TestKeys.Key1), ("comment", "dkg-blob-key1 with one ciphertext bit flipped (byte 40)")],
            "\\x" + Hex.Encode(flipped) + "\n");
        return files;
    }

    /// <summary>The vector <paramref name="name"/> of test-vectors/drill/.</summary>
    internal static VectorFile Read(string name) => VectorFile.Read(Path.Combine(Dir, name));

    [Fact]
    public void Committed_vectors_are_what_the_generator_produces()
    {
        VectorFile.AssertFolderIs(Dir, Generate());
    }

    [Fact]
    public void The_specification_quotes_the_vector_as_it_is()
    {
        // docs/drill-report.md section 4 gives the signed message's length, its length prefix and the signature.
        var spec = File.ReadAllText(Path.Combine(External.RepoRoot, "docs", "drill-report.md"), Encoding.UTF8);
        var message = Read("report-valid-signed-message").Body;
        using var report = JsonDocument.Parse(Read("report-valid").Body);
        var signature = report.RootElement.GetProperty("signature").GetProperty("value").GetString()!;
        Assert.Contains($"({message.Length} bytes, so the length prefix is\n`fd {message.Length & 0xFF:x2} {message.Length >> 8:x2}`)", spec);
        Assert.Contains($"```\n{signature[..64]}\n{signature[64..128]}\n{signature[128..]}\n```", spec);
        Assert.Contains($"(r, s, recovery id {Convert.ToInt32(signature[128..], 16)})", spec);
        Assert.Contains(TestKeys.Key1, spec);
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
                case "valid" when Path.GetFileName(path).StartsWith("message-", StringComparison.Ordinal):
                    var message = v["message"];
                    Assert.Equal(v["encoded"], Hex.Encode(StacksMessageSigning.Encode(message)));
                    Assert.Equal(v["hash"], Hex.Encode(StacksMessageSigning.Hash(message)));
                    using (var key = Key(v["private key"])) Assert.Equal(v["public key"], key.PublicKey.Hex66);
                    Assert.True(StacksMessageSigning.Verify(PublicKey.ParseHex(v["public key"]), message, Hex.TryDecode(v.BodyText.Trim())!));
                    break;
                case "valid":
                    var verified = DrillReport.Verify(v.BodyText);
                    Assert.True(verified.Valid, path);
                    Assert.Equal(v["signer"], verified.Signer.Hex66);
                    Assert.Equal(v["result"], DrillReport.OutcomeName(verified.Report.Outcome));
                    break;
                case "canonical":
                    Assert.Equal(v.BodyText, DrillReport.Verify(Read(v["report"]).BodyText).Report.SignedMessage());
                    break;
                case "signature invalid":
                    Assert.False(DrillReport.Verify(v.BodyText).SignatureValid, path);
                    break;
                case "signer not derived":
                    var other = DrillReport.Verify(v.BodyText);
                    Assert.True(other.SignatureValid, path);
                    Assert.Equal(v["signer"], other.Signer.Hex66);
                    Assert.False(other.SignerIsDerivedIdentity, path);
                    break;
                case "opens":
                    using (var key = Key(v["key"])) Assert.True(DkgShares.Opens(key, DkgShares.ParseBlobHex(v.BodyText)), path);
                    using (var key = Key(v["other key"])) Assert.False(DkgShares.Opens(key, DkgShares.ParseBlobHex(v.BodyText)), path);
                    break;
                case "does not open":
                    using (var key = Key(v["key"])) Assert.False(DkgShares.Opens(key, DkgShares.ParseBlobHex(v.BodyText)), path);
                    break;
                default:
                    Assert.Fail($"{path}: unknown expect \"{v.Expect}\"");
                    break;
            }
        }
        Assert.Equal(["canonical", "does not open", "opens", "signature invalid", "signer not derived", "valid"], seen.Order(StringComparer.Ordinal));
    }
}
