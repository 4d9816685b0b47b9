using System.Globalization;

namespace KeyVault.Tests.Support;

/// <summary>
/// The independent tools that prove a sheet works: poppler renders and reads the PDF, zbar decodes the QR code.
/// Missing tools skip the test locally and fail it in CI (see <see cref="External"/>).
/// </summary>
public static class SheetTools
{
    private static string Pdftoppm => External.RequireTool("pdftoppm", "poppler-utils");
    private static string Pdftotext => External.RequireTool("pdftotext", "poppler-utils");
    private static string Zbarimg => External.RequireTool("zbarimg", "zbar-tools");

    /// <summary>
    /// Skips (fails in CI) now when a tool is missing. A test that scans inside a callback the code under test calls
    /// must ask first: there the skip would be caught by the command's own error handling and reported as a failure.
    /// </summary>
    public static void RequireTools()
    {
        _ = Pdftoppm;
        _ = Zbarimg;
    }

    /// <summary>Renders the first page of <paramref name="pdf"/> to a PNG at <paramref name="dpi"/> in <paramref name="outDir"/>.</summary>
    public static string Rasterize(string pdf, int dpi, string outDir)
    {
        var prefix = Path.Combine(outDir, $"{Path.GetFileNameWithoutExtension(pdf)}-{dpi}-{Guid.NewGuid().ToString("n")[..8]}");
        var (code, _, stderr) = External.Run(Pdftoppm, "-r", dpi.ToString(CultureInfo.InvariantCulture), "-png", "-singlefile", pdf, prefix);
        Assert.True(code == 0, $"pdftoppm failed: {stderr}");
        return prefix + ".png";
    }

    /// <summary>
    /// zbarimg reading QR codes only: with every symbology on, text on a sheet is now and then read as a linear barcode
    /// and its digits printed as one more line (docs/paper.md, "Scanning").
    /// </summary>
    public static readonly string[] QrOnly = ["--raw", "-q", "-Sdisable", "-Sqrcode.enable"];

    /// <summary>The text of the one QR code in <paramref name="image"/>, without the newline zbar adds in text mode.</summary>
    public static string DecodeQr(string image)
    {
        var (code, stdout, stderr) = External.Run(Zbarimg, [.. QrOnly, image]);
        Assert.True(code == 0, $"zbarimg found no code in {Path.GetFileName(image)}: {stderr}");
        // --raw ends the symbol's data with one newline of its own.
        Assert.EndsWith("\n", stdout);
        return stdout[..^1];
    }

    /// <summary>The QR code's bytes exactly as encoded (-Sbinary: no character-set guess, no added newline).</summary>
    public static string DecodeQrBinary(string image)
    {
        var (code, stdout, stderr) = External.Run(Zbarimg, [.. QrOnly, "-Sbinary", image]);
        Assert.True(code == 0, $"zbarimg found no code in {Path.GetFileName(image)}: {stderr}");
        return stdout;
    }

    /// <summary>Renders a sheet at <paramref name="dpi"/> and decodes its QR code as text.</summary>
    public static string Scan(string pdf, string workDir, int dpi = 150) => DecodeQr(Rasterize(pdf, dpi, workDir));

    /// <summary>The PDF's text layer, laid out as on the page.</summary>
    public static string PdfText(string pdf)
    {
        var (code, stdout, stderr) = External.Run(Pdftotext, "-layout", pdf, "-");
        Assert.True(code == 0, $"pdftotext failed: {stderr}");
        return stdout;
    }
}
