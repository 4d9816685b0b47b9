using KeyVault.Sheets;

namespace KeyVault.Flows;

/// <summary>Sealed sheets to print beside the sealed files: who draws them, and on what paper.</summary>
/// <param name="Renderer">Draws the sheets.</param>
/// <param name="Size">The paper.</param>
/// <param name="Origin">Whom the custodian tells if the sheet is lost or exposed, and which executable made it; null records none.</param>
public sealed record SealedSheets(ISheetRenderer Renderer, PaperSize Size, SheetOrigin? Origin = null);
