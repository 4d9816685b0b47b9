using KeyVault.Age;
using KeyVault.IO;
using KeyVault.Interaction;
using KeyVault.Keys;
using KeyVault.Shares;
using KeyVault.Sheets;

namespace KeyVault.Flows;

/// <summary>
/// Shares sealed to their custodians' age recipients (docs/age.md): each share file, exactly as a plain split writes
/// it, becomes the plaintext of an age file addressed to that custodian alone; the plain text is wiped once sealed.
/// Optionally each gets a sealed sheet (docs/paper.md): the armored file as a QR code and as text.
/// </summary>
public static class SealedShares
{
    /// <summary>The name of a share's sealed file: share-3.age, or share-g2-3.age with groups.</summary>
    public static string FileName(ShareInfo share) => ShareWriter.BaseName(share) + ".age";

    /// <summary>The name of a share's sealed sheet: share-3.pdf, or share-g2-3.pdf with groups.</summary>
    public static string SheetName(ShareInfo share) => ShareWriter.BaseName(share) + ".pdf";

    /// <summary>
    /// Reads a custodians file (one custodian per share, in share order: sealed or paper) and checks that it names
    /// exactly <paramref name="shareCount"/> custodians.
    /// </summary>
    public static IReadOnlyList<Custodian> ReadCustodians(IOperator op, string path, int shareCount)
    {
        var custodians = ReadCustodians(op, path);
        if (custodians.Count != shareCount) throw CustodyError.SealedCustodianCount(Inputs.Describe(path), custodians.Count, shareCount);
        return custodians;
    }

    /// <summary>Reads a custodians file whose length sets the number of shares (the ceremony): 1 to 16 custodians.</summary>
    public static IReadOnlyList<Custodian> ReadCustodians(IOperator op, string path)
    {
        var bytes = Inputs.ReadAll(op, path);
        var custodians = CustodianList.Parse(bytes, Inputs.Describe(path));
        if (custodians.Count > SplitLayout.MaxCount) throw CustodyError.SealedCustodianCount(Inputs.Describe(path), custodians.Count, SplitLayout.MaxCount);
        return custodians;
    }

    /// <summary>
    /// Seals, in memory, every share of <paramref name="set"/> whose custodian (same order) has a recipient; the entry
    /// of a paper custodian is null. The caller writes them and disposes each.
    /// </summary>
    public static IReadOnlyList<SealedShare?> Seal(ShareSet set, PublicKey publicKey, IReadOnlyList<Custodian> custodians, DateOnly date,
        bool passphraseProtected, bool armor)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(custodians);
        if (custodians.Count != set.Shares.Count) throw CustodyError.SealedCustodianCount("the custodians list", custodians.Count, set.Shares.Count);
        var sealedShares = new List<SealedShare?>(set.Shares.Count);
        try
        {
            for (int i = 0; i < set.Shares.Count; i++)
                sealedShares.Add(custodians[i].Sealed ? new SealedShare(set.Shares[i], custodians[i], publicKey, date, passphraseProtected, armor) : null);
            return sealedShares;
        }
        catch
        {
            foreach (var s in sealedShares) s?.Dispose();
            throw;
        }
    }

    /// <summary>Writes one sealed file and, with <paramref name="sheets"/>, its sheet; returns both paths (the sheet's or null).</summary>
    /// <remarks>The sheet says "of <paramref name="sheetCount"/>" when given (the shares custodians hold, for a share issued later).</remarks>
    public static (string File, string? Sheet) Write(IOperator op, FileSet files, SealedShare share, PublicKey publicKey, DateOnly date,
        SealedSheets? sheets, int? sheetCount = null)
    {
        ArgumentNullException.ThrowIfNull(share);
        var info = share.Info;
        var path = files.Write(share.FileName, WrittenFile.ShareFileRole, share.File, info.MemberNumber);
        string? sheetPath = null;
        if (sheets is not null)
        {
            var sheet = SheetFor(share, publicKey, date, sheets.Origin);
            var pdf = sheets.Renderer.RenderPdf(sheetCount is int n ? sheet with { ShareCount = n } : sheet, sheets.Size);
            sheetPath = files.Write(SheetName(info), WrittenFile.ShareSheetRole, pdf, info.MemberNumber);
        }
        op.Note($"wrote {share.FileName}{(sheetPath is null ? "" : " and its sealed sheet " + SheetName(info))} for {share.Custodian.Name}, " +
                $"sealed to {Describe(share.Recipient)}");
        return (path, sheetPath);
    }

    /// <summary>The sealed sheet of a share: its file in armored form (a binary file is armored for paper; the bytes inside are the same).</summary>
    public static SealedShareSheet SheetFor(SealedShare share, PublicKey publicKey, DateOnly date, SheetOrigin? origin = null)
    {
        ArgumentNullException.ThrowIfNull(share);
        ArgumentNullException.ThrowIfNull(publicKey);
        var armored = AgeArmor.LooksArmored(share.File) ? share.File : AgeArmor.Encode(share.File);
        var info = share.Info;
        return new SealedShareSheet
        {
            ArmoredLines = SealedShareSheet.Lines(armored),
            Custodian = share.Custodian.Name,
            Recipient = PrintedRecipient(share.Recipient),
            ShareNumber = info.MemberNumber,
            ShareCount = share.MemberCount,
            Threshold = info.MemberThreshold,
            Identifier = info.Identifier,
            Identity = publicKey.Identity(),
            Date = date,
            Group = info.HasGroups ? new ShareGroup(info.GroupNumber, info.GroupCount, info.GroupThreshold) : null,
            Origin = origin,
        };
    }

    /// <summary>
    /// Checks, before any secret exists, that the sealed sheet of every sealed custodian will render: a stand-in file of
    /// the real size (a share file of this custodian, sealed to their recipient) on the sheet for share <c>i + 1</c>.
    /// </summary>
    public static void CheckSheets(ISheetRenderer renderer, IReadOnlyList<Custodian> custodians, DateOnly date, SheetOrigin? origin = null)
    {
        ArgumentNullException.ThrowIfNull(custodians);
        for (int i = 0; i < custodians.Count; i++)
            if (custodians[i].Sealed) CheckSheet(renderer, custodians[i], i + 1, custodians.Count, date, origin);
    }

    /// <summary>Checks that the sealed sheet of share <paramref name="number"/> of <paramref name="count"/>, for <paramref name="custodian"/>, will render.</summary>
    public static void CheckSheet(ISheetRenderer renderer, Custodian custodian, int number, int count, DateOnly date, SheetOrigin? origin = null)
    {
        ArgumentNullException.ThrowIfNull(renderer);
        ArgumentNullException.ThrowIfNull(custodian);
        var recipient = custodian.Recipient ?? throw new ArgumentException($"{custodian.Name} receives a paper share", nameof(custodian));
        // A 33-word share file with every field (groups included) is under 620 bytes plus the name: a worst case.
        var standIn = new byte[640 + System.Text.Encoding.UTF8.GetByteCount(custodian.Name)];
        var armored = AgeEncryptor.Encrypt(standIn, [recipient], armor: true);
        renderer.Check(new SealedShareSheet
        {
            ArmoredLines = SealedShareSheet.Lines(armored),
            Custodian = custodian.Name,
            Recipient = PrintedRecipient(recipient),
            ShareNumber = number,
            ShareCount = Math.Max(count, number),
            Threshold = 1,
            Identifier = 0,
            Identity = SheetChecks.Placeholder.Identity(),
            Date = date,
            Origin = origin,
        });
    }

    /// <summary>
    /// The recipient as a sealed sheet prints it: its text and, for an SSH key, the key's comment (e.g. carol@laptop),
    /// which tells the custodian which of their keys opens the sheet.
    /// </summary>
    public static string PrintedRecipient(AgeRecipient recipient)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        return recipient.Comment is { Length: > 0 } comment ? $"{recipient.Text} {comment}" : recipient.Text;
    }

    /// <summary>A short public description of a recipient for messages: its type and a prefix.</summary>
    public static string Describe(AgeRecipient recipient)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        return recipient.Type == AgeRecipientType.SshEd25519
            ? $"ssh-ed25519 key{(recipient.Comment is { Length: > 0 } c ? " " + c : "")}"
            : recipient.Text[..Math.Min(16, recipient.Text.Length)] + "…";
    }
}
