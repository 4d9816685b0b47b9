using KeyVault.Errors;
using KeyVault.IO;
using KeyVault.Keys;
using KeyVault.Paper;
using KeyVault.Shares;

namespace KeyVault.Cli.Infrastructure;

/// <summary>How the shares of a split are written.</summary>
/// <param name="OutDir">Folder for the files (must exist).</param>
/// <param name="Custodians">Custodian names by share position (0-based over all shares), or empty.</param>
/// <param name="Paper">Also write one PDF sheet per share.</param>
/// <param name="Png">Also write a PNG preview per share.</param>
/// <param name="PaperSize">Sheet size.</param>
/// <param name="Network">Which Stacks address the sheets print.</param>
/// <param name="Date">The date printed on files and sheets.</param>
/// <param name="PassphraseProtected">Whether a SLIP-0039 passphrase was used (the sheet then has a hint line, and the share file says so).</param>
internal sealed record ShareOutputOptions(
    string OutDir, IReadOnlyList<string> Custodians, bool Paper, bool Png, PaperSize PaperSize,
    StacksNetwork Network, DateOnly Date, bool PassphraseProtected);

/// <summary>The files written for one share.</summary>
/// <param name="Share">The share's public metadata.</param>
/// <param name="MemberCount">Shares issued in its group.</param>
/// <param name="Custodian">Who holds it, if named.</param>
/// <param name="TextFile">The share text file.</param>
/// <param name="PdfFile">Its PDF sheet, if written.</param>
/// <param name="PngFile">Its PNG preview, if written.</param>
internal sealed record ShareOutput(ShareInfo Share, int MemberCount, string? Custodian, string TextFile, string? PdfFile, string? PngFile)
{
    /// <summary>Every file written for this share.</summary>
    public IEnumerable<string> Files => new[] { TextFile, PdfFile, PngFile }.OfType<string>();
}

/// <summary>
/// Writes share files and their sheets, all or nothing: every target name is checked free before the first file is
/// written, and if any write fails, the files already written by this run are deleted again, so no partial set of
/// shares is left behind. Used by <c>split</c>, <c>paper</c> and <c>ceremony</c>.
/// </summary>
internal static class ShareOutputs
{
    /// <summary>The base file name of a share (without extension): share-3, or share-g2-3 when there are groups.</summary>
    public static string BaseName(ShareInfo share) =>
        share.HasGroups ? $"share-g{share.GroupNumber}-{share.MemberNumber}" : $"share-{share.MemberNumber}";

    /// <summary>Checks that the folder exists and no file this run would write is there already.</summary>
    public static void Precheck(ShareOutputOptions options, IEnumerable<ShareInfo> shares)
    {
        if (!Directory.Exists(options.OutDir))
            throw new KeyVaultException(ErrorKind.OutputFailure, $"the folder {options.OutDir} does not exist", "create it first (on an encrypted or removable device)");
        foreach (var share in shares)
            foreach (var path in PathsFor(options, share))
                AtomicFile.RequireAbsent(path, overwrite: false);
    }

    /// <summary>Writes every share of <paramref name="set"/>; returns what was written.</summary>
    public static IReadOnlyList<ShareOutput> WriteAll(CliConsole console, ShareSet set, PublicKey publicKey, ShareOutputOptions options,
        SheetRenderer? renderer)
    {
        Precheck(options, set.Shares.Select(s => s.Info));
        var written = new List<ShareOutput>();
        try
        {
            for (int i = 0; i < set.Shares.Count; i++)
            {
                var custodian = i < options.Custodians.Count ? options.Custodians[i] : null;
                written.Add(WriteOne(console, set.Shares[i], publicKey, custodian, options, renderer));
            }
            return written;
        }
        catch
        {
            foreach (var file in written.SelectMany(w => w.Files)) TryDelete(file);
            throw;
        }
    }

    /// <summary>Writes one share's text file and, as asked, its sheet and preview.</summary>
    public static ShareOutput WriteOne(CliConsole console, MnemonicShare share, PublicKey publicKey, string? custodian,
        ShareOutputOptions options, SheetRenderer? renderer)
    {
        var paths = PathsFor(options, share.Info);
        var done = new List<string>();
        try
        {
            var text = ShareFile.Format(share, new ShareFileHeader(publicKey, custodian, options.Date, options.PassphraseProtected));
            try
            {
                AtomicFile.Write(paths[0], text);
                done.Add(paths[0]);
            }
            finally
            {
                SecretBuffers.Wipe(text);
            }
            string? pdf = null, png = null;
            if (options.Paper || options.Png)
            {
                if (renderer is null) throw new InvalidOperationException("a sheet renderer is needed for paper output");
                var sheet = SheetFor(share.Words, share.Info, share.MemberCount, publicKey, custodian, options);
                if (options.Paper)
                {
                    pdf = paths[1];
                    WriteWiped(pdf, renderer.RenderPdf(sheet, options.PaperSize));
                    done.Add(pdf);
                }
                if (options.Png)
                {
                    png = paths[^1];
                    WriteWiped(png, renderer.RenderPng(sheet, options.PaperSize, 150));
                    done.Add(png);
                }
            }
            console.Error.WriteLine($"keyvault: wrote {string.Join(", ", done.Select(Path.GetFileName))}" +
                                    (custodian is null ? "" : $" for {custodian}"));
            return new ShareOutput(share.Info, share.MemberCount, custodian, paths[0], pdf, png);
        }
        catch
        {
            foreach (var file in done) TryDelete(file);
            throw;
        }
    }

    /// <summary>The sheet description of a share.</summary>
    public static ShareSheet SheetFor(IReadOnlyList<string> words, ShareInfo info, int memberCount, PublicKey publicKey,
        string? custodian, ShareOutputOptions options) =>
        new(words, info.MemberNumber, memberCount, info.MemberThreshold, info.Identifier, publicKey.Identity(),
            options.Network, options.Date,
            info.HasGroups ? new ShareGroup(info.GroupNumber, info.GroupCount, info.GroupThreshold) : null,
            custodian, options.PassphraseProtected, info.Extendable);

    private static List<string> PathsFor(ShareOutputOptions options, ShareInfo share)
    {
        var stem = Path.Combine(options.OutDir, BaseName(share));
        var paths = new List<string> { stem + ".txt" };
        if (options.Paper) paths.Add(stem + ".pdf");
        if (options.Png) paths.Add(stem + ".png");
        return paths;
    }

    private static void WriteWiped(string path, byte[] content)
    {
        try
        {
            AtomicFile.Write(path, content);
        }
        finally
        {
            SecretBuffers.Wipe(content);
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
