namespace KeyVault.Sheets;

/// <summary>
/// Draws sheets. The core decides what a sheet says (<see cref="ShareSheet"/>, <see cref="KeyFileSheet"/>); the
/// KeyVault.Paper assembly draws it, so the core carries no PDF or QR library. The bytes returned are as secret as
/// the sheet: the caller wipes them.
/// </summary>
public interface ISheetRenderer
{
    /// <summary>Throws <see cref="Errors.KeyVaultException"/> exactly where rendering <paramref name="sheet"/> would, without drawing it.</summary>
    void Check(ShareSheet sheet);

    /// <summary>A one-page PDF of a share sheet.</summary>
    byte[] RenderPdf(ShareSheet sheet, PaperSize size);

    /// <summary>A PNG preview of a share sheet.</summary>
    byte[] RenderPng(ShareSheet sheet, PaperSize size, int dpi);

    /// <summary>A one-page PDF of a key-file sheet.</summary>
    byte[] RenderPdf(KeyFileSheet sheet, PaperSize size);

    /// <summary>A PNG preview of a key-file sheet.</summary>
    byte[] RenderPng(KeyFileSheet sheet, PaperSize size, int dpi);

    /// <summary>Throws <see cref="Errors.KeyVaultException"/> exactly where rendering <paramref name="sheet"/> would, without drawing it.</summary>
    void Check(SealedShareSheet sheet);

    /// <summary>
    /// The PDF of a sealed share sheet: the sealed share, then what to do if the sheet is lost or exposed; a file too
    /// large for one QR code gets two, and its text a page of its own between the two (three pages).
    /// </summary>
    byte[] RenderPdf(SealedShareSheet sheet, PaperSize size);

    /// <summary>A PNG preview of a sealed share sheet.</summary>
    byte[] RenderPng(SealedShareSheet sheet, PaperSize size, int dpi);
}
