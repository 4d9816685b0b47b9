using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using KeyVault.Cli;
using KeyVault.Codecs;
using KeyVault.KeyFile;
using KeyVault.Keys;
using KeyVault.Tests.Drill;
using KeyVault.Tests.Support;
using Npgsql;

namespace KeyVault.Tests.Postgres;

/// <summary>
/// <c>keyvault handover</c> from real pg_dump files of a database the signer's own migrations (to 0022) made: the
/// record of the final, drilled dump, its verification, and every refusal that keeps a wrong dump or drill out of it.
/// </summary>
public sealed class HandoverTests(ITestOutputHelper output) : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private const string StoppedAt = "2026-01-10T08:00:00Z";
    private const string Passphrase = "handover pass velvet orbit canyon\n";
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static byte[] AggregateKey(int i) => Hex.TryDecode(("02" + i.ToString("x2")).PadRight(66, 'b'))!;

    private string PassFile()
    {
        var path = _dir.File("pass.txt");
        File.WriteAllText(path, Passphrase);
        return path;
    }

    private string KeyFile()
    {
        var path = _dir.File("signer.kvk");
        if (File.Exists(path)) return path;
        using var key = SecretKey.FromBytes(Hex.TryDecode(TestKeys.Key1)!);
        using var pass = KeyVault.IO.Passphrase.FromFileContent(System.Text.Encoding.UTF8.GetBytes(Passphrase));
        File.WriteAllBytes(path, EncryptedKeyFile.Encrypt(key, pass, new KdfParameters(8, 1, 1)));
        return path;
    }

    /// <summary>
    /// A signer after a key change: an old verified row under another key, the current verified row under key 1 and a
    /// newer failed one (a DKG round that did not finish); one known peer.
    /// </summary>
    private static SignerDatabase Signer(int first = 1)
    {
        var db = new SignerDatabase();
        db.Insert(AggregateKey(first), SignerEncryption.Encrypt(TestKeys.Key2, new byte[300]), "verified", T0);
        db.Insert(AggregateKey(first + 1), SignerEncryption.Encrypt(TestKeys.Key1, new byte[300]), "verified", T0.AddDays(30));
        db.Insert(AggregateKey(first + 2), SignerEncryption.Encrypt(TestKeys.Key1, new byte[280]), "failed", T0.AddDays(31));
        db.Exec($"INSERT INTO sbtc_signer.p2p_peers (public_key, peer_id, address) VALUES ('\\x{TestKeys.Key2PublicKey}', "
                + $"'{TestKeys.Key1PeerId}', '/ip4/192.0.2.7/tcp/4122')");
        return db;
    }

    private string Dump(SignerDatabase db, string name, params string[] options)
    {
        var tool = External.RequireTool("pg_dump", "postgresql-client");
        var server = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("KEYVAULT_TEST_PG"));
        var path = _dir.File(name);
        var clock = Stopwatch.StartNew();
        var (code, _, stderr) = External.Run(tool, ["-h", server.Host!, "-p", server.Port.ToString(), "-U", server.Username!, "-d", db.Name,
            "-f", path, .. options]);
        Assert.True(code == 0, stderr);
        long size = File.Exists(path) ? new FileInfo(path).Length : Directory.GetFiles(path).Sum(f => new FileInfo(f).Length);
        output.WriteLine($"{name}: {size} bytes, pg_dump {clock.ElapsedMilliseconds} ms");
        return path;
    }

    private string DrillReport(string dump, string name)
    {
        var report = _dir.File(name);
        var console = new TestConsole();
        int code = console.Run("drill", "--expect", TestKeys.Key1PublicKey, "--key-file", KeyFile(), "--passphrase-file", PassFile(),
            "--dkg-dump", dump, "--report", report);
        Assert.True(File.Exists(report), console.StderrText);
        output.WriteLine($"drill of {Path.GetFileName(dump)}: exit {code}");
        return report;
    }

    private (int Code, TestConsole Console, string Out) Record(string dump, string report, params string[] more)
    {
        var outPath = _dir.File("handover-" + Guid.NewGuid().ToString("n")[..8] + ".json");
        var console = new TestConsole();
        var clock = Stopwatch.StartNew();
        int code = console.Run(["handover", "record", "--dump", dump, "--drill-report", report, "--stopped-at", StoppedAt,
            "--stopped-at-block", "931207", "--new-host", "signer-b.example.net", "--out", outPath,
            "--key-file", KeyFile(), "--passphrase-file", PassFile(), .. more]);
        output.WriteLine($"handover record: exit {code}, {clock.ElapsedMilliseconds} ms");
        return (code, console, outPath);
    }

    private static (int Code, TestConsole Console) Verify(params string[] args)
    {
        var console = new TestConsole();
        return (console.Run(["handover", "verify", .. args]), console);
    }

    public static TheoryData<string, string[], string> Formats => new()
    {
        { "final.sql", [], "plain" },
        { "final-inserts.sql", ["--inserts"], "plain" },
        { "final.dump", ["-Fc"], "custom" },
        { "final.tar", ["-Ft"], "tar" },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void TheFinalDumpIsRecordedVerifiedAndATamperedCopyIsNot(string name, string[] options, string format)
    {
        using var db = Signer();
        var dump = Dump(db, name, options);
        var report = DrillReport(dump, name + ".drill.json");

        var (code, console, record) = Record(dump, report, "--stopped-at-block-hash", new string('A', 64));
        Assert.True(code == ExitCode.Success, console.StderrText);
        using (var doc = JsonDocument.Parse(File.ReadAllBytes(record)))
        {
            var root = doc.RootElement;
            Assert.Equal("keyvault-handover", root.GetProperty("format").GetString());
            Assert.Equal(TestKeys.Key1PublicKey, root.GetProperty("signerPublicKey").GetString());
            Assert.Equal(StoppedAt, root.GetProperty("oldInstance").GetProperty("stoppedAt").GetString());
            Assert.Equal(931207, root.GetProperty("oldInstance").GetProperty("stoppedAtBitcoinBlock").GetProperty("height").GetInt64());
            Assert.Equal(new string('a', 64), root.GetProperty("oldInstance").GetProperty("stoppedAtBitcoinBlock").GetProperty("hash").GetString());
            var d = root.GetProperty("dump");
            Assert.Equal(name, d.GetProperty("fileName").GetString());
            Assert.Equal(new FileInfo(dump).Length, d.GetProperty("size").GetInt64());
            Assert.Equal(Hex.Encode(SHA256.HashData(File.ReadAllBytes(dump))), d.GetProperty("sha256").GetString());
            Assert.Equal(format, d.GetProperty("format").GetString());
            Assert.True(d.GetProperty("tables").GetProperty("dkgShares").GetBoolean());
            Assert.True(d.GetProperty("tables").GetProperty("p2pPeers").GetBoolean());
            Assert.Equal(3, d.GetProperty("dkgShareRows").GetInt32());
            // The newest verified row, not the newer failed one.
            Assert.Equal(Hex.Encode(AggregateKey(2)), d.GetProperty("newestVerifiedAggregateKey").GetString());
            Assert.Equal(Hex.Encode(SHA256.HashData(File.ReadAllBytes(report))), root.GetProperty("drill").GetProperty("reportSha256").GetString());
            Assert.Equal("pass", root.GetProperty("drill").GetProperty("result").GetString());
            Assert.Equal("signer-b.example.net", root.GetProperty("newHost").GetString());
        }

        var (ok, okConsole) = Verify(record, "--dump", dump, "--drill-report", report, "--public-key", TestKeys.Key1PublicKey);
        Assert.True(ok == ExitCode.Success, okConsole.StderrText + okConsole.StdoutText);
        Assert.StartsWith("VALID\n", okConsole.StdoutText, StringComparison.Ordinal);

        var bytes = File.ReadAllBytes(dump);
        bytes[bytes.Length / 2] ^= 0x01;
        var tampered = _dir.File("tampered-" + name);
        File.WriteAllBytes(tampered, bytes);
        var (bad, badConsole) = Verify(record, "--dump", tampered, "--drill-report", report);
        Assert.Equal(ExitCode.IdentityMismatch, bad);
        Assert.StartsWith("INVALID\n", badConsole.StdoutText, StringComparison.Ordinal);
        Assert.Contains("the dump's SHA-256 is " + Hex.Encode(SHA256.HashData(bytes)), badConsole.StderrText, StringComparison.Ordinal);
    }

    [Fact]
    public void ADumpWithoutThePeersSaysSo()
    {
        using var db = Signer();
        var dump = Dump(db, "no-peers.dump", "-Fc", "--exclude-table-data=sbtc_signer.p2p_peers");
        var (code, console, record) = Record(dump, DrillReport(dump, "drill.json"));
        Assert.True(code == ExitCode.Success, console.StderrText);
        Assert.Contains("no data of sbtc_signer.p2p_peers", console.StderrText + console.StdoutText, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(record));
        Assert.False(doc.RootElement.GetProperty("dump").GetProperty("tables").GetProperty("p2pPeers").GetBoolean());
    }

    [Theory]
    [InlineData("other.sql")]
    [InlineData("other.dump", "-Fc")]
    public void TheDrillReportOfAnotherDumpIsRefusedBeforeThePassphrase(string name, params string[] options)
    {
        using var db = Signer();
        using var other = Signer(first: 10);
        var dump = Dump(db, "final-" + name, options);
        var otherReport = DrillReport(Dump(other, name, options), "other.drill.json");

        var console = new TestConsole();
        var outPath = _dir.File("record.json");
        int code = console.Run("handover", "record", "--dump", dump, "--drill-report", otherReport, "--stopped-at", StoppedAt,
            "--stopped-at-block", "931207", "--new-host", "signer-b", "--out", outPath, "--key-file", KeyFile());
        Assert.Equal(ExitCode.IdentityMismatch, code);
        Assert.Contains("the drill report is not the drill of this dump", console.StderrText, StringComparison.Ordinal);
        Assert.Empty(console.Prompts); // the key file's passphrase was never asked
        Assert.False(File.Exists(outPath));

        // A record made properly does not accept the other drill report either.
        var (_, _, record) = Record(dump, DrillReport(dump, "right.drill.json"));
        var (verified, verifyConsole) = Verify(record, "--drill-report", otherReport);
        Assert.Equal(ExitCode.IdentityMismatch, verified);
        Assert.Contains("it is another report", verifyConsole.StderrText, StringComparison.Ordinal);
    }

    [Fact]
    public void ADumpWithoutDkgSharesIsRefused()
    {
        using var db = Signer();
        var report = DrillReport(Dump(db, "final.sql"), "drill.json");

        using var empty = new SignerDatabase();
        var (code, console, outPath) = Record(Dump(empty, "empty.sql"), report);
        Assert.Equal(ExitCode.BadInput, code);
        Assert.Contains("holds no sbtc_signer.dkg_shares row with status verified", console.StderrText, StringComparison.Ordinal);
        Assert.False(File.Exists(outPath));

        var (noData, noDataConsole, _) = Record(Dump(db, "no-dkg.dump", "-Fc", "--exclude-table-data=sbtc_signer.dkg_shares"), report);
        Assert.Equal(ExitCode.BadInput, noData);
        Assert.Contains("holds no data of sbtc_signer.dkg_shares", noDataConsole.StderrText, StringComparison.Ordinal);

        var (schemaOnly, schemaOnlyConsole, _) = Record(Dump(db, "schema-only.sql", "--schema-only"), report);
        Assert.Equal(ExitCode.BadInput, schemaOnly);
        Assert.Contains("holds no data of sbtc_signer.dkg_shares", schemaOnlyConsole.StderrText, StringComparison.Ordinal);
    }

    [Fact]
    public void ADrillThatDidNotPassAndAStopTimeBeforeTheNewestRowAreRefused()
    {
        using var db = Signer();
        var dump = Dump(db, "final.dump", "-Fc");
        // Key 2 opens only the old row: the drill of its backup fails on the row the signer loads.
        var failed = _dir.File("failed.drill.json");
        var twoKey = _dir.File("key2.kvk");
        using (var key = SecretKey.FromBytes(Hex.TryDecode(TestKeys.Key2)!))
        using (var pass = KeyVault.IO.Passphrase.FromFileContent(System.Text.Encoding.UTF8.GetBytes(Passphrase)))
            File.WriteAllBytes(twoKey, EncryptedKeyFile.Encrypt(key, pass, new KdfParameters(8, 1, 1)));
        new TestConsole().Run("drill", "--expect", TestKeys.Key2PublicKey, "--key-file", twoKey, "--passphrase-file", PassFile(),
            "--dkg-dump", dump, "--report", failed);
        var (code, console, _) = Record(dump, failed);
        Assert.Equal(ExitCode.BadInput, code);
        Assert.Contains("the drill report's result is dkg-shares-not-opened, not pass", console.StderrText, StringComparison.Ordinal);

        var report = DrillReport(dump, "drill.json");
        var console2 = new TestConsole();
        int early = console2.Run("handover", "record", "--dump", dump, "--drill-report", report, "--stopped-at", "2025-07-01T12:00:00Z",
            "--stopped-at-block", "900000", "--new-host", "signer-b", "--out", _dir.File("early.json"), "--key-file", KeyFile());
        Assert.Equal(ExitCode.BadInput, early);
        Assert.Contains("after the old instance stopped (2025-07-01T12:00:00Z)", console2.StderrText, StringComparison.Ordinal);
    }

    [Fact]
    public void ADirectoryDumpIsRefusedWithTheFormatToUse()
    {
        using var db = Signer();
        var dir = Dump(db, "final.d", "-Fd");
        var (code, console, _) = Record(dir, DrillReport(dir, "drill.json"));
        Assert.Equal(ExitCode.BadInput, code);
        Assert.Contains("is a directory-format dump", console.StderrText, StringComparison.Ordinal);
        Assert.Contains("pg_dump's custom format", console.StderrText, StringComparison.Ordinal);
    }

    [Fact]
    public void AChangedRecordOrAnotherSignerKeyFailsVerification()
    {
        using var db = Signer();
        var dump = Dump(db, "final.sql");
        var (code, console, record) = Record(dump, DrillReport(dump, "drill.json"));
        Assert.True(code == ExitCode.Success, console.StderrText);

        var changed = _dir.File("changed.json");
        File.WriteAllText(changed, File.ReadAllText(record).Replace("signer-b.example.net", "signer-c.example.net", StringComparison.Ordinal));
        var (bad, badConsole) = Verify(changed);
        Assert.Equal(ExitCode.InvalidSignature, bad);
        Assert.Contains("the record was changed after signing", badConsole.StderrText, StringComparison.Ordinal);

        var (other, otherConsole) = Verify(record, "--public-key", TestKeys.Key2PublicKey);
        Assert.Equal(ExitCode.IdentityMismatch, other);
        Assert.Contains("not " + TestKeys.Key2PublicKey, otherConsole.StderrText, StringComparison.Ordinal);
    }
}
