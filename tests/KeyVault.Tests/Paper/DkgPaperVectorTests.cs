using KeyVault.Dkg;
using KeyVault.Sheets;
using KeyVault.Tests.Postgres;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Paper;

/// <summary>
/// test-vectors/dkg-export: the private part of two-rows.kvdkg and the QR texts of both (docs/dkg-export-format.md,
/// "The private part" and "QR framing"), cut at 120 bytes so each has several parts. Rewritten with
/// KEYVAULT_WRITE_VECTORS=1; otherwise the committed files must be exactly what the writers produce, and read back.
/// </summary>
public class DkgPaperVectorTests
{
    private const int VectorPartBytes = 120;

    private static string Path(string name) => System.IO.Path.Combine(External.RepoRoot, "test-vectors", "dkg-export", name);

    private static bool Writing => Environment.GetEnvironmentVariable("KEYVAULT_WRITE_VECTORS") == "1";

    [Fact]
    public void ThePrivatePartAndTheQrTextsAreWhatTheWritersProduce()
    {
        var export = File.ReadAllBytes(External.RepoFile("test-vectors/dkg-export/two-rows.kvdkg"));
        var privatePart = DkgPrivatePart.Write(DkgExportTests.Vector.Rows, DkgExportTests.Vector.ExportedAt);
        var exportParts = string.Join("\n", DkgQrParts.Split(export, DkgPaperContent.ExportFile, VectorPartBytes)) + "\n";
        var privateParts = string.Join("\n", DkgQrParts.Split(privatePart, DkgPaperContent.PrivatePart, VectorPartBytes)) + "\n";
        if (Writing)
        {
            File.WriteAllBytes(Path("two-rows.kvdkp"), privatePart);
            File.WriteAllText(Path("two-rows.kvdkg.qr.txt"), exportParts);
            File.WriteAllText(Path("two-rows.kvdkp.qr.txt"), privateParts);
        }
        Assert.Equal(Convert.ToHexStringLower(privatePart), Convert.ToHexStringLower(File.ReadAllBytes(External.RepoFile("test-vectors/dkg-export/two-rows.kvdkp"))));
        Assert.Equal(exportParts, File.ReadAllText(External.RepoFile("test-vectors/dkg-export/two-rows.kvdkg.qr.txt")));
        Assert.Equal(privateParts, File.ReadAllText(External.RepoFile("test-vectors/dkg-export/two-rows.kvdkp.qr.txt")));
    }

    [Fact]
    public void TheQrTextsReadBackIntoTheFilesAndThePrivatePartIntoTheRows()
    {
        var (content, payload) = DkgQrParts.Join(File.ReadAllLines(External.RepoFile("test-vectors/dkg-export/two-rows.kvdkg.qr.txt")).Reverse());
        Assert.Equal(DkgPaperContent.ExportFile, content);
        Assert.Equal(File.ReadAllBytes(External.RepoFile("test-vectors/dkg-export/two-rows.kvdkg")), payload);

        var (privateContent, privatePayload) = DkgQrParts.Join(File.ReadAllLines(External.RepoFile("test-vectors/dkg-export/two-rows.kvdkp.qr.txt")));
        Assert.Equal(DkgPaperContent.PrivatePart, privateContent);
        var (at, rows) = DkgPrivatePart.Read(privatePayload, "vector");
        Assert.Equal(DkgExportTests.Vector.ExportedAt, at);
        Assert.Equal(DkgExportTests.Vector.Rows.Select(r => r.ToShareRow().AggregateKeyHex), rows.Select(r => r.AggregateKeyHex));
        Assert.Equal(DkgExportTests.Vector.Rows.Select(r => r.Status), rows.Select(r => r.Status));
        Assert.Equal(DkgExportTests.Vector.Rows.Select(r => r.CreatedAt), rows.Select(r => r.CreatedAt));
        Assert.True(rows.Zip(DkgExportTests.Vector.Rows).All(p => p.First.EncryptedPrivateShares.AsSpan().SequenceEqual(p.Second.EncryptedPrivateShares)));
    }

    [Fact]
    public void EveryFlippedBitOfThePrivatePartIsRefusedAsDamaged()
    {
        var file = File.ReadAllBytes(External.RepoFile("test-vectors/dkg-export/two-rows.kvdkp"));
        for (int i = 0; i < file.Length; i++)
        {
            var damaged = (byte[])file.Clone();
            damaged[i] ^= (byte)(1 << (i % 8));
            var ex = Assert.Throws<KeyVault.Errors.KeyVaultException>(() => DkgPrivatePart.Read(damaged, "damaged"));
            Assert.Equal(KeyVault.Errors.ErrorKind.DamagedFile, ex.Kind);
        }
    }
}
