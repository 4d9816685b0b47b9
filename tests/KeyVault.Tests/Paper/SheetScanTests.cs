using System.Text.RegularExpressions;
using KeyVault.Paper;
using KeyVault.Sheets;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Paper;

/// <summary>
/// The proof that a sheet works: print it to pixels with poppler, read the QR back with zbar (an independent
/// decoder), and extract the text a person would type. Skipped locally without the tools; required in CI.
/// </summary>
public class SheetScanTests
{

    public static TheoryData<PaperSize, int> SizesAndResolutions => new()
    {
        { PaperSize.A4, 150 }, { PaperSize.A4, 300 }, { PaperSize.Letter, 150 }, { PaperSize.Letter, 300 },
    };

    [Theory]
    [MemberData(nameof(SizesAndResolutions))]
    public void ShareSheetQrDecodesToTheUpperCaseMnemonic(PaperSize size, int dpi)
    {
        using var dir = new TempDir();
        using var renderer = new SheetRenderer();
        foreach (var (mnemonic, i) in PaperFixtures.Shares256.Select((m, i) => (m, i)))
        {
            var pdf = dir.File($"share{i}.pdf");
            File.WriteAllBytes(pdf, renderer.RenderPdf(PaperFixtures.Share(mnemonic), size));
            Assert.Equal(mnemonic.ToUpperInvariant(), DecodeQr(Rasterize(pdf, dpi, dir)));
        }
    }

    [Theory]
    [MemberData(nameof(SizesAndResolutions))]
    public void KeyFileSheetQrDecodesToTheExactArmoredText(PaperSize size, int dpi)
    {
        using var dir = new TempDir();
        using var renderer = new SheetRenderer();
        var pdf = dir.File("key.pdf");
        File.WriteAllBytes(pdf, renderer.RenderPdf(PaperFixtures.KeyFile(), size));
        // -Sbinary: zbar hands over the bytes as encoded, with no character-set guess and no added newline.
        Assert.Equal(string.Join('\n', PaperFixtures.ArmoredLines()) + "\n", SheetTools.DecodeQrBinary(Rasterize(pdf, dpi, dir)));
    }

    [Fact]
    public void PngPreviewScansToo()
    {
        using var dir = new TempDir();
        using var renderer = new SheetRenderer();
        var mnemonic = PaperFixtures.Shares128[1];
        var png = dir.File("share.png");
        File.WriteAllBytes(png, renderer.RenderPng(PaperFixtures.Share(mnemonic), PaperSize.Letter, 150));
        Assert.Equal(mnemonic.ToUpperInvariant(), DecodeQr(png));
    }

    [Theory]
    [InlineData(PaperSize.A4)]
    [InlineData(PaperSize.Letter)]
    public void ShareSheetTextHasEveryWordTheIdentityAndTheThreshold(PaperSize size)
    {
        using var dir = new TempDir();
        using var renderer = new SheetRenderer();
        var mnemonic = PaperFixtures.Shares256[1];
        var sheet = PaperFixtures.Share(mnemonic);
        var text = ExtractText(renderer.RenderPdf(sheet, size), dir);

        var words = mnemonic.Split(' ');
        for (var i = 0; i < words.Length; i++)
            Assert.Matches(new Regex($@"\b{i + 1}\s+{words[i]}\b"), text);
        var id = PaperFixtures.Identity;
        Assert.Contains(id.Fingerprint, text);
        Assert.Contains(id.PublicKey, text);
        Assert.Contains(id.MainnetAddress, text);
        Assert.DoesNotContain(id.TestnetAddress, text);
        Assert.Contains("Share 2 of 3", text);
        Assert.Contains("any 2 of the 3 shares restore the key", text);
        Assert.Contains($"Backup ID {sheet.Identifier}", Regex.Replace(text, @"\s+", " "));
        Assert.Contains("Alice Example", text);
        Assert.Contains("2025-06-01", text);
        Assert.Contains("keyvault combine", text);
        Assert.Contains("KeyVault " + SheetRenderer.ToolVersion, text);
        Assert.DoesNotContain("passphrase hint", text);
        // The QR text is on the sheet only as the QR: no upper-case copy of the mnemonic in the text layer.
        Assert.DoesNotContain(mnemonic.ToUpperInvariant(), text);
    }

    [Fact]
    public void GroupShareWithPassphraseShowsGroupInfoAndAHintLineButNoPassphrase()
    {
        using var dir = new TempDir();
        using var renderer = new SheetRenderer();
        var mnemonic = PaperFixtures.VectorMnemonics("36.")[0];
        var sheet = PaperFixtures.Share(mnemonic, number: 1, count: 5, threshold: 3) with
        {
            Group = new ShareGroup(2, 4, 2),
            PassphraseProtected = true,
            Custodian = null,
        };
        var pdf = dir.File("group.pdf");
        File.WriteAllBytes(pdf, renderer.RenderPdf(sheet, PaperSize.Letter));
        var text = Regex.Replace(ExtractText(File.ReadAllBytes(pdf), dir), @"\s+", " ");
        Assert.Contains("Group 2 of 4", text);
        Assert.Contains("Share 1 of 5", text);
        Assert.Contains("any 3 of the 5 shares of group 2 restore the group", text);
        Assert.Contains("any 2 of the 4 groups restore the key", text);
        Assert.Contains("passphrase hint (never the passphrase itself)", text);
        Assert.DoesNotContain("Custodian", text);
        Assert.Equal(mnemonic.ToUpperInvariant(), DecodeQr(Rasterize(pdf, 150, dir)));
    }

    [Fact]
    public void KeyFileSheetTextHasEveryArmoredLineTheIdentityAndTheKdf()
    {
        using var dir = new TempDir();
        using var renderer = new SheetRenderer();
        var text = ExtractText(renderer.RenderPdf(PaperFixtures.KeyFile(), PaperSize.A4), dir);
        foreach (var line in PaperFixtures.ArmoredLines()) Assert.Contains(line, text);
        var id = PaperFixtures.Identity;
        Assert.Contains(id.Fingerprint, text);
        Assert.Contains(id.PublicKey, text);
        Assert.Contains(id.TestnetAddress, text);
        Assert.Matches(new Regex(@"Argon2id"), text);
        Assert.Matches(new Regex(@"262144 KiB"), text);
        Assert.Matches(new Regex(@"Iterations\s+3"), text);
        Assert.Matches(new Regex(@"Parallelism\s+4"), text);
        Assert.Contains("Passphrase hint (never the passphrase itself)", text);
        Assert.Contains("signer-1", text);
    }

    public static TheoryData<PaperSize, bool> SizesWithAndWithoutOrigin => new()
    {
        { PaperSize.A4, true }, { PaperSize.A4, false }, { PaperSize.Letter, true }, { PaperSize.Letter, false },
    };

    private static readonly string Hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    [Theory]
    [MemberData(nameof(SizesWithAndWithoutOrigin))]
    public void AShareSheetSaysWhomToTellAndWhatToDoIfItIsLostOrExposed(PaperSize size, bool withOrigin)
    {
        using var dir = new TempDir();
        using var renderer = new SheetRenderer();
        var mnemonic = PaperFixtures.Shares256[1];
        var sheet = PaperFixtures.Share(mnemonic) with
        {
            Label = withOrigin ? "sBTC signer mainnet 2026" : null,
            Origin = withOrigin ? new SheetOrigin("Example Signers", "ops@example.org", "keyvault-0.1.0-linux-x64", Hash) : null,
        };
        var pdf = dir.File("share.pdf");
        File.WriteAllBytes(pdf, renderer.RenderPdf(sheet, size));
        var text = Regex.Replace(SheetTools.PdfText(pdf), @"\s+", " ");

        Assert.Contains("IF THIS SHEET IS LOST OR EXPOSED", text);
        Assert.Contains("If lost Tell the contact. Share 2 can be re-created from 2 other sheets of this backup (“keyvault share reissue”); the other sheets stay valid. See docs/custodians.md, “A lost sheet”.", text);
        Assert.Contains("If exposed Tell the contact at once: this sheet and 1 other rebuild the key. The backup must be replaced by a new split", text);
        Assert.Contains("“A compromised sheet”", text);
        Assert.Contains("docs/release.md", text);
        if (withOrigin)
        {
            Assert.Contains("Organisation Example Signers", text);
            Assert.Contains("Contact ops@example.org", text);
            Assert.Contains("Key label sBTC signer mainnet 2026", text);
            Assert.Contains($"Made by keyvault-0.1.0-linux-x64, KeyVault {SheetRenderer.ToolVersion} (SHA-256 at the foot of the page)", text);
            Assert.Contains($"made by keyvault-0.1.0-linux-x64 · SHA-256 {Hash}", text);
            Assert.DoesNotContain("not recorded", text);
        }
        else
        {
            Assert.Contains("Organisation not recorded", text);
            Assert.Contains("Contact not recorded", text);
            Assert.Contains("Key label not recorded", text);
            Assert.Contains($"Made by a development build of KeyVault {SheetRenderer.ToolVersion}: restore with a KeyVault release", text);
            Assert.Contains("made by a development build: no executable hash", text);
        }
        // The block does not push the words off the page or into each other.
        var words = mnemonic.Split(' ');
        for (var i = 0; i < words.Length; i++) Assert.Matches(new Regex($@"\b{i + 1} {words[i]}\b"), text);
        Assert.Equal(mnemonic.ToUpperInvariant(), DecodeQr(Rasterize(pdf, 150, dir)));
    }

    [Theory]
    [MemberData(nameof(SizesWithAndWithoutOrigin))]
    public void AKeyFileSheetSaysWhomToTellAndWhatToDoIfItIsLostOrExposed(PaperSize size, bool withOrigin)
    {
        using var dir = new TempDir();
        using var renderer = new SheetRenderer();
        var sheet = PaperFixtures.KeyFile() with
        {
            Label = withOrigin ? "signer-1" : null,
            Origin = withOrigin ? new SheetOrigin("Example Signers", "ops@example.org", "keyvault", Hash) : null,
        };
        var pdf = dir.File("key.pdf");
        File.WriteAllBytes(pdf, renderer.RenderPdf(sheet, size));
        var text = Regex.Replace(SheetTools.PdfText(pdf), @"\s+", " ");

        Assert.Contains("IF THIS SHEET IS LOST OR EXPOSED", text);
        Assert.Contains("If lost Useless without its passphrase, but tell the contact", text);
        Assert.Contains("If exposed Tell the contact. The key's safety now rests on the passphrase alone", text);
        Assert.Contains("if the passphrase may be known too, the signer key must be rotated", text);
        Assert.Contains(withOrigin ? "Organisation Example Signers" : "Organisation not recorded", text);
        Assert.Contains(withOrigin ? "Contact ops@example.org" : "Contact not recorded", text);
        Assert.Contains(withOrigin ? "Key label signer-1" : "Key label not recorded", text);
        Assert.Contains(withOrigin ? $"SHA-256 {Hash}" : "no executable hash", text);
        foreach (var line in PaperFixtures.ArmoredLines()) Assert.Contains(line, text);
        Assert.Equal(string.Join('\n', PaperFixtures.ArmoredLines()) + "\n", SheetTools.DecodeQrBinary(Rasterize(pdf, 150, dir)));
    }

    [Fact]
    public void FontsAreEmbeddedAndTheMetadataHoldsNoWord()
    {
        using var dir = new TempDir();
        using var renderer = new SheetRenderer();
        var mnemonic = PaperFixtures.Shares256[0];
        var pdf = dir.File("share.pdf");
        File.WriteAllBytes(pdf, renderer.RenderPdf(PaperFixtures.Share(mnemonic), PaperSize.A4));

        var (code, fonts, _) = External.Run(External.RequireTool("pdffonts", "poppler-utils"), pdf);
        Assert.Equal(0, code);
        var rows = fonts.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2).ToList();
        Assert.Equal(4, rows.Count);
        // Columns: name type encoding emb sub uni ...; every font must be embedded.
        Assert.All(rows, r => Assert.Contains(" yes ", r));

        var (_, info, _) = External.Run(External.RequireTool("pdfinfo", "poppler-utils"), pdf);
        Assert.Contains("KeyVault share 3 of 3", info);
        foreach (var word in mnemonic.Split(' ')) Assert.DoesNotContain(word, info, StringComparison.OrdinalIgnoreCase);
    }

    private static string Rasterize(string pdf, int dpi, TempDir dir) => SheetTools.Rasterize(pdf, dpi, dir.Path);

    private static string DecodeQr(string image) => SheetTools.DecodeQr(image);

    private static string ExtractText(byte[] pdfBytes, TempDir dir)
    {
        var pdf = dir.File("text-" + Guid.NewGuid().ToString("n") + ".pdf");
        File.WriteAllBytes(pdf, pdfBytes);
        return SheetTools.PdfText(pdf);
    }
}
