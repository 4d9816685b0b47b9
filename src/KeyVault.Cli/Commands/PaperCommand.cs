using System.CommandLine;
using System.Globalization;
using System.Text;
using KeyVault.Cli.Infrastructure;
using KeyVault.IO;
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

    public PaperCommand(CliConsole console)
        : base("paper", "Render printable PDF sheets for share files or for an encrypted key file (no passphrase needed)")
    {
        Add(_shareFiles);
        Add(_keyFile);
        Add(_outDir);
        Add(_passphraseProtected);
        _sheet.AddTo(this);
        SetAction(parse => Reporter.Run(console, () => Execute(console, parse)));
    }

    private int Execute(CliConsole console, ParseResult parse)
    {
        var shareFiles = parse.GetValue(_shareFiles) ?? [];
        var keyFile = parse.GetValue(_keyFile);
        if ((shareFiles.Length > 0) == (keyFile is not null)) throw ShareCliErrors.PaperSource();
        SharedOptions.AtMostOneStdin(shareFiles);
        var outDir = parse.GetValue(_outDir)!;
        if (!Directory.Exists(outDir))
            throw new Errors.KeyVaultException(Errors.ErrorKind.OutputFailure, $"the folder {outDir} does not exist", "create it first");

        using var renderer = new SheetRenderer();
        var size = _sheet.Size(parse);
        bool png = parse.GetValue(_sheet.Png);
        var sheets = new SheetWriter(console, outDir, png);
        if (keyFile is not null)
        {
            if (parse.GetValue(_passphraseProtected)) throw ShareCliErrors.PaperPassphraseOptionWithKeyFile();
            var header = KeyFileWriting.Read(console, keyFile);
            var sheet = KeyFileSheetFor(header, _sheet.StacksNetwork(parse));
            var stem = $"key-{header.PublicKey.Fingerprint}";
            sheets.Plan(stem, keyFile);
            sheets.Precheck();
            sheets.Write(stem, () => renderer.RenderPdf(sheet, size), () => renderer.RenderPng(sheet, size, PngDpi));
            IdentityPrinter.Print(console.Out, header.PublicKey.Identity(), json: false, label: header.Label);
            return ExitCode.Success;
        }

        var files = new List<(ShareFile File, string Source, string Stem)>();
        try
        {
            foreach (var path in shareFiles)
            {
                var source = Inputs.Describe(path);
                var file = ReadShareFile(console, path, source);
                files.Add((file, source, ShareOutputs.BaseName(file.Share)));
                if (file.PublicKey is null) throw ShareCliErrors.PaperNoPublicKey(source);
                if (file.MemberCount is null) throw ShareCliErrors.PaperNoShareCount(source);
                // The file's own word is kept; a flag that contradicts it means one of the two is wrong.
                if (file.Slip39Passphrase == false && parse.GetValue(_passphraseProtected)) throw ShareCliErrors.PaperPassphraseContradicted(source);
                sheets.Plan(ShareOutputs.BaseName(file.Share), source);
            }
            sheets.Precheck();
            var options = new ShareOutputOptions(outDir, [], Paper: true, png, size, _sheet.StacksNetwork(parse), SheetOptions.Today(),
                parse.GetValue(_passphraseProtected));
            ShareSheet SheetFor(ShareFile file, IReadOnlyList<string> words) =>
                ShareOutputs.SheetFor(words, file.Share, file.MemberCount!.Value, file.PublicKey!, file.Custodian,
                    options with { Date = file.Date ?? options.Date, PassphraseProtected = file.Slip39Passphrase ?? options.PassphraseProtected });
            // Every sheet's fields and glyphs are checked before the first is written.
            foreach (var (file, _, _) in files)
                renderer.Check(SheetFor(file, Enumerable.Repeat("academic", file.Share.WordCount).ToArray()));
            foreach (var (file, _, stem) in files)
            {
                var words = Slip39.CanonicalWords(file.Mnemonic);
                try
                {
                    var sheet = SheetFor(file, words);
                    sheets.Write(stem, () => renderer.RenderPdf(sheet, size), () => renderer.RenderPng(sheet, size, PngDpi));
                }
                finally
                {
                    Array.Clear(words);
                }
            }
        }
        catch
        {
            sheets.DeleteWritten();
            throw;
        }
        finally
        {
            foreach (var (file, _, _) in files) file.Dispose();
        }
        console.Error.WriteLine($"keyvault: wrote {files.Count} share sheet{(files.Count == 1 ? "" : "s")} to {outDir}; they are secret like the share files");
        return ExitCode.Success;
    }

    private const int PngDpi = 150;

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

    private static KeyFileSheet KeyFileSheetFor(KeyFileHeader header, Keys.StacksNetwork network)
    {
        // The armored form is canonical (one fixed layout), so the lines are the same whichever form was given.
        var lines = Encoding.ASCII.GetString(header.ToArmored()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var kdf = new KdfDisplay("Argon2id", header.Kdf.MemoryKiB.ToString(CultureInfo.InvariantCulture),
            header.Kdf.Iterations.ToString(CultureInfo.InvariantCulture), header.Kdf.Parallelism.ToString(CultureInfo.InvariantCulture));
        return new KeyFileSheet(lines, header.PublicKey.Identity(), network, SheetOptions.Today(), kdf, header.Label);
    }

    /// <summary>Writes sheets all or nothing: every name is checked free first, and a failure deletes what this run wrote.</summary>
    private sealed class SheetWriter(CliConsole console, string outDir, bool png)
    {
        private readonly Dictionary<string, string> _planned = new(StringComparer.Ordinal);
        private readonly List<string> _written = [];

        public void Plan(string stem, string source)
        {
            if (_planned.TryGetValue(stem, out var first)) throw ShareCliErrors.PaperSameName(first, source, stem + ".pdf");
            _planned.Add(stem, source);
        }

        public void Precheck()
        {
            foreach (var stem in _planned.Keys)
                foreach (var path in Paths(stem))
                    AtomicFile.RequireAbsent(path, overwrite: false);
        }

        public void Write(string stem, Func<byte[]> pdf, Func<byte[]> preview)
        {
            try
            {
                var paths = Paths(stem);
                WriteWiped(paths[0], pdf());
                if (png) WriteWiped(paths[1], preview());
                console.Error.WriteLine($"keyvault: wrote {string.Join(", ", paths.Select(Path.GetFileName))}");
            }
            catch
            {
                DeleteWritten();
                throw;
            }
        }

        public void DeleteWritten()
        {
            foreach (var path in _written)
            {
                try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
            _written.Clear();
        }

        private List<string> Paths(string stem)
        {
            var paths = new List<string> { Path.Combine(outDir, stem + ".pdf") };
            if (png) paths.Add(Path.Combine(outDir, stem + ".png"));
            return paths;
        }

        private void WriteWiped(string path, byte[] content)
        {
            try
            {
                AtomicFile.Write(path, content);
                _written.Add(path);
            }
            finally
            {
                SecretBuffers.Wipe(content);
            }
        }
    }
}
