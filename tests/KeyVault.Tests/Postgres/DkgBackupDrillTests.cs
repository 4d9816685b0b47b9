using KeyVault.Cli;
using KeyVault.Codecs;
using KeyVault.IO;
using KeyVault.KeyFile;
using KeyVault.Keys;
using KeyVault.Tests.Drill;
using KeyVault.Tests.Support;
using Npgsql;

namespace KeyVault.Tests.Postgres;

/// <summary>
/// Drills against the signer's database in every form an operator has it: the live database through its URL or its
/// config file, and pg_dump backups in plain (COPY and INSERT), custom, directory and tar formats. The verdict follows
/// the rows the signer loads, and is the same for the live database and each of its backups.
/// </summary>
public sealed class DkgBackupDrillTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static byte[] AggregateKey(int i) => Hex.TryDecode(("02" + i.ToString("x2")).PadRight(66, 'a'))!;

    private string PassFile()
    {
        var path = _dir.File("pass.txt");
        File.WriteAllText(path, "dkg drill pass velvet orbit canyon\n");
        return path;
    }

    private string KeyFile(string keyHex)
    {
        using var key = SecretKey.FromBytes(Hex.TryDecode(keyHex)!);
        using var pass = Passphrase.FromFileContent("dkg drill pass velvet orbit canyon\n"u8);
        var path = _dir.File($"signer-{keyHex[..6]}.kvk");
        File.WriteAllBytes(path, EncryptedKeyFile.Encrypt(key, pass, new KdfParameters(8, 1, 1)));
        return path;
    }

    /// <summary>An old row under another key (before a key change), then the newest row under key 1.</summary>
    private static SignerDatabase AfterAKeyChange()
    {
        var db = new SignerDatabase();
        db.Insert(AggregateKey(1), SignerEncryption.Encrypt(TestKeys.Key2, new byte[300]), "verified", T0);
        db.Insert(AggregateKey(2), SignerEncryption.Encrypt(TestKeys.Key1, new byte[300]), "verified", T0.AddDays(30));
        return db;
    }

    private string Dump(SignerDatabase db, string name, params string[] options)
    {
        var tool = External.RequireTool("pg_dump", "postgresql-client");
        var server = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("KEYVAULT_TEST_PG"));
        var path = _dir.File(name);
        var (code, _, stderr) = External.Run(tool, ["-h", server.Host!, "-p", server.Port.ToString(), "-U", server.Username!, "-d", db.Name,
            "-f", path, .. options]);
        Assert.True(code == 0, stderr);
        return path;
    }

    private (int Code, TestConsole Console) Drill(string keyHex, params string[] source)
    {
        var console = new TestConsole();
        int code = console.Run(["drill", "--expect", TestKeys.Key1PublicKey, "--key-file", KeyFile(keyHex), "--passphrase-file", PassFile(), .. source]);
        return (code, console);
    }

    public static TheoryData<string, string[]> Formats => new()
    {
        { "plain.sql", [] },
        { "inserts.sql", ["--inserts"] },
        { "column-inserts.sql", ["--column-inserts", "--rows-per-insert=2"] },
        { "custom.dump", ["-Fc"] },
        { "directory.dump", ["-Fd"] },
        { "archive.tar", ["-Ft"] },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void EveryDumpFormatGivesTheLiveDatabasesVerdict(string name, string[] options)
    {
        using var db = AfterAKeyChange();
        var dump = Dump(db, name, options);

        var (live, liveConsole) = Drill(TestKeys.Key1, "--dkg-db", db.ConnectionString);
        var (fromDump, dumpConsole) = Drill(TestKeys.Key1, "--dkg-dump", dump);

        Assert.True(live == ExitCode.Success, liveConsole.StderrText + liveConsole.StdoutText);
        Assert.True(fromDump == ExitCode.Success, dumpConsole.StderrText + dumpConsole.StdoutText);
        // The row from before the key change is listed, not judged.
        var old = $"INFO  {Hex.Encode(AggregateKey(1))}  not loaded by the signer; does not open: encrypted under another key";
        Assert.Contains(old, liveConsole.StdoutText);
        Assert.Contains(old, dumpConsole.StdoutText);
        Assert.Contains($"PASS  {Hex.Encode(AggregateKey(2))}  loaded by the signer as the newest row", dumpConsole.StdoutText);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void ANewestRowUnderAnotherKeyFailsInEveryForm(string name, string[] options)
    {
        using var db = AfterAKeyChange();
        var dump = Dump(db, name, options);
        // Key 2 is the key of the old row only: the signer loads the newest, which key 2 does not open.
        var console = new TestConsole();
        int code = console.Run("drill", "--expect", TestKeys.Key2PublicKey, "--key-file", KeyFile(TestKeys.Key2), "--passphrase-file", PassFile(),
            "--dkg-dump", dump);
        Assert.Equal(ExitCode.DkgSharesNotOpened, code);
        Assert.Contains($"FAIL  {Hex.Encode(AggregateKey(2))}  loaded by the signer as the newest row", console.StdoutText);
    }

    [Fact]
    public void AnAggregateKeyChoosesTheRowThatMatters()
    {
        using var db = AfterAKeyChange();
        var dump = Dump(db, "plain.sql");
        Assert.Equal(ExitCode.Success, Drill(TestKeys.Key1, "--dkg-dump", dump, "--dkg-aggregate-key", Hex.Encode(AggregateKey(2))).Code);
        // x-only form, as the registry contract may show it
        Assert.Equal(ExitCode.Success, Drill(TestKeys.Key1, "--dkg-dump", dump, "--dkg-aggregate-key", Hex.Encode(AggregateKey(2))[2..]).Code);
        Assert.Equal(ExitCode.DkgSharesNotOpened, Drill(TestKeys.Key1, "--dkg-dump", dump, "--dkg-aggregate-key", Hex.Encode(AggregateKey(1))).Code);
        var (code, console) = Drill(TestKeys.Key1, "--dkg-dump", dump, "--dkg-aggregate-key", Hex.Encode(AggregateKey(7)));
        Assert.Equal(ExitCode.DkgSharesNotOpened, code);
        Assert.Contains("no row has this aggregate key", console.StdoutText);
    }

    [Fact]
    public void TheSignersUrlAndConfigFileReachTheLiveDatabaseWithoutPrintingThePassword()
    {
        using var db = AfterAKeyChange();
        var server = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("KEYVAULT_TEST_PG"));
        const string password = "p@ss/w0rd%secret";
        // The test server trusts local connections: the password is sent and ignored, and must never be shown.
        var url = $"postgresql://{server.Username}:{Uri.EscapeDataString(password)}@{server.Host}:{server.Port}/{db.Name}?sslmode=disable&application_name=kv";
        var (code, console) = Drill(TestKeys.Key1, "--dkg-db", url);
        Assert.True(code == ExitCode.Success, console.StderrText);
        Assert.DoesNotContain(password, console.StderrText + console.StdoutText);
        Assert.DoesNotContain(Uri.EscapeDataString(password), console.StderrText + console.StdoutText);

        var config = _dir.File("signer-config.toml");
        File.WriteAllText(config, $"[signer]\nprivate_key = \"{TestKeys.Key1}\"\nnetwork = \"testnet\"\ndb_endpoint = \"{url}\"\n");
        var (fromConfig, configConsole) = Drill(TestKeys.Key1, "--dkg-from-config", config);
        Assert.True(fromConfig == ExitCode.Success, configConsole.StderrText);
        Assert.DoesNotContain(TestKeys.Key1, configConsole.StderrText + configConsole.StdoutText, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(password, configConsole.StderrText + configConsole.StdoutText);
    }

    [Theory]
    [InlineData("postgresql://u@h:99999/db", "the port is not a number from 1 to 65535")]
    [InlineData("postgresql://u@h/db?sslmode=sometimes", "sslmode is not one of")]
    [InlineData("postgres://u:secret%ZZ@h/db", "the password has a bad percent-encoding")]
    [InlineData("postgresql://u@h/db?frobnicate=1", "the URL parameter 'frobnicate' is not one KeyVault knows")]
    public void AMalformedUrlIsRefusedBeforeAnySecretIsAsked(string url, string message)
    {
        var console = new TestConsole();
        int code = console.Run("drill", "--expect", TestKeys.Key1PublicKey, "--key-file", KeyFile(TestKeys.Key1), "--dkg-db", url);
        Assert.Equal(ExitCode.BadInput, code);
        Assert.Contains(message, console.StderrText);
        Assert.DoesNotContain("secret", console.StderrText);
        Assert.Empty(console.Prompts);
    }

    [Fact]
    public void AGzippedPlainDumpIsRefusedWithTheCommandThatMakesItReadable()
    {
        using var db = AfterAKeyChange();
        var plain = Dump(db, "signer.sql");
        var gz = plain + ".gz";
        using (var output = File.Create(gz))
        using (var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest))
            gzip.Write(File.ReadAllBytes(plain));
        var (code, console) = Drill(TestKeys.Key1, "--dkg-dump", gz);
        Assert.Equal(ExitCode.BadInput, code);
        Assert.Contains("is compressed with gzip", console.StderrText);
        Assert.Contains($"keyvault: hint: gunzip -k {gz}", console.StderrText);
        Assert.DoesNotContain("pg_dump's closing line", console.StderrText);
    }

    [Fact]
    public void ADumpWithoutTheTableATruncatedDumpAndAnotherSchemaAreClearErrors()
    {
        using var empty = new SignerDatabase(withTable: false);
        var noTable = Dump(empty, "empty.sql");
        var (c1, k1) = Drill(TestKeys.Key1, "--dkg-dump", noTable);
        Assert.Equal(ExitCode.BadInput, c1);
        Assert.Contains("holds no table sbtc_signer.dkg_shares", k1.StderrText);

        using var db = AfterAKeyChange();
        var plain = Dump(db, "whole.sql");
        var text = File.ReadAllText(plain);
        var truncatedPlain = _dir.File("truncated.sql");
        File.WriteAllText(truncatedPlain, text[..(text.IndexOf("\\.", StringComparison.Ordinal) - 5)]);
        var (c2, k2) = Drill(TestKeys.Key1, "--dkg-dump", truncatedPlain);
        Assert.Equal(ExitCode.DamagedFile, c2);
        Assert.Contains("truncated", k2.StderrText);

        var custom = File.ReadAllBytes(Dump(db, "whole.dump", "-Fc"));
        var truncatedCustom = _dir.File("truncated.dump");
        File.WriteAllBytes(truncatedCustom, custom[..(custom.Length / 2)]);
        var (c3, k3) = Drill(TestKeys.Key1, "--dkg-dump", truncatedCustom);
        Assert.Equal(ExitCode.DamagedFile, c3);
        Assert.Contains("pg_restore could not read", k3.StderrText);

        using var other = new SignerDatabase();
        other.Exec("ALTER TABLE sbtc_signer.dkg_shares RENAME COLUMN encrypted_private_shares TO private_shares_v2");
        var (c4, k4) = Drill(TestKeys.Key1, "--dkg-dump", Dump(other, "other.sql"));
        Assert.Equal(ExitCode.BadInput, c4);
        Assert.Contains("has no column encrypted_private_shares", k4.StderrText);
    }
}
