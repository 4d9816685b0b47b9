using System.CommandLine;
using KeyVault.IO;
using KeyVault.Ceremony;
using KeyVault.Cli.Infrastructure;
using KeyVault.Keys;
using KeyVault.KeyFile;
using KeyVault.Paper;
using KeyVault.Shares;

namespace KeyVault.Cli.Commands;

/// <summary>
/// <c>keyvault paper</c>: printable sheets for existing share files, or for an encrypted key file. Needs no passphrase:
/// everything printed besides the share words or the armored file comes from the files' public metadata.
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
        if ((shareFiles.Length > 0) == (keyFile is not null)) throw ShareCliErrors.PaperSource();
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
