using KeyVault.IO;
using KeyVault.Interaction;
using KeyVault.KeyFile;
using KeyVault.Shares;
using KeyVault.Sheets;

namespace KeyVault.Flows;

/// <summary>
/// <c>paper</c>: printable sheets for what already exists — share files, an encrypted key file, a DKG export — written
/// into a staged <see cref="FileSet"/> that the caller completes or discards (a front end hands the set to its signal
/// handler before calling). No passphrase is asked: a share sheet prints the file's words and the public metadata its
/// comment lines carry, a key-file sheet the armored file, a DKG sheet the export as stored.
/// </summary>
public static class PaperFlow
{
    /// <summary>Role of a key-file sheet's PNG preview in a file set.</summary>
    public const string KeyFilePreviewRole = WrittenFile.KeyFileSheetRole + "-preview";

    /// <summary>Role of a DKG export's pages in a file set.</summary>
    public const string DkgExportSheetRole = "dkg-export-sheet";

    /// <summary>
    /// One sheet per share file, named as split names them (share-3.pdf, share-g2-1.pdf). Every file is read and
    /// judged, and every sheet's fields and glyphs checked, before the first sheet is written.
    /// </summary>
    public static ShareSheetsWritten ShareSheets(IOperator op, ShareSheetsRequest request, FileSet files, ISheetRenderer renderer)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(renderer);
        if (request.ShareFiles.Count == 0) throw new ArgumentException("no share files", nameof(request));
        var format = request.Format;
        var shares = new List<(ShareFile File, string Stem)>();
        try
        {
            var planned = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var path in request.ShareFiles)
            {
                var source = Inputs.Describe(path);
                var file = ReadShareFile(op, path, source);
                var stem = ShareWriter.BaseName(file.Share);
                shares.Add((file, stem));
                if (file.PublicKey is null) throw PaperError.ShareFileNoPublicKey(source);
                if (file.MemberCount is null) throw PaperError.ShareFileNoShareCount(source);
                // The file's own word is kept; a request that contradicts it means one of the two is wrong.
                if (file.Slip39Passphrase == false && request.PassphraseProtected) throw PaperError.PassphraseContradicted(source);
                if (planned.TryGetValue(stem, out var first)) throw PaperError.SameSheetName(first, source, stem + ".pdf");
                planned.Add(stem, source);
            }
            var names = planned.Keys.SelectMany(stem => Names(stem, format.Png)).ToList();
            FileSet.RemoveTemporaries(op, files.Dir, names);
            files.RequireFree(names);
            var options = new ShareOutputOptions([], Paper: true, format.Png, format.Size, format.Network, format.Date, request.PassphraseProtected,
                Origin: format.Origin);
            ShareSheet SheetFor(ShareFile file, IReadOnlyList<string> words) =>
                ShareWriter.SheetFor(words, file.Share, file.MemberCount!.Value, file.PublicKey!, file.Custodian,
                    options with { Date = file.Date ?? options.Date, PassphraseProtected = file.Slip39Passphrase ?? options.PassphraseProtected });
            // Every sheet's fields and glyphs are checked before the first is written.
            foreach (var (file, _) in shares)
                renderer.Check(SheetFor(file, SheetChecks.PlaceholderWords(file.Share.WordCount)));
            var written = new List<string>();
            foreach (var (file, stem) in shares)
            {
                var words = Slip39.CanonicalWords(file.Mnemonic);
                try
                {
                    var sheet = SheetFor(file, words);
                    written.AddRange(Write(op, files, stem, format.Png, WrittenFile.ShareSheetRole, ShareWriter.PreviewRole, file.Share.MemberNumber,
                        () => renderer.RenderPdf(sheet, format.Size), () => renderer.RenderPng(sheet, format.Size, ShareWriter.PreviewDpi)));
                }
                finally
                {
                    Array.Clear(words);
                }
            }
            return new ShareSheetsWritten(shares.Count, written);
        }
        finally
        {
            foreach (var (file, _) in shares) file.Dispose();
        }
    }

    /// <summary>The sheet of an encrypted key file (signer-key-FINGERPRINT.pdf, as the ceremony names it): its armored text as lines and a QR code, its identity and parameters.</summary>
    public static KeyFileSheetWritten KeyFileSheet(IOperator op, KeyFileSheetRequest request, FileSet files, ISheetRenderer renderer)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(renderer);
        var format = request.Format;
        var header = EncryptedKeyFile.Parse(Inputs.ReadAll(op, request.KeyFile));
        var sheet = SheetChecks.For(header, format.Network, format.Date, format.Origin);
        // The name the ceremony gives the same sheet, so one key's sheet has one name whichever command printed it.
        var stem = $"signer-key-{header.PublicKey.Fingerprint}";
        var names = Names(stem, format.Png);
        FileSet.RemoveTemporaries(op, files.Dir, names);
        files.RequireFree(names);
        var written = Write(op, files, stem, format.Png, WrittenFile.KeyFileSheetRole, KeyFilePreviewRole, null,
            () => renderer.RenderPdf(sheet, format.Size), () => renderer.RenderPng(sheet, format.Size, ShareWriter.PreviewDpi));
        return new KeyFileSheetWritten(written, header.PublicKey, header.Label);
    }

    /// <summary>
    /// The pages of a DKG export (dkg-SETID.pdf), planned by <see cref="DkgPaper.Plan"/>: the whole export when it fits,
    /// else only its private part; with the signer named, its identity, checked against the export's signer sets.
    /// </summary>
    public static DkgExportSheetWritten DkgExportSheet(IOperator op, DkgExportSheetRequest request, FileSet files, IDkgSheetRenderer renderer)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(renderer);
        var expected = request.Expected is null ? null : DrillRun.ReadExpected(op, request.Expected);
        var source = Inputs.Describe(request.ExportFile);
        var sheet = DkgPaper.Plan(Inputs.ReadAll(op, request.ExportFile), source, expected, request.Network, request.Date);
        var name = $"dkg-{sheet.SetId.ToLowerInvariant()}.pdf";
        FileSet.RemoveTemporaries(op, files.Dir, [name]);
        files.RequireFree([name]);
        var path = files.Write(name, DkgExportSheetRole, renderer.RenderPdf(sheet, request.Size));
        return new DkgExportSheetWritten(path, sheet);
    }

    private static string[] Names(string stem, bool png) => png ? [stem + ".pdf", stem + ".png"] : [stem + ".pdf"];

    private static List<string> Write(IOperator op, FileSet files, string stem, bool png, string role, string previewRole, int? share,
        Func<byte[]> pdf, Func<byte[]> preview)
    {
        var written = new List<string> { WriteWiped(files, stem + ".pdf", role, share, pdf()) };
        if (png) written.Add(WriteWiped(files, stem + ".png", previewRole, share, preview()));
        op.Note($"wrote {string.Join(", ", Names(stem, png))}");
        return written;
    }

    private static ShareFile ReadShareFile(IOperator op, string path, string source)
    {
        var bytes = Inputs.ReadAll(op, path);
        try
        {
            return ShareFile.Parse(bytes, source);
        }
        finally
        {
            SecretBuffers.Wipe(bytes);
        }
    }

    // Sheets of shares hold the words: the rendered bytes are wiped once written.
    private static string WriteWiped(FileSet files, string name, string role, int? share, byte[] content)
    {
        try
        {
            return files.Write(name, role, content, share);
        }
        finally
        {
            SecretBuffers.Wipe(content);
        }
    }
}
