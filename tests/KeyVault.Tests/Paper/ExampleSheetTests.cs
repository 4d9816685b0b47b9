using KeyVault.Paper;
using KeyVault.Sheets;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Paper;

/// <summary>
/// The example sheet in docs/ is produced here, from the first share of the official SLIP-0039 vector
/// "23. Basic sharing 2-of-3 (256 bits)" and the published development key 1, with an example organisation and
/// contact. The test checks that the committed
/// picture still scans to that share; with KEYVAULT_WRITE_EXAMPLES=1 it rewrites the picture first.
/// </summary>
public class ExampleSheetTests
{
    public const string ExamplePath = "docs/example-share-sheet.png";

    [Fact]
    public void TheDocumentedExampleSheetScansToItsShare()
    {
        var mnemonic = PaperFixtures.Shares256[0];
        var path = Path.Combine(External.RepoRoot, ExamplePath);
        if (Environment.GetEnvironmentVariable("KEYVAULT_WRITE_EXAMPLES") == "1")
        {
            using var renderer = new SheetRenderer();
            var sheet = PaperFixtures.Share(mnemonic) with
            {
                Label = "example signer (development key 1)",
                Origin = new SheetOrigin("Example Signers", "ops@example.org"),
            };
            File.WriteAllBytes(path, renderer.RenderPng(sheet, PaperSize.A4, 110));
        }
        Assert.True(File.Exists(path), $"{ExamplePath} is missing; run the paper tests with KEYVAULT_WRITE_EXAMPLES=1");
        var zbarimg = External.RequireTool("zbarimg", "zbar-tools");
        var (code, stdout, stderr) = External.Run(zbarimg, [.. SheetTools.QrOnly, path]);
        Assert.True(code == 0, stderr);
        Assert.Equal(mnemonic.ToUpperInvariant() + "\n", stdout);
    }
}
