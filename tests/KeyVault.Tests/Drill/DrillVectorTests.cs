using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text;
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

    /// <summary>File name → content, exactly as committed.</summary>
    internal static SortedDictionary<string, string> Generate()
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        using var key1 = Key(TestKeys.Key1);
        using var key2 = Key(TestKeys.Key2);

        // Stacks signed messages: lengths on both sides of the CompactSize boundary, and non-ASCII text.
        var messages = new JsonArray();
        foreach (var message in new[] { "", "KeyVault restore drill", "d\u00e9j\u00e0 vu \u20ac", new string('x', 252), new string('x', 253), new string('y', 300) })
        {
            messages.Add(new JsonObject
            {
                ["privateKey"] = TestKeys.Key1,
                ["publicKey"] = key1.PublicKey.Hex66,
                ["message"] = message,
                ["encoded"] = Hex.Encode(StacksMessageSigning.Encode(message)),
                ["hash"] = Hex.Encode(StacksMessageSigning.Hash(message)),
                ["signature"] = Hex.Encode(StacksMessageSigning.Sign(key1, message)),
            });
        }
        files["message-signatures.json"] = messages.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";

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
        files["report-valid.json"] = valid;
        files["report-valid.signed-message.txt"] = report.SignedMessage();
        files["report-tampered.json"] = valid.Replace("\"createdAt\": \"2025-06-01T09:30:00Z\"", "\"createdAt\": \"2025-06-02T09:30:00Z\"");

        // Written without the optional executable members, as reports made before they existed are.
        var mismatch = report with
        {
            Executable = null,
            Derived = key2.PublicKey.Identity(),
            Checks = DrillCheck.FromIdentity(expected.Match(key2.PublicKey)),
        };
        files["report-identity-mismatch.json"] = mismatch.Sign(key2);

        var node = JsonNode.Parse(valid)!.AsObject();
        node["signature"]!["publicKey"] = key2.PublicKey.Hex66;
        node["signature"]!["value"] = Hex.Encode(StacksMessageSigning.Sign(key2, report.SignedMessage()));
        files["report-other-signer.json"] = node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";

        // DKG shares blobs: nonce(12) || AES-256-GCM ciphertext || tag(16) under the raw key bytes.
        var blob = SignerEncryption.Encrypt(TestKeys.Key1, Fixed("dkg plaintext", 96), Fixed("dkg nonce", 12));
        files["dkg-blob-key1.hex"] = "\\x" + Hex.Encode(blob) + "\n";
        var flipped = (byte[])blob.Clone();
        flipped[40] ^= 0x01;
        files["dkg-blob-key1-flipped.hex"] = "\\x" + Hex.Encode(flipped) + "\n";
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
        Assert.Equal(files.Keys.Order(StringComparer.Ordinal),
            Directory.GetFiles(Dir).Select(Path.GetFileName).Order(StringComparer.Ordinal)!);
    }

    [Fact]
    public void The_specification_quotes_the_vector_as_it_is()
    {
        // docs/drill-report.md section 4 gives the signed message's length, its length prefix and the signature.
        var spec = File.ReadAllText(Path.Combine(External.RepoRoot, "docs", "drill-report.md"), Encoding.UTF8);
        var message = File.ReadAllBytes(Path.Combine(Dir, "report-valid.signed-message.txt"));
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, "report-valid.json"), Encoding.UTF8));
        var signature = report.RootElement.GetProperty("signature").GetProperty("value").GetString()!;
        Assert.Contains($"({message.Length} bytes, so the length prefix is\n`fd {message.Length & 0xFF:x2} {message.Length >> 8:x2}`)", spec);
        Assert.Contains($"```\n{signature[..64]}\n{signature[64..128]}\n{signature[128..]}\n```", spec);
        Assert.Contains($"(r, s, recovery id {Convert.ToInt32(signature[128..], 16)})", spec);
        Assert.Contains(TestKeys.Key1, spec);
    }

    [Fact]
    public void Vector_files_have_the_documented_outcomes()
    {
        string Read(string name) => File.ReadAllText(Path.Combine(Dir, name), Encoding.UTF8);

        var valid = DrillReport.Verify(Read("report-valid.json"));
        Assert.True(valid.Valid);
        Assert.Equal(DrillOutcome.Passed, valid.Report.Outcome);
        Assert.Equal(Read("report-valid.signed-message.txt"), valid.Report.SignedMessage());

        Assert.False(DrillReport.Verify(Read("report-tampered.json")).SignatureValid);

        var mismatch = DrillReport.Verify(Read("report-identity-mismatch.json"));
        Assert.True(mismatch.Valid);
        Assert.Equal(DrillOutcome.IdentityMismatch, mismatch.Report.Outcome);

        var other = DrillReport.Verify(Read("report-other-signer.json"));
        Assert.True(other.SignatureValid);
        Assert.False(other.SignerIsDerivedIdentity);

        using var key1 = Key(TestKeys.Key1);
        using var key2 = Key(TestKeys.Key2);
        var blob = DkgShares.ParseBlobHex(Read("dkg-blob-key1.hex"));
        Assert.True(DkgShares.Opens(key1, blob));
        Assert.False(DkgShares.Opens(key2, blob));
        Assert.False(DkgShares.Opens(key1, DkgShares.ParseBlobHex(Read("dkg-blob-key1-flipped.hex"))));

        using var doc = JsonDocument.Parse(Read("message-signatures.json"));
        foreach (var v in doc.RootElement.EnumerateArray())
        {
            var message = v.GetProperty("message").GetString()!;
            var publicKey = PublicKey.ParseHex(v.GetProperty("publicKey").GetString()!);
            Assert.True(StacksMessageSigning.Verify(publicKey, message, Hex.TryDecode(v.GetProperty("signature").GetString()!)!));
        }
    }
}
