using KeyVault.Cli;
using KeyVault.Codecs;
using KeyVault.Dkg;
using KeyVault.Postgres;
using KeyVault.Sheets;
using KeyVault.Tests.Drill;
using KeyVault.Tests.Paper;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Postgres;

/// <summary>
/// <c>dkg restore</c> into databases at the signer's current migration (0022): rows exported before migration 0012
/// are refused by name, write failures say so, and the private part that <c>dkg from-paper</c> writes comes back
/// with the public columns of another signer's export of the same rounds.
/// </summary>
public sealed class DkgRestoreTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Hex1 => Hex.Encode(DkgExportTests.Vector.Rows[0].AggregateKey);

    private string VectorExport()
    {
        var path = _dir.File("two-rows.kvdkg");
        File.WriteAllBytes(path, DkgPaperVectorTests.Read("two-rows-export").Body);
        return path;
    }

    [Fact]
    public void TheProjectsVectorIsRefusedOnACurrentDatabaseNamingItsRowFromBeforeMigration0012()
    {
        using var db = new SignerDatabase();
        Assert.Equal(22, db.Migration);
        var console = new TestConsole();
        Assert.Equal(ExitCode.BadInput, console.Run("dkg", "restore", "--from", VectorExport(), "--db", db.ConnectionString));
        var error = console.StderrText;
        Assert.Contains($"row {Hex1} of the export was taken before the signer's migration 0012", error);
        Assert.Contains("no dkg_shares_status and no started_at block", error);
        Assert.Contains("nothing was written", error);
        Assert.Contains("keyvault: hint: restore the pg_dump taken at that time", error);
        Assert.DoesNotContain("null value", error);
        Assert.DoesNotContain("reading", error);
        // One transaction: row 2, which the database could take, was not written either.
        Assert.Equal(0L, db.Scalar("SELECT count(*) FROM sbtc_signer.dkg_shares"));
    }

    [Fact]
    public void ARowFromBeforeMigration0012GoesIntoADatabaseOfThatTimeWhichTheSignersMigrationThenCompletes()
    {
        var old = DkgExportTests.Vector.Rows[0];
        Assert.Null(old.Status);
        var export = _dir.File("old.kvdkg");
        File.WriteAllBytes(export, DkgExport.Write([old], DkgExportTests.Vector.ExportedAt));
        using var db = new SignerDatabase(migration: 11);
        var console = new TestConsole();
        Assert.Equal(ExitCode.Success, console.Run("dkg", "restore", "--from", export, "--db", db.ConnectionString));
        Assert.Contains($"written    {Hex1}", console.StdoutText);

        // The chain data the pg_dump of that time holds: the tenure the row was written in.
        var at = old.CreatedAt;
        db.Exec($"""
            INSERT INTO sbtc_signer.bitcoin_blocks (block_hash, block_height, parent_hash, created_at)
            VALUES ('\x{new string('a', 64)}', 860000, '\x{new string('0', 64)}', '{at.AddMinutes(-1):O}'),
                   ('\x{new string('b', 64)}', 860001, '\x{new string('a', 64)}', '{at.AddMinutes(9):O}');
            """);
        db.MigrateTo(SignerMigrations.Latest);
        var row = Assert.Single(DkgTable.Export(db.ConnectionString));
        Assert.Equal("unverified", row.Status);
        Assert.Equal(860000L, row.StartedAtBlockHeight);
    }

    [Fact]
    public void ADatabaseOlderThanTheExportIsNamedWithTheRowAndTheMigration()
    {
        var current = DkgExportTests.Vector.Rows[1];
        var export = _dir.File("new.kvdkg");
        File.WriteAllBytes(export, DkgExport.Write([current], DkgExportTests.Vector.ExportedAt));
        using var db = new SignerDatabase(migration: 11);
        var console = new TestConsole();
        Assert.Equal(ExitCode.BadInput, console.Run("dkg", "restore", "--from", export, "--db", db.ConnectionString));
        Assert.Contains($"no dkg_shares_status column (the signer's migration 0012), which row {Hex.Encode(current.AggregateKey)} fills; nothing was written",
            console.StderrText);
    }

    [Fact]
    public void AFailedWriteSaysWritingAndAUserWhoMayOnlyReadIsToldSo()
    {
        var export = _dir.File("new.kvdkg");
        File.WriteAllBytes(export, DkgExport.Write([DkgExportTests.Vector.Rows[1]], DkgExportTests.Vector.ExportedAt));
        using var db = new SignerDatabase();
        db.Exec("""
            CREATE FUNCTION public.refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk quota exceeded'; END $$;
            CREATE TRIGGER refuse BEFORE INSERT ON sbtc_signer.dkg_shares FOR EACH ROW EXECUTE FUNCTION public.refuse();
            """);
        var console = new TestConsole();
        Assert.Equal(ExitCode.BadInput, console.Run("dkg", "restore", "--from", export, "--db", db.ConnectionString));
        Assert.Contains("writing sbtc_signer.dkg_shares at", console.StderrText);
        Assert.Contains("failed, nothing was written: disk quota exceeded", console.StderrText);
        Assert.DoesNotContain("reading", console.StderrText);

        db.Exec("DROP TRIGGER refuse ON sbtc_signer.dkg_shares");
        var role = "kv_reader_" + Guid.NewGuid().ToString("n")[..8];
        db.Exec($"CREATE ROLE {role} LOGIN; GRANT USAGE ON SCHEMA sbtc_signer TO {role}; GRANT SELECT ON sbtc_signer.dkg_shares TO {role}");
        try
        {
            var asReader = new Npgsql.NpgsqlConnectionStringBuilder(db.ConnectionString) { Username = role }.ConnectionString;
            var denied = new TestConsole();
            Assert.Equal(ExitCode.BadInput, denied.Run("dkg", "restore", "--from", export, "--db", asReader));
            Assert.Contains($"the user at {role}@", denied.StderrText);
            Assert.Contains("may not write sbtc_signer.dkg_shares; nothing was written", denied.StderrText);
        }
        finally
        {
            db.Exec($"DROP OWNED BY {role}; DROP ROLE {role}");
        }
    }

    /// <summary>Three DKG rounds of a 15-signer set as this signer holds them, and the same rows as another signer of the set holds them.</summary>
    private static (IReadOnlyList<DkgExportRow> Mine, IReadOnlyList<DkgExportRow> Theirs) Rounds()
    {
        var mine = SyntheticDkgRows.Rows(3, 15, 11);
        var theirs = mine.Select((r, i) => r with
        {
            EncryptedPrivateShares = SignerEncryption.Encrypt(TestKeys.Key2, new byte[651 - 28 + i]),
            CreatedAt = r.CreatedAt.AddSeconds(2),
            Status = "verified",
        }).ToList();
        return (mine, theirs);
    }

    /// <summary>The private part of <paramref name="rows"/> as <c>dkg from-paper</c> writes it back from the sheets' codes.</summary>
    private string FromPaper(IReadOnlyList<DkgExportRow> rows)
    {
        var sheet = DkgPaper.Plan(DkgExport.Write(rows, DkgExportTests.Vector.ExportedAt), "dkg.kvdkg", null, KeyVault.Keys.StacksNetwork.Mainnet, new DateOnly(2025, 8, 1));
        Assert.Equal(DkgPaperContent.PrivatePart, sheet.Content);
        var scans = _dir.File("scans.txt");
        File.WriteAllText(scans, string.Join("\n", sheet.Parts.Reverse()) + "\n");
        var output = _dir.File("private.kvdkp");
        var console = new TestConsole();
        Assert.Equal(ExitCode.Success, console.Run("dkg", "from-paper", "--scans", scans, "--out", output));
        Assert.Contains($"SHA-256 {sheet.PayloadSha256}", console.StderrText);
        return output;
    }

    [Fact]
    public void ThePrivatePartFromPaperAloneIsRefusedNamingWhatIsMissingAndWhereToGetIt()
    {
        var (mine, _) = Rounds();
        var part = FromPaper(mine);
        using var db = new SignerDatabase();
        var console = new TestConsole();
        Assert.Equal(ExitCode.BadInput, console.Run("dkg", "restore", "--from", part, "--db", db.ConnectionString));
        var error = console.StderrText;
        Assert.DoesNotContain("not a readable DKG export", error);
        Assert.Contains("is the private part of a DKG export", error);
        foreach (var column in new[] { "tweaked_aggregate_key", "script_pubkey", "public_shares", "signer_set_public_keys", "signature_share_threshold",
                     "started_at_bitcoin_block_hash", "started_at_bitcoin_block_height" })
            Assert.Contains(column, error);
        Assert.All(mine, r => Assert.Contains(Hex.Encode(r.AggregateKey), error));
        Assert.Contains("give --public-from with the DKG export of another signer of the same rounds", error);
        Assert.Equal(0L, db.Scalar("SELECT count(*) FROM sbtc_signer.dkg_shares"));
    }

    [Fact]
    public void ThePrivatePartFromPaperWithAnotherSignersExportRestoresThisSignersRowsColumnForColumn()
    {
        var (mine, theirs) = Rounds();
        var part = FromPaper(mine);
        var other = _dir.File("other-signer.kvdkg");
        File.WriteAllBytes(other, DkgExport.Write(theirs, DkgExportTests.Vector.ExportedAt));

        using var db = new SignerDatabase();
        var console = new TestConsole();
        Assert.Equal(ExitCode.Success, console.Run("dkg", "restore", "--from", part, "--public-from", other, "--db", db.ConnectionString));
        Assert.All(mine, r => Assert.Contains($"written    {Hex.Encode(r.AggregateKey)}", console.StdoutText));
        var restored = DkgTable.Export(db.ConnectionString);
        Assert.Equal(mine.Count, restored.Count);
        Assert.All(mine.Zip(restored), p => Assert.True(p.First.SameAs(p.Second), $"row {Hex.Encode(p.First.AggregateKey)} differs from this signer's own"));

        // The key opens every restored row: the rows are this signer's, not the other's.
        using var key = KeyVault.Keys.SecretKey.FromBytes(Hex.TryDecode(TestKeys.Key1)!);
        Assert.All(DkgShareRows.CheckAll(key, DkgShareStore.ReadAll(db.ConnectionString)), r => Assert.Equal(DkgBlobOutcome.Opened, r.Outcome));
    }

    [Fact]
    public void PublicColumnsFromTheWrongExportAreRefusedByAggregateKey()
    {
        var (mine, theirs) = Rounds();
        var part = FromPaper(mine);
        using var db = new SignerDatabase();

        var partial = _dir.File("partial.kvdkg");
        File.WriteAllBytes(partial, DkgExport.Write(theirs.Take(2).ToList(), DkgExportTests.Vector.ExportedAt));
        var console = new TestConsole();
        Assert.Equal(ExitCode.BadInput, console.Run("dkg", "restore", "--from", part, "--public-from", partial, "--db", db.ConnectionString));
        Assert.Contains($"has no row for the aggregate key {Hex.Encode(mine[2].AggregateKey)} of", console.StderrText);

        var own = _dir.File("own.kvdkg");
        File.WriteAllBytes(own, DkgExport.Write(mine, DkgExportTests.Vector.ExportedAt));
        var same = new TestConsole();
        Assert.Equal(ExitCode.BadInput, same.Run("dkg", "restore", "--from", part, "--public-from", own, "--db", db.ConnectionString));
        Assert.Contains("it is this signer's own export, not another signer's", same.StderrText);

        var usage = new TestConsole();
        Assert.Equal(ExitCode.Usage, usage.Run("dkg", "restore", "--from", own, "--public-from", partial, "--db", db.ConnectionString));
        Assert.Contains("keyvault: hint: leave out --public-from: it applies to a private part only", usage.StderrText);
        Assert.Equal(0L, db.Scalar("SELECT count(*) FROM sbtc_signer.dkg_shares"));
    }
}
