using KeyVault.Codecs;
using KeyVault.Dkg;
using KeyVault.Drill;
using KeyVault.Flows;
using KeyVault.IO;
using KeyVault.KeyFile;
using KeyVault.Keys;
using KeyVault.Shares;
using KeyVault.Sheets;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Drill;

/// <summary>
/// The drill runner driven as another program would drive it, without the command line: each source alone, both
/// together, a wrong expected identity, DKG rows from a source and from a database named by a connection file.
/// </summary>
public sealed class DrillRunTests : IDisposable
{
    private const string Pass = "drill runner test passphrase";
    // Deliberately weak Argon2 parameters, so the tests spend no time in the KDF.
    private static readonly KdfParameters Weak = new(8, 1, 1);

    private readonly TempDir _dir = new();
    private readonly SecretKey _key = SecretKey.FromBytes(Hex.TryDecode(TestKeys.Key1)!);

    public void Dispose()
    {
        _key.Dispose();
        _dir.Dispose();
    }

    private string KeyFile()
    {
        using var passphrase = Passphrase.FromFileContent(System.Text.Encoding.UTF8.GetBytes(Pass));
        var path = _dir.File("signer.kvk");
        File.WriteAllBytes(path, EncryptedKeyFile.Encrypt(_key, passphrase, Weak, label: "runner test"));
        File.WriteAllText(_dir.File("pass.txt"), Pass + "\n");
        return path;
    }

    private int WriteShares()
    {
        var options = new ShareOutputOptions(["Alice", "Bob", "Carol"], Paper: false, Png: false, PaperSize.A4,
            StacksNetwork.Mainnet, new DateOnly(2026, 1, 2), PassphraseProtected: false);
        using var files = new FileSet(_dir.Path);
        using var shares = Slip39.Split(_key, SplitLayout.Single(2, 3));
        ShareWriter.WriteAll(new ScriptedOperator { CanAsk = false }, files, shares, _key.PublicKey, options, renderer: null);
        Assert.True(files.Complete());
        return shares.Identifier;
    }

    [Fact]
    public void A_key_file_that_holds_the_expected_key_passes_and_its_report_names_the_file()
    {
        var keyFile = KeyFile();
        var op = new ScriptedOperator { CanAsk = false };
        var result = DrillRun.Execute(op, new DrillRequest
        {
            Expected = ExpectedIdentity.FromPublicKey(_key.PublicKey),
            KeyFile = keyFile,
            PassphraseFile = _dir.File("pass.txt"),
        });

        Assert.Equal(DrillOutcome.Passed, result.Report.Outcome);
        Assert.Equal(keyFile, result.Report.KeyFile!.Path);
        Assert.Equal(Hex.Encode(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(keyFile))), result.Report.KeyFile.Sha256);
        Assert.Null(result.Report.Shares);
        var identity = result.Report.Checks.Where(c => c.Name == DrillCheck.IdentityName).ToList();
        Assert.NotEmpty(identity);
        Assert.All(identity, c => Assert.Equal(DrillCheckResult.Pass, c.Result));
        Assert.All(identity, c => Assert.StartsWith("key file: ", c.Detail));
        var source = Assert.Single(result.Sources);
        Assert.Equal(DrillRun.KeyFileSource, source.Name);
        Assert.True(source.Match.Matches);
        Assert.Empty(op.Questions);
        // Signed whether or not a report path was given: a caller with its own file set writes this text itself.
        var verification = DrillReport.Verify(result.SignedReport);
        Assert.True(verification.Valid, verification.Problem);
        Assert.Equal(TestKeys.Key1PublicKey, verification.Signer.Hex66);
        Assert.Equal(["pass.txt", "signer.kvk"], _dir.Entries().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_held_passphrase_opens_the_key_file_without_a_question_and_the_report_uses_the_name_given()
    {
        var keyFile = KeyFile();
        var op = new ScriptedOperator { CanAsk = true };
        using var passphrase = Passphrase.FromFileContent(System.Text.Encoding.UTF8.GetBytes(Pass));
        var result = DrillRun.Execute(op, new DrillRequest
        {
            Expected = ExpectedIdentity.FromPublicKey(_key.PublicKey),
            KeyFile = keyFile,
            KeyFileName = "signer.kvk",
            KeyFilePassphrase = passphrase,
        });

        Assert.Equal(DrillOutcome.Passed, result.Report.Outcome);
        Assert.Equal("signer.kvk", result.Report.KeyFile!.Path);
        Assert.Empty(op.Questions);
        // The passphrase stays the caller's: still usable after the drill.
        using var again = EncryptedKeyFile.Parse(File.ReadAllBytes(keyFile)).Decrypt(passphrase);
        Assert.Equal(_key.PublicKey, again.PublicKey);
    }

    [Fact]
    public void Two_share_files_rebuild_the_key_and_the_report_records_which_shares()
    {
        int identifier = WriteShares();
        var result = DrillRun.Execute(new ScriptedOperator { CanAsk = false }, new DrillRequest
        {
            Expected = ExpectedIdentity.ParseValue(TestKeys.Key1Mainnet),
            ShareFiles = [_dir.File("share-1.txt"), _dir.File("share-3.txt")],
        });

        Assert.Equal(DrillOutcome.Passed, result.Report.Outcome);
        Assert.Null(result.Report.KeyFile);
        var shares = result.Report.Shares!;
        Assert.Equal(identifier, shares.Identifier);
        Assert.Equal([0, 2], shares.Shares.Select(s => s.MemberIndex));
        Assert.Equal(DrillRun.SharesSource, Assert.Single(result.Sources).Name);
        Assert.Equal(TestKeys.Key1PublicKey, result.Report.Derived.PublicKey);
        Assert.Contains("RESULT: PASS", result.Summary);
    }

    [Fact]
    public void An_expected_identity_of_another_key_fails_every_source_and_the_report_names_the_key_the_backup_holds()
    {
        var keyFile = KeyFile();
        WriteShares();
        var result = DrillRun.Execute(new ScriptedOperator { CanAsk = false }, new DrillRequest
        {
            Expected = ExpectedIdentity.ParseValue(TestKeys.Key2PublicKey),
            KeyFile = keyFile,
            PassphraseFile = _dir.File("pass.txt"),
            ShareFiles = [_dir.File("share-2.txt"), _dir.File("share-3.txt")],
        });

        Assert.Equal(DrillOutcome.IdentityMismatch, result.Report.Outcome);
        Assert.Equal(2, result.Sources.Count);
        Assert.All(result.Sources, s => Assert.False(s.Match.Matches));
        var failed = result.Report.Checks.Where(c => c.Result == DrillCheckResult.Fail).ToList();
        Assert.Contains(failed, c => c.Name == DrillCheck.IdentityName && c.Subject == "publicKey" && c.Detail.StartsWith("key file: ", StringComparison.Ordinal));
        Assert.Contains(failed, c => c.Name == DrillCheck.IdentityName && c.Subject == "publicKey" && c.Detail.StartsWith("shares: ", StringComparison.Ordinal));
        // Signed by, and naming, the key the backup really holds: the report cannot pass for the expected signer's.
        Assert.Equal(TestKeys.Key1PublicKey, result.Report.Derived.PublicKey);
        var verification = DrillReport.Verify(result.SignedReport);
        Assert.True(verification.Valid, verification.Problem);
        Assert.Equal(DrillOutcome.IdentityMismatch, verification.Report.Outcome);
    }

    private static readonly byte[] Plaintext = Enumerable.Range(0, 200).Select(i => (byte)i).ToArray();

    private static DkgShareRow Row(byte aggregate, string keyHex, string status) =>
        new([0x02, .. Enumerable.Repeat(aggregate, 32)], SignerEncryption.Encrypt(keyHex, Plaintext), status,
            new DateTimeOffset(2026, 1, aggregate, 0, 0, 0, TimeSpan.Zero));

    private sealed class Rows(params DkgShareRow[] rows) : IDkgShareSource
    {
        public string Description => "test rows";
        public int Reads { get; private set; }
        public IReadOnlyList<DkgShareRow> ReadRows()
        {
            Reads++;
            return rows;
        }
    }

    [Fact]
    public void The_newest_row_under_another_key_fails_the_drill_on_the_dkg_shares()
    {
        WriteShares();
        var rows = new Rows(Row(1, TestKeys.Key1, "verified"), Row(2, TestKeys.Key2, "verified"));
        var result = DrillRun.Execute(new ScriptedOperator { CanAsk = false }, new DrillRequest
        {
            Expected = ExpectedIdentity.FromPublicKey(_key.PublicKey),
            ShareFiles = [_dir.File("share-1.txt"), _dir.File("share-2.txt")],
            DkgRows = rows,
        });

        Assert.Equal(1, rows.Reads);
        Assert.Equal(DrillOutcome.DkgSharesNotOpened, result.Report.Outcome);
        var dkg = result.Report.Checks.Where(c => c.Name == DrillCheck.DkgSharesName).ToList();
        Assert.Equal(2, dkg.Count);
        Assert.Equal(DrillCheckResult.Fail, dkg.Single(c => c.Subject.EndsWith("0202", StringComparison.Ordinal)).Result);
    }

    /// <summary>A signer database in memory: the connection string it was given, and the rows it holds.</summary>
    private sealed class Database(params DkgShareRow[] rows) : ISignerDatabase
    {
        public List<string> Connections { get; } = [];
        public IDkgShareSource DkgShares(string connection)
        {
            Connections.Add(connection);
            return new Rows(rows);
        }
        public IReadOnlyList<DkgExportRow> ExportDkgShares(string connection) => throw new InvalidOperationException("not used by a drill");
        public DkgRestoreResult RestoreDkgShares(string connection, IReadOnlyList<DkgExportRow> rows) => throw new InvalidOperationException("not used by a drill");
        public bool HasPassword(string connection) => connection.Contains("Password=", StringComparison.Ordinal);
    }

    [Fact]
    public void A_database_named_by_a_connection_file_is_read_through_the_database_given_and_a_readable_password_is_warned_about()
    {
        var keyFile = KeyFile();
        var connectionFile = _dir.File("db.txt");
        File.WriteAllText(connectionFile, "Host=db.example;Database=signer;Username=reader;Password=hunter2\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(connectionFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var database = new Database(Row(1, TestKeys.Key1, "verified"));
        var op = new ScriptedOperator { CanAsk = false };
        var result = DrillRun.Execute(op, new DrillRequest
        {
            Expected = ExpectedIdentity.FromPublicKey(_key.PublicKey),
            KeyFile = keyFile,
            PassphraseFile = _dir.File("pass.txt"),
            DkgDatabase = new DkgDatabase(DkgDatabaseKind.ConnectionFile, connectionFile),
        }, database);

        Assert.Equal(DrillOutcome.Passed, result.Report.Outcome);
        Assert.Equal(["Host=db.example;Database=signer;Username=reader;Password=hunter2"], database.Connections);
        Assert.Contains(result.Report.Checks, c => c.Name == DrillCheck.DkgSharesName && c.Result == DrillCheckResult.Pass);
        if (!OperatingSystem.IsWindows()) Assert.Contains($"warning: {connectionFile} holds a database password and others may read it", op.Text);
        Assert.DoesNotContain("hunter2", op.Text);
    }

    [Fact]
    public void An_empty_connection_file_is_refused_before_any_passphrase_is_read()
    {
        var keyFile = KeyFile();
        var connectionFile = _dir.File("db.txt");
        File.WriteAllText(connectionFile, "  \n");
        var op = new ScriptedOperator { CanAsk = true };
        var ex = Assert.Throws<KeyVault.Errors.KeyVaultException>(() => DrillRun.Execute(op, new DrillRequest
        {
            Expected = ExpectedIdentity.FromPublicKey(_key.PublicKey),
            KeyFile = keyFile,
            DkgDatabase = new DkgDatabase(DkgDatabaseKind.ConnectionFile, connectionFile),
        }, new Database()));
        Assert.Equal($"{connectionFile} holds no connection string", ex.Message);
        Assert.Empty(op.Questions);
    }
}
