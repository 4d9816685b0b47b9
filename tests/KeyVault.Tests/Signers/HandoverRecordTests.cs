using KeyVault.Cli;
using KeyVault.Codecs;
using KeyVault.Errors;
using KeyVault.Keys;
using KeyVault.Signers;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Signers;

/// <summary>
/// The handover record's format (docs/migration.md): what the signature covers, what a reader must reject, the
/// vectors in test-vectors/handover, and the command line's refusals that need no database.
/// </summary>
public class HandoverRecordTests : IDisposable
{
    private static readonly string VectorDir = Path.Combine(External.RepoRoot, "test-vectors", "handover");
    private static readonly DateTimeOffset Stopped = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static SecretKey Key(string hex) => SecretKey.FromBytes(Hex.TryDecode(hex)!);

    private static HandoverRecord Record(PublicKey signer) => new()
    {
        SignerKey = signer,
        StoppedAt = Stopped,
        StoppedAtBlockHeight = 931207,
        StoppedAtBlockHash = "00000000000000000001b3a1c5c9e1f0d1e2a3b4c5d6e7f8091a2b3c4d5e6f70",
        Dump = new HandoverDump
        {
            FileName = "signer-20261201T080500Z.dump",
            Size = 44894,
            Sha256 = "5d41402abc4b2a76b9719d911017c592aaf5a9cfc1a4e0bb2b0f2ac4b6a8a1f3",
            Format = "custom",
            DkgShares = true,
            P2pPeers = true,
            DkgShareRows = 3,
            NewestVerifiedAggregateKey = "02" + new string('b', 64),
        },
        Drill = new HandoverDrill("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", Stopped.AddHours(1), "pass"),
        NewHost = "signer-b.example.net",
        CreatedAt = Stopped.AddHours(1.5),
        ToolVersion = "1.0.0",
    };

    [Fact]
    public void A_signed_record_verifies_and_reads_back_as_written()
    {
        using var key = Key(TestKeys.Key1);
        var record = Record(key.PublicKey);
        var read = HandoverRecord.Verify(record.Sign(key));
        Assert.True(read.Valid, read.SignatureProblem);
        Assert.Equal(record, read.Record with { Dump = read.Record.Dump, Drill = read.Record.Drill });
        Assert.Equal(record.Dump, read.Record.Dump);
        Assert.Equal(record.Drill, read.Record.Drill);
        Assert.Equal("signer-b.example.net", read.Record.NewHost);
    }

    [Fact]
    public void Only_the_signer_key_signs_it()
    {
        using var key = Key(TestKeys.Key1);
        using var other = Key(TestKeys.Key2);
        Assert.Throws<ArgumentException>(() => Record(key.PublicKey).Sign(other));
    }

    [Theory]
    [InlineData("\"signer-b.example.net\"", "\"signer-c.example.net\"")]
    [InlineData("\"height\": 931207", "\"height\": 931208")]
    [InlineData("\"p2pPeers\": true", "\"p2pPeers\": false")]
    [InlineData("\"size\": 44894", "\"size\": 44895")]
    [InlineData("\"stoppedAt\": \"2026-12-01T08:00:00Z\"", "\"stoppedAt\": \"2026-12-01T07:59:59Z\"")]
    public void Every_member_is_covered_by_the_signature(string from, string to)
    {
        using var key = Key(TestKeys.Key1);
        var text = Record(key.PublicKey).Sign(key);
        Assert.Contains(from, text, StringComparison.Ordinal);
        var read = HandoverRecord.Verify(text.Replace(from, to, StringComparison.Ordinal));
        Assert.False(read.Valid);
        Assert.Contains("the record was changed after signing", read.SignatureProblem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"newHost\": \"signer-b.example.net\"", "\"newHost\": \"signer-b\\u0007\"", "newHost may hold printable ASCII characters only")]
    [InlineData("\"result\": \"pass\"", "\"result\": \"fail\"", "drill.result is \"fail\", not pass")]
    [InlineData("\"format\": \"custom\"", "\"format\": \"directory\"", "dump.format is \"directory\"")]
    [InlineData("\"dkgShares\": true", "\"dkgShares\": false", "a handover needs the DKG shares")]
    [InlineData("\"height\": 931207", "\"height\": 931207.0", "oldInstance.stoppedAtBitcoinBlock.height is missing or not an integer")]
    [InlineData("\"height\": 931207", "\"height\": -1", "is not from 0 to")]
    [InlineData("\"stoppedAt\": \"2026-12-01T08:00:00Z\"", "\"stoppedAt\": \"2026-12-01T09:00:01Z\"", "drill.createdAt is before oldInstance.stoppedAt")]
    [InlineData("\"fileName\": \"signer-20261201T080500Z.dump\"", "\"fileName\": \"../signer.dump\"", "dump.fileName holds a slash")]
    [InlineData("\"newHost\"", "\"retired\": true, \"newHost\"", "unknown member \"retired\"")]
    [InlineData("\"tables\": {", "\"tables\": { \"blocks\": true,", "unknown member \"dump.tables.blocks\"")]
    [InlineData("\"version\": 1", "\"version\": 2", "this reads keyvault-handover version 1")]
    public void A_reader_rejects_what_the_format_forbids(string from, string to, string message)
    {
        using var key = Key(TestKeys.Key1);
        var text = Record(key.PublicKey).Sign(key);
        Assert.Contains(from, text, StringComparison.Ordinal);
        var ex = Assert.Throws<KeyVaultException>(() => HandoverRecord.Verify(text.Replace(from, to, StringComparison.Ordinal)));
        Assert.Equal(ErrorKind.DamagedFile, ex.Kind);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData(" signer-b", "may not start or end with a space")]
    [InlineData("signer-b\n", "printable ASCII")]
    [InlineData("hôte-b", "printable ASCII")]
    public void The_new_host_is_short_printable_text(string name, string problem)
    {
        Assert.Contains(problem, HandoverRecord.NewHostProblem(name), StringComparison.Ordinal);
        Assert.Null(HandoverRecord.NewHostProblem("signer-b.example.net (rack 4, Frankfurt)"));
        Assert.Null(HandoverRecord.NewHostProblem(new string('h', HandoverRecord.MaxNewHostLength)));
        Assert.NotNull(HandoverRecord.NewHostProblem(new string('h', HandoverRecord.MaxNewHostLength + 1)));
    }

    [Fact]
    public void Vectors_hold_each_verdict_and_keyvault_reads_them_as_their_expect_line_says()
    {
        using var key1 = Key(TestKeys.Key1);
        using var key2 = Key(TestKeys.Key2);
        var valid = Record(key1.PublicKey).Sign(key1);
        var changed = valid.Replace("signer-b.example.net", "signer-x.example.net", StringComparison.Ordinal);
        var otherKey = Record(key2.PublicKey).Sign(key2).Replace(key2.PublicKey.Hex66, key1.PublicKey.Hex66, StringComparison.Ordinal);
        var drillFirst = Record(key1.PublicKey) with { StoppedAt = Stopped.AddHours(1) };
        var beforeStop = drillFirst.Sign(key1).Replace("\"stoppedAt\": \"2026-12-01T09:00:00Z\"", "\"stoppedAt\": \"2026-12-01T09:00:01Z\"", StringComparison.Ordinal);
        var files = new Dictionary<string, byte[]>
        {
            ["handover-valid"] = VectorFile.Format([("expect", "valid"), ("comment", "test key 1 records its move to signer-b.example.net after a drill of a custom-format dump")], valid),
            ["handover-new-host-changed"] = VectorFile.Format([("expect", "rejected"), ("comment", "the valid one with newHost changed after signing")], changed),
            ["handover-signed-by-another-key"] = VectorFile.Format([("expect", "rejected"), ("comment", "signed by test key 2, then signerPublicKey and signature.publicKey replaced by test key 1")], otherKey),
            ["handover-drill-before-stop"] = VectorFile.Format([("expect", "malformed"), ("comment", "oldInstance.stoppedAt moved after signing to one second after drill.createdAt: rejected by the rules, before the signature is checked")], beforeStop),
        };
        VectorFile.AssertFolderIs(VectorDir, files);

        foreach (var name in files.Keys)
        {
            var v = VectorFile.Read(Path.Combine(VectorDir, name));
            var body = v.BodyText;
            switch (v.Expect)
            {
                case "valid":
                    Assert.True(HandoverRecord.Verify(body).Valid, name);
                    break;
                case "rejected":
                    Assert.False(HandoverRecord.Verify(body).Valid, name);
                    break;
                default:
                    Assert.Equal(ErrorKind.DamagedFile, Assert.Throws<KeyVaultException>(() => HandoverRecord.Verify(body)).Kind);
                    break;
            }
        }
    }

    // ---- the command line, before any database or key ----

    private (int Code, TestConsole Console) Run(params string[] args)
    {
        var console = new TestConsole();
        return (console.Run(args), console);
    }

    private string File(string name, string content)
    {
        var path = _dir.File(name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    private string[] RecordArgs(string stoppedAt = "2026-12-01T08:00:00Z", string newHost = "signer-b", string? dump = null, string? report = null, string? outPath = null) =>
        ["handover", "record", "--dump", dump ?? File("final.sql", "-- not read\n"), "--drill-report", report ?? File("drill.json", "{}"),
            "--stopped-at", stoppedAt, "--stopped-at-block", "931207", "--new-host", newHost, "--out", outPath ?? _dir.File("record.json"),
            "--key-file", File("signer.kvk", "not read")];

    [Theory]
    [InlineData("2026-12-01 08:00", "is not a UTC time of the form 2026-01-31T12:00:00Z")]
    [InlineData("2026-12-01T08:00:00+01:00", "is not a UTC time")]
    public void A_stop_time_not_in_the_record_s_form_is_refused(string stoppedAt, string message)
    {
        var (code, console) = Run(RecordArgs(stoppedAt: stoppedAt));
        Assert.Equal(ExitCode.Usage, code);
        Assert.Contains(message, console.StderrText, StringComparison.Ordinal);
        Assert.Empty(console.Prompts);
    }

    [Fact]
    public void Missing_inputs_an_existing_output_and_a_bad_host_are_refused_before_the_passphrase()
    {
        var (noDump, c1) = Run(RecordArgs(dump: _dir.File("absent.dump")));
        Assert.Equal(ExitCode.Usage, noDump);
        Assert.Contains("absent.dump: no such file", c1.StderrText, StringComparison.Ordinal);

        var (noReport, c2) = Run(RecordArgs(report: _dir.File("absent.json")));
        Assert.Equal(ExitCode.Usage, noReport);
        Assert.Contains("absent.json: no such file", c2.StderrText, StringComparison.Ordinal);

        var existing = File("exists.json", "keep me");
        var (exists, c3) = Run(RecordArgs(outPath: existing));
        Assert.Equal(ExitCode.OutputFailure, exists);
        Assert.Equal("keep me", System.IO.File.ReadAllText(existing));

        var (badHost, c4) = Run(RecordArgs(newHost: "signer\tb"));
        Assert.Equal(ExitCode.BadInput, badHost);
        Assert.Contains("the new host name may hold printable ASCII characters only", c4.StderrText, StringComparison.Ordinal);

        var (notReport, c5) = Run(RecordArgs());
        Assert.Equal(ExitCode.DamagedFile, notReport);
        Assert.Contains("drill report", c5.StderrText, StringComparison.Ordinal);
        foreach (var c in new[] { c1, c2, c3, c4, c5 }) Assert.Empty(c.Prompts);
    }

    [Fact]
    public void Verify_names_a_missing_or_damaged_record()
    {
        var (missing, c1) = Run("handover", "verify", _dir.File("absent.json"));
        Assert.Equal(ExitCode.Usage, missing);
        Assert.Contains("absent.json: no such file", c1.StderrText, StringComparison.Ordinal);
        var (damaged, c2) = Run("handover", "verify", File("record.json", "{\"format\": \"keyvault-handover\""));
        Assert.Equal(ExitCode.DamagedFile, damaged);
        Assert.Contains("the handover record is damaged or not one: not JSON", c2.StderrText, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_prints_the_record_and_exits_17_on_a_bad_signature()
    {
        using var key = Key(TestKeys.Key1);
        var valid = File("valid.json", Record(key.PublicKey).Sign(key));
        var (ok, c1) = Run("handover", "verify", valid, "--public-key", TestKeys.Key1PublicKey.ToUpperInvariant());
        Assert.True(ok == ExitCode.Success, c1.StderrText);
        Assert.Contains("new-host     signer-b.example.net", c1.StdoutText, StringComparison.Ordinal);
        Assert.Contains("give --dump and --drill-report to check the files too", c1.StderrText, StringComparison.Ordinal);
        var changed = File("changed.json", System.IO.File.ReadAllText(valid).Replace("931207", "931206", StringComparison.Ordinal));
        var (bad, c2) = Run("handover", "verify", changed);
        Assert.Equal(ExitCode.InvalidSignature, bad);
        Assert.StartsWith("INVALID\n", c2.StdoutText, StringComparison.Ordinal);
    }
}
