namespace KeyVault.Sheets;

/// <summary>Draws the pages of a DKG export; implemented by the KeyVault.Paper assembly, as <see cref="ISheetRenderer"/> is.</summary>
public interface IDkgSheetRenderer
{
    /// <summary>A PDF with one page per <see cref="DkgExportSheet.PartsPerPage"/> codes.</summary>
    byte[] RenderPdf(DkgExportSheet sheet, PaperSize size);
}
