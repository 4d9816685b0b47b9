using KeyVault.Age;
using KeyVault.Dkg;
using KeyVault.Sheets;

namespace KeyVault.Tests.Drill;

/// <summary>
/// The size of a DKG export for a realistic signer set (15 signers, one key each, threshold 11), measured on rows
/// encoded exactly as the sBTC signer encodes them (<see cref="SyntheticDkgRows"/>), against the formulas of
/// docs/dkg-export-format.md, "Size".
/// </summary>
public class DkgExportSizeTests(ITestOutputHelper output)
{
    private const int Signers = 15;
    private const int Threshold = 11;

    /// <summary>The documented size of an export: 53 per file; per row 51 (both started_at columns present) + 4 per key + the byte contents.</summary>
    private static long Documented(IReadOnlyList<DkgExportRow> rows) => 53 + rows.Sum(r =>
        51L + 4 * r.SignerSetPublicKeys.Count + r.AggregateKey.Length + r.TweakedAggregateKey.Length + r.EncryptedPrivateShares.Length
        + r.PublicShares.Length + r.ScriptPubkey.Length + r.SignerSetPublicKeys.Sum(k => k.Length) + r.StartedAtBlockHash!.Length);

    [Fact]
    public void TheEncryptedStateAndThePublicSharesHaveTheSizesDerivedFromTheSignersEncoding()
    {
        // docs/dkg-export-format.md: SignerState is 183 + 40 t bytes (+2 when the group key's y is odd), sealed with 28 more;
        // the public shares N (109 + 40 t) + 6 (N - 1) bytes, +2 for each of the N (t + 1) points with an odd y.
        for (int t = 4; t <= 14; t += 5)
        {
            var row = SyntheticDkgRows.Rows(1, Signers, t, $"size {t}")[0];
            Assert.InRange(row.EncryptedPrivateShares.Length, 28 + 183 + 40 * t, 28 + 183 + 40 * t + 2);
            var minimum = Signers * (109 + 40 * t) + 6 * (Signers - 1);
            Assert.InRange(row.PublicShares.Length, minimum, minimum + 2 * Signers * (t + 1));
            Assert.Equal(0, (row.PublicShares.Length - minimum) % 2);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public void AnExportIsTheDocumentedSizeBareAndSealed(int rowCount)
    {
        var rows = SyntheticDkgRows.Rows(rowCount, Signers, Threshold);
        var export = DkgExport.Write(rows, new DateTimeOffset(2025, 8, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(Documented(rows), export.Length);
        Assert.Equal(rowCount, DkgExport.Read(export, "synthetic").Rows.Count);

        // age, one X25519 recipient: a 168-byte header, a 16-byte nonce and a 16-byte tag per 64 KiB chunk.
        using var identity = AgeIdentity.Generate();
        var sealedExport = DkgExportFile.Seal(export, identity.Recipient, armor: false);
        Assert.Equal(export.Length + 168 + 16 + 16 * ((export.Length + 65535) / 65536), sealedExport.Length);

        var privatePart = DkgPrivatePart.Write(rows, DateTimeOffset.UnixEpoch);
        Assert.Equal(53 + rows.Sum(r => 17 + r.AggregateKey.Length + r.EncryptedPrivateShares.Length), privatePart.Length);

        output.WriteLine($"{rowCount} row(s), {Signers} signers, threshold {Threshold}: encrypted private shares {rows[0].EncryptedPrivateShares.Length} B, " +
                         $"public shares {rows[0].PublicShares.Length} B; export {export.Length} B ({DkgQrParts.PartsFor(export.Length)} codes), " +
                         $"sealed {sealedExport.Length} B ({DkgQrParts.PartsFor(sealedExport.Length)} codes), private part {privatePart.Length} B " +
                         $"({DkgQrParts.PartsFor(privatePart.Length)} codes)");
    }
}
