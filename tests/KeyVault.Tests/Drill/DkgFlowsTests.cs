using KeyVault.Age;
using KeyVault.Codecs;
using KeyVault.Dkg;
using KeyVault.Errors;
using KeyVault.Flows;
using KeyVault.Sheets;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Drill;

/// <summary>
/// The DKG table flows driven without the command line and without PostgreSQL: a database in memory stands behind
/// <see cref="ISignerDatabase"/>, as another program's would. The Npgsql implementation is covered in Postgres/.
/// </summary>
public sealed class DkgFlowsTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly ScriptedOperator _op = new() { CanAsk = false };

    public void Dispose() => _dir.Dispose();

    /// <summary>A signer database in memory, recording every connection string it was given.</summary>
    private sealed class Database(IReadOnlyList<DkgExportRow> rows) : ISignerDatabase
    {
        public List<string> Connections { get; } = [];
        public IReadOnlyList<DkgExportRow>? Restored { get; private set; }

        public IDkgShareSource DkgShares(string connection) => throw new InvalidOperationException("not used here");

        public IReadOnlyList<DkgExportRow> ExportDkgShares(string connection)
        {
            Connections.Add(connection);
            return rows;
        }

        public DkgRestoreResult RestoreDkgShares(string connection, IReadOnlyList<DkgExportRow> given)
        {
            Connections.Add(connection);
            Restored = given;
            return new DkgRestoreResult(given.Select(r => Hex.Encode(r.AggregateKey)).ToList(), []);
        }

        public bool HasPassword(string connection) => false;
    }

    private static readonly IReadOnlyList<DkgExportRow> Rows = SyntheticDkgRows.Rows(3, 5, 4);

    [Fact]
    public void An_export_holds_every_row_the_database_gave_and_names_the_database_from_a_signer_config()
    {
        var config = _dir.File("signer-config.toml");
        File.WriteAllText(config, $"[signer]\nprivate_key = \"{TestKeys.Key1}\"\ndb_endpoint = \"postgresql://reader@db.example:5432/signer\"\n");
        var database = new Database(Rows);
        var output = _dir.File("dkg.kvdk");

        var written = DkgFlows.Export(_op, new DkgExportRequest(new DkgDatabase(DkgDatabaseKind.SignerConfig, config), output), database);

        Assert.Equal(["postgresql://reader@db.example:5432/signer"], database.Connections);
        Assert.Equal(3, written.Rows);
        Assert.Null(written.SealedTo);
        var file = File.ReadAllBytes(output);
        Assert.Equal(file.Length, written.Bytes);
        var read = DkgExport.Read(file, "export").Rows;
        Assert.Equal(Rows.Count, read.Count);
        Assert.All(Rows.Zip(read), p => Assert.True(p.First.SameAs(p.Second)));
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(output));
    }

    [Fact]
    public void An_existing_output_or_a_bad_recipient_is_refused_before_the_database_is_asked()
    {
        var database = new Database(Rows);
        var name = new DkgDatabase(DkgDatabaseKind.Connection, "Host=db.example");
        var existing = _dir.File("there.kvdk");
        File.WriteAllText(existing, "keep me");
        Assert.Throws<KeyVaultException>(() => DkgFlows.Export(_op, new DkgExportRequest(name, existing), database));
        Assert.Equal("keep me", File.ReadAllText(existing));
        Assert.ThrowsAny<KeyVaultException>(() => DkgFlows.Export(_op, new DkgExportRequest(name, _dir.File("new.kvdk"), SealTo: "age1notarecipient"), database));
        Assert.Empty(database.Connections);
        Assert.False(File.Exists(_dir.File("new.kvdk")));
    }

    [Fact]
    public void A_sealed_export_restores_with_its_identity_and_is_refused_without_it()
    {
        using var identity = AgeIdentity.Generate();
        var identityFile = _dir.File("cold.key");
        File.WriteAllBytes(identityFile, [.. identity.ExportSecretKey(), (byte)'\n']);
        var output = _dir.File("dkg.age");
        var written = DkgFlows.Export(_op, new DkgExportRequest(new DkgDatabase(DkgDatabaseKind.Connection, "Host=source"), output,
            identity.Recipient.Text, Armor: true), new Database(Rows));
        Assert.Equal(identity.Recipient.Text, written.SealedTo);
        Assert.True(DkgExportFile.IsSealed(File.ReadAllBytes(output)));

        var target = new Database([]);
        var withoutIdentity = Assert.Throws<KeyVaultException>(() =>
            DkgFlows.Restore(_op, new DkgRestoreRequest(output, null, new DkgDatabase(DkgDatabaseKind.Connection, "Host=target")), target));
        Assert.Equal(ErrorCodes.DkgExportSealed, withoutIdentity.Code);
        Assert.Null(target.Restored);

        var result = DkgFlows.Restore(_op, new DkgRestoreRequest(output, identityFile, new DkgDatabase(DkgDatabaseKind.Connection, "Host=target")), target);
        Assert.Equal(["Host=target"], target.Connections);
        Assert.Equal(3, result.Written.Count);
        Assert.All(Rows.Zip(target.Restored!), p => Assert.True(p.First.SameAs(p.Second)));
    }

    [Fact]
    public void From_paper_puts_the_scanned_parts_back_in_any_order_into_the_file_they_carry()
    {
        var export = DkgExport.Write(Rows, new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero));
        var parts = DkgQrParts.Split(export, DkgPaperContent.ExportFile, maxPartBytes: 400);
        Assert.True(parts.Count > 1);
        var scans = _dir.File("scans.txt");
        File.WriteAllText(scans, string.Join("\n", parts.Reverse()) + "\n");
        var output = _dir.File("from-paper.kvdk");

        var written = DkgFlows.FromPaper(_op, scans, output);

        Assert.Equal(DkgPaperFile.Export, written.File);
        Assert.Equal(3, written.Rows);
        Assert.Equal(export, File.ReadAllBytes(output));
        Assert.Equal(Hex.Encode(System.Security.Cryptography.SHA256.HashData(export)), written.Sha256);

        File.WriteAllText(scans, string.Join("\n", parts.Skip(1)) + "\n");
        Assert.Throws<KeyVaultException>(() => DkgFlows.FromPaper(_op, scans, _dir.File("short.kvdk")));
        Assert.False(File.Exists(_dir.File("short.kvdk")));
    }
}
