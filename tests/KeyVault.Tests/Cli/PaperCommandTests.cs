using System.Text.RegularExpressions;
using KeyVault.Cli;
using KeyVault.Shares;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Cli;

/// <summary>
/// The proof that paper backups restore: sheets written by split and paper are printed to pixels with poppler, their
/// QR codes read with zbar (an independent decoder), and what zbar reads is fed back to combine, identity and reveal.
/// Skipped locally without the tools; required in CI.
/// </summary>
public class PaperCommandTests : IDisposable
{
    private readonly ShareCommandKit _kit = new();

    public void Dispose() => _kit.Dispose();


    [Fact]
    public void SplitSheetsScannedBackWithZbarRebuildTheOriginalKey()
    {
        _kit.Split("--threshold", "2", "--shares", "3", "--paper", "--custodian", "Alice", "--custodian", "Bob", "--custodian", "Carol");
        Assert.Equal(["manifest.json", "share-1.pdf", "share-1.txt", "share-2.pdf", "share-2.txt", "share-3.pdf", "share-3.txt"], _kit.OutEntries());

        var scanned = new List<string>();
        for (int i = 1; i <= 3; i++)
        {
            var pdf = Path.Combine(_kit.OutDir, $"share-{i}.pdf");
            FileModes.AssertOwnerOnly(pdf);
            var text = ScanShare(pdf);
            // The QR holds the words in upper case (QR alphanumeric mode); the share file holds them in lower case.
            Assert.Equal(ShareCommandKit.Mnemonic(_kit.Share($"share-{i}")).ToUpperInvariant(), text);
            // Written as a person would: the scanned text alone, no comments, no public key to compare with.
            scanned.Add(_kit.Write($"scanned-{i}.txt", text + "\n"));
        }

        var (rc, console) = ShareCommandKit.RevealFrom([scanned[2], scanned[0]]);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Equal(TestKeys.Key1 + "\n", console.StdoutText);
        Assert.Contains(TestKeys.Key1PublicKey, console.StderrText);

        // And piped, one scanned share per line, into a new key file whose identity is the original one.
        var piped = new TestConsole { Interactive = false }.WithStdin(ScanShare(Path.Combine(_kit.OutDir, "share-2.pdf")) + "\n" +
                                                                      File.ReadAllText(scanned[0]));
        var restored = _kit.Dir.File("restored.kvk");
        Assert.Equal(ExitCode.Success, piped.Run(["combine", "--out", restored, "--passphrase-file", _kit.PassFile, .. ShareCommandKit.WeakKdf]));
        var identity = new TestConsole { Interactive = false };
        Assert.Equal(ExitCode.Success, identity.Run("identity", "--from", restored));
        Assert.Contains(TestKeys.Key1PeerId, identity.StdoutText);
        Assert.Contains(TestKeys.Key1PublicKey, identity.StdoutText);
    }

    [Fact]
    public void GroupSheetsWithPassphraseAndPreviewsScanAndShowTheirPlace()
    {
        var slip = _kit.Write("slip39.txt", "tr0ub4dor\n");
        _kit.Split("--group", "2/2", "--group", "1/1", "--group-threshold", "2", "--paper", "--png", "--paper-size", "letter",
            "--network", "testnet", "--slip39-passphrase-file", slip);
        Assert.Equal(10, _kit.OutEntries().Length); // 3 shares x (txt, pdf, png) and manifest.json
        var text = Regex.Replace(PdfText(Path.Combine(_kit.OutDir, "share-g1-2.pdf")), @"\s+", " ");
        Assert.Contains("Group 1 of 2", text);
        Assert.Contains("Share 2 of 2", text);
        Assert.Contains(TestKeys.Key1Testnet, text);
        Assert.DoesNotContain(TestKeys.Key1Mainnet, text);
        Assert.Contains("passphrase hint", text);
        Assert.DoesNotContain("tr0ub4dor", text);
        Assert.Contains("or with a SLIP-0039 tool that supports extendable backups (SLIP-0039 as revised in 2024)", text);

        var scanned = new[] { "share-g1-1.png", "share-g1-2.pdf", "share-g2-1.pdf" }.Select((name, i) =>
        {
            var path = Path.Combine(_kit.OutDir, name);
            return _kit.Write($"scan-{i}.txt", (name.EndsWith(".png") ? DecodeQr(path) : ScanShare(path)) + "\n");
        }).ToArray();
        var (rc, console) = ShareCommandKit.RevealFrom(scanned, "--slip39-passphrase-file", slip);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Equal(TestKeys.Key1 + "\n", console.StdoutText);
    }

    [Fact]
    public void KeyFileSheetScansBackToTheArmoredFileThatIdentityAndRevealOpen()
    {
        var sheets = _kit.Dir.File("sheets");
        Directory.CreateDirectory(sheets);
        // The binary key file: the sheet carries its armored form, which must open just the same.
        var console = new TestConsole { Interactive = false };
        Assert.Equal(ExitCode.Success, console.Run("paper", "--key-file", _kit.KeyFile, "--out-dir", sheets, "--png"));
        Assert.Contains(TestKeys.Key1PublicKey, console.StdoutText);
        Assert.Empty(console.Prompts);
        var fingerprint = KeyVault.Keys.PublicKey.ParseHex(TestKeys.Key1PublicKey).Fingerprint;
        var pdf = Path.Combine(sheets, $"signer-key-{fingerprint}.pdf");
        Assert.True(File.Exists(Path.Combine(sheets, $"signer-key-{fingerprint}.png")));

        var png = Rasterize(pdf, 150);
        // -Sbinary: zbar hands over the bytes as encoded, with no character-set guess and no added newline.
        var armored = SheetTools.DecodeQrBinary(png);
        Assert.StartsWith("-----BEGIN KEYVAULT KEY FILE-----\n", armored);
        var scanned = _kit.Write("scanned.asc", armored);

        var identity = new TestConsole { Interactive = false };
        Assert.Equal(ExitCode.Success, identity.Run("identity", "--from", scanned));
        Assert.Contains(TestKeys.Key1PublicKey, identity.StdoutText);
        Assert.Contains(TestKeys.Key1Mainnet, identity.StdoutText);

        var reveal = new TestConsole { Interactive = false };
        Assert.Equal(ExitCode.Success, reveal.Run("reveal", scanned, "--out", "-", "--passphrase-file", _kit.PassFile));
        Assert.Equal(TestKeys.Key1 + "\n", reveal.StdoutText);

        var text = PdfText(pdf);
        Assert.Contains("keyvault reveal", text);
        Assert.Contains("keyvault identity", text);
        Assert.Matches(new Regex(@"Memory\s+8 KiB"), text);
        Assert.Contains(fingerprint, text);
    }

    [Fact]
    public void PaperFromShareFilesPrintsFullWordsAndTheFilesMetadata()
    {
        _kit.Split("--threshold", "2", "--shares", "3", "--custodian", "Alice", "--custodian", "Bob", "--custodian", "Carol Example");
        var share3 = ShareCommandKit.Mnemonic(_kit.Share("share-3"));
        // Hand-copied: comments kept, words as 4-letter upper-case prefixes over several lines.
        var comments = string.Concat(File.ReadAllLines(_kit.Share("share-3")).Where(l => l.StartsWith('#')).Select(l => l + "\n"));
        var prefixes = share3.Split(' ').Select(w => w[..4].ToUpperInvariant()).Chunk(7).Select(c => string.Join(' ', c) + "\n");
        var handCopied = _kit.Write("copied.txt", comments + string.Concat(prefixes));

        var sheets = _kit.Dir.File("sheets");
        Directory.CreateDirectory(sheets);
        var console = new TestConsole { Interactive = false };
        int rc = console.Run("paper", "--share-file", _kit.Share("share-1"), "--share-file", handCopied, "--out-dir", sheets, "--paper-size", "letter");
        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Empty(console.Prompts);
        Assert.Equal(["share-1.pdf", "share-3.pdf"], Directory.GetFiles(sheets).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        var pdf = Path.Combine(sheets, "share-3.pdf");
        Assert.Equal(share3.ToUpperInvariant(), ScanShare(pdf));
        var text = Regex.Replace(PdfText(pdf), @"\s+", " ");
        Assert.Contains("Share 3 of 3", text);
        Assert.Contains("Carol Example", text);
        Assert.Contains(TestKeys.Key1PublicKey, text);
        var words = share3.Split(' ');
        for (int i = 0; i < words.Length; i++)
            Assert.Matches(new Regex($@"\b{i + 1} {words[i]}\b"), text);
        var date = Regex.Match(File.ReadAllText(_kit.Share("share-3")), @"# date: (\S+)").Groups[1].Value;
        Assert.Contains(date, text);
    }

    [Fact]
    public void SplitAndPaperPrintTheOrganisationContactAndKeyLabel()
    {
        using var armored = new ShareCommandKit(armor: true);
        armored.Split("--threshold", "2", "--shares", "2", "--paper", "--org", "Example Signers", "--contact", "ops@example.org");
        var text = Regex.Replace(PdfText(Path.Combine(armored.OutDir, "share-1.pdf")), @"\s+", " ");
        Assert.Contains("Organisation Example Signers", text);
        Assert.Contains("Contact ops@example.org", text);
        Assert.Contains("Key label signer-1", text);
        Assert.Contains("Share 1 can be re-created from 2 other sheets", text);

        var sheets = armored.Dir.File("sheets");
        Directory.CreateDirectory(sheets);
        var console = new TestConsole { Interactive = false };
        Assert.Equal(ExitCode.Success, console.Run("paper", "--key-file", armored.KeyFile, "--out-dir", sheets, "--contact", "Dana Example, dana@example.org"));
        text = Regex.Replace(PdfText(Directory.GetFiles(sheets).Single()), @"\s+", " ");
        Assert.Contains("Organisation not recorded", text);
        Assert.Contains("Contact Dana Example, dana@example.org", text);
        Assert.Contains("Key label signer-1", text);

        // A contact too wide for its line stops the run before anything is written.
        var refused = _kit.Dir.File("refused");
        Directory.CreateDirectory(refused);
        console = new TestConsole { Interactive = false };
        Assert.Equal(ExitCode.BadInput, console.Run("paper", "--key-file", armored.KeyFile, "--out-dir", refused, "--contact", new string('W', 90)));
        Assert.Contains("contact", console.StderrText);
        Assert.Empty(Directory.GetFiles(refused));
    }

    [Fact]
    public void SheetsOfNonExtendableSharesPromiseAnySlip39Tool()
    {
        _kit.Split("--threshold", "2", "--shares", "2", "--no-extendable", "--paper");
        var text = Regex.Replace(PdfText(Path.Combine(_kit.OutDir, "share-1.pdf")), @"\s+", " ");
        Assert.Contains("restore the signer key with “keyvault combine”, or with any SLIP-0039 tool.", text);
        Assert.DoesNotContain("extendable", text);
    }

    [Fact]
    public void PaperTakesThePassphraseLineFromTheFileAndTheOptionOnlyForFilesThatDoNotSay()
    {
        _kit.Split("--threshold", "2", "--shares", "2", "--slip39-passphrase-file", _kit.Write("slip39.txt", "tr0ub4dor\n"));
        var withField = _kit.Share("share-1");
        Assert.Contains("# slip39-passphrase: yes\n", File.ReadAllText(withField));
        var lines = File.ReadAllLines(_kit.Share("share-2"));
        var withoutField = _kit.Write("old-2.txt", string.Join('\n', lines.Where(l => !l.StartsWith("# slip39-passphrase:"))) + "\n");
        var saysNo = _kit.Write("no-2.txt", string.Join('\n', lines.Select(l => l.Replace("# slip39-passphrase: yes", "# slip39-passphrase: no"))) + "\n");

        string Sheet(string name, string file, params string[] extra)
        {
            var dir = _kit.Dir.File(name);
            Directory.CreateDirectory(dir);
            var console = new TestConsole();
            int rc = console.Run(["paper", "--share-file", file, "--out-dir", dir, .. extra]);
            Assert.True(rc == ExitCode.Success, console.StderrText);
            return Regex.Replace(PdfText(Directory.GetFiles(dir).Single()), @"\s+", " ");
        }

        Assert.Contains("passphrase hint", Sheet("from-file", withField));
        Assert.DoesNotContain("passphrase hint", Sheet("old-plain", withoutField));
        Assert.Contains("passphrase hint", Sheet("old-flag", withoutField, "--slip39-passphrase-protected"));
        Assert.DoesNotContain("passphrase hint", Sheet("says-no", saysNo));

        var contradicted = _kit.Dir.File("contradicted");
        Directory.CreateDirectory(contradicted);
        var c = new TestConsole();
        Assert.Equal(ExitCode.BadInput, c.Run("paper", "--share-file", saysNo, "--out-dir", contradicted, "--slip39-passphrase-protected"));
        Assert.Contains("no-2.txt says its backup has no SLIP-0039 passphrase", c.StderrText);
        Assert.Contains("keyvault: hint: leave out --slip39-passphrase-protected, or, if the backup really has a passphrase, correct that line", c.StderrText);
        Assert.Empty(Directory.GetFileSystemEntries(contradicted));
    }

    [Fact]
    public void PaperRefusesFilesWithoutAPublicKeyOrAShareCountAndTwoFilesForOneName()
    {
        _kit.Split("--threshold", "2", "--shares", "2");
        var sheets = _kit.Dir.File("sheets");
        Directory.CreateDirectory(sheets);
        var bare = _kit.Write("bare.txt", ShareCommandKit.Mnemonic(_kit.Share("share-1")) + "\n");

        var noKey = new TestConsole();
        Assert.Equal(ExitCode.BadInput, noKey.Run("paper", "--share-file", _kit.Share("share-2"), "--share-file", bare, "--out-dir", sheets));
        Assert.Contains("bare.txt does not name the key it backs up", noKey.StderrText);
        Assert.Contains("hint: add the '# fingerprint:' and '# public-key:' lines", noKey.StderrText);

        var noCount = _kit.Write("nocount.txt", string.Join('\n', File.ReadAllLines(_kit.Share("share-1")).Where(l => !l.StartsWith("# share:"))) + "\n");
        var c2 = new TestConsole();
        Assert.Equal(ExitCode.BadInput, c2.Run("paper", "--share-file", noCount, "--out-dir", sheets));
        Assert.Contains("'# share: n of N'", c2.StderrText);

        var twice = new TestConsole();
        Assert.Equal(ExitCode.BadInput, twice.Run("paper", "--share-file", _kit.Share("share-1"), "--share-file", _kit.Share("share-1"), "--out-dir", sheets));
        Assert.Contains("would both be printed as share-1.pdf", twice.StderrText);
        Assert.Contains("keyvault: hint: they are the same share or shares of different backups; print them into separate --out-dir folders", twice.StderrText);
        Assert.Empty(Directory.GetFileSystemEntries(sheets));

        var neither = new TestConsole();
        Assert.Equal(ExitCode.Usage, neither.Run("paper", "--out-dir", sheets));

        File.WriteAllText(Path.Combine(sheets, "share-2.pdf"), "keep");
        var exists = new TestConsole();
        Assert.Equal(ExitCode.OutputFailure, exists.Run("paper", "--share-file", _kit.Share("share-1"), "--share-file", _kit.Share("share-2"), "--out-dir", sheets));
        Assert.Equal(["share-2.pdf"], Directory.GetFiles(sheets).Select(Path.GetFileName));
    }

    [Fact]
    public void CanonicalWordsExpandPrefixesAndStillCheckTheShare()
    {
        _kit.Split("--threshold", "2", "--shares", "2");
        var mnemonic = ShareCommandKit.Mnemonic(_kit.Share("share-1"));
        var typed = string.Join("\t", mnemonic.Split(' ').Select(w => w.Length > 5 ? w[..5].ToUpperInvariant() : w));
        Assert.Equal(mnemonic.Split(' '), Slip39.CanonicalWords(typed));
        var words = mnemonic.Split(' ');
        words[10] = words[10] == "academic" ? "acid" : "academic";
        var ex = Assert.Throws<KeyVault.Errors.KeyVaultException>(() => Slip39.CanonicalWords(string.Join(' ', words)));
        Assert.Contains("invalid checksum", ex.Message);
    }

    private string ScanShare(string pdf) => SheetTools.Scan(pdf, _kit.Dir.Path);

    private string Rasterize(string pdf, int dpi) => SheetTools.Rasterize(pdf, dpi, _kit.Dir.Path);

    private static string DecodeQr(string image) => SheetTools.DecodeQr(image);

    private static string PdfText(string pdf) => SheetTools.PdfText(pdf);
}
