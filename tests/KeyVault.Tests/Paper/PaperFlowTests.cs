using KeyVault.Codecs;
using KeyVault.Dkg;
using KeyVault.Errors;
using KeyVault.Flows;
using KeyVault.IO;
using KeyVault.KeyFile;
using KeyVault.Keys;
using KeyVault.Paper;
using KeyVault.Shares;
using KeyVault.Sheets;
using KeyVault.Tests.Drill;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Paper;

/// <summary>
/// The paper flow as a library call, with a scripted operator and no console: share sheets, a key-file sheet and a DKG
/// export's pages into a staged file set, and bad input or a failed drawing leaving the folder as it was. The command
/// line's runs, with sheets scanned back by an independent decoder, are in Cli/PaperCommandTests.
/// </summary>
public sealed class PaperFlowTests : IDisposable
{
    private static readonly DateOnly Today = new(2026, 5, 4);
    private static readonly SheetFormat Format = new(PaperSize.A4, StacksNetwork.Mainnet, Today);
    private readonly TempDir _dir = new();
    private readonly SheetRenderer _renderer = new();

    public void Dispose()
    {
        _renderer.Dispose();
        _dir.Dispose();
    }

    private string OutDir(string name = "out") => Directory.CreateDirectory(_dir.File(name)).FullName;

    private static SecretKey Key1() => SecretKey.FromBytes(Hex.TryDecode(TestKeys.Key1)!);

    /// <summary>Share files of a 2-of-3 split of Key1, as split writes them (Alice, Bob, Carol); returns their paths.</summary>
    private string[] ShareFiles(bool? slip39Passphrase = false)
    {
        using var key = Key1();
        using var set = Slip39.Split(key, SplitLayout.Single(2, 3));
        string[] names = ["Alice", "Bob", "Carol"];
        return set.Shares.Select((share, i) =>
        {
            var path = _dir.File($"in-{i + 1}.txt");
            File.WriteAllBytes(path, ShareFile.Format(share, new ShareFileHeader(key.PublicKey, names[i], new DateOnly(2026, 1, 2), slip39Passphrase)));
            return path;
        }).ToArray();
    }

    [Fact]
    public void ShareSheetsAreWrittenUnderTheSharesNamesAndTheStaleTemporaryOfAKilledRunIsRemoved()
    {
        var shares = ShareFiles();
        var outDir = OutDir();
        File.WriteAllText(Path.Combine(outDir, ".share-3.pdf.0123456789ab.tmp"), "left by a killed run");
        var op = new ScriptedOperator { CanAsk = false };
        using var files = new FileSet(outDir, staged: true);

        var written = PaperFlow.ShareSheets(op, new ShareSheetsRequest([shares[0], shares[2]], Format with { Png = true }), files, _renderer);
        // Staged: nothing carries its name until the caller completes the set.
        Assert.DoesNotContain("share-1.pdf", Directory.GetFiles(outDir).Select(Path.GetFileName));
        Assert.True(files.Complete());

        Assert.Equal(2, written.Sheets);
        Assert.Equal(["share-1.pdf", "share-1.png", "share-3.pdf", "share-3.png"], written.Files.Select(Path.GetFileName));
        Assert.Equal(["share-1.pdf", "share-1.png", "share-3.pdf", "share-3.png"], Entries(outDir));
        foreach (var path in written.Files) FileModes.AssertOwnerOnly(path);
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(written.Files[0]), 0, 5));
        Assert.Equal(["note: removed .share-3.pdf.0123456789ab.tmp, left by an earlier run that was killed",
            "note: wrote share-1.pdf, share-1.png", "note: wrote share-3.pdf, share-3.png"], op.Transcript);
        Assert.Empty(op.Questions);
    }

    [Fact]
    public void AShareFileWithoutAPublicKeyStopsTheRunBeforeAnySheetAndItsMessageNamesNoOption()
    {
        var shares = ShareFiles();
        var bare = _dir.File("bare.txt");
        using (var file = ShareFile.Parse(File.ReadAllBytes(shares[1]), "in-2.txt"))
            File.WriteAllText(bare, file.Mnemonic + "\n");
        var outDir = OutDir();
        using var files = new FileSet(outDir, staged: true);

        var ex = Assert.Throws<KeyVaultException>(() =>
            PaperFlow.ShareSheets(new ScriptedOperator(), new ShareSheetsRequest([shares[0], bare], Format), files, _renderer));
        Assert.Equal(ErrorKind.BadInput, ex.Kind);
        Assert.Equal($"{bare} does not name the key it backs up (no '# public-key:' line), so its sheet would have no identity block", ex.Message);
        Assert.Empty(Directory.GetFileSystemEntries(outDir));
    }

    [Fact]
    public void TwoFilesOfOneShareAndAPassphraseLineTheFileDeniesCarryCodesForTheFrontEndsHint()
    {
        var shares = ShareFiles();
        var outDir = OutDir();
        using var files = new FileSet(outDir, staged: true);

        var twice = Assert.Throws<KeyVaultException>(() =>
            PaperFlow.ShareSheets(new ScriptedOperator(), new ShareSheetsRequest([shares[0], shares[0]], Format), files, _renderer));
        Assert.Equal(ErrorCodes.SheetNamesClash, twice.Code);
        Assert.Contains("would both be printed as share-1.pdf", twice.Message);

        var denied = Assert.Throws<KeyVaultException>(() =>
            PaperFlow.ShareSheets(new ScriptedOperator(), new ShareSheetsRequest([shares[0]], Format, PassphraseProtected: true), files, _renderer));
        Assert.Equal(ErrorCodes.Slip39PassphraseContradicted, denied.Code);
        Assert.StartsWith($"{shares[0]} says its backup has no SLIP-0039 passphrase", denied.Message);
        foreach (var e in new[] { twice, denied }) Assert.DoesNotContain("--", e.Message + e.Hint);
        Assert.Empty(Directory.GetFileSystemEntries(outDir));
    }

    [Fact]
    public void ADrawingThatFailsAfterTheFirstSheetLeavesNothingOnceTheSetIsDisposed()
    {
        var shares = ShareFiles();
        var outDir = OutDir();
        var failing = new FailingRenderer(_renderer, failOnRender: 2);
        using (var files = new FileSet(outDir, staged: true))
        {
            var ex = Assert.Throws<KeyVaultException>(() =>
                PaperFlow.ShareSheets(new ScriptedOperator(), new ShareSheetsRequest(shares, Format), files, failing));
            Assert.Equal(ErrorKind.OutputFailure, ex.Kind);
            // The first sheet was written (under its temporary name) before the second drawing failed.
            Assert.Single(files.Paths);
        }
        Assert.Equal(2, failing.Renders);
        Assert.Empty(Directory.GetFileSystemEntries(outDir));
    }

    [Fact]
    public void AKeyFileSheetIsNamedByTheFingerprintAndReturnsTheFilesIdentityAndLabel()
    {
        using var key = Key1();
        using var pass = Passphrase.FromFileContent("paper flow pass"u8);
        var keyFile = _dir.File("signer.kvk");
        File.WriteAllBytes(keyFile, EncryptedKeyFile.Encrypt(key, pass, new KdfParameters(8, 1, 1), "signer-1"));
        var outDir = OutDir();
        var op = new ScriptedOperator { CanAsk = false };
        using var files = new FileSet(outDir, staged: true);

        var written = PaperFlow.KeyFileSheet(op, new KeyFileSheetRequest(keyFile, Format with { Png = true }), files, _renderer);
        Assert.True(files.Complete());

        var stem = $"signer-key-{key.PublicKey.Fingerprint}";
        Assert.Equal([stem + ".pdf", stem + ".png"], written.Files.Select(Path.GetFileName));
        Assert.Equal([stem + ".pdf", stem + ".png"], Entries(outDir));
        Assert.Equal(TestKeys.Key1PublicKey, written.PublicKey.Hex66);
        Assert.Equal("signer-1", written.Label);
        Assert.Equal([$"note: wrote {stem}.pdf, {stem}.png"], op.Transcript);
        Assert.Empty(op.Questions);
    }

    [Fact]
    public void ATruncatedKeyFileWritesNoSheet()
    {
        using var key = Key1();
        using var pass = Passphrase.FromFileContent("paper flow pass"u8);
        var bytes = EncryptedKeyFile.Encrypt(key, pass, new KdfParameters(8, 1, 1));
        var keyFile = _dir.File("damaged.kvk");
        File.WriteAllBytes(keyFile, bytes[..^1]);
        var outDir = OutDir();
        using (var files = new FileSet(outDir, staged: true))
        {
            var ex = Assert.Throws<KeyVaultException>(() => PaperFlow.KeyFileSheet(new ScriptedOperator(), new KeyFileSheetRequest(keyFile, Format), files, _renderer));
            Assert.Equal(ErrorKind.DamagedFile, ex.Kind);
        }
        Assert.Empty(Directory.GetFileSystemEntries(outDir));
    }

    [Fact]
    public void ADkgExportIsPrintedWithItsSignerAndASignerNotInItsSetsWritesNothing()
    {
        var export = _dir.File("dkg.kvdkg");
        File.WriteAllBytes(export, DkgExport.Write(SyntheticDkgRows.Rows(1, 15, 11), new DateTimeOffset(2025, 8, 1, 0, 0, 0, TimeSpan.Zero)));
        var outDir = OutDir();
        using (var files = new FileSet(outDir, staged: true))
        {
            var written = PaperFlow.DkgExportSheet(new ScriptedOperator(), new DkgExportSheetRequest(export, TestKeys.Key1Mainnet, PaperSize.A4,
                StacksNetwork.Mainnet, Today), files, _renderer);
            Assert.True(files.Complete());
            Assert.Equal($"dkg-{written.Sheet.SetId.ToLowerInvariant()}.pdf", Path.GetFileName(written.File));
            Assert.Equal(DkgPaperContent.ExportFile, written.Sheet.Content);
            Assert.Equal(TestKeys.Key1PublicKey, written.Sheet.Identity?.PublicKey);
            Assert.Equal([Path.GetFileName(written.File)], Entries(outDir));
        }

        var other = OutDir("other");
        using (var files = new FileSet(other, staged: true))
        {
            var ex = Assert.Throws<KeyVaultException>(() => PaperFlow.DkgExportSheet(new ScriptedOperator(),
                new DkgExportSheetRequest(export, TestKeys.Key2PublicKey, PaperSize.A4, StacksNetwork.Mainnet, Today), files, _renderer));
            Assert.Equal(ErrorKind.IdentityMismatch, ex.Kind);
        }
        Assert.Empty(Directory.GetFileSystemEntries(other));
    }

    private static string[] Entries(string dir) =>
        Directory.GetFileSystemEntries(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    /// <summary>Draws as the real renderer does, except that its <c>failOnRender</c>-th drawing fails as a full disk or missing library would.</summary>
    private sealed class FailingRenderer(ISheetRenderer inner, int failOnRender) : ISheetRenderer
    {
        public int Renders { get; private set; }

        private T Count<T>(Func<T> render)
        {
            if (++Renders == failOnRender) throw new KeyVaultException(ErrorKind.OutputFailure, "the share sheet could not be rendered");
            return render();
        }

        public void Check(ShareSheet sheet) => inner.Check(sheet);
        public byte[] RenderPdf(ShareSheet sheet, PaperSize size) => Count(() => inner.RenderPdf(sheet, size));
        public byte[] RenderPng(ShareSheet sheet, PaperSize size, int dpi) => Count(() => inner.RenderPng(sheet, size, dpi));
        public byte[] RenderPdf(KeyFileSheet sheet, PaperSize size) => Count(() => inner.RenderPdf(sheet, size));
        public byte[] RenderPng(KeyFileSheet sheet, PaperSize size, int dpi) => Count(() => inner.RenderPng(sheet, size, dpi));
        public void Check(SealedShareSheet sheet) => inner.Check(sheet);
        public byte[] RenderPdf(SealedShareSheet sheet, PaperSize size) => Count(() => inner.RenderPdf(sheet, size));
        public byte[] RenderPng(SealedShareSheet sheet, PaperSize size, int dpi) => Count(() => inner.RenderPng(sheet, size, dpi));
    }
}
