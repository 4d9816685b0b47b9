using System.CommandLine;
using KeyVault.IO;
using KeyVault.Ceremony;
using KeyVault.Cli.Infrastructure;
using KeyVault.Drill;
using KeyVault.Errors;
using KeyVault.Keys;
using KeyVault.KeyFile;
using KeyVault.Paper;
using KeyVault.Shares;

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
        var size = _sheet.Size(parse);
        var origin = _origin.SheetOrigin(parse);
        bool png = parse.GetValue(_sheet.Png);
        string[] Names(string stem) => png ? [stem + ".pdf", stem + ".png"] : [stem + ".pdf"];
        void Write(string stem, string role, int? share, Func<byte[]> pdf, Func<byte[]> preview)
        {
            WriteWiped(files, stem + ".pdf", role, share, pdf());
            if (png) WriteWiped(files, stem + ".png", role + "-preview", share, preview());
            console.Error.WriteLine($"keyvault: wrote {string.Join(", ", Names(stem))}");
        }

        if (dkgExport is not null) return PrintDkgExport(console, parse, dkgExport, outDir, files, renderer, size);

        if (keyFile is not null)
        {
            var header = KeyFileWriting.Read(console, keyFile);
            var sheet = SheetChecks.For(header, _sheet.StacksNetwork(parse), SheetOptions.Today(), origin);
            var stem = $"key-{header.PublicKey.Fingerprint}";
            RemoveStale(console, outDir, Names(stem));
            files.RequireFree(Names(stem));
            Write(stem, TranscriptFile.KeyFileSheetRole, null, () => renderer.RenderPdf(sheet, size), () => renderer.RenderPng(sheet, size, ShareWriter.PreviewDpi));
            if (!files.Complete()) throw FileSet.Interrupted();
            IdentityText.Print(console.Out, header.PublicKey.Identity(), json: false, label: header.Label);
            return ExitCode.Success;
        }

        var shares = new List<(ShareFile File, string Source, string Stem)>();
        try
        {
            var planned = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var path in shareFiles)
            {
                var source = Inputs.Describe(path);
                var file = ReadShareFile(console, path, source);
                var stem = ShareWriter.BaseName(file.Share);
                shares.Add((file, source, stem));
                if (file.PublicKey is null) throw ShareCliErrors.PaperNoPublicKey(source);
                if (file.MemberCount is null) throw ShareCliErrors.PaperNoShareCount(source);
                // The file's own word is kept; a flag that contradicts it means one of the two is wrong.
                if (file.Slip39Passphrase == false && parse.GetValue(_passphraseProtected)) throw ShareCliErrors.PaperPassphraseContradicted(source);
                if (planned.TryGetValue(stem, out var first)) throw ShareCliErrors.PaperSameName(first, source, stem + ".pdf");
                planned.Add(stem, source);
            }
            RemoveStale(console, outDir, planned.Keys.SelectMany(Names));
            files.RequireFree(planned.Keys.SelectMany(Names));
            var options = new ShareOutputOptions([], Paper: true, Png: png, size, _sheet.StacksNetwork(parse), SheetOptions.Today(),
                parse.GetValue(_passphraseProtected), Origin: origin);
            ShareSheet SheetFor(ShareFile file, IReadOnlyList<string> words) =>
                ShareWriter.SheetFor(words, file.Share, file.MemberCount!.Value, file.PublicKey!, file.Custodian,
                    options with { Date = file.Date ?? options.Date, PassphraseProtected = file.Slip39Passphrase ?? options.PassphraseProtected });
            // Every sheet's fields and glyphs are checked before the first is written.
            foreach (var (file, _, _) in shares)
                renderer.Check(SheetFor(file, SheetChecks.PlaceholderWords(file.Share.WordCount)));
            foreach (var (file, _, stem) in shares)
            {
                var words = Slip39.CanonicalWords(file.Mnemonic);
                try
                {
                    var sheet = SheetFor(file, words);
                    Write(stem, TranscriptFile.ShareSheetRole, file.Share.MemberNumber,
                        () => renderer.RenderPdf(sheet, size), () => renderer.RenderPng(sheet, size, ShareWriter.PreviewDpi));
                }
                finally
                {
                    Array.Clear(words);
                }
            }
            if (!files.Complete()) throw FileSet.Interrupted();
        }
        finally
        {
            foreach (var (file, _, _) in shares) file.Dispose();
        }
        console.Error.WriteLine($"keyvault: wrote {shares.Count} share sheet{(shares.Count == 1 ? "" : "s")} to {outDir}; they are secret like the share files");
        return ExitCode.Success;
    }

    private int PrintDkgExport(CliConsole console, ParseResult parse, string path, string outDir, FileSet files, SheetRenderer renderer, PaperSize size)
    {
        var expectText = parse.GetValue(_expect);
        SharedOptions.AtMostOneStdin([path, expectText]);
        var expected = expectText is null ? null : DrillRun.ReadExpected(console, expectText);
        var source = Inputs.Describe(path);
        var sheet = DkgPaper.Plan(Inputs.ReadAll(console, path), source, expected, _sheet.StacksNetwork(parse), SheetOptions.Today());
        var name = $"dkg-{sheet.SetId.ToLowerInvariant()}.pdf";
        RemoveStale(console, outDir, [name]);
        files.RequireFree([name]);
        files.Write(name, "dkg-export-sheet", renderer.RenderPdf(sheet, size));
        if (!files.Complete()) throw FileSet.Interrupted();
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

    private static ShareFile ReadShareFile(CliConsole console, string path, string source)
    {
        var bytes = Inputs.ReadAll(console, path);
        try
        {
            return ShareFile.Parse(bytes, source);
        }
        finally
        {
            SecretBuffers.Wipe(bytes);
        }
    }

    // A run killed by SIGKILL leaves its sheets under hidden temporary names; the next run removes them.
    private static void RemoveStale(CliConsole console, string outDir, IEnumerable<string> names)
    {
        foreach (var t in FileSet.RemoveTemporaries(outDir, names))
            console.Error.WriteLine($"keyvault: removed {t}, left by an earlier run that was killed");
    }

    private static void WriteWiped(FileSet files, string name, string role, int? share, byte[] content)
    {
        try
        {
            files.Write(name, role, content, share);
        }
        finally
        {
            SecretBuffers.Wipe(content);
        }
    }
}
