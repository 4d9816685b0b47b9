using System.Security.Cryptography;
using System.Text;
using KeyVault.Codecs;
using KeyVault.Drill;
using KeyVault.Errors;
using KeyVault.Keys;
using KeyVault.Signers;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Signers;

/// <summary>
/// Signer sets, their fingerprint and attestations, and backup health across fifteen synthetic operators
/// (docs/signer-set.md). The vectors in test-vectors/signer-set/ are generated here.
/// </summary>
public class SignerSetTests
{
    private static readonly DateTimeOffset Today = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly string VectorDir = Path.Combine(External.RepoRoot, "test-vectors", "signer-set");

    private const string DefaultConfig = SignerConfigs.Default;

    private static SecretKey Operator(int i) => SecretKey.FromBytes(SHA256.HashData(Encoding.UTF8.GetBytes($"keyvault test operator {i}")));

    private static PublicKey PointOf(string label)
    {
        using var k = SecretKey.FromBytes(SHA256.HashData(Encoding.UTF8.GetBytes(label)));
        return k.PublicKey;
    }

    private static readonly PublicKey Aggregate = PointOf("aggregate key now");
    private static readonly PublicKey OldAggregate = PointOf("aggregate key before the rotation");

    private static SignerSet Fifteen()
    {
        var keys = Enumerable.Range(0, 15).Select(i => { using var k = Operator(i); return k.PublicKey; }).ToList();
        return SignerSetFile.Validated(new SignerSet { Keys = keys, SignaturesRequired = 8, AggregateKey = Aggregate }, "test");
    }

    /// <summary>A drill report signed by <paramref name="key"/>, proving the DKG shares of <paramref name="proven"/>.</summary>
    private static string Report(SecretKey key, DateTimeOffset at, PublicKey? proven, bool dkgOpened = true, SignerSet? set = null)
    {
        var checks = new List<DrillCheck> { new(DrillCheck.IdentityName, "publicKey", DrillCheckResult.Pass, "key file: the same key") };
        if (proven is not null)
            checks.Add(new DrillCheck(DrillCheck.DkgSharesName, proven.Hex66, dkgOpened ? DrillCheckResult.Pass : DrillCheckResult.Fail,
                dkgOpened ? "opened" : "not opened"));
        return new DrillReport
        {
            CreatedAt = at,
            ToolVersion = "1.0.0",
            KeyFile = new KeyFileTested("signer.kvk", new string('a', 64)),
            Expected = new DrillExpected("publicKey", key.PublicKey.Hex66),
            Derived = key.PublicKey.Identity(),
            SignerSet = set is null ? null : new DrillSignerSet(set.Fingerprint, set.SignaturesRequired, set.Keys.Count),
            Checks = checks,
        }.Sign(key);
    }

    /// <summary>The fifteen operators' reports: nine count, six do not, each for another reason, and two are refused.</summary>
    private static List<(string, string)> FifteenReports(SignerSet set)
    {
        var reports = new List<(string, string)>();
        for (int i = 0; i < 15; i++)
        {
            using var key = Operator(i);
            switch (i)
            {
                case <= 8:
                    reports.Add(($"op{i}.json", Report(key, Today.AddDays(-10 * i), Aggregate, set: i % 2 == 0 ? set : null)));
                    break;
                case 9:
                    reports.Add(("op9.json", Report(key, Today.AddDays(-120), Aggregate)));
                    break;
                case 10:
                    reports.Add(("op10.json", Report(key, Today.AddDays(-3), Aggregate, dkgOpened: false)));
                    break;
                case 11:
                    reports.Add(("op11.json", Report(key, Today.AddDays(-5), OldAggregate)));
                    break;
                case 12:
                    // Forged: a real report of operator 12 with its date moved after signing.
                    var real = Report(key, Today.AddDays(-200), Aggregate);
                    reports.Add(("op12-forged.json", real.Replace(Today.AddDays(-200).ToString("yyyy-MM-dd"), Today.AddDays(-1).ToString("yyyy-MM-dd"), StringComparison.Ordinal)));
                    break;
                case 13:
                    reports.Add(("op13.json", Report(key, Today.AddDays(-2), null)));
                    break;
                // Operator 14 sends nothing.
            }
        }
        // An older report of operator 0 does not hide its newer one; a key outside the set is named.
        using (var k0 = Operator(0)) reports.Add(("op0-old.json", Report(k0, Today.AddDays(-300), Aggregate)));
        using (var outsider = Operator(99)) reports.Add(("outsider.json", Report(outsider, Today.AddDays(-1), Aggregate)));
        return reports;
    }

    [Fact]
    public void Fifteen_operators_give_the_expected_verdict_and_margin()
    {
        var set = Fifteen();
        var result = BackupHealth.Evaluate(set, new HealthPolicy(Aggregate, 90, Today), FifteenReports(set));

        Assert.Equal(9, result.Verified);
        Assert.Equal(8, result.Threshold);
        Assert.Equal(1, result.Margin);
        Assert.True(result.MeetsThreshold);
        BackupStanding StandingOf(int i) { using var k = Operator(i); return result.Signers.Single(s => s.Key.Equals(k.PublicKey)).Standing; }
        for (int i = 0; i <= 8; i++) Assert.Equal(BackupStanding.Counts, StandingOf(i));
        Assert.Equal(BackupStanding.TooOld, StandingOf(9));
        Assert.Equal(BackupStanding.Failed, StandingOf(10));
        Assert.Equal(BackupStanding.OtherAggregateKey, StandingOf(11));
        Assert.Equal(BackupStanding.NoReport, StandingOf(12)); // its only report is forged
        Assert.Equal(BackupStanding.NoDkgProof, StandingOf(13));
        Assert.Equal(BackupStanding.NoReport, StandingOf(14));

        using var o0 = Operator(0);
        var line0 = result.Signers.Single(s => s.Key.Equals(o0.PublicKey));
        Assert.Equal("op0.json", line0.Source);
        Assert.Equal(SetMatch.Same, line0.Set);
        Assert.Equal(2, result.Rejected.Count);
        Assert.Contains(result.Rejected, r => r.Source == "op12-forged.json" && r.Reason.StartsWith("forged or changed", StringComparison.Ordinal));
        using var outsider = Operator(99);
        Assert.Contains(result.Rejected, r => r.Source == "outsider.json" && r.Reason.Contains(outsider.PublicKey.Hex66, StringComparison.Ordinal));
    }

    [Fact]
    public void Forty_days_later_two_drills_have_aged_out_and_the_set_is_below_threshold()
    {
        var set = Fifteen();
        // Operators 7 (70 days) and 8 (80 days) pass the 90-day limit on the 21st and 11th day.
        var result = BackupHealth.Evaluate(set, new HealthPolicy(Aggregate, 90, Today.AddDays(21)), FifteenReports(set));
        Assert.Equal(7, result.Verified);
        Assert.Equal(-1, result.Margin);
        Assert.False(result.MeetsThreshold);
        // Judged before they were made, the newest reports do not count, and are said to be later than the date judged.
        var early = BackupHealth.Evaluate(set, new HealthPolicy(Aggregate, 90, Today.AddDays(-25)), FifteenReports(set));
        Assert.Contains(early.Rejected, r => r.Source == "op0.json" && r.Reason.Contains("after the date judged", StringComparison.Ordinal));
    }

    [Fact]
    public void A_report_of_the_old_aggregate_key_counts_when_that_key_is_the_one_judged()
    {
        var set = Fifteen();
        var result = BackupHealth.Evaluate(set, new HealthPolicy(OldAggregate, 90, Today), FifteenReports(set));
        Assert.Equal(1, result.Verified);
        Assert.Equal(BackupStanding.Counts, result.Signers.Single(s => s.Source == "op11.json").Standing);
    }

    [Fact]
    public void The_signer_config_gives_the_set_and_its_fingerprint_whatever_the_order_and_case_of_its_keys()
    {
        var set = SignerSetFile.Read(Encoding.UTF8.GetBytes(DefaultConfig), "signer-config.toml");
        Assert.Equal(3, set.Keys.Count);
        Assert.Equal(2, set.SignaturesRequired);
        Assert.Equal("regtest", set.Network);
        Assert.Null(set.AggregateKey);
        Assert.Equal("02007311430123d4cad97f4f7e86e023b28143130a18099ecf094d36fef0f6135c", set.Keys[0].Hex66);
        var reordered = DefaultConfig.Replace("\"035249137286c077ccee65ecc43e724b9b9e5a588e3d7f51e3b62f9624c2a49e46\",", "", StringComparison.Ordinal)
            .Replace("bootstrap_signing_set = [", "bootstrap_signing_set = [\n    \"035249137286C077CCEE65ECC43E724B9B9E5A588E3D7F51E3B62F9624C2A49E46\",", StringComparison.Ordinal);
        Assert.Equal(set.Fingerprint, SignerSetFile.Read(Encoding.UTF8.GetBytes(reordered), "signer-config.toml").Fingerprint);
        var other = DefaultConfig.Replace("bootstrap_signatures_required = 2", "bootstrap_signatures_required = 3", StringComparison.Ordinal);
        Assert.NotEqual(set.Fingerprint, SignerSetFile.Read(Encoding.UTF8.GetBytes(other), "signer-config.toml").Fingerprint);
        // The same set as a plain list, with names, has no deployer or network, so another fingerprint.
        var list = string.Join('\n', set.Keys.Select((k, i) => $"{k.Hex66} operator {i}")) + "\n";
        var fromList = SignerSetFile.Read(Encoding.UTF8.GetBytes(list), "keys.txt", 2);
        Assert.Equal(set.Keys, fromList.Keys);
        Assert.Equal("operator 0", fromList.NameOf(set.Keys[0]));
        Assert.NotEqual(set.Fingerprint, fromList.Fingerprint);
    }

    [Theory]
    [InlineData("bootstrap_signatures_required = 2", "bootstrap_signatures_required = 4", "must be from 1 to the number of signers")]
    [InlineData("bootstrap_signatures_required = 2", "bootstrap_signatures_required = 0", "must be from 1 to 65535")]
    [InlineData("network = \"regtest\"", "network = \"mainnet\"", "is not a mainnet")]
    [InlineData("network = \"regtest\"", "network = \"devnet\"", "not mainnet, testnet or regtest")]
    [InlineData("\"02007311430123d4cad97f4f7e86e023b28143130a18099ecf094d36fef0f6135c\"", "\"04007311430123d4cad97f4f7e86e023b28143130a18099ecf094d36fef0f6135c\"", "not a compressed secp256k1 public key")]
    [InlineData("bootstrap_signing_set", "bootstrap_signing_sets", "has no [signer] bootstrap_signing_set")]
    public void A_config_the_signer_would_refuse_is_refused_saying_why(string from, string to, string message)
    {
        var ex = Assert.Throws<KeyVaultException>(() => SignerSetFile.Read(Encoding.UTF8.GetBytes(DefaultConfig.Replace(from, to, StringComparison.Ordinal)), "c.toml"));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(TestKeys.Key1, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_plain_list_needs_its_threshold_and_a_config_refuses_one()
    {
        var list = Encoding.UTF8.GetBytes(TestKeys.Key1PublicKey + "\n" + TestKeys.Key2PublicKey + "\n");
        Assert.Contains("does not say how many", Assert.Throws<KeyVaultException>(() => SignerSetFile.Read(list, "keys.txt")).Message, StringComparison.Ordinal);
        Assert.Contains("states its own", Assert.Throws<KeyVaultException>(() => SignerSetFile.Read(Encoding.UTF8.GetBytes(DefaultConfig), "c.toml", 2)).Message, StringComparison.Ordinal);
    }

    private static SignerSetAttestation AttestationOf(SignerSet set) =>
        new() { Set = set, CreatedAt = new DateTimeOffset(2026, 12, 1, 9, 30, 0, TimeSpan.Zero), ToolVersion = "1.0.0" };

    [Fact]
    public void Attestations_that_differ_in_one_field_are_named_with_that_field()
    {
        var set = SignerSetFile.Read(Encoding.UTF8.GetBytes(DefaultConfig), "c.toml");
        using var k1 = SecretKey.FromBytes(Hex.TryDecode(TestKeys.Key1)!);
        using var k2 = SecretKey.FromBytes(Hex.TryDecode(TestKeys.Key2)!);
        var same = SignerSetAttestation.Verify(AttestationOf(set).Sign(k1));
        var agree = SignerSetComparison.Of([("a.json", same), ("b.json", SignerSetAttestation.Verify(AttestationOf(set).Sign(k2)))]);
        Assert.True(agree.Agree);
        Assert.Contains(agree.Lines, l => l.Contains("not attested by 1", StringComparison.Ordinal));

        var changed = set with { SignaturesRequired = 3 };
        var differ = SignerSetComparison.Of([("a.json", same), ("c.json", same), ("b.json", SignerSetAttestation.Verify(AttestationOf(changed).Sign(k2)))]);
        Assert.False(differ.Agree);
        var finding = Assert.Single(differ.Lines, l => l.StartsWith("  ", StringComparison.Ordinal));
        Assert.Contains("b.json", finding, StringComparison.Ordinal);
        Assert.Contains($"key {k2.PublicKey.Fingerprint}", finding, StringComparison.Ordinal);
        Assert.Contains("signaturesRequired is 3, not 2", finding, StringComparison.Ordinal);

        var lacking = set with { Keys = set.Keys.Skip(1).Append(PointOf("someone else")).ToList() };
        var lines = SignerSetComparison.Differences(set, SignerSetFile.Validated(lacking with { SignaturesRequired = 2 }, "t")).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Contains($"signingSet lacks {set.Keys[0].Hex66}", lines);
    }

    [Fact]
    public void Vectors_hold_the_canonical_form_and_attestations_and_keyvault_reads_them_as_their_expect_line_says()
    {
        var set = SignerSetFile.Read(Encoding.UTF8.GetBytes(DefaultConfig), "c.toml");
        using var k1 = SecretKey.FromBytes(Hex.TryDecode(TestKeys.Key1)!);
        using var k3 = Operator(99);
        var valid = AttestationOf(set).Sign(k1);
        // Changed after signing, fingerprint recomputed, so only the signature tells.
        var changed = set with { SignaturesRequired = 3 };
        var tampered = valid.Replace("\"signaturesRequired\": 2", "\"signaturesRequired\": 3", StringComparison.Ordinal)
            .Replace(set.Fingerprint, changed.Fingerprint, StringComparison.Ordinal);
        var outside = AttestationOf(set).Sign(k3);
        (string, string)[] H(string expect, string comment) => [("expect", expect), ("fingerprint", set.Fingerprint), ("comment", comment)];
        var files = new Dictionary<string, byte[]>
        {
            ["set-canonical"] = VectorFile.Format(H("canonical", "the set of the sBTC signer's default config, RFC 8785; the fingerprint is its SHA-256"), set.Canonical()),
            ["attestation-valid"] = VectorFile.Format(H("valid", "signed by test key 1, which is in the set"), valid),
            ["attestation-tampered"] = VectorFile.Format(H("rejected", "signaturesRequired changed to 3 after signing, fingerprint recomputed; the signature no longer verifies"), tampered),
            ["attestation-signer-outside-set"] = VectorFile.Format(H("signer outside set", "validly signed by a key outside the set (SHA-256 of \"keyvault test operator 99\")"), outside),
        };
        VectorFile.AssertFolderIs(VectorDir, files);

        Assert.True(SignerSetAttestation.Verify(valid).Valid);
        var t = SignerSetAttestation.Verify(tampered);
        Assert.False(t.Valid);
        Assert.Contains("does not verify", t.Problem, StringComparison.Ordinal);
        var o = SignerSetAttestation.Verify(outside);
        Assert.False(o.Valid);
        Assert.Contains("not in the set", o.Problem, StringComparison.Ordinal);
        Assert.Equal(set.Fingerprint, SignerSetFile.Read(Encoding.UTF8.GetBytes(valid), "a.json").Fingerprint);
        // A fingerprint that is not the set's is a damaged file, not a result.
        Assert.Throws<KeyVaultException>(() => SignerSetAttestation.Verify(valid.Replace(set.Fingerprint, changed.Fingerprint, StringComparison.Ordinal)));
    }
}
