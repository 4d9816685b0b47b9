using System.Security.Cryptography;
using KeyVault.Age;
using KeyVault.Flows;
using KeyVault.Interaction;
using KeyVault.IO;
using KeyVault.Keys;
using KeyVault.Paper;
using KeyVault.Shares;

namespace KeyVault.Flows;

/// <summary>Sealed sheets to print beside the sealed files: who draws them, and on what paper.</summary>
/// <param name="Renderer">Draws the sheets.</param>
/// <param name="Size">The paper.</param>
/// <param name="Origin">Whom the custodian tells if the sheet is lost or exposed, and which executable made it; null records none.</param>
public sealed record SealedSheets(ISheetRenderer Renderer, PaperSize Size, SheetOrigin? Origin = null);

/// <summary>
/// One share sealed in memory to its custodian: the age file, and what proves later that a stored copy is that file
/// and holds that share — the file key and a SHA-256 of the sealed share file. Dispose wipes both.
/// </summary>
public sealed class SealedShare : IDisposable
{
    private readonly byte[] _fileKey = GC.AllocateArray<byte>(StanzaCrypto.FileKeyLength, pinned: true);
    private readonly byte[] _plaintextHash = GC.AllocateArray<byte>(SHA256.HashSizeInBytes, pinned: true);

    internal SealedShare(MnemonicShare share, Custodian custodian, PublicKey publicKey, DateOnly date, bool passphraseProtected, bool armor)
    {
        Info = share.Info;
        MemberCount = share.MemberCount;
        Custodian = custodian;
        var text = ShareFile.Format(share, new ShareFileHeader(publicKey, custodian.Name, date, passphraseProtected));
        try
        {
            File = AgeEncryptor.Encrypt(text, [custodian.Recipient], armor, _fileKey);
            SHA256.HashData(text, _plaintextHash);
        }
        finally
        {
            SecretBuffers.Wipe(text);
        }
    }

    /// <summary>The share's public metadata.</summary>
    public ShareInfo Info { get; }

    /// <summary>Shares issued in its group.</summary>
    public int MemberCount { get; }

    /// <summary>Whom it is sealed to.</summary>
    public Custodian Custodian { get; }

    /// <summary>The age file (binary or armored, as asked): ciphertext, safe to store and send.</summary>
    public byte[] File { get; }

    /// <summary>The file's name: share-3.age, or share-g2-3.age with groups.</summary>
    public string FileName => SealedShares.FileName(Info);

    /// <summary>
    /// Proves that <paramref name="stored"/> (a copy read back from a disk, or scanned from a sheet) is this share,
    /// sealed to this custodian alone: a well-formed age file with exactly one stanza, of the recipient's type (and,
    /// for an SSH key, its tag); its header MAC and every payload chunk authenticate under the file key; and the
    /// plaintext is the share file that was sealed. Returns the plaintext for a drill; the caller disposes it.
    /// Throws <see cref="Errors.KeyVaultException"/> (OutputFailure) naming the file otherwise.
    /// </summary>
    public AgePlaintext Verify(ReadOnlySpan<byte> stored)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        AgeFileInfo info;
        AgePlaintext plain;
        try
        {
            info = AgeFile.Inspect(stored);
            plain = AgeDecryptor.OpenWithFileKey(stored, _fileKey);
        }
        catch (AgeException ex)
        {
            throw CustodyError.SealedCheckFailed(FileName, ex.Message);
        }
        try
        {
            if (info.Stanzas.Count != 1)
                throw CustodyError.SealedCheckFailed(FileName, $"it has {info.Stanzas.Count} recipient stanzas instead of one");
            if (info.AddressedTo(Custodian.Recipient) == AgeAddressing.NotAddressed)
                throw CustodyError.SealedCheckFailed(FileName, $"its stanza is not for {Custodian.Name}'s {SealedShares.Describe(Custodian.Recipient)}");
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(plain.Span, hash);
            if (!CryptographicOperations.FixedTimeEquals(hash, _plaintextHash))
                throw CustodyError.SealedCheckFailed(FileName, "it holds another share file than the one sealed");
            return plain;
        }
        catch
        {
            plain.Dispose();
            throw;
        }
    }

    private bool _disposed;

    /// <summary>Wipes the file key and the hash.</summary>
    public void Dispose()
    {
        _disposed = true;
        CryptographicOperations.ZeroMemory(_fileKey);
        CryptographicOperations.ZeroMemory(_plaintextHash);
    }
}

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
    /// Reads a custodians file (one <c>NAME = RECIPIENT</c> line per share, in share order) and checks that it names
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
    /// Seals every share of <paramref name="set"/> to its custodian (same order), in memory. The caller writes them
    /// and disposes each.
    /// </summary>
    public static IReadOnlyList<SealedShare> Seal(ShareSet set, PublicKey publicKey, IReadOnlyList<Custodian> custodians, DateOnly date,
        bool passphraseProtected, bool armor)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(custodians);
        if (custodians.Count != set.Shares.Count) throw CustodyError.SealedCustodianCount("the custodians list", custodians.Count, set.Shares.Count);
        var sealedShares = new List<SealedShare>(set.Shares.Count);
        try
        {
            for (int i = 0; i < set.Shares.Count; i++)
                sealedShares.Add(new SealedShare(set.Shares[i], custodians[i], publicKey, date, passphraseProtected, armor));
            return sealedShares;
        }
        catch
        {
            foreach (var s in sealedShares) s.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Seals every share of <paramref name="set"/> to its custodian (same order), then writes the sealed files (and,
    /// with <paramref name="sheets"/>, a sealed sheet each) into <paramref name="files"/>: nothing is written until
    /// every share is sealed. Returns the paths of the sealed files.
    /// </summary>
    public static IReadOnlyList<string> WriteAll(IOperator op, FileSet files, ShareSet set, PublicKey publicKey,
        IReadOnlyList<Custodian> custodians, DateOnly date, bool passphraseProtected, bool armor, SealedSheets? sheets = null)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(files);
        var sealedShares = Seal(set, publicKey, custodians, date, passphraseProtected, armor);
        try
        {
            return sealedShares.Select(s => Write(op, files, s, publicKey, date, sheets).File).ToList();
        }
        finally
        {
            foreach (var s in sealedShares) s.Dispose();
        }
    }

    /// <summary>Writes one sealed file and, with <paramref name="sheets"/>, its sheet; returns both paths (the sheet's or null).</summary>
    public static (string File, string? Sheet) Write(IOperator op, FileSet files, SealedShare share, PublicKey publicKey, DateOnly date,
        SealedSheets? sheets)
    {
        ArgumentNullException.ThrowIfNull(share);
        var info = share.Info;
        var path = files.Write(share.FileName, WrittenFile.ShareFileRole, share.File, info.MemberNumber);
        string? sheetPath = null;
        if (sheets is not null)
        {
            var pdf = sheets.Renderer.RenderPdf(SheetFor(share, publicKey, date, sheets.Origin), sheets.Size);
            sheetPath = files.Write(SheetName(info), WrittenFile.ShareSheetRole, pdf, info.MemberNumber);
        }
        op.Note($"wrote {share.FileName}{(sheetPath is null ? "" : " and its sealed sheet " + SheetName(info))} for {share.Custodian.Name}, " +
                $"sealed to {Describe(share.Custodian.Recipient)}");
        return (path, sheetPath);
    }

    /// <summary>The sealed sheet of a share: its file in armored form (a binary file is armored for paper; the bytes inside are the same).</summary>
    public static SealedShareSheet SheetFor(SealedShare share, PublicKey publicKey, DateOnly date, SheetOrigin? origin = null)
    {
        ArgumentNullException.ThrowIfNull(share);
        ArgumentNullException.ThrowIfNull(publicKey);
        var armored = AgeArmor.LooksArmored(share.File) ? share.File : AgeArmor.Encode(share.File);
        var info = share.Info;
        return new SealedShareSheet(SealedShareSheet.Lines(armored), share.Custodian.Name, share.Custodian.Recipient.Text,
            info.MemberNumber, share.MemberCount, info.MemberThreshold, info.Identifier, publicKey.Identity(), date,
            info.HasGroups ? new ShareGroup(info.GroupNumber, info.GroupCount, info.GroupThreshold) : null, origin);
    }

    /// <summary>
    /// Checks, before any secret exists, that the sealed sheet of every custodian will render: a stand-in file of the
    /// real size (a share file of this custodian, sealed to their recipient) on the sheet for share <c>i + 1</c>.
    /// </summary>
    public static void CheckSheets(ISheetRenderer renderer, IReadOnlyList<Custodian> custodians, DateOnly date, SheetOrigin? origin = null)
    {
        ArgumentNullException.ThrowIfNull(renderer);
        ArgumentNullException.ThrowIfNull(custodians);
        for (int i = 0; i < custodians.Count; i++)
        {
            // A 33-word share file with every field (groups included) is under 620 bytes plus the name: a worst case.
            var standIn = new byte[640 + System.Text.Encoding.UTF8.GetByteCount(custodians[i].Name)];
            var armored = AgeEncryptor.Encrypt(standIn, [custodians[i].Recipient], armor: true);
            renderer.Check(new SealedShareSheet(SealedShareSheet.Lines(armored), custodians[i].Name, custodians[i].Recipient.Text,
                i + 1, Math.Max(custodians.Count, i + 1), 1, 0, SheetChecks.Placeholder.Identity(), date, Origin: origin));
        }
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
