using KeyVault.IO;
using KeyVault.Interaction;
using KeyVault.Keys;
using KeyVault.Shares;
using KeyVault.Sheets;

namespace KeyVault.Flows;

/// <summary>How the shares of a split are written.</summary>
/// <param name="Custodians">Custodian names by share position (0-based over all shares), or empty.</param>
/// <param name="Paper">Also write one PDF sheet per share.</param>
/// <param name="Png">Also write a PNG preview per share.</param>
/// <param name="PaperSize">Sheet size.</param>
/// <param name="Network">Which Stacks address the sheets print.</param>
/// <param name="Date">The date printed on files and sheets.</param>
/// <param name="PassphraseProtected">Whether a SLIP-0039 passphrase was used (the sheet then has a hint line, and the share file says so).</param>
/// <param name="Label">The key label the sheets print, or null.</param>
/// <param name="Origin">The organisation, contact and executable the sheets print, or null for none.</param>
public sealed record ShareOutputOptions(
    IReadOnlyList<string> Custodians, bool Paper, bool Png, PaperSize PaperSize, StacksNetwork Network, DateOnly Date, bool PassphraseProtected,
    string? Label = null, SheetOrigin? Origin = null);

/// <summary>The files written for one share.</summary>
/// <param name="Share">The share's public metadata.</param>
/// <param name="MemberCount">Shares issued in its group.</param>
/// <param name="Custodian">Who holds it, if named.</param>
/// <param name="TextFile">The share text file.</param>
/// <param name="PdfFile">Its PDF sheet, if written.</param>
/// <param name="PngFile">Its PNG preview, if written.</param>
public sealed record ShareOutput(ShareInfo Share, int MemberCount, string? Custodian, string TextFile, string? PdfFile, string? PngFile);

/// <summary>
/// Writes share files and their sheets into a <see cref="FileSet"/>, so that a split, a paper run and a ceremony
/// leave all their shares or none. Used by every flow that writes shares.
/// </summary>
public static class ShareWriter
{
    /// <summary>Resolution of the PNG previews.</summary>
    public const int PreviewDpi = 150;

    /// <summary>Role of a share's PNG preview in a file set.</summary>
    public const string PreviewRole = "share-preview";

    /// <summary>The base file name of a share (without extension): share-3, or share-g2-3 when there are groups.</summary>
    public static string BaseName(ShareInfo share) => BaseName(share.HasGroups, share.GroupNumber, share.MemberNumber);

    /// <summary>The file name stem of share <paramref name="member"/> of group <paramref name="group"/> (1-based).</summary>
    public static string BaseName(bool hasGroups, int group, int member) => hasGroups ? $"share-g{group}-{member}" : $"share-{member}";

    /// <summary>The names of the files written for <paramref name="share"/>.</summary>
    public static IEnumerable<string> FileNames(ShareInfo share, ShareOutputOptions options) =>
        FileNames(share.HasGroups, share.GroupNumber, share.MemberNumber, options);

    /// <summary>The names of the files written for share <paramref name="member"/> of group <paramref name="group"/>.</summary>
    public static IEnumerable<string> FileNames(bool hasGroups, int group, int member, ShareOutputOptions options)
    {
        var stem = BaseName(hasGroups, group, member);
        yield return stem + ".txt";
        if (options.Paper) yield return stem + ".pdf";
        if (options.Png) yield return stem + ".png";
    }

    /// <summary>The shares <paramref name="layout"/> will produce, with a stand-in identifier: enough to name files and check sheets.</summary>
    public static IReadOnlyList<ShareInfo> Planned(SplitLayout layout, bool extendable)
    {
        var infos = new List<ShareInfo>();
        for (int g = 0; g < layout.Groups.Count; g++)
            for (int m = 0; m < layout.Groups[g].MemberCount; m++)
                infos.Add(new ShareInfo(0, extendable, Slip39.DefaultIterationExponent, g + 1, layout.GroupThreshold, layout.Groups.Count,
                    m + 1, layout.Groups[g].MemberThreshold, SecretKey.Length));
        return infos;
    }

    /// <summary>
    /// Checks, before any secret exists, that every file name is free and that every sheet will render (fields, the
    /// glyphs of each custodian's name) — with stand-in words, for the key <paramref name="publicKey"/>.
    /// </summary>
    /// <param name="files">The file set the shares go into.</param>
    /// <param name="planned">The shares, as <see cref="Planned"/> gives them.</param>
    /// <param name="memberCounts">Shares in each group.</param>
    /// <param name="publicKey">The key the sheets name.</param>
    /// <param name="options">How the shares are written.</param>
    /// <param name="renderer">Draws the sheets, or null when none are written.</param>
    /// <param name="include">Which share positions are written plain (the others are sealed); null for all.</param>
    public static void Precheck(FileSet files, IReadOnlyList<ShareInfo> planned, int[] memberCounts, PublicKey publicKey,
        ShareOutputOptions options, ISheetRenderer? renderer, Func<int, bool>? include = null)
    {
        include ??= _ => true;
        files.RequireFree(planned.Where((_, i) => include(i)).SelectMany(s => FileNames(s, options)));
        if (renderer is null || !(options.Paper || options.Png)) return;
        for (int i = 0; i < planned.Count; i++)
            if (include(i)) renderer.Check(SheetFor(SheetChecks.PlaceholderWords(planned[i].WordCount), planned[i], memberCounts[planned[i].GroupNumber - 1],
                publicKey, Custodian(options, i), options));
    }

    /// <summary>Writes every share of <paramref name="set"/>; returns what was written.</summary>
    public static IReadOnlyList<ShareOutput> WriteAll(IOperator op, FileSet files, ShareSet set, PublicKey publicKey,
        ShareOutputOptions options, ISheetRenderer? renderer)
    {
        var written = new List<ShareOutput>();
        for (int i = 0; i < set.Shares.Count; i++)
            written.Add(WriteOne(op, files, set.Shares[i], publicKey, Custodian(options, i), options, renderer));
        return written;
    }

    /// <summary>
    /// Writes one share's text file and, as asked, its sheet and preview. The sheet says "of <paramref name="sheetCount"/>"
    /// when given (the shares custodians hold, for a share issued later), else the share's member count.
    /// </summary>
    public static ShareOutput WriteOne(IOperator op, FileSet files, MnemonicShare share, PublicKey publicKey, string? custodian,
        ShareOutputOptions options, ISheetRenderer? renderer, int? sheetCount = null)
    {
        var stem = BaseName(share.Info);
        int number = share.Info.MemberNumber;
        var done = new List<string>();
        var text = ShareFile.Format(share, new ShareFileHeader(publicKey, custodian, options.Date, options.PassphraseProtected));
        string textFile;
        try
        {
            textFile = files.Write(stem + ".txt", WrittenFile.ShareFileRole, text, number);
            done.Add(stem + ".txt");
        }
        finally
        {
            SecretBuffers.Wipe(text);
        }
        string? pdf = null, png = null;
        if (options.Paper || options.Png)
        {
            if (renderer is null) throw new InvalidOperationException("a sheet renderer is needed for paper output");
            var sheet = SheetFor(share.Words, share.Info, sheetCount ?? share.MemberCount, publicKey, custodian, options);
            if (options.Paper)
            {
                pdf = WriteWiped(files, stem + ".pdf", WrittenFile.ShareSheetRole, number, renderer.RenderPdf(sheet, options.PaperSize));
                done.Add(stem + ".pdf");
            }
            if (options.Png)
            {
                png = WriteWiped(files, stem + ".png", PreviewRole, number, renderer.RenderPng(sheet, options.PaperSize, PreviewDpi));
                done.Add(stem + ".png");
            }
        }
        op.Note($"wrote {string.Join(", ", done)}" + (custodian is null ? "" : $" for {custodian}"));
        return new ShareOutput(share.Info, share.MemberCount, custodian, textFile, pdf, png);
    }

    /// <summary>The sheet description of a share.</summary>
    public static ShareSheet SheetFor(IReadOnlyList<string> words, ShareInfo info, int memberCount, PublicKey publicKey,
        string? custodian, ShareOutputOptions options) =>
        new()
        {
            Words = words,
            ShareNumber = info.MemberNumber,
            ShareCount = memberCount,
            Threshold = info.MemberThreshold,
            Identifier = info.Identifier,
            Identity = publicKey.Identity(),
            Network = options.Network,
            Date = options.Date,
            Group = info.HasGroups ? new ShareGroup(info.GroupNumber, info.GroupCount, info.GroupThreshold) : null,
            Custodian = custodian,
            PassphraseProtected = options.PassphraseProtected,
            Extendable = info.Extendable,
            Label = options.Label,
            Origin = options.Origin,
        };

    private static string? Custodian(ShareOutputOptions options, int position) =>
        position < options.Custodians.Count ? options.Custodians[position] : null;

    private static string WriteWiped(FileSet files, string name, string role, int share, byte[] content)
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
