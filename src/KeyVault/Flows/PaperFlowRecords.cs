using KeyVault.Keys;
using KeyVault.Sheets;

namespace KeyVault.Flows;

/// <summary>How sheets are printed: the same for share sheets and key-file sheets.</summary>
/// <param name="Size">Paper size.</param>
/// <param name="Network">Which Stacks address the sheets print.</param>
/// <param name="Date">The date printed where a file does not carry its own.</param>
/// <param name="Png">Also write a PNG preview of each sheet.</param>
/// <param name="Origin">The organisation, contact and executable the sheets print, or null for none.</param>
public sealed record SheetFormat(PaperSize Size, StacksNetwork Network, DateOnly Date, bool Png = false, SheetOrigin? Origin = null);

/// <summary>Sheets for existing share files, as a front end asks for them.</summary>
/// <param name="ShareFiles">Share files (paths, or "-" for standard input once), each naming its key with a public-key line.</param>
/// <param name="Format">How the sheets are printed.</param>
/// <param name="PassphraseProtected">
/// The shares were made with a SLIP-0039 passphrase: sheets of files that do not say so themselves get the hint line.
/// A file that says it has no passphrase, while this is set, is refused.
/// </param>
public sealed record ShareSheetsRequest(IReadOnlyList<string> ShareFiles, SheetFormat Format, bool PassphraseProtected = false);

/// <summary>The sheet of an encrypted key file, as a front end asks for it.</summary>
/// <param name="KeyFile">The key file (binary or armored; a path, or "-" for standard input).</param>
/// <param name="Format">How the sheet is printed.</param>
public sealed record KeyFileSheetRequest(string KeyFile, SheetFormat Format);

/// <summary>The pages of a DKG export, as a front end asks for them.</summary>
/// <param name="ExportFile">The export (bare or sealed; a path, or "-" for standard input).</param>
/// <param name="Expected">The signer it belongs to (public key, Stacks address, identity file or signer config), or null.</param>
/// <param name="Size">Paper size.</param>
/// <param name="Network">Which Stacks address the pages print.</param>
/// <param name="Date">The date printed.</param>
public sealed record DkgExportSheetRequest(string ExportFile, string? Expected, PaperSize Size, StacksNetwork Network, DateOnly Date);

/// <summary>What a run of share sheets wrote.</summary>
/// <param name="Sheets">How many share sheets were printed.</param>
/// <param name="Files">The paths written (PDFs, and previews when asked for), in order.</param>
public sealed record ShareSheetsWritten(int Sheets, IReadOnlyList<string> Files);

/// <summary>What a key-file sheet run wrote.</summary>
/// <param name="Files">The PDF, and the preview when asked for.</param>
/// <param name="PublicKey">The key the file holds.</param>
/// <param name="Label">The key file's label, or null.</param>
public sealed record KeyFileSheetWritten(IReadOnlyList<string> Files, PublicKey PublicKey, string? Label);

/// <summary>What a DKG export sheet run wrote.</summary>
/// <param name="File">The PDF written.</param>
/// <param name="Sheet">What its pages say: the content printed, its size, the codes and pages, whether the signer is named.</param>
public sealed record DkgExportSheetWritten(string File, DkgExportSheet Sheet);
