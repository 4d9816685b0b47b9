using System.CommandLine;
using KeyVault.Cli.Infrastructure;
using KeyVault.Errors;
using KeyVault.Flows;
using KeyVault.IO;
using KeyVault.Keys;
using KeyVault.Paper;
using KeyVault.Sheets;

namespace KeyVault.Cli.Commands;

/// <summary>
/// <c>keyvault paper</c>: printable sheets for existing share files, for an encrypted key file, or for a DKG export.
/// Needs no passphrase: everything printed besides the share words or the armored file comes from the files' public
/// metadata, and a DKG export is printed as stored (its private shares are encrypted under the signer key).
/// </summary>
internal sealed class PaperCommand : Command
{
    private readonly Option<string[]> _shareFiles = new("--share-file")
    {
        Description = "A share file written by split (repeat for each; it must name the key with '# public-key:')",
        HelpName = "FILE",
    };
    private readonly Option<string?> _keyFile = new("--key-file")
    {
        Description = "An encrypted key file (binary or armored; - for standard input): its sheet holds the armored text and a QR code",
        HelpName = "FILE",
    };
    private readonly Option<string?> _dkgExport = new("--dkg-export")
    {
        Description = "A DKG export (dkg export --out; bare or sealed): printed as numbered QR codes, four a page, or only its private part when the whole does not fit on 4 pages",
        HelpName = "FILE",
    };
    private readonly Option<string?> _expect = new("--expect")
    {
        Description = "With --dkg-export: the signer it belongs to, printed as its identity and checked against the export's signer sets " +
                      "(public key, Stacks address, identity file or signer config, as for drill --expect)",
        HelpName = "KEY|ADDRESS|FILE",
    };
    private readonly Option<string> _outDir = new("--out-dir") { Description = "Existing folder for the sheets (each created new, mode 0600)", HelpName = "DIR", Required = true };
    private readonly Option<bool> _passphraseProtected = new("--slip39-passphrase-protected")
    {
        Description = "The shares were made with a SLIP-0039 passphrase: the sheets say so and leave a line for a hint. " +
                      "Only for share files without a '# slip39-passphrase:' line; files that have one are printed as they say",
    };
    private readonly SheetOptions _sheet = new();
    private readonly ManifestCliOptions _origin = new("printed on the sheets");

    public PaperCommand(CliConsole console)
        : base("paper", "Render printable PDF sheets for share files or for an encrypted key file (no passphrase needed)")
    {
        Add(_shareFiles);
        Add(_keyFile);
        Add(_dkgExport);
        Add(_expect);
        Add(_outDir);
        Add(_passphraseProtected);
        _sheet.AddTo(this);
        _origin.AddTo(this);
        SetAction(parse => Reporter.Run(console, () => Execute(console, parse)));
    }

    private int Execute(CliConsole console, ParseResult parse)
    {
        var shareFiles = parse.GetValue(_shareFiles) ?? [];
        var keyFile = parse.GetValue(_keyFile);
        var dkgExport = parse.GetValue(_dkgExport);
        if ((shareFiles.Length > 0 ? 1 : 0) + (keyFile is null ? 0 : 1) + (dkgExport is null ? 0 : 1) != 1) throw ShareCliErrors.PaperSource();
        if (parse.GetValue(_expect) is not null && dkgExport is null)
            throw new KeyVaultException(ErrorKind.Usage, "--expect names the signer of a --dkg-export", "leave out --expect, or add --dkg-export FILE");
        if (dkgExport is not null && (parse.GetValue(_passphraseProtected) || parse.GetValue(_sheet.Png)
                                      || parse.GetValue(_origin.Org) is not null || parse.GetValue(_origin.Contact) is not null))
            throw new KeyVaultException(ErrorKind.Usage, "--slip39-passphrase-protected, --png, --org and --contact are not for DKG export sheets",
                "leave them out; the export prints as one PDF of one or more pages, without the custodian block of share sheets");
        if (keyFile is not null && parse.GetValue(_passphraseProtected)) throw ShareCliErrors.PaperPassphraseOptionWithKeyFile();
        SharedOptions.AtMostOneStdin(shareFiles);
        var outDir = parse.GetValue(_outDir)!;
        using var files = new FileSet(outDir, staged: true);
        using var interrupts = Interrupts.DiscardOnSignal(console, files);
        using var renderer = new SheetRenderer();
        var network = _sheet.StacksNetwork(parse);
        if (dkgExport is not null) return PrintDkgExport(console, parse, dkgExport, files, renderer, network);

        var format = new SheetFormat(_sheet.Size(parse), network, SheetOptions.Today(), parse.GetValue(_sheet.Png), _origin.SheetOrigin(parse));
        if (keyFile is not null)
        {
            var sheet = PaperFlow.KeyFileSheet(console, new KeyFileSheetRequest(keyFile, format), files, renderer);
            if (!files.Complete()) throw FileSet.Interrupted();
            IdentityText.Print(console.Out, sheet.PublicKey.Identity(), json: false, label: sheet.Label);
            return ExitCode.Success;
        }

        var written = PaperFlow.ShareSheets(console, new ShareSheetsRequest(shareFiles, format, parse.GetValue(_passphraseProtected)), files, renderer);
        if (!files.Complete()) throw FileSet.Interrupted();
        console.Error.WriteLine($"keyvault: wrote {written.Sheets} share sheet{(written.Sheets == 1 ? "" : "s")} to {outDir}; they are secret like the share files");
        return ExitCode.Success;
    }

    private int PrintDkgExport(CliConsole console, ParseResult parse, string path, FileSet files, SheetRenderer renderer, StacksNetwork network)
    {
        var expectText = parse.GetValue(_expect);
        SharedOptions.AtMostOneStdin([path, expectText]);
        var written = PaperFlow.DkgExportSheet(console, new DkgExportSheetRequest(path, expectText, _sheet.Size(parse), network, SheetOptions.Today()),
            files, renderer);
        if (!files.Complete()) throw FileSet.Interrupted();
        var sheet = written.Sheet;
        var name = Path.GetFileName(written.File);
        var what = sheet.Sealed ? "the sealed export" : sheet.Content == DkgPaperContent.PrivatePart ? "the private part" : "the whole export";
        console.Error.WriteLine($"keyvault: wrote {name}: {what} ({sheet.PayloadBytes} bytes) in {sheet.Parts.Count} QR code{(sheet.Parts.Count == 1 ? "" : "s")} " +
                                $"on {sheet.Pages} page{(sheet.Pages == 1 ? "" : "s")}, set {sheet.SetId}");
        if (sheet.Content == DkgPaperContent.PrivatePart)
            console.Error.WriteLine($"keyvault: the whole export ({sheet.FileBytes} bytes) needs more than {DkgExportSheet.MaxPages} pages; " +
                                    "the sheet says where the public columns are recovered from. Keep the export file too");
        if (sheet.Identity is null)
            console.Error.WriteLine("keyvault: the sheet names no signer key; add --expect to print the signer's identity on it");
        return ExitCode.Success;
    }
}
