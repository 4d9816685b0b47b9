using KeyVault.Dkg;
using KeyVault.Errors;
using KeyVault.Sheets;
using KeyVault.Tests.Postgres;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Paper;

/// <summary>
/// The generator of test-vectors/dkg-export/ and its check: a DKG export of two fixed rows, its private part, and
/// the QR texts of both (docs/dkg-export-format.md, "The private part" and "QR framing"), cut at 120 bytes so each has
/// several parts, with damaged copies a reader must refuse. Rewritten with KEYVAULT_WRITE_VECTORS=1; otherwise the
/// committed files must be exactly what the writers produce, and read back.
/// </summary>
public class DkgPaperVectorTests
{
    private const int VectorPartBytes = 120;

    private static string Dir => System.IO.Path.Combine(External.RepoRoot, "test-vectors", "dkg-export");

    /// <summary>The vector <paramref name="name"/> of test-vectors/dkg-export/.</summary>
    internal static VectorFile Read(string name) => VectorFile.Read(System.IO.Path.Combine(Dir, name));

    private static string Qr(IEnumerable<string> parts) => string.Join("\n", parts) + "\n";

    /// <summary>File name → content, exactly as committed.</summary>
    internal static SortedDictionary<string, byte[]> Generate()
    {
        var rows = DkgExportTests.Vector.Rows;
        var at = DkgExportTests.Vector.ExportedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var export = DkgExport.Write(rows, DkgExportTests.Vector.ExportedAt);
        var privatePart = DkgPrivatePart.Write(rows, DkgExportTests.Vector.ExportedAt);
        var exportParts = DkgQrParts.Split(export, DkgPaperContent.ExportFile, VectorPartBytes);
        var privateParts = DkgQrParts.Split(privatePart, DkgPaperContent.PrivatePart, VectorPartBytes);
        var key = TestKeys.Key1;
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["two-rows-export"] = VectorFile.Format(
                [("expect", "success"), ("exported at", at), ("rows", "2"), ("key", key),
                 ("comment", "row 1 from before migration 0012 (no status, no start block), row 2 verified with a microsecond created_at; both blobs open with key")],
                export),
            ["two-rows-private-part"] = VectorFile.Format(
                [("expect", "success"), ("exported at", at), ("rows", "2"), ("key", key), ("comment", "the private part of two-rows-export")],
                privatePart),
            ["two-rows-export-qr"] = VectorFile.Format(
                [("expect", "reassembles"), ("payload", "two-rows-export"), ("parts", $"{exportParts.Count}"),
                 ("comment", "the QR texts of two-rows-export, one part per line, cut at 120 bytes")],
                Qr(exportParts)),
            ["two-rows-private-part-qr"] = VectorFile.Format(
                [("expect", "reassembles"), ("payload", "two-rows-private-part"), ("parts", $"{privateParts.Count}"),
                 ("comment", "the QR texts of two-rows-private-part, one part per line, in reverse order")],
                Qr(privateParts.Reverse())),
        };
        var flipped = (byte[])export.Clone();
        flipped[100] ^= 1;
        files["two-rows-export-flipped"] = VectorFile.Format(
            [("expect", "damaged"), ("comment", "two-rows-export with one bit of byte 100 flipped: the checksum does not match")], flipped);
        var flippedPrivate = (byte[])privatePart.Clone();
        flippedPrivate[^1] ^= 0x80;
        files["two-rows-private-part-flipped"] = VectorFile.Format(
            [("expect", "damaged"), ("comment", "two-rows-private-part with the top bit of its last byte flipped")], flippedPrivate);
        files["two-rows-export-qr-missing-part"] = VectorFile.Format(
            [("expect", "refused"), ("comment", "two-rows-export-qr without its third part")], Qr(exportParts.Where((_, i) => i != 2)));
        var badCheck = exportParts.ToArray();
        badCheck[0] = badCheck[0][..30] + (badCheck[0][30] == '0' ? '1' : '0') + badCheck[0][31..];
        files["two-rows-export-qr-bad-check"] = VectorFile.Format(
            [("expect", "refused"), ("comment", "two-rows-export-qr with the last hex digit of part 1's check changed")], Qr(badCheck));
        return files;
    }

    [Fact]
    public void Committed_vectors_are_what_the_writers_produce()
    {
        VectorFile.AssertFolderIs(Dir, Generate());
    }

    [Fact]
    public void Every_vector_has_the_outcome_its_expect_line_names()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in Directory.GetFiles(Dir).Order(StringComparer.Ordinal))
        {
            var v = VectorFile.Read(path);
            seen.Add(v.Expect);
            bool isPrivate = System.IO.Path.GetFileName(path).Contains("private-part", StringComparison.Ordinal);
            switch (v.Expect)
            {
                case "success" when isPrivate:
                    var (privateAt, privateRows) = DkgPrivatePart.Read(v.Body, "vector");
                    Assert.Equal(DkgExportTests.Vector.ExportedAt, privateAt);
                    Assert.Equal(int.Parse(v["rows"], System.Globalization.CultureInfo.InvariantCulture), privateRows.Count);
                    Assert.Equal(DkgExportTests.Vector.Rows.Select(r => r.ToShareRow().AggregateKeyHex), privateRows.Select(r => r.AggregateKeyHex));
                    Assert.Equal(DkgExportTests.Vector.Rows.Select(r => r.Status), privateRows.Select(r => r.Status));
                    Assert.Equal(DkgExportTests.Vector.Rows.Select(r => r.CreatedAt), privateRows.Select(r => r.CreatedAt));
                    Assert.True(privateRows.Zip(DkgExportTests.Vector.Rows).All(p => p.First.EncryptedPrivateShares.AsSpan().SequenceEqual(p.Second.EncryptedPrivateShares)));
                    break;
                case "success":
                    var (at, rows) = DkgExport.Read(v.Body, "vector");
                    Assert.Equal(DkgExportTests.Vector.ExportedAt, at);
                    Assert.Equal(int.Parse(v["rows"], System.Globalization.CultureInfo.InvariantCulture), rows.Count);
                    Assert.All(rows.Zip(DkgExportTests.Vector.Rows), p => Assert.True(p.First.SameAs(p.Second)));
                    break;
                case "reassembles":
                    var (content, payload) = DkgQrParts.Join(v.BodyText.Split('\n', StringSplitOptions.RemoveEmptyEntries));
                    Assert.Equal(isPrivate ? DkgPaperContent.PrivatePart : DkgPaperContent.ExportFile, content);
                    Assert.Equal(Read(v["payload"]).Body, payload);
                    Assert.Equal(int.Parse(v["parts"], System.Globalization.CultureInfo.InvariantCulture), v.BodyText.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
                    break;
                case "damaged":
                    var ex = Assert.Throws<KeyVaultException>(() =>
                    {
                        if (isPrivate) DkgPrivatePart.Read(v.Body, "damaged");
                        else DkgExport.Read(v.Body, "damaged");
                    });
                    Assert.Equal(ErrorKind.DamagedFile, ex.Kind);
                    break;
                case "refused":
                    Assert.Throws<KeyVaultException>(() => DkgQrParts.Join(v.BodyText.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
                    break;
                default:
                    Assert.Fail($"{path}: unknown expect \"{v.Expect}\"");
                    break;
            }
        }
        Assert.Equal(["damaged", "reassembles", "refused", "success"], seen.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EveryFlippedBitOfThePrivatePartIsRefusedAsDamaged()
    {
        var file = Read("two-rows-private-part").Body;
        for (int i = 0; i < file.Length; i++)
        {
            var damaged = (byte[])file.Clone();
            damaged[i] ^= (byte)(1 << (i % 8));
            var ex = Assert.Throws<KeyVaultException>(() => DkgPrivatePart.Read(damaged, "damaged"));
            Assert.Equal(ErrorKind.DamagedFile, ex.Kind);
        }
    }
}
