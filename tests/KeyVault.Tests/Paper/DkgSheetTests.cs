using System.Globalization;
using KeyVault.Dkg;
using KeyVault.Drill;
using KeyVault.Errors;
using KeyVault.Keys;
using KeyVault.Paper;
using KeyVault.Sheets;
using KeyVault.Tests.Drill;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Paper;

/// <summary>
/// The pages of a DKG export (docs/dkg-export-format.md, "On paper"): planned whole or as the private part, drawn,
/// printed to pixels with poppler and read back with zbar, an independent decoder, into the same bytes.
/// </summary>
public class DkgSheetTests
{
    private static readonly DateOnly Date = new(2025, 8, 1);

    /// <summary>Every page of <paramref name="pdf"/> rasterized at <paramref name="dpi"/>, and every code zbar finds on each, one per line.</summary>
    internal static IReadOnlyList<string> ScanAllPages(string pdf, string dir, int dpi = 300)
    {
        var pdftoppm = External.RequireTool("pdftoppm", "poppler-utils");
        var zbarimg = External.RequireTool("zbarimg", "zbar-tools");
        var prefix = Path.Combine(dir, "page-" + Guid.NewGuid().ToString("n")[..8]);
        var (code, _, stderr) = External.Run(pdftoppm, "-r", dpi.ToString(CultureInfo.InvariantCulture), "-png", pdf, prefix);
        Assert.True(code == 0, $"pdftoppm failed: {stderr}");
        var lines = new List<string>();
        foreach (var page in Directory.GetFiles(dir, Path.GetFileName(prefix) + "-*.png").Order(StringComparer.Ordinal))
        {
            var (rc, stdout, err) = External.Run(zbarimg, [.. SheetTools.QrOnly, page]);
            Assert.True(rc == 0, $"zbarimg found no code on {Path.GetFileName(page)}: {err}");
            lines.AddRange(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        return lines;
    }

    [Fact]
    public void AFullPartIsAVersion25CodeAtMost()
    {
        var parts = DkgQrParts.Split(new byte[DkgQrParts.MaxPartBytes * 2], DkgPaperContent.ExportFile);
        var symbol = QrSymbol.Encode(parts[0]);
        Assert.InRange(symbol.Version, 1, 25);
    }

    [Theory]
    [InlineData(PaperSize.A4)]
    [InlineData(PaperSize.Letter)]
    public void OneRowOfFifteenSignersPrintsWholeOnFourPagesAndScansBackByteForByte(PaperSize size)
    {
        SheetTools.RequireTools();
        using var dir = new TempDir();
        var export = DkgExport.Write(SyntheticDkgRows.Rows(1, 15, 11), new DateTimeOffset(2025, 8, 1, 0, 0, 0, TimeSpan.Zero));
        var sheet = DkgPaper.Plan(export, "dkg.kvdkg", ExpectedIdentity.FromPublicKey(PublicKey.ParseHex(TestKeys.Key1PublicKey)),
            StacksNetwork.Mainnet, Date);
        Assert.Equal(DkgPaperContent.ExportFile, sheet.Content);
        Assert.False(sheet.Sealed);
        Assert.Equal(DkgExportSheet.MaxPages, sheet.Pages);
        Assert.Equal(TestKeys.Key1PublicKey, sheet.Identity!.PublicKey);

        using var renderer = new SheetRenderer();
        var pdf = dir.File("dkg.pdf");
        File.WriteAllBytes(pdf, renderer.RenderPdf(sheet, size));
        var scans = ScanAllPages(pdf, dir.Path);
        Assert.Equal(sheet.Parts.Count, scans.Count);
        var (content, payload) = DkgQrParts.Join(scans);
        Assert.Equal(DkgPaperContent.ExportFile, content);
        Assert.Equal(export, payload);

        var text = SheetTools.PdfText(pdf);
        Assert.Contains(TestKeys.Key1PublicKey, text);
        Assert.Contains(TestKeys.Key1Mainnet, text);
        Assert.Contains("Part 16 of 16", text);
        Assert.Contains($"PAGE 4 OF 4", text);
        Assert.Contains(sheet.SetId, text);
    }

    [Fact]
    public void ThreeRowsPrintOnlyThePrivatePartWhichScansBackIntoRowsADrillReads()
    {
        SheetTools.RequireTools();
        using var dir = new TempDir();
        var rows = SyntheticDkgRows.Rows(3, 15, 11);
        var export = DkgExport.Write(rows, new DateTimeOffset(2025, 8, 1, 0, 0, 0, TimeSpan.Zero));
        var sheet = DkgPaper.Plan(export, "dkg.kvdkg", null, StacksNetwork.Mainnet, Date);
        Assert.Equal(DkgPaperContent.PrivatePart, sheet.Content);
        Assert.Null(sheet.Identity);
        Assert.Equal(1, sheet.Pages);

        using var renderer = new SheetRenderer();
        var pdf = dir.File("dkg.pdf");
        File.WriteAllBytes(pdf, renderer.RenderPdf(sheet, PaperSize.A4));
        var (content, payload) = DkgQrParts.Join(ScanAllPages(pdf, dir.Path));
        Assert.Equal(DkgPaperContent.PrivatePart, content);
        var back = new DkgExportSource(payload, "scanned").ReadRows();
        Assert.Equal(rows.Select(r => r.ToShareRow()), back, (a, b) => a.AggregateKey.AsSpan().SequenceEqual(b.AggregateKey)
            && a.EncryptedPrivateShares.AsSpan().SequenceEqual(b.EncryptedPrivateShares) && a.Status == b.Status && a.CreatedAt == b.CreatedAt);

        var text = SheetTools.PdfText(pdf);
        Assert.Contains("private part", text);
        Assert.Contains("--public-from", text);
        Assert.Contains("keyvault drill --dkg-export", text);
        Assert.DoesNotContain(TestKeys.Key1PublicKey, text);
    }

    [Fact]
    public void APrivatePartSheetPrintsTheSumOfTheFileFromPaperWritesAndNamesTheExportItCameFrom()
    {
        var export = DkgExport.Write(SyntheticDkgRows.Rows(3, 15, 11), new DateTimeOffset(2025, 8, 1, 0, 0, 0, TimeSpan.Zero));
        var sheet = DkgPaper.Plan(export, "dkg.kvdkg", null, StacksNetwork.Mainnet, Date);
        Assert.Equal(DkgPaperContent.PrivatePart, sheet.Content);
        var (_, payload) = DkgQrParts.Join(sheet.Parts);
        var fromPaper = KeyVault.Codecs.Hex.Encode(System.Security.Cryptography.SHA256.HashData(payload));
        var whole = KeyVault.Codecs.Hex.Encode(System.Security.Cryptography.SHA256.HashData(export));
        Assert.NotEqual(whole, fromPaper);
        Assert.Equal(fromPaper, sheet.PayloadSha256);
        Assert.Equal(whole, sheet.FileSha256);

        using var dir = new TempDir();
        using var renderer = new SheetRenderer();
        var pdf = dir.File("dkg.pdf");
        File.WriteAllBytes(pdf, renderer.RenderPdf(sheet, PaperSize.Letter));
        var text = SheetTools.PdfText(pdf);
        Assert.Contains($"Private part (these codes): {payload.Length} bytes, SHA-256 {fromPaper}", text);
        Assert.Contains($"Taken from the export file: {export.Length} bytes, SHA-256 {whole}", text);
    }

    [Fact]
    public void ASealedExportPrintsSealedOrNotAtAll()
    {
        var export = DkgExport.Write(SyntheticDkgRows.Rows(1, 5, 3), DateTimeOffset.UnixEpoch);
        using var identity = KeyVault.Age.AgeIdentity.Generate();
        var sealedExport = DkgExportFile.Seal(export, identity.Recipient, armor: true);
        var sheet = DkgPaper.Plan(sealedExport, "dkg.kvdkg.age", null, StacksNetwork.Testnet, Date);
        Assert.True(sheet.Sealed);
        Assert.Equal(DkgPaperContent.ExportFile, sheet.Content);
        Assert.Empty(sheet.Rows);
        Assert.Equal(sealedExport, DkgQrParts.Join(sheet.Parts).Payload);

        var big = DkgExportFile.Seal(DkgExport.Write(SyntheticDkgRows.Rows(3, 15, 11), DateTimeOffset.UnixEpoch), identity.Recipient, armor: false);
        var ex = Assert.Throws<KeyVaultException>(() => DkgPaper.Plan(big, "big.age", null, StacksNetwork.Mainnet, Date));
        Assert.Equal(ErrorKind.BadInput, ex.Kind);
        Assert.Contains("does not fit on paper: it is sealed", ex.Message);
    }

    [Fact]
    public void TheSignerNamedMustBeInASignerSetAndAnAddressFindsItsKey()
    {
        var export = DkgExport.Write(SyntheticDkgRows.Rows(1, 5, 3), DateTimeOffset.UnixEpoch);
        var byAddress = DkgPaper.Plan(export, "dkg.kvdkg", ExpectedIdentity.ParseValue(TestKeys.Key1Testnet), StacksNetwork.Testnet, Date);
        Assert.Equal(TestKeys.Key1PublicKey, byAddress.Identity!.PublicKey);

        var stranger = ExpectedIdentity.FromPublicKey(PublicKey.ParseHex(TestKeys.Key2PublicKey));
        var ex = Assert.Throws<KeyVaultException>(() => DkgPaper.Plan(export, "dkg.kvdkg", stranger, StacksNetwork.Mainnet, Date));
        Assert.Equal(ErrorKind.IdentityMismatch, ex.Kind);
        Assert.Contains("is in no signer set of dkg.kvdkg", ex.Message);
    }

    [Fact]
    public void ADamagedExportIsNotPrinted()
    {
        var export = DkgExport.Write(SyntheticDkgRows.Rows(1, 5, 3), DateTimeOffset.UnixEpoch);
        export[export.Length / 2] ^= 0x10;
        Assert.Equal(ErrorKind.DamagedFile, Assert.Throws<KeyVaultException>(() => DkgPaper.Plan(export, "dkg.kvdkg", null, StacksNetwork.Mainnet, Date)).Kind);
        Assert.Equal(ErrorKind.DamagedFile,
            Assert.Throws<KeyVaultException>(() => DkgPaper.Plan("not an export\n"u8.ToArray(), "notes.txt", null, StacksNetwork.Mainnet, Date)).Kind);
    }
}
