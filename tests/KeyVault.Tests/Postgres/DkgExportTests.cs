using KeyVault.Age;
using KeyVault.Cli;
using KeyVault.Codecs;
using KeyVault.Dkg;
using KeyVault.Errors;
using KeyVault.IO;
using KeyVault.KeyFile;
using KeyVault.Keys;
using KeyVault.Tests.Drill;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Postgres;

/// <summary>
/// The DKG-share export: every column out of a signer database, back into a fresh one created as the signer's
/// migrations create it, and proven by a drill, bare and sealed to an age recipient.
/// </summary>
public sealed class DkgExportTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2025, 7, 1, 6, 30, 15, TimeSpan.Zero);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static byte[] AggregateKey(int i) => Hex.TryDecode(("03" + i.ToString("x2")).PadRight(66, 'c'))!;

    private static SignerDatabase Populated()
    {
        var db = new SignerDatabase();
        db.Insert(AggregateKey(1), SignerEncryption.Encrypt(TestKeys.Key2, new byte[700]), "failed", T0);
        db.Insert(AggregateKey(2), SignerEncryption.Encrypt(TestKeys.Key1, new byte[700]), "verified", T0.AddDays(14).AddTicks(12340));
        return db;
    }

    private string KeyFile()
    {
        using var key = SecretKey.FromBytes(Hex.TryDecode(TestKeys.Key1)!);
        using var pass = Passphrase.FromFileContent("export pass velvet orbit canyon"u8);
        var path = _dir.File("signer.kvk");
        File.WriteAllBytes(path, EncryptedKeyFile.Encrypt(key, pass, new KdfParameters(8, 1, 1)));
        File.WriteAllText(_dir.File("pass.txt"), "export pass velvet orbit canyon");
        return path;
    }

    private int Drill(params string[] source)
    {
        var console = new TestConsole();
        return console.Run(["drill", "--expect", TestKeys.Key1PublicKey, "--key-file", KeyFile(), "--passphrase-file", _dir.File("pass.txt"), .. source]);
    }

    [Fact]
    public void ExportRestoreIntoAFreshDatabaseAndTheDrillPassesThereASecondRestoreChangesNothing()
    {
        using var source = Populated();
        var export = _dir.File("dkg.kvdkg");
        var console = new TestConsole();
        Assert.Equal(ExitCode.Success, console.Run("dkg", "export", "--db", source.ConnectionString, "--out", export));
        FileModes.AssertOwnerOnly(export);
        Assert.Contains("2 DKG shares rows", console.StderrText);
        Assert.Equal(ExitCode.Success, Drill("--dkg-export", export));

        using var fresh = new SignerDatabase();
        var restore = new TestConsole();
        Assert.Equal(ExitCode.Success, restore.Run("dkg", "restore", "--from", export, "--db", fresh.ConnectionString));
        Assert.Contains($"written    {Hex.Encode(AggregateKey(1))}", restore.StdoutText);
        Assert.Contains($"written    {Hex.Encode(AggregateKey(2))}", restore.StdoutText);
        // Every column came back: a second export of the restored database is the same rows.
        var again = _dir.File("again.kvdkg");
        Assert.Equal(ExitCode.Success, new TestConsole().Run("dkg", "export", "--db", fresh.ConnectionString, "--out", again));
        var a = DkgExport.Read(File.ReadAllBytes(export), "a").Rows;
        var b = DkgExport.Read(File.ReadAllBytes(again), "b").Rows;
        Assert.Equal(a.Count, b.Count);
        Assert.All(a.Zip(b), p => Assert.True(p.First.SameAs(p.Second)));
        Assert.Equal(ExitCode.Success, Drill("--dkg-db", fresh.ConnectionString));

        var second = new TestConsole();
        Assert.Equal(ExitCode.Success, second.Run("dkg", "restore", "--from", export, "--db", fresh.ConnectionString));
        Assert.Contains("restored 0 rows; 2 were already there", second.StderrText);
    }

    [Fact]
    public void ARowThatDiffersIsRefusedAndNothingIsWritten()
    {
        using var source = Populated();
        var export = _dir.File("dkg.kvdkg");
        Assert.Equal(ExitCode.Success, new TestConsole().Run("dkg", "export", "--db", source.ConnectionString, "--out", export));
        using var target = new SignerDatabase();
        target.Insert(AggregateKey(2), SignerEncryption.Encrypt(TestKeys.Key1, new byte[10]), "verified", T0);
        var console = new TestConsole();
        Assert.Equal(ExitCode.BadInput, console.Run("dkg", "restore", "--from", export, "--db", target.ConnectionString));
        Assert.Contains($"already holds the DKG shares row {Hex.Encode(AggregateKey(2))} with other values; nothing was written", console.StderrText);
        // One transaction: row 1, which came first in the export, was not written either.
        var rows = KeyVault.Postgres.DkgShareStore.ReadAll(target.ConnectionString);
        Assert.Single(rows);
    }

    [Fact]
    public void ASealedExportOpensWithTheStockAgeToolAndInTheDrillWithItsIdentity()
    {
        using var source = Populated();
        using var identity = AgeIdentity.Generate();
        var idFile = _dir.File("cold.key");
        var secret = identity.ExportSecretKey();
        File.WriteAllBytes(idFile, [.. secret, (byte)'\n']);
        SecretBuffers.Wipe(secret);
        var sealedExport = _dir.File("dkg.kvdkg.age");
        Assert.Equal(ExitCode.Success, new TestConsole().Run("dkg", "export", "--db", source.ConnectionString, "--out", sealedExport,
            "--seal-to", identity.Recipient.Text, "--armor"));
        Assert.StartsWith("-----BEGIN AGE ENCRYPTED FILE-----", File.ReadAllText(sealedExport));

        Assert.Equal(ExitCode.Success, Drill("--dkg-export", sealedExport, "--dkg-export-identity", idFile));
        var without = new TestConsole();
        Assert.Equal(ExitCode.BadInput, without.Run("drill", "--expect", TestKeys.Key1PublicKey, "--key-file", KeyFile(), "--passphrase-file",
            _dir.File("pass.txt"), "--dkg-export", sealedExport));
        Assert.Contains("is sealed with age", without.StderrText);

        var age = External.RequireTool("age", "age");
        var opened = _dir.File("opened.kvdkg");
        var (code, _, stderr) = External.Run(age, "-d", "-i", idFile, "-o", opened, sealedExport);
        Assert.True(code == 0, stderr);
        Assert.Equal(2, DkgExport.Read(File.ReadAllBytes(opened), "opened").Rows.Count);
    }

    [Fact]
    public void EveryFlippedBitOfAnExportIsRefusedAsDamaged()
    {
        var file = DkgExport.Write(Vector.Rows, Vector.ExportedAt);
        for (int i = 0; i < file.Length; i++)
            for (int bit = 0; bit < 8; bit += 3)
            {
                var damaged = (byte[])file.Clone();
                damaged[i] ^= (byte)(1 << bit);
                var ex = Assert.Throws<KeyVaultException>(() => DkgExport.Read(damaged, "damaged"));
                Assert.Equal(ErrorKind.DamagedFile, ex.Kind);
            }
        Assert.Throws<KeyVaultException>(() => DkgExport.Read(file[..^1], "truncated"));
    }

    [Fact]
    public void TheCommittedVectorIsWhatTheWriterProducesAndReadsBack()
    {
        // DkgPaperVectorTests writes test-vectors/dkg-export/; this holds the export writer to the committed file.
        var produced = DkgExport.Write(Vector.Rows, Vector.ExportedAt);
        var committed = KeyVault.Tests.Paper.DkgPaperVectorTests.Read("two-rows-export").Body;
        Assert.Equal(Convert.ToHexStringLower(produced), Convert.ToHexStringLower(committed));
        var (at, rows) = DkgExport.Read(committed, "vector");
        Assert.Equal(Vector.ExportedAt, at);
        Assert.All(rows.Zip(Vector.Rows), p => Assert.True(p.First.SameAs(p.Second)));
    }

    /// <summary>The fixed rows of test-vectors/dkg-export/two-rows-export (blobs under test key 1, fixed nonces).</summary>
    internal static class Vector
    {
        public static readonly DateTimeOffset ExportedAt = new(2025, 8, 1, 0, 0, 0, TimeSpan.Zero);

        public static readonly DkgExportRow[] Rows =
        [
            new(AggregateKey(1), AggregateKey(11), SignerEncryption.Encrypt(TestKeys.Key1, new byte[32], new byte[12]), [1, 2, 3], [0x51, 0x20],
                [AggregateKey(21), AggregateKey(22)], 2, new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero), null, null, null),
            new(AggregateKey(2), AggregateKey(12), SignerEncryption.Encrypt(TestKeys.Key1, new byte[48], Enumerable.Repeat((byte)7, 12).ToArray()), [4, 5],
                [0x51, 0x20, 0xff], [AggregateKey(21), AggregateKey(22), AggregateKey(23)], 2,
                new DateTimeOffset(2025, 4, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(1234560), "verified", new byte[32], 880_000),
        ];
    }
}
