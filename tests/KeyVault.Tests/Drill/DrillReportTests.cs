using System.Text.Json;
using System.Text.Json.Nodes;
using KeyVault.Codecs;
using KeyVault.Dkg;
using KeyVault.Drill;
using KeyVault.Errors;
using KeyVault.Keys;
using KeyVault.Signing;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Drill;

public class DrillReportTests
{
    private static SecretKey Key(string hex) => SecretKey.FromBytes(Hex.TryDecode(hex)!);

    /// <summary>A report as a drill of Key1's backup against an expected public key would produce it.</summary>
    internal static DrillReport Sample(SecretKey key, ExpectedIdentity expected, IEnumerable<DrillCheck>? extra = null) => new()
    {
        CreatedAt = new DateTimeOffset(2025, 6, 1, 9, 30, 0, TimeSpan.Zero),
        ToolVersion = "0.1.0",
        KeyFile = new KeyFileTested("backup/signer.kvkey", new string('a', 64)),
        Shares = new SharesTested(21219, 1, 1, [new ShareUsed(0, 0, 2), new ShareUsed(0, 2, 2)]),
        Expected = DrillExpected.From(expected),
        Derived = key.PublicKey.Identity(),
        Checks = [.. DrillCheck.FromIdentity(expected.Match(key.PublicKey)), .. extra ?? []],
    };

    private static string Mutate(string json, Action<JsonObject> change)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        change(node);
        return node.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    [Fact]
    public void Signed_report_verifies_and_names_the_rebuilt_key()
    {
        using var key = Key(TestKeys.Key1);
        var report = Sample(key, ExpectedIdentity.ParseValue(TestKeys.Key1PublicKey));
        var json = report.Sign(key);

        var result = DrillReport.Verify(json);
        Assert.True(result.Valid, result.Problem);
        Assert.True(result.SignatureValid);
        Assert.True(result.SignerIsDerivedIdentity);
        Assert.Equal(key.PublicKey, result.Signer);
        Assert.Null(result.Problem);
        Assert.Equal(DrillOutcome.Passed, result.Report.Outcome);
        Assert.Equal(report.SignedMessage(), result.Report.SignedMessage());
        Assert.DoesNotContain(TestKeys.Key1, json);
    }

    [Fact]
    public void Signature_is_an_ordinary_stacks_signed_message_over_the_canonical_json()
    {
        using var key = Key(TestKeys.Key1);
        var report = Sample(key, ExpectedIdentity.ParseValue(TestKeys.Key1Mainnet));
        var json = report.Sign(key);
        using var doc = JsonDocument.Parse(json);
        var sig = Hex.TryDecode(doc.RootElement.GetProperty("signature").GetProperty("value").GetString()!)!;

        var message = report.SignedMessage();
        Assert.StartsWith("{\"checks\":[{\"detail\":", message);
        Assert.DoesNotContain("signature", message);
        Assert.DoesNotContain(" ", message.Replace("matches ", "").Replace("backup/", ""));
        Assert.True(StacksMessageSigning.Verify(key.PublicKey, message, sig));
        Assert.Equal(key.PublicKey, StacksMessageSigning.RecoverPublicKey(message, sig));
    }

    [Fact]
    public void Reformatting_and_reordering_members_keeps_the_signature_valid()
    {
        using var key = Key(TestKeys.Key1);
        var json = Sample(key, ExpectedIdentity.ParseValue(TestKeys.Key1PublicKey)).Sign(key);
        var node = JsonNode.Parse(json)!.AsObject();
        var reordered = new JsonObject();
        foreach (var name in node.Select(p => p.Key).Reverse().ToList())
        {
            var value = node[name];
            node.Remove(name);
            reordered[name] = value;
        }
        Assert.True(DrillReport.Verify(reordered.ToJsonString()).Valid);
    }

    [Theory]
    [InlineData("createdAt")]
    [InlineData("detail")]
    [InlineData("keyFile")]
    [InlineData("toolVersion")]
    [InlineData("shareIndex")]
    public void Any_change_after_signing_breaks_the_signature(string what)
    {
        using var key = Key(TestKeys.Key1);
        var json = Sample(key, ExpectedIdentity.ParseValue(TestKeys.Key1PublicKey)).Sign(key);
        var tampered = Mutate(json, root =>
        {
            switch (what)
            {
                case "createdAt": root["createdAt"] = "2025-06-01T09:30:01Z"; break;
                case "detail": root["checks"]![0]!["detail"] = "matches, trust me"; break;
                case "keyFile": root["tested"]!["keyFile"]!["sha256"] = new string('b', 64); break;
                case "toolVersion": root["tool"]!["version"] = "0.1.1"; break;
                default: root["tested"]!["shares"]!["shares"]![1]!["memberIndex"] = 3; break;
            }
        });
        var result = DrillReport.Verify(tampered);
        Assert.False(result.SignatureValid);
        Assert.False(result.Valid);
        Assert.Contains("does not verify", result.Problem);
    }

    [Fact]
    public void A_report_signed_by_any_key_claiming_a_pass_for_another_key_is_refused()
    {
        // Key 2's holder signs a "passed" drill whose expected identity is key 1: the signature is genuine, the claim is not.
        using var key = Key(TestKeys.Key2);
        var forged = Sample(key, ExpectedIdentity.ParseValue(TestKeys.Key2PublicKey)) with
        {
            Expected = new DrillExpected("publicKey", TestKeys.Key1PublicKey),
        };
        Assert.Equal(DrillOutcome.Passed, forged.Outcome);
        var ex = Assert.Throws<KeyVaultException>(() => DrillReport.Verify(forged.Sign(key)));
        Assert.Equal(ErrorKind.DamagedFile, ex.Kind);
        Assert.Contains("derived identity is not the expected one", ex.Message);

        var byAddress = forged with { Expected = new DrillExpected("stacksAddress", TestKeys.Key1Mainnet) };
        Assert.Throws<KeyVaultException>(() => DrillReport.Verify(byAddress.Sign(key)));
        var genuine = forged with { Expected = new DrillExpected("stacksAddress", TestKeys.Key2Mainnet) };
        Assert.True(DrillReport.Verify(genuine.Sign(key)).Valid);
    }

    [Fact]
    public void Turning_a_failed_drill_into_a_pass_is_refused()
    {
        using var key = Key(TestKeys.Key2);
        var json = Sample(key, ExpectedIdentity.ParseValue(TestKeys.Key1PublicKey)).Sign(key);
        Assert.Equal(DrillOutcome.IdentityMismatch, DrillReport.Verify(json).Report.Outcome);
        Assert.True(DrillReport.Verify(json).Valid); // a failed drill is still honestly signed

        var forged = Mutate(json, root =>
        {
            root["checks"]![0]!["result"] = "pass";
            root["result"] = "pass";
        });
        // The edit contradicts expected and derived, which is caught before the signature is even looked at.
        var ex = Assert.Throws<KeyVaultException>(() => DrillReport.Verify(forged));
        Assert.Contains("derived identity is not the expected one", ex.Message);
    }

    [Fact]
    public void Report_signed_by_another_key_is_flagged()
    {
        using var key1 = Key(TestKeys.Key1);
        using var key2 = Key(TestKeys.Key2);
        var report = Sample(key1, ExpectedIdentity.ParseValue(TestKeys.Key1PublicKey));
        var json = report.Sign(key1);
        var otherSignature = Hex.Encode(StacksMessageSigning.Sign(key2, report.SignedMessage()));

        // Signed by key 2 and honestly naming key 2: a valid signature, but not by the rebuilt key.
        var resigned = Mutate(json, root =>
        {
            root["signature"]!["publicKey"] = key2.PublicKey.Hex66;
            root["signature"]!["value"] = otherSignature;
        });
        var result = DrillReport.Verify(resigned);
        Assert.True(result.SignatureValid);
        Assert.False(result.SignerIsDerivedIdentity);
        Assert.False(result.Valid);
        Assert.Equal(key2.PublicKey, result.Signer);

        // Signed by key 2 but claiming key 1: invalid.
        var claimed = Mutate(json, root => root["signature"]!["value"] = otherSignature);
        Assert.False(DrillReport.Verify(claimed).SignatureValid);
    }

    [Theory]
    [InlineData("scheme", "bitcoin-signed-message", "unknown signature scheme")]
    [InlineData("value", "00", "130 lowercase hex")]
    [InlineData("value", "upper", "130 lowercase hex")]
    [InlineData("value", "zero", "malformed")]
    public void Bad_signature_members_are_reported_not_thrown(string member, string value, string problem)
    {
        using var key = Key(TestKeys.Key1);
        var json = Sample(key, ExpectedIdentity.ParseValue(TestKeys.Key1PublicKey)).Sign(key);
        var changed = Mutate(json, root =>
        {
            var current = root["signature"]![member]!.GetValue<string>();
            root["signature"]![member] = value switch
            {
                "upper" => current.ToUpperInvariant(),
                "zero" => new string('0', 130),
                _ => value,
            };
        });
        var result = DrillReport.Verify(changed);
        Assert.False(result.Valid);
        Assert.Contains(problem, result.Problem);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[1]", "not a JSON object")]
    [InlineData("""{"format":"something-else","version":1}""", "not a drill report")]
    [InlineData("""{"format":"keyvault-drill-report","version":2}""", "version 2")]
    public void Files_that_are_not_reports_are_refused(string text, string message)
    {
        var ex = Assert.Throws<KeyVaultException>(() => DrillReport.Verify(text));
        Assert.Equal(ErrorKind.DamagedFile, ex.Kind);
        Assert.Contains(message, ex.Message);
        Assert.NotNull(ex.Hint);
    }

    [Theory]
    [InlineData("result", "result does not follow")]
    [InlineData("derived", "do not all belong")]
    [InlineData("createdAt", "createdAt")]
    [InlineData("checks", "checks is empty")]
    [InlineData("tested", "neither a key file nor shares")]
    [InlineData("signature", "no \"signature\"")]
    [InlineData("duplicate", "not valid JSON")]
    public void Structurally_damaged_reports_are_refused(string what, string message)
    {
        using var key = Key(TestKeys.Key1);
        var json = Sample(key, ExpectedIdentity.ParseValue(TestKeys.Key1PublicKey)).Sign(key);
        var damaged = what == "duplicate"
            ? json.Replace("\"format\": ", "\"result\": \"pass\",\n  \"format\": ")
            : Mutate(json, root =>
            {
                switch (what)
                {
                    case "result": root["result"] = "fail"; break;
                    case "derived": root["derived"]!["peerId"] = TestKeys.Key3PeerId; break;
                    case "createdAt": root["createdAt"] = "1 June 2025"; break;
                    case "checks": root["checks"] = new JsonArray(); break;
                    case "tested": root["tested"] = new JsonObject { ["keyFile"] = null, ["shares"] = null }; break;
                    default: root.Remove("signature"); break;
                }
            });
        Assert.NotEqual(json, damaged);
        var ex = Assert.Throws<KeyVaultException>(() => DrillReport.Verify(damaged));
        Assert.Equal(ErrorKind.DamagedFile, ex.Kind);
        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public void Parse_gives_back_what_was_signed()
    {
        using var key = Key(TestKeys.Key1);
        var row = new DkgShareRow(Hex.TryDecode(TestKeys.Key2PublicKey)!, SignerEncryption.Encrypt(TestKeys.Key2, [1, 2, 3]), "verified",
            new DateTimeOffset(2025, 5, 1, 0, 0, 0, TimeSpan.Zero));
        var dkg = DrillCheck.FromDkgRow(DkgShareRows.CheckAll(key, [row])[0]);
        var report = Sample(key, ExpectedIdentity.ParseValue(TestKeys.Key1PublicKey), [dkg]);
        var parsed = DrillReport.Parse(report.Sign(key));

        Assert.Equal(DrillOutcome.DkgSharesNotOpened, parsed.Outcome);
        Assert.Equal(report.CreatedAt, parsed.CreatedAt);
        Assert.Equal(report.KeyFile, parsed.KeyFile);
        Assert.Equal(report.Shares!.Shares, parsed.Shares!.Shares);
        Assert.Equal(report.Expected, parsed.Expected);
        Assert.Equal(report.Derived, parsed.Derived);
        Assert.Equal(report.Checks, parsed.Checks);
        Assert.Equal(report.SignedMessage(), parsed.SignedMessage());
    }

    [Fact]
    public void Outcome_ranks_identity_over_dkg_over_other_failures()
    {
        var pass = new DrillCheck("identity", "publicKey", DrillCheckResult.Pass, "");
        var idFail = pass with { Result = DrillCheckResult.Fail };
        var dkgFail = new DrillCheck("dkg-shares", "02ab", DrillCheckResult.Fail, "");
        var otherFail = new DrillCheck("rebuild", "shares", DrillCheckResult.Fail, "");
        Assert.Equal(DrillOutcome.Passed, DrillCheck.OutcomeOf([pass]));
        Assert.Equal(DrillOutcome.IdentityMismatch, DrillCheck.OutcomeOf([dkgFail, idFail, otherFail]));
        Assert.Equal(DrillOutcome.DkgSharesNotOpened, DrillCheck.OutcomeOf([pass, otherFail, dkgFail]));
        Assert.Equal(DrillOutcome.Failed, DrillCheck.OutcomeOf([pass, otherFail]));
        Assert.Equal("dkg-shares-not-opened", DrillReport.OutcomeName(DrillOutcome.DkgSharesNotOpened));
    }

    [Fact]
    public void Only_the_rebuilt_key_may_sign_and_only_complete_reports_are_written()
    {
        using var key1 = Key(TestKeys.Key1);
        using var key2 = Key(TestKeys.Key2);
        var report = Sample(key1, ExpectedIdentity.ParseValue(TestKeys.Key1PublicKey));
        Assert.Throws<ArgumentException>(() => report.Sign(key2));
        Assert.Throws<InvalidOperationException>(() => (report with { KeyFile = null, Shares = null }).Sign(key1));
        Assert.Throws<InvalidOperationException>(() => (report with { Checks = [] }).Sign(key1));
        Assert.Throws<InvalidOperationException>(() => (report with { CreatedAt = report.CreatedAt.ToOffset(TimeSpan.FromHours(2)) }).Sign(key1));
    }
}
