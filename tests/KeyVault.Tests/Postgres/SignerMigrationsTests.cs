using KeyVault.Codecs;
using KeyVault.Dkg;
using KeyVault.Postgres;
using KeyVault.Tests.Drill;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Postgres;

/// <summary>
/// The signer's own migrations, 0001 to 0022, run in order against the real server with a DKG round in the table:
/// after every one of them the drill reads the row, the export takes every column, and a restore into a database at
/// the same migration gives the same row back.
/// </summary>
public sealed class SignerMigrationsTests
{
    private static readonly DateTimeOffset Round = new(2025, 2, 3, 4, 5, 6, TimeSpan.Zero);
    private static readonly byte[] AggregateKey = Hex.TryDecode("02" + new string('5', 64))!;
    private static readonly byte[] BlockA = Enumerable.Repeat((byte)0xa1, 32).ToArray();
    private static readonly byte[] BlockB = Enumerable.Repeat((byte)0xb2, 32).ToArray();

    [Fact]
    public void TheCopiedMigrationsAreTheSignersTwentyOneFilesUpTo0022()
    {
        var files = SignerMigrations.Files();
        Assert.Equal(21, files.Count);
        Assert.Equal([1, .. Enumerable.Range(3, 20)], files.Select(f => f.Number).ToArray());
        Assert.Equal("0022__add_is_canonical_to_bitcoin_blocks.sql", Path.GetFileName(files[^1].Path));
        Assert.True(File.Exists(Path.Combine(SignerMigrations.Folder, "COPYING")), "the GPL-3.0 licence must stay beside the copied files");
    }

    [Fact]
    public void ARowWrittenAtMigration0003IsReadExportedAndRestoredAfterEveryMigrationTo0022()
    {
        using var db = new SignerDatabase(migration: 3);
        db.Insert(AggregateKey, SignerEncryption.Encrypt(TestKeys.Key1, new byte[64]), "", Round);
        // The chain data 0012 derives the start block from: the tenure in which the row was written.
        db.Exec($"""
            INSERT INTO sbtc_signer.bitcoin_blocks (block_hash, block_height, parent_hash, created_at)
            VALUES ('\x{Hex.Encode(BlockA)}', 870000, '\x{new string('0', 64)}', '{Round.AddMinutes(-3):O}'),
                   ('\x{Hex.Encode(BlockB)}', 870001, '\x{Hex.Encode(BlockA)}', '{Round.AddMinutes(7):O}');
            """);
        var seen = new List<int>();
        foreach (var (number, _) in SignerMigrations.Files())
        {
            db.MigrateTo(number);
            if (number < 3) continue;
            seen.Add(number);
            var row = Assert.Single(DkgShareStore.ReadAll(db.ConnectionString));
            Assert.Equal(number >= 12 ? "unverified" : null, row.Status);
            using (var key = KeyVault.Keys.SecretKey.FromBytes(Hex.TryDecode(TestKeys.Key1)!))
                Assert.Equal(DkgBlobOutcome.Opened, Assert.Single(DkgShareRows.CheckAll(key, [row])).Outcome);

            var exported = Assert.Single(DkgTable.Export(db.ConnectionString));
            Assert.Equal(number >= 12 ? BlockA : null, exported.StartedAtBlockHash);
            Assert.Equal(number >= 12 ? 870000L : null, exported.StartedAtBlockHeight);

            using var fresh = new SignerDatabase(migration: number);
            var result = DkgTable.Restore(fresh.ConnectionString, [exported]);
            Assert.Equal([Hex.Encode(AggregateKey)], result.Written);
            Assert.True(Assert.Single(DkgTable.Export(fresh.ConnectionString)).SameAs(exported), $"restored at migration {number}");
        }
        Assert.Equal(20, seen.Count);
        Assert.Equal(22, (int)(long)db.Scalar("SELECT count(*) FROM public.__sbtc_migrations")! + 1); // no 0002
    }
}
