using System.Text;
using KeyVault.Age;
using KeyVault.Errors;
using KeyVault.Keys;
using KeyVault.Paper;
using KeyVault.Sheets;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Paper;

/// <summary>What the sealed share sheet accepts, and that its QR code holds exactly the armored file.</summary>
public sealed class SealedSheetRendererTests : IDisposable
{
    private readonly SheetRenderer _renderer = new();
    private readonly TempDir _dir = new();

    public void Dispose()
    {
        _renderer.Dispose();
        _dir.Dispose();
    }

    private static (SealedShareSheet Sheet, byte[] Armored) Sheet(int plaintextBytes, string name = "Alice")
    {
        using var id = AgeIdentity.Generate();
        var armored = AgeEncryptor.Encrypt(new byte[plaintextBytes], [id.Recipient], armor: true);
        var sheet = new SealedShareSheet
        {
            ArmoredLines = SealedShareSheet.Lines(armored), Custodian = name, Recipient = id.Recipient.Text,
            ShareNumber = 1, ShareCount = 3, Threshold = 2, Identifier = 4242,
            Identity = PublicKey.ParseHex(TestKeys.Key1PublicKey).Identity(), Date = new DateOnly(2026, 1, 2),
        };
        return (sheet, armored);
    }

    [Theory]
    [InlineData(PaperSize.A4)]
    [InlineData(PaperSize.Letter)]
    public void The_qr_code_holds_exactly_the_armored_file(PaperSize size)
    {
        // 700 bytes of plaintext: more than any sealed share file holds (the longest, with groups and a 60-character name, is about 680).
        var (sheet, armored) = Sheet(700, new string('W', 60));
        _renderer.Check(sheet);
        var pdf = _dir.File($"sealed-{size}.pdf");
        File.WriteAllBytes(pdf, _renderer.RenderPdf(sheet, size));
        Assert.Equal(Encoding.ASCII.GetString(armored), SheetTools.DecodeQrBinary(SheetTools.Rasterize(pdf, 150, _dir.Path)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_second_page_says_whom_to_tell_if_the_sheet_is_lost_or_exposed(bool recorded)
    {
        var (sheet, _) = Sheet(600);
        if (recorded) sheet = sheet with { Origin = new SheetOrigin("Example Signers", "ops@example.org", "keyvault-0.1.0-linux-x64", new string('a', 64)) };
        var pdf = _dir.File($"sealed-{recorded}.pdf");
        File.WriteAllBytes(pdf, _renderer.RenderPdf(sheet, PaperSize.Letter));
        var text = SheetTools.PdfText(pdf);
        var pages = text.Split('\f');
        Assert.DoesNotContain("LOST OR EXPOSED", pages[0]);
        // Wrapped lines joined: pdftotext keeps the sheet's line breaks.
        var second = System.Text.RegularExpressions.Regex.Replace(pages[1], @"\s+", " ");
        Assert.Contains("PAGE 2 OF 2", second);
        Assert.Contains("Alice", second);
        Assert.Contains("IF THIS SHEET IS LOST OR EXPOSED", second);
        Assert.Contains("only your private key opens it", second);
        Assert.Contains("Share 1 can be re-created from 2 other shares", second);
        if (recorded)
        {
            Assert.Contains("Example Signers", second);
            Assert.Contains("ops@example.org", second);
            Assert.Contains("made by keyvault-0.1.0-linux-x64", second);
        }
        else
        {
            Assert.Contains("not recorded", second);
            Assert.Contains("development build", second);
        }
    }

    [Fact]
    public void Text_that_is_not_one_armored_age_file_of_sheet_size_is_refused()
    {
        var (sheet, _) = Sheet(600);
        var lines = sheet.ArmoredLines.ToList();
        Assert.Equal(ErrorKind.BadInput, Assert.Throws<KeyVaultException>(() => _renderer.Check(sheet with { ArmoredLines = lines[1..] })).Kind);
        Assert.Equal(ErrorKind.BadInput, Assert.Throws<KeyVaultException>(() =>
            _renderer.Check(sheet with { ArmoredLines = [lines[0], lines[1] + "A", .. lines[2..]] })).Kind);
        // A file too long for the sheet: more lines than it lays out.
        var (tooLong, _) = Sheet(1400);
        Assert.Contains("lines", Assert.Throws<KeyVaultException>(() => _renderer.Check(tooLong)).Message);
        Assert.Equal(ErrorKind.BadInput, Assert.Throws<KeyVaultException>(() => _renderer.Check(sheet with { Custodian = "" })).Kind);
        Assert.Equal(ErrorKind.BadInput, Assert.Throws<KeyVaultException>(() => _renderer.Check(sheet with { ShareNumber = 17 })).Kind);
    }
}
