using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
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
        // A file too long for the sheet: more lines than its text page lays out.
        var tooMany = Enumerable.Repeat("AAAA", SealedShareLayout.MaxSplitLines - 1).Prepend(lines[0]).Append(lines[^1]).ToList();
        Assert.Contains($"at most {SealedShareLayout.MaxSplitLines}", Assert.Throws<KeyVaultException>(() => _renderer.Check(sheet with { ArmoredLines = tooMany })).Message);
        Assert.Equal(ErrorKind.BadInput, Assert.Throws<KeyVaultException>(() => _renderer.Check(sheet with { Custodian = "" })).Kind);
        Assert.Equal(ErrorKind.BadInput, Assert.Throws<KeyVaultException>(() => _renderer.Check(sheet with { ShareNumber = 17 })).Kind);
    }

    // An age1pq1… recipient is Bech32 of 1,216 bytes: 1,959 characters. Its value does not matter to the sheet.
    private static readonly string PqRecipient =
        "age1pq1" + new string(Enumerable.Range(0, 1952).Select(i => "qpzry9x8gf2tvdw0s3jn54khce6mua7l"[i * 7 % 32]).ToArray());

    /// <summary>
    /// Valid age armor around <paramref name="binaryBytes"/> random bytes: the size of a share sealed to one
    /// ML-KEM-768 + X25519 recipient (about 2,230 to 2,330 bytes) without needing that recipient type.
    /// </summary>
    private static byte[] Armor(int binaryBytes)
    {
        var b64 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(binaryBytes));
        var text = new StringBuilder("-----BEGIN AGE ENCRYPTED FILE-----\n");
        for (var i = 0; i < b64.Length; i += 64) text.Append(b64, i, Math.Min(64, b64.Length - i)).Append('\n');
        text.Append("-----END AGE ENCRYPTED FILE-----\n");
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    // The largest sheet: a 60-character name, three groups, the origin recorded, a post-quantum recipient.
    private static SealedShareSheet Largest(byte[] armored) => new()
    {
        ArmoredLines = SealedShareSheet.Lines(armored), Custodian = new string('W', 60), Recipient = PqRecipient,
        ShareNumber = 2, ShareCount = 5, Threshold = 3, Identifier = 4242, Group = new ShareGroup(3, 3, 2),
        Identity = PublicKey.ParseHex(TestKeys.Key1PublicKey).Identity(), Date = new DateOnly(2026, 1, 2),
        Origin = new SheetOrigin("Example Signers", "ops@example.org", "keyvault-0.1.0-linux-x64", new string('a', 64)),
    };

    /// <summary>The largest binary age file a sheet takes: its armored form is cut into two halves of at most 1,663 bytes.</summary>
    private const int LargestBinary = 2403;

    public static TheoryData<PaperSize, int> LargeFiles => new()
    {
        { PaperSize.A4, 2330 }, { PaperSize.Letter, 2330 }, { PaperSize.A4, LargestBinary }, { PaperSize.Letter, LargestBinary },
    };

    [Theory]
    [MemberData(nameof(LargeFiles))]
    public void A_file_too_large_for_one_code_is_rebuilt_by_the_printed_command_from_two_codes_in_either_order(PaperSize size, int binaryBytes)
    {
        SheetTools.RequireTools();
        var armored = Armor(binaryBytes);
        var expected = Encoding.ASCII.GetString(armored);
        var sheet = Largest(armored);
        _renderer.Check(sheet);
        Assert.Equal(3, _renderer.Pages(sheet));
        var pdf = _dir.File($"large-{size}-{binaryBytes}.pdf");
        File.WriteAllBytes(pdf, _renderer.RenderPdf(sheet, size));
        var page = SheetTools.Rasterize(pdf, 150, _dir.Path);
        File.Move(page, _dir.File("page.png"), overwrite: true);

        // The command exactly as the sheet and docs/paper.md print it, on the scan of page 1.
        File.Delete(_dir.File("share.age"));
        var (code, _, stderr) = External.Run("sh", "-c", $"cd '{_dir.Path}' && {string.Join("\n", SealedShareLayout.JoinCommand)}");
        Assert.True(code == 0, stderr);
        Assert.Equal(expected, File.ReadAllText(_dir.File("share.age"), Encoding.ASCII));

        // zbarimg's order is not fixed: both orders of the two codes' output give the same file.
        var (zcode, scans, zerr) = External.Run("zbarimg", [.. SheetTools.QrOnly, _dir.File("page.png")]);
        Assert.True(zcode == 0, zerr);
        var codes = scans.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(c => c.TrimEnd('\n') + "\n").ToList();
        Assert.Equal(2, codes.Count);
        Assert.All(codes, c => Assert.True(c.Length <= QrSymbol.MaxBytesAtQ, $"a code of {c.Length} bytes"));
        Assert.Single(codes, c => c.StartsWith("-----BEGIN AGE ENCRYPTED FILE-----\n", StringComparison.Ordinal));
        Assert.Single(codes, c => c.EndsWith("-----END AGE ENCRYPTED FILE-----\n", StringComparison.Ordinal));
        var join = string.Join("\n", SealedShareLayout.JoinCommand.Skip(1));
        foreach (var order in new[] { codes, [codes[1], codes[0]] })
        {
            File.Delete(_dir.File("share.age"));
            var (jcode, _, jerr) = External.RunWithInput("sh", string.Join("\n", order) + "\n", "-c", $"cd '{_dir.Path}' && {join}");
            Assert.True(jcode == 0, jerr);
            Assert.Equal(expected, File.ReadAllText(_dir.File("share.age"), Encoding.ASCII));
        }
    }

    [Fact]
    public void A_two_code_sheet_has_three_pages_each_naming_its_custodian_and_backup_and_the_text_on_the_second()
    {
        var armored = Armor(2330);
        var sheet = Largest(armored) with { Custodian = "Alice Example" };
        var pdf = _dir.File("three.pdf");
        File.WriteAllBytes(pdf, _renderer.RenderPdf(sheet, PaperSize.A4));
        var pages = SheetTools.PdfText(pdf).Split('\f', StringSplitOptions.RemoveEmptyEntries).Where(t => t.Trim().Length > 0).ToList();
        Assert.Equal(3, pages.Count);
        for (var i = 0; i < 3; i++)
        {
            var text = Regex.Replace(pages[i], @"\s+", " ");
            Assert.Contains("Sealed share 2 of 5 · group 3 of 3", text);
            Assert.Contains("For Alice Example", text);
            Assert.Contains("Backup ID 4242", text);
            Assert.Contains($"page {i + 1} of 3", text);
        }
        Assert.Contains("zbarimg --raw -q -Sdisable -Sqrcode.enable page.png |", pages[0]);
        Assert.Contains("Code 1 of 2: armored lines 1", pages[0]);
        Assert.Contains("version 40, error correction level Q", pages[0]);
        foreach (var line in sheet.ArmoredLines) Assert.Contains(line, pages[1]);
        Assert.DoesNotContain(sheet.ArmoredLines[2], pages[0]);
        Assert.Contains("PAGE 3 OF 3", pages[2]);
        Assert.Contains("IF THIS SHEET IS LOST OR EXPOSED", pages[2]);
    }

    [Fact]
    public void A_file_sealed_to_one_x25519_recipient_keeps_one_level_q_code_and_two_pages()
    {
        // 680 bytes: the longest share file, with groups and a 60-character name.
        var (sheet, armored) = Sheet(680, new string('W', 60));
        using var fonts = SheetFonts.Load();
        var layout = new SealedShareLayout(sheet, fonts);
        Assert.False(layout.IsSplit);
        Assert.Equal(2, layout.Pages);
        Assert.Equal(Encoding.ASCII.GetString(armored), Assert.Single(layout.Payloads));
        var qr = QrSymbol.Encode(layout.Payloads[0]);
        Assert.Equal(QrSymbol.Ecc, qr.Level);
        Assert.InRange(qr.Version, 32, 35);
        var pdf = _dir.File("x25519.pdf");
        File.WriteAllBytes(pdf, _renderer.RenderPdf(sheet, PaperSize.Letter));
        var pages = SheetTools.PdfText(pdf).Split('\f', StringSplitOptions.RemoveEmptyEntries).Where(t => t.Trim().Length > 0).ToList();
        Assert.Equal(2, pages.Count);
        Assert.Contains("page 1 of 2", pages[0]);
        Assert.Contains(sheet.ArmoredLines[2], pages[0]);
        Assert.DoesNotContain("awk", pages[0]);
    }

    [Theory]
    // 22 lines, 1,368 bytes: a p256tag-sized file keeps one code (version 37, 0.53 mm modules on Letter).
    [InlineData(960, 1, 37)]
    // 24 lines, 1,498 bytes: still one code (version 38, 0.48 mm).
    [InlineData(1056, 1, 38)]
    // 26 lines, 1,628 bytes: one code would be version 40 at 0.42 mm beside its text; two codes are larger.
    [InlineData(1152, 2, 0)]
    // 27 lines: the text no longer fits beside one code.
    [InlineData(1200, 2, 0)]
    public void A_file_takes_two_codes_only_when_one_would_not_fit_or_would_be_finer_than_0_45_mm(int binaryBytes, int codes, int version)
    {
        var sheet = Largest(Armor(binaryBytes)) with { Recipient = "age1tag1example" };
        using var fonts = SheetFonts.Load();
        var layout = new SealedShareLayout(sheet, fonts);
        Assert.Equal(codes, layout.Payloads.Count);
        Assert.Equal(codes + 1, layout.Pages);
        if (codes == 1) Assert.Equal(version, QrSymbol.Encode(layout.Payloads[0]).Version);
        var expected = string.Join('\n', sheet.ArmoredLines) + "\n";
        Assert.Equal(expected, string.Concat(layout.Payloads));
        SheetTools.RequireTools();
        foreach (var size in Enum.GetValues<PaperSize>())
        {
            var pdf = _dir.File($"sized-{binaryBytes}-{size}.pdf");
            File.WriteAllBytes(pdf, _renderer.RenderPdf(sheet, size));
            File.Move(SheetTools.Rasterize(pdf, 150, _dir.Path), _dir.File("page.png"), overwrite: true);
            File.Delete(_dir.File("share.age"));
            // docs/paper.md gives the one command for every sealed sheet, of one code or two.
            var (code, _, stderr) = External.Run("sh", "-c", $"cd '{_dir.Path}' && {string.Join("\n", SealedShareLayout.JoinCommand)}");
            Assert.True(code == 0, stderr);
            Assert.Equal(expected, File.ReadAllText(_dir.File("share.age"), Encoding.ASCII));
        }
    }

    [Fact]
    public void The_join_command_the_sheet_prints_is_the_one_docs_paper_md_gives()
    {
        var page = File.ReadAllText(External.RepoFile("docs/paper.md")).ReplaceLineEndings("\n");
        var command = string.Join("\n", SealedShareLayout.JoinCommand);
        // Once in the section that states it, once in the example that runs it.
        Assert.Equal(2, Regex.Matches(page, Regex.Escape(command)).Count);
    }

    [Fact]
    public void A_file_larger_than_two_codes_is_refused_naming_the_limit()
    {
        var sheet = Largest(Armor(LargestBinary + 1));
        var e = Assert.Throws<KeyVaultException>(() => _renderer.Check(sheet));
        Assert.Equal(ErrorKind.BadInput, e.Kind);
        Assert.Contains("3,327 bytes", e.Message);
        Assert.Contains("two QR codes of 1,663 bytes each", e.Message);
        // The largest accepted is right below it.
        _renderer.Check(Largest(Armor(LargestBinary)));
    }

    [Fact]
    public void A_long_recipient_is_printed_shortened_with_its_length_and_hash_and_kept_whole_in_the_model()
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(PqRecipient)))[..16];
        var shortened = $"{PqRecipient[..12]}\u2026{PqRecipient[^24..]} (1,959 characters; SHA-256 {hash})";
        Assert.Equal(1959, PqRecipient.Length);
        Assert.Equal(shortened, SealedShareLayout.PrintedRecipient(PqRecipient));
        var ssh = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGb1hD6ZL2E5mQ8y1b3kYw1n0Wq7Yy1Q2c9b1r4s5t6u " + new string('c', 200);
        Assert.Equal(ssh, SealedShareLayout.PrintedRecipient(ssh));

        var (small, _) = Sheet(600);
        var sheet = small with { Recipient = PqRecipient };
        Assert.Equal(PqRecipient, sheet.Recipient);
        var pdf = _dir.File("pq.pdf");
        File.WriteAllBytes(pdf, _renderer.RenderPdf(sheet, PaperSize.Letter));
        var text = SheetTools.PdfText(pdf);
        Assert.Contains(shortened, text);
        Assert.DoesNotContain(PqRecipient[..40], text);

        Assert.Equal(ErrorKind.BadInput, Assert.Throws<KeyVaultException>(() => _renderer.Check(sheet with { Recipient = PqRecipient + new string('q', 200) })).Kind);
        Assert.Equal(ErrorKind.BadInput, Assert.Throws<KeyVaultException>(() => _renderer.Check(sheet with { Recipient = "age1abc def" })).Kind);
        Assert.Equal(ErrorKind.BadInput, Assert.Throws<KeyVaultException>(() => _renderer.Check(sheet with { Recipient = "age1abc\u00e9" })).Kind);
        _renderer.Check(sheet with { Recipient = ssh });
    }
}
