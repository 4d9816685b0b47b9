using KeyVault.Age;
using KeyVault.Cli;
using KeyVault.Codecs;
using KeyVault.Dkg;
using KeyVault.IO;
using KeyVault.KeyFile;
using KeyVault.Keys;
using KeyVault.Tests.Drill;
using KeyVault.Tests.Paper;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Cli;

/// <summary>
/// paper --dkg-export and dkg from-paper: an export printed, its pages printed to pixels with poppler, the codes read
/// with zbar, put back together into the same bytes and proven by a drill; bad input writes nothing.
/// </summary>
public sealed class DkgPaperCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Export(int rows, string name = "dkg.kvdkg")
    {
        var path = _dir.File(name);
        File.WriteAllBytes(path, DkgExport.Write(SyntheticDkgRows.Rows(rows, 15, 11), new DateTimeOffset(2025, 8, 1, 0, 0, 0, TimeSpan.Zero)));
        return path;
    }

    private string OutDir()
    {
        var dir = _dir.File("sheets-" + Guid.NewGuid().ToString("n")[..6]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    private int Drill(params string[] source)
    {
        using var key = SecretKey.FromBytes(Hex.TryDecode(TestKeys.Key1)!);
        using var pass = Passphrase.FromFileContent("paper pass"u8);
        var keyFile = _dir.File("signer.kvk");
        if (!File.Exists(keyFile)) File.WriteAllBytes(keyFile, EncryptedKeyFile.Encrypt(key, pass, new KdfParameters(8, 1, 1)));
        File.WriteAllText(_dir.File("pass.txt"), "paper pass");
        var console = new TestConsole();
        var code = console.Run(["drill", "--expect", TestKeys.Key1PublicKey, "--key-file", keyFile, "--passphrase-file", _dir.File("pass.txt"), .. source]);
        Assert.True(code == ExitCode.Success, console.StderrText);
        return code;
    }

    /// <summary>Prints <paramref name="export"/>, scans every page and runs dkg from-paper; returns the file it wrote.</summary>
    private string PrintScanAndRebuild(string export, params string[] extra)
    {
        var outDir = OutDir();
        var console = new TestConsole();
        var code = console.Run(["paper", "--dkg-export", export, "--out-dir", outDir, .. extra]);
        Assert.True(code == ExitCode.Success, console.StderrText);
        var pdf = Assert.Single(Directory.GetFiles(outDir));
        Assert.Matches(@"dkg-[0-9a-f]{8}\.pdf$", pdf);
        FileModes.AssertOwnerOnly(pdf);
        var scans = _dir.File("scans-" + Path.GetFileNameWithoutExtension(pdf) + ".txt");
        File.WriteAllLines(scans, DkgSheetTests.ScanAllPages(pdf, _dir.Path));
        var back = _dir.File("back-" + Path.GetFileName(pdf) + ".bin");
        var rebuild = new TestConsole();
        var rc = rebuild.Run("dkg", "from-paper", "--scans", scans, "--out", back);
        Assert.True(rc == ExitCode.Success, rebuild.StderrText);
        FileModes.AssertOwnerOnly(back);
        return back;
    }

    [Fact]
    public void AWholeExportPrintedAndScannedIsTheSameFileAndTheDrillPassesOnIt()
    {
        SheetTools.RequireTools();
        var export = Export(1);
        var back = PrintScanAndRebuild(export, "--expect", TestKeys.Key1Mainnet);
        Assert.Equal(File.ReadAllBytes(export), File.ReadAllBytes(back));
        Drill("--dkg-export", back);
    }

    [Fact]
    public void ThreeRowsPrintTheirPrivatePartWhichTheDrillAccepts()
    {
        SheetTools.RequireTools();
        var export = Export(3);
        var console = new TestConsole();
        var outDir = OutDir();
        Assert.Equal(ExitCode.Success, console.Run("paper", "--dkg-export", export, "--out-dir", outDir));
        Assert.Contains("the private part", console.StderrText);
        Assert.Contains("names no signer key", console.StderrText);
        var back = PrintScanAndRebuild(export);
        Assert.True(File.ReadAllBytes(back).AsSpan().StartsWith(DkgPrivatePart.Magic));
        Drill("--dkg-export", back);
    }

    [Fact]
    public void ASealedExportIsPrintedSealedAndOpensWithTheColdStorageKey()
    {
        SheetTools.RequireTools();
        using var identity = AgeIdentity.Generate();
        var sealedPath = _dir.File("dkg.kvdkg.age");
        File.WriteAllBytes(sealedPath, DkgExportFile.Seal(DkgExport.Write(SyntheticDkgRows.Rows(1, 5, 3), DateTimeOffset.UnixEpoch), identity.Recipient, armor: false));
        var idFile = _dir.File("cold.key");
        var secret = identity.ExportSecretKey();
        File.WriteAllBytes(idFile, [.. secret, (byte)'\n']);
        SecretBuffers.Wipe(secret);
        var back = PrintScanAndRebuild(sealedPath, "--expect", TestKeys.Key1PublicKey);
        Assert.Equal(File.ReadAllBytes(sealedPath), File.ReadAllBytes(back));
        Drill("--dkg-export", back, "--dkg-export-identity", idFile);
    }

    [Theory]
    [InlineData("not-an-export", ExitCode.DamagedFile)]
    [InlineData("flipped-bit", ExitCode.DamagedFile)]
    [InlineData("stranger", ExitCode.IdentityMismatch)]
    [InlineData("too-big-sealed", ExitCode.BadInput)]
    public void BadInputGetsItsExitCodeAndWritesNothing(string kind, int expected)
    {
        var path = Export(1);
        string[] extra = [];
        switch (kind)
        {
            case "not-an-export":
                File.WriteAllText(path, "[signer]\nprivate_key = \"…\"\n");
                break;
            case "flipped-bit":
                var bytes = File.ReadAllBytes(path);
                bytes[bytes.Length / 3] ^= 0x01;
                File.WriteAllBytes(path, bytes);
                break;
            case "stranger":
                extra = ["--expect", TestKeys.Key2PublicKey];
                break;
            case "too-big-sealed":
                using (var id = AgeIdentity.Generate())
                    File.WriteAllBytes(path, DkgExportFile.Seal(DkgExport.Write(SyntheticDkgRows.Rows(2, 15, 11), DateTimeOffset.UnixEpoch), id.Recipient, armor: false));
                break;
        }
        var outDir = OutDir();
        var console = new TestConsole();
        Assert.Equal(expected, console.Run(["paper", "--dkg-export", path, "--out-dir", outDir, .. extra]));
        Assert.StartsWith("keyvault: error: ", console.StderrText);
        Assert.Empty(Directory.GetFileSystemEntries(outDir));
    }

    [Fact]
    public void OptionsThatDoNotBelongAreRefused()
    {
        var export = Export(1);
        var outDir = OutDir();
        Assert.Equal(ExitCode.Usage, new TestConsole().Run("paper", "--dkg-export", export, "--key-file", export, "--out-dir", outDir));
        Assert.Equal(ExitCode.Usage, new TestConsole().Run("paper", "--dkg-export", export, "--png", "--out-dir", outDir));
        // DKG sheets carry no custodian block: an organisation or contact would be silently left off.
        Assert.Equal(ExitCode.Usage, new TestConsole().Run("paper", "--dkg-export", export, "--org", "Example Signers", "--out-dir", outDir));
        Assert.Equal(ExitCode.Usage, new TestConsole().Run("paper", "--dkg-export", export, "--contact", "ops@example.org", "--out-dir", outDir));
        Assert.Equal(ExitCode.Usage, new TestConsole().Run("paper", "--key-file", export, "--expect", TestKeys.Key1PublicKey, "--out-dir", outDir));
        Assert.Empty(Directory.GetFileSystemEntries(outDir));
    }

    [Fact]
    public void FromPaperRefusesMissingPartsAndWritesNothing()
    {
        var payload = File.ReadAllBytes(Export(1));
        var parts = KeyVault.Sheets.DkgQrParts.Split(payload, KeyVault.Sheets.DkgPaperContent.ExportFile);
        var scans = _dir.File("partial.txt");
        File.WriteAllLines(scans, parts.Take(parts.Count - 1));
        var console = new TestConsole();
        var out1 = _dir.File("partial.kvdkg");
        Assert.Equal(ExitCode.BadInput, console.Run("dkg", "from-paper", "--scans", scans, "--out", out1));
        Assert.Contains($"part {parts.Count} of {parts.Count} is missing", console.StderrText);
        Assert.False(File.Exists(out1));
    }
}
