using System.Text.Json.Nodes;
using KeyVault.Cli;
using KeyVault.Codecs;
using KeyVault.Drill;
using KeyVault.Keys;
using KeyVault.Shares;
using KeyVault.Tests.Drill;
using KeyVault.Tests.Postgres;
using KeyVault.Tests.Shares;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Cli;

/// <summary>
/// keyvault drill and drill verify-report, end to end through the command tree. Key files use deliberately weak KDF
/// options and shares the weakest SLIP-0039 iteration exponent, so the command logic is what takes the time.
/// </summary>
public class DrillCommandTests : IDisposable
{
    // Weak on purpose: the drill's logic is under test, not Argon2's cost.
    private static readonly string[] WeakKdf = ["--kdf-memory", "8KiB", "--kdf-iterations", "1", "--kdf-parallelism", "1"];
    private static readonly DateTimeOffset T0 = new(2025, 5, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly TempDir _dir = new();
    private readonly List<string> _shareWords = [];

    public void Dispose() => _dir.Dispose();

    private string WriteFile(string name, string content)
    {
        var path = _dir.File(name);
        File.WriteAllText(path, content);
        return path;
    }

    private string PassFile(string text = "drill pass velvet orbit canyon") => WriteFile("pass-" + Guid.NewGuid().ToString("n")[..6], text + "\n");

    private string KeyFile(string keyHex, string passphrase = "drill pass velvet orbit canyon", string name = "signer.kvk")
    {
        var from = WriteFile("import-" + name + ".hex", keyHex + "\n");
        var path = _dir.File(name);
        var console = new TestConsole();
        int rc = console.Run(["import", "--from", from, "--out", path, "--passphrase-file", PassFile(passphrase), .. WeakKdf]);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        File.Delete(from);
        return path;
    }

    /// <summary>Splits <paramref name="keyHex"/> 2-of-3 and writes the share files; returns their paths and mnemonics.</summary>
    private (string[] Files, string[] Mnemonics) Shares(string keyHex, string seed, string prefix = "share", bool withPublicKey = true,
        SplitLayout? layout = null)
    {
        using var key = SecretKey.FromBytes(Hex.TryDecode(keyHex)!);
        var secret = Hex.TryDecode(keyHex)!;
        using var set = ShareTestKit.Split(secret, layout ?? SplitLayout.Single(2, 3), seed);
        var files = new List<string>();
        var mnemonics = new List<string>();
        foreach (var share in set.Shares)
        {
            var path = _dir.File($"{prefix}-{share.Info.MemberNumber}.txt");
            File.WriteAllBytes(path, ShareFile.Format(share, new ShareFileHeader(withPublicKey ? key.PublicKey : null, null, DateOnly.FromDateTime(T0.UtcDateTime))));
            files.Add(path);
            // A copy: disposing the set wipes its strings in place.
            var mnemonic = new string(share.Mnemonic.AsSpan());
            mnemonics.Add(mnemonic);
            _shareWords.Add(mnemonic);
        }
        return (files.ToArray(), mnemonics.ToArray());
    }

    /// <summary>Nothing secret may appear in anything the command printed: not the keys, not a share, not a passphrase.</summary>
    private void AssertNoSecret(TestConsole console)
    {
        var all = console.StdoutText + console.StderrText;
        foreach (var secret in new[] { TestKeys.Key1, TestKeys.Key2, TestKeys.Key3, "drill pass velvet orbit canyon", "other pass" })
            Assert.DoesNotContain(secret, all, StringComparison.OrdinalIgnoreCase);
        foreach (var mnemonic in _shareWords)
            Assert.DoesNotContain(string.Join(' ', mnemonic.Split(' ').Take(4)), all);
    }

    private static JsonObject ReadReport(string path) => JsonNode.Parse(File.ReadAllText(path))!.AsObject();

    [Fact]
    public void Key_file_that_rebuilds_the_expected_key_passes_and_writes_a_verifiable_report()
    {
        var keyFile = KeyFile(TestKeys.Key1);
        var report = _dir.File("drill.json");
        var console = new TestConsole();
        int rc = console.Run("drill", "--expect", TestKeys.Key1PublicKey, "--key-file", keyFile, "--passphrase-file", PassFile(), "--report", report);

        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Contains("RESULT: PASS", console.StdoutText);
        Assert.Contains($"{TestKeys.Key1PublicKey}  PASS", console.StdoutText);
        AssertNoSecret(console);
        FileModes.AssertOwnerOnly(report);

        var verification = DrillReport.Verify(File.ReadAllText(report));
        Assert.True(verification.Valid);
        Assert.Equal(DrillOutcome.Passed, verification.Report.Outcome);
        Assert.Equal(keyFile, verification.Report.KeyFile!.Path);
        Assert.Equal(Hex.Encode(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(keyFile))), verification.Report.KeyFile.Sha256);
        Assert.Null(verification.Report.Shares);
        Assert.Equal(new DrillExpected("publicKey", TestKeys.Key1PublicKey), verification.Report.Expected);
        Assert.DoesNotContain(TestKeys.Key1, File.ReadAllText(report));
    }

    [Fact]
    public void Share_files_rebuild_and_the_report_names_the_shares_used()
    {
        var (files, _) = Shares(TestKeys.Key1, "drill shares");
        var report = _dir.File("drill.json");
        var console = new TestConsole();
        int rc = console.Run("drill", "--expect", TestKeys.Key1Testnet, "--share-file", files[2], files[0], "--report", report);

        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Contains("stacksAddress.testnet", console.StdoutText);
        AssertNoSecret(console);
        var r = DrillReport.Verify(File.ReadAllText(report)).Report;
        Assert.Null(r.KeyFile);
        Assert.Equal([2, 0], r.Shares!.Shares.Select(s => s.MemberIndex).ToArray());
        Assert.All(r.Shares.Shares, s => Assert.Equal(2, s.MemberThreshold));
        Assert.Equal(1, r.Shares.GroupCount);
        Assert.Equal(new DrillExpected("stacksAddress", TestKeys.Key1Testnet), r.Expected);
    }

    [Fact]
    public void Shares_typed_at_the_prompt_are_read_without_echo()
    {
        var (_, mnemonics) = Shares(TestKeys.Key1, "typed shares");
        var console = new TestConsole();
        console.Secrets.Enqueue(mnemonics[1]);
        console.Secrets.Enqueue(mnemonics[2]);
        int rc = console.Run("drill", "--expect", TestKeys.Key1Mainnet, "--shares");

        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Equal(["Share 1: ", "Share 2: "], console.Prompts);
        Assert.Contains("stacksAddress.mainnet", console.StdoutText);
        AssertNoSecret(console);
    }

    [Fact]
    public void Shares_piped_on_standard_input_are_read_one_per_line()
    {
        var (_, mnemonics) = Shares(TestKeys.Key1, "piped shares");
        var console = new TestConsole { Interactive = false }.WithStdin("\r\n" + mnemonics[0] + "\r\n\r\n" + mnemonics[1] + "\r\n");
        Assert.Equal(ExitCode.Success, console.Run("drill", "--expect", TestKeys.Key1PublicKey, "--shares"));
        AssertNoSecret(console);
    }

    [Fact]
    public void Key_file_and_shares_are_both_tested_and_both_recorded()
    {
        var keyFile = KeyFile(TestKeys.Key1);
        var (files, _) = Shares(TestKeys.Key1, "both");
        var report = _dir.File("drill.json");
        var console = new TestConsole();
        int rc = console.Run("drill", "--expect", TestKeys.Key1PublicKey, "--key-file", keyFile, "--passphrase-file", PassFile(),
            "--share-file", files[0], "--share-file", files[1], "--report", report);

        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Contains("RESULT: PASS: every backup tested rebuilds", console.StdoutText);
        var r = DrillReport.Verify(File.ReadAllText(report)).Report;
        Assert.NotNull(r.KeyFile);
        Assert.NotNull(r.Shares);
        var identityChecks = r.Checks.Where(c => c.Name == DrillCheck.IdentityName).ToList();
        Assert.Equal(2, identityChecks.Count);
        Assert.StartsWith("key file:", identityChecks[0].Detail);
        Assert.StartsWith("shares:", identityChecks[1].Detail);
    }

    [Fact]
    public void Shares_of_another_key_beside_the_right_key_file_are_a_mismatch_named_by_source()
    {
        var keyFile = KeyFile(TestKeys.Key1);
        var (files, _) = Shares(TestKeys.Key2, "other key");
        var report = _dir.File("drill.json");
        var console = new TestConsole();
        int rc = console.Run("drill", "--expect", TestKeys.Key1PublicKey, "--key-file", keyFile, "--passphrase-file", PassFile(),
            "--share-file", files[0], files[1], "--report", report);

        Assert.Equal(ExitCode.IdentityMismatch, rc);
        using var key2 = SecretKey.FromBytes(Hex.TryDecode(TestKeys.Key2)!);
        Assert.Contains($"the shares rebuild key {key2.PublicKey.Fingerprint}", console.StdoutText);
        Assert.Contains($"{TestKeys.Key2PublicKey}  FAIL", console.StdoutText);
        // The key file's key is the expected one, so it signs; the report still says mismatch.
        var verification = DrillReport.Verify(File.ReadAllText(report));
        Assert.True(verification.Valid);
        Assert.Equal(TestKeys.Key1PublicKey, verification.Signer.Hex66);
        Assert.Equal(DrillOutcome.IdentityMismatch, verification.Report.Outcome);
        AssertNoSecret(console);
    }

    [Fact]
    public void A_backup_of_a_different_key_exits_8_and_the_report_is_signed_by_the_key_it_really_holds()
    {
        var keyFile = KeyFile(TestKeys.Key2);
        var report = _dir.File("drill.json");
        var console = new TestConsole();
        int rc = console.Run("drill", "--expect", TestKeys.Key1Testnet, "--key-file", keyFile, "--passphrase-file", PassFile(), "--report", report);

        Assert.Equal(ExitCode.IdentityMismatch, rc);
        Assert.Contains("RESULT: FAIL (identity mismatch)", console.StdoutText);
        Assert.Contains($"{TestKeys.Key2Testnet}  FAIL", console.StdoutText);
        var json = ReadReport(report);
        Assert.Equal("identity-mismatch", (string)json["result"]!);
        var verification = DrillReport.Verify(File.ReadAllText(report));
        Assert.True(verification.Valid);
        Assert.Equal(TestKeys.Key2PublicKey, verification.Report.Derived.PublicKey);
    }

    [Fact]
    public void Wrong_passphrase_is_could_not_rebuild_naming_the_key_file_and_writes_no_report()
    {
        var keyFile = KeyFile(TestKeys.Key1);
        var report = _dir.File("drill.json");
        var console = new TestConsole();
        int rc = console.Run("drill", "--expect", TestKeys.Key1PublicKey, "--key-file", keyFile, "--passphrase-file", PassFile("other pass"), "--report", report);

        Assert.Equal(ExitCode.RebuildFailed, rc);
        Assert.Contains($"keyvault: error: the key file {keyFile} could not be rebuilt: wrong passphrase", console.StderrText);
        Assert.False(File.Exists(report));
        Assert.Equal("", console.StdoutText);
        AssertNoSecret(console);
    }

    [Fact]
    public void Passphrase_is_asked_at_the_terminal_when_no_file_is_given()
    {
        var keyFile = KeyFile(TestKeys.Key1);
        var console = new TestConsole();
        console.Secrets.Enqueue("drill pass velvet orbit canyon");
        Assert.Equal(ExitCode.Success, console.Run("drill", "--expect", TestKeys.Key1PublicKey, "--key-file", keyFile));
        Assert.Equal([$"Passphrase for {Path.GetFileName(keyFile)}: "], console.Prompts);
    }

    [Fact]
    public void Too_few_shares_exit_9_naming_the_shares()
    {
        var (files, _) = Shares(TestKeys.Key1, "too few");
        var console = new TestConsole();
        Assert.Equal(ExitCode.RebuildFailed, console.Run("drill", "--expect", TestKeys.Key1PublicKey, "--share-file", files[0]));
        Assert.Contains("keyvault: error: the shares could not be rebuilt:", console.StderrText);
        AssertNoSecret(console);
    }

    [Fact]
    public void Shares_from_two_different_backups_exit_9()
    {
        var (a, _) = Shares(TestKeys.Key1, "backup a", "a");
        var (b, _) = Shares(TestKeys.Key1, "backup b", "b");
        var console = new TestConsole();
        Assert.Equal(ExitCode.RebuildFailed, console.Run("drill", "--expect", TestKeys.Key1PublicKey, "--share-file", a[0], b[1]));
        Assert.Contains("the shares could not be rebuilt", console.StderrText);
        AssertNoSecret(console);
    }

    [Fact]
    public void A_forged_share_with_a_valid_checksum_is_caught_by_the_digest_and_exits_9()
    {
        var (_, mnemonics) = Shares(TestKeys.Key1, "forged", withPublicKey: false);
        var console = new TestConsole { Interactive = false }.WithStdin(mnemonics[0] + "\n" + ShareTestKit.Tamper(mnemonics[1]) + "\n");
        Assert.Equal(ExitCode.RebuildFailed, console.Run("drill", "--expect", TestKeys.Key1PublicKey, "--shares"));
        Assert.Contains("keyvault: error: the shares could not be rebuilt:", console.StderrText);
        Assert.Equal("", console.StdoutText);
    }

    [Fact]
    public void Every_kind_of_expected_identity_is_accepted()
    {
        var keyFile = KeyFile(TestKeys.Key1);
        var identity = new TestConsole();
        Assert.Equal(ExitCode.Success, identity.Run("identity", "--public-key", TestKeys.Key1PublicKey, "--json"));
        var identityFile = WriteFile("identity.json", identity.StdoutText);
        var config = WriteFile("signer-config.toml", $"[signer]\nprivate_key = \"{TestKeys.Key1}\"\nnetwork = \"testnet\"\n");
        var stacksConfig = WriteFile("stacks-signer.toml", $"stacks_private_key = \"{TestKeys.Key1}01\"\n");

        var cases = new (string Expect, string Kind, int Fields)[]
        {
            (TestKeys.Key1PublicKey, "publicKey", 1),
            (TestKeys.Key1PublicKey.ToUpperInvariant(), "publicKey", 1),
            (TestKeys.Key1Mainnet, "stacksAddress", 1),
            (TestKeys.Key1Testnet.ToLowerInvariant(), "stacksAddress", 1),
            (identityFile, "identityFile", 5),
            (config, "signerConfig", 1),
            (stacksConfig, "signerConfig", 1),
        };
        foreach (var (expect, kind, fields) in cases)
        {
            var report = _dir.File($"report-{Guid.NewGuid():n}.json");
            var console = new TestConsole();
            int rc = console.Run("drill", "--expect", expect, "--key-file", keyFile, "--passphrase-file", PassFile(), "--report", report);
            Assert.True(rc == ExitCode.Success, expect + ": " + console.StderrText);
            var r = DrillReport.Parse(File.ReadAllText(report));
            Assert.Equal(kind, r.Expected.Kind);
            Assert.Equal(fields, r.Checks.Count);
            AssertNoSecret(console);
        }
    }

    [Fact]
    public void Bad_expected_identities_are_refused_before_any_passphrase_is_asked()
    {
        var keyFile = KeyFile(TestKeys.Key1);
        foreach (var expect in new[] { "SP24VB7FBXCBV6P0SRDSPSW0Y2J9XHDXNHY2XKHQ1", _dir.File("missing.toml"), "SM24VB7FBXCBV6P0SRDSPSW0Y2J9XHDXNHY2XKHQ0" })
        {
            var console = new TestConsole();
            Assert.Equal(ExitCode.BadInput, console.Run("drill", "--expect", expect, "--key-file", keyFile));
            Assert.Empty(console.Prompts);
            Assert.Contains("keyvault: hint:", console.StderrText);
        }
    }

    [Fact]
    public void Option_mistakes_are_usage_errors()
    {
        var keyFile = KeyFile(TestKeys.Key1);
        var (files, _) = Shares(TestKeys.Key1, "usage");
        string[][] cases =
        [
            ["drill", "--key-file", keyFile],
            ["drill", "--expect", TestKeys.Key1PublicKey],
            ["drill", "--expect", TestKeys.Key1PublicKey, "--shares", "--share-file", files[0]],
            ["drill", "--expect", TestKeys.Key1PublicKey, "--shares", "--passphrase-file", PassFile()],
            ["drill", "--expect", TestKeys.Key1PublicKey, "--key-file", keyFile, "--dkg-db", "Host=x", "--dkg-db-file", files[0]],
            ["drill", "--expect", TestKeys.Key1PublicKey, "--key-file", "-", "--passphrase-file", "-"],
        ];
        foreach (var args in cases)
        {
            var console = new TestConsole();
            Assert.True(console.Run(args) == ExitCode.Usage, string.Join(' ', args) + ": " + console.StderrText);
            Assert.Empty(console.Prompts);
        }
    }

    [Fact]
    public void An_existing_report_file_is_refused_before_anything_is_asked()
    {
        var keyFile = KeyFile(TestKeys.Key1);
        var report = WriteFile("drill.json", "old");
        var console = new TestConsole();
        Assert.Equal(ExitCode.OutputFailure, console.Run("drill", "--expect", TestKeys.Key1PublicKey, "--key-file", keyFile, "--report", report));
        Assert.Empty(console.Prompts);
        Assert.Equal("old", File.ReadAllText(report));
    }

    [Fact]
    public void Dkg_blob_that_opens_passes_and_a_damaged_one_exits_10()
    {
        var keyFile = KeyFile(TestKeys.Key1);
        var good = DrillVectorTests.Read("dkg-blob-key1").WriteBody(_dir.File("dkg-blob-key1.hex"));
        var flipped = DrillVectorTests.Read("dkg-blob-key1-flipped").WriteBody(_dir.File("dkg-blob-key1-flipped.hex"));

        var ok = new TestConsole();
        Assert.Equal(ExitCode.Success, ok.Run("drill", "--expect", TestKeys.Key1PublicKey, "--key-file", keyFile, "--passphrase-file", PassFile(), "--dkg-blob", good));
        Assert.Contains($"PASS  {good}  opened", ok.StdoutText);

        var report = _dir.File("drill.json");
        var bad = new TestConsole();
        int rc = bad.Run("drill", "--expect", TestKeys.Key1PublicKey, "--key-file", keyFile, "--passphrase-file", PassFile(),
            "--dkg-blob", good, "--dkg-blob", flipped, "--report", report);
        Assert.Equal(ExitCode.DkgSharesNotOpened, rc);
        Assert.Contains($"FAIL  {flipped}  not opened", bad.StdoutText);
        Assert.Contains("RESULT: FAIL (DKG shares not opened): the key is the expected one, but 1 of 2 DKG shares checks failed", bad.StdoutText);
        Assert.Equal("dkg-shares-not-opened", (string)ReadReport(report)["result"]!);
        AssertNoSecret(bad);
    }

    [Fact]
    public void A_malformed_blob_file_is_bad_input_named_by_file_before_the_key_is_rebuilt()
    {
        var keyFile = KeyFile(TestKeys.Key1);
        var blob = WriteFile("blob.hex", "\\x0102zz");
        var console = new TestConsole();
        Assert.Equal(ExitCode.BadInput, console.Run("drill", "--expect", TestKeys.Key1PublicKey, "--key-file", keyFile, "--dkg-blob", blob));
        Assert.Contains($"keyvault: error: {blob}: the DKG shares blob", console.StderrText);
        Assert.Empty(console.Prompts);
    }

    [Fact]
    public void Report_tampering_and_other_signers_are_caught_by_verify_report()
    {
        var keyFile = KeyFile(TestKeys.Key1);
        var report = _dir.File("drill.json");
        var run = new TestConsole();
        Assert.Equal(ExitCode.Success, run.Run("drill", "--expect", TestKeys.Key1PublicKey, "--key-file", keyFile, "--passphrase-file", PassFile(), "--report", report));

        var valid = new TestConsole();
        Assert.Equal(ExitCode.Success, valid.Run("drill", "verify-report", report));
        Assert.Contains("signature   valid", valid.StdoutText);
        Assert.Contains("VERIFIED", valid.StdoutText);

        var expectRight = new TestConsole();
        Assert.Equal(ExitCode.Success, expectRight.Run("drill", "verify-report", report, "--expect", TestKeys.Key1Mainnet));

        var expectOther = new TestConsole();
        Assert.Equal(ExitCode.IdentityMismatch, expectOther.Run("drill", "verify-report", report, "--expect", TestKeys.Key2PublicKey));
        Assert.Contains("the signer is NOT this identity", expectOther.StdoutText);

        // One changed value, the report re-indented: the signature no longer verifies.
        var json = ReadReport(report);
        json["createdAt"] = "2020-01-01T00:00:00Z";
        var tampered = WriteFile("tampered.json", json.ToJsonString());
        var t = new TestConsole();
        Assert.Equal(ExitCode.DamagedFile, t.Run("drill", "verify-report", tampered));
        Assert.Contains("signature   NOT VALID", t.StdoutText);
        Assert.Contains("keyvault: error: the drill report is not valid", t.StderrText);

        // Reformatting alone keeps it valid (the signature covers the canonical JSON).
        var reformatted = WriteFile("reformatted.json", ReadReport(report).ToJsonString());
        Assert.Equal(ExitCode.Success, new TestConsole().Run("drill", "verify-report", reformatted));
    }

    [Fact]
    public void Verify_report_reads_the_committed_vectors_as_their_readme_says()
    {
        string V(string name) => DrillVectorTests.Read(name[..^".json".Length]).WriteBody(_dir.File(name));
        Assert.Equal(ExitCode.Success, new TestConsole().Run("drill", "verify-report", V("report-valid.json")));
        Assert.Equal(ExitCode.DrillReportedFailure, new TestConsole().Run("drill", "verify-report", V("report-identity-mismatch.json")));
        Assert.Equal(ExitCode.DamagedFile, new TestConsole().Run("drill", "verify-report", V("report-tampered.json")));
        var other = new TestConsole();
        Assert.Equal(ExitCode.DamagedFile, other.Run("drill", "verify-report", V("report-other-signer.json")));
        Assert.Contains("NOT the derived identity", other.StdoutText);
        Assert.Equal(ExitCode.DamagedFile, new TestConsole().Run("drill", "verify-report", WriteFile("not-json.json", "{")));
    }

    // ---- against a real PostgreSQL server (KEYVAULT_TEST_PG; CI starts one) ----

    private static byte[] AggregateKey(int i) => Hex.TryDecode(("03" + i.ToString("x2")).PadRight(66, '5'))!;

    [Fact]
    public void Database_rows_are_reported_opened_or_not_per_aggregate_key()
    {
        using var db = new SignerDatabase();
        db.Insert(AggregateKey(1), SignerEncryption.Encrypt(TestKeys.Key1, new byte[500]), "verified", T0);
        db.Insert(AggregateKey(2), SignerEncryption.Encrypt(TestKeys.Key2, new byte[500]), "verified", T0.AddDays(1));
        db.Insert(AggregateKey(3), SignerEncryption.Encrypt(TestKeys.Key1, new byte[500]), "unverified", T0.AddDays(2));
        var keyFile = KeyFile(TestKeys.Key1);
        var report = _dir.File("drill.json");
        var console = new TestConsole();
        int rc = console.Run("drill", "--expect", TestKeys.Key1PublicKey, "--key-file", keyFile, "--passphrase-file", PassFile(),
            "--dkg-db", db.ConnectionString, "--report", report);

        Assert.Equal(ExitCode.DkgSharesNotOpened, rc);
        string Hex66(int i) => Hex.Encode(AggregateKey(i));
        // The signer loads row 3 (newest, newest not failed) and row 2 (newest verified): row 2 is under another key.
        Assert.Contains($"INFO  {Hex66(1)}  not loaded by the signer; opened", console.StdoutText);
        Assert.Contains($"FAIL  {Hex66(2)}  loaded by the signer as the newest verified row; not opened", console.StdoutText);
        Assert.Contains($"PASS  {Hex66(3)}  loaded by the signer as the newest row, the newest row not failed; opened", console.StdoutText);
        var r = DrillReport.Verify(File.ReadAllText(report));
        Assert.True(r.Valid);
        Assert.Equal([DrillCheckResult.Pass, DrillCheckResult.Info, DrillCheckResult.Fail, DrillCheckResult.Pass],
            r.Report.Checks.Select(c => c.Result).ToArray());
        Assert.Equal([Hex66(1), Hex66(2), Hex66(3)], r.Report.Checks.Skip(1).Select(c => c.Subject).ToArray());
        AssertNoSecret(console);
    }

    [Fact]
    public void Database_whose_rows_all_open_passes_from_a_connection_file()
    {
        using var db = new SignerDatabase();
        db.Insert(AggregateKey(1), SignerEncryption.Encrypt(TestKeys.Key1, new byte[64]), "verified", T0);
        db.Insert(AggregateKey(2), SignerEncryption.Encrypt(TestKeys.Key1, new byte[64]), "verified", T0.AddHours(1));
        var (files, _) = Shares(TestKeys.Key1, "db shares");
        var connectionFile = WriteFile("db.conn", db.ConnectionString + "\n");
        var console = new TestConsole();
        int rc = console.Run("drill", "--expect", TestKeys.Key1Testnet, "--share-file", files[0], files[1], "--dkg-db-file", connectionFile);

        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Contains("and it opens 1 DKG shares blob the signer loads", console.StdoutText);
        Assert.DoesNotContain("warning", console.StderrText);
    }

    [Fact]
    public void A_password_on_the_command_line_is_warned_about_and_never_printed()
    {
        using var db = new SignerDatabase();
        db.Insert(AggregateKey(1), SignerEncryption.Encrypt(TestKeys.Key1, new byte[64]), "verified", T0);
        const string password = "pw-on-argv-7f3a";
        // The test server trusts local connections, so the password is accepted and ignored.
        var connection = db.ConnectionString + ";Password=" + password;
        var keyFile = KeyFile(TestKeys.Key1);
        var console = new TestConsole();
        Assert.Equal(ExitCode.Success, console.Run("drill", "--expect", TestKeys.Key1PublicKey, "--key-file", keyFile, "--passphrase-file", PassFile(),
            "--dkg-db", connection));
        Assert.Contains("keyvault: warning: the --dkg-db connection string holds a password", console.StderrText);
        Assert.DoesNotContain(password, console.StdoutText + console.StderrText);
    }

    [Fact]
    public void Shares_of_a_different_backup_against_the_database_fail_identity_and_open_nothing()
    {
        using var db = new SignerDatabase();
        db.Insert(AggregateKey(1), SignerEncryption.Encrypt(TestKeys.Key1, new byte[64]), "verified", T0);
        var (files, _) = Shares(TestKeys.Key2, "different backup");
        var report = _dir.File("drill.json");
        var console = new TestConsole();
        int rc = console.Run("drill", "--expect", TestKeys.Key1PublicKey, "--share-file", files[1], files[2], "--dkg-db", db.ConnectionString, "--report", report);

        Assert.Equal(ExitCode.IdentityMismatch, rc);
        Assert.Contains($"FAIL  {Hex.Encode(AggregateKey(1))}  loaded by the signer as the newest row, the newest verified row, the newest row not failed; not opened", console.StdoutText);
        var r = DrillReport.Verify(File.ReadAllText(report));
        Assert.True(r.Valid);
        Assert.Equal(TestKeys.Key2PublicKey, r.Signer.Hex66);
        Assert.All(r.Report.Checks, c => Assert.Equal(DrillCheckResult.Fail, c.Result));
    }

    [Fact]
    public void An_empty_table_proves_nothing_and_exits_10()
    {
        using var db = new SignerDatabase();
        var keyFile = KeyFile(TestKeys.Key1);
        var console = new TestConsole();
        Assert.Equal(ExitCode.DkgSharesNotOpened, console.Run("drill", "--expect", TestKeys.Key1PublicKey, "--key-file", keyFile,
            "--passphrase-file", PassFile(), "--dkg-db", db.ConnectionString));
        Assert.Contains("the table has no rows", console.StdoutText);
    }

    [Fact]
    public void A_database_problem_is_found_before_any_secret_is_asked()
    {
        using var db = new SignerDatabase(withTable: false);
        var keyFile = KeyFile(TestKeys.Key1);
        var console = new TestConsole();
        Assert.Equal(ExitCode.BadInput, console.Run("drill", "--expect", TestKeys.Key1PublicKey, "--key-file", keyFile, "--dkg-db", db.ConnectionString));
        Assert.Contains("no table sbtc_signer.dkg_shares", console.StderrText);
        Assert.Empty(console.Prompts);
    }
}
