using System.Security.Cryptography;
using KeyVault.Codecs;
using KeyVault.Dkg;
using KeyVault.Drill;
using KeyVault.Errors;
using KeyVault.Keys;

namespace KeyVault.Sheets;

/// <summary>One row as the sheets list it (public: the aggregate key, when the row was written, its status).</summary>
/// <param name="AggregateKeyHex">aggregate_key in hex.</param>
/// <param name="CreatedAt">created_at.</param>
/// <param name="Status">dkg_shares_status, or null in databases from before migration 0012.</param>
public sealed record DkgSheetRow(string AggregateKeyHex, DateTimeOffset CreatedAt, string? Status);

/// <summary>
/// Everything the printed pages of a DKG export say: the numbered QR codes (<see cref="DkgQrParts"/>), what they hold,
/// the rows listed, and the signer's identity when it was named. The codes are as public as the export: its private
/// shares are encrypted under the signer key, and a sealed export is printed sealed.
/// </summary>
/// <param name="Content">The whole file, or only its private part.</param>
/// <param name="Sealed">The file is sealed with age: the codes carry the sealed bytes, useless without the cold-storage key.</param>
/// <param name="Parts">The QR texts, part 1 first.</param>
/// <param name="SetId">The set checksum every part carries.</param>
/// <param name="PayloadBytes">Bytes the codes carry together.</param>
/// <param name="PayloadSha256">SHA-256 of what the codes carry together, in hex: of the file <c>dkg from-paper</c> writes back.</param>
/// <param name="FileBytes">Size of the export file printed from.</param>
/// <param name="FileSha256">SHA-256 of the export file printed from, in hex.</param>
/// <param name="Rows">The rows (empty for a sealed export, whose rows cannot be read without its key).</param>
/// <param name="Identity">The signer's public identity, or null when it was not named.</param>
/// <param name="Network">Which Stacks address to print.</param>
/// <param name="Date">The date printed.</param>
public sealed record DkgExportSheet(
    DkgPaperContent Content, bool Sealed, IReadOnlyList<string> Parts, string SetId, int PayloadBytes, string PayloadSha256, int FileBytes,
    string FileSha256,
    IReadOnlyList<DkgSheetRow> Rows, SignerIdentity? Identity, StacksNetwork Network, DateOnly Date)
{
    /// <summary>Codes on one page (two by two).</summary>
    public const int PartsPerPage = 4;

    /// <summary>Most pages printed: an envelope beside the key file, scanned in a few minutes.</summary>
    public const int MaxPages = 4;

    /// <summary>Most codes printed.</summary>
    public const int MaxParts = PartsPerPage * MaxPages;

    /// <summary>How many pages the codes fill.</summary>
    public int Pages => (Parts.Count + PartsPerPage - 1) / PartsPerPage;
}

/// <summary>
/// Decides what goes on paper for a DKG export (docs/dkg-export-format.md, "On paper"): the whole file when its codes
/// fit on <see cref="DkgExportSheet.MaxPages"/> pages; otherwise, for a bare export, only its private part; a sealed
/// export is printed whole or not at all, since its rows cannot be read without the cold-storage key.
/// </summary>
public static class DkgPaper
{
    /// <summary>The sheet for <paramref name="file"/>; throws (DamagedFile, BadInput) when it is no export or cannot fit.</summary>
    /// <param name="file">The export file as stored, bare or sealed.</param>
    /// <param name="source">Its name, for messages.</param>
    /// <param name="expected">The signer the export belongs to, or null: printed as its identity, checked against the signer sets of a bare export.</param>
    /// <param name="network">Which Stacks address to print.</param>
    /// <param name="date">The date printed.</param>
    public static DkgExportSheet Plan(byte[] file, string source, ExpectedIdentity? expected, StacksNetwork network, DateOnly date)
    {
        var sha = Hex.Encode(SHA256.HashData(file));
        if (DkgExportFile.IsSealed(file))
        {
            if (expected is { PublicKey: null })
                throw new KeyVaultException(ErrorKind.BadInput, $"{source} is sealed, so the signer cannot be found in its signer sets from a Stacks address alone",
                    "name the signer by its public key or identity file");
            var parts = DkgQrParts.PartsFor(file.Length);
            if (parts > DkgExportSheet.MaxParts)
                throw TooLarge(source, file.Length, "it is sealed, so its private part cannot be taken out without the cold-storage key");
            return Sheet(DkgPaperContent.ExportFile, true, file, file, sha, [], expected?.PublicKey, network, date);
        }

        var (exportedAt, rows) = DkgExport.Read(file, source);
        var identity = Resolve(expected, rows, source);
        var listed = rows.Select(r => new DkgSheetRow(Hex.Encode(r.AggregateKey), r.CreatedAt, r.Status)).ToList();
        if (DkgQrParts.PartsFor(file.Length) <= DkgExportSheet.MaxParts)
            return Sheet(DkgPaperContent.ExportFile, false, file, file, sha, listed, identity, network, date);
        var part = DkgPrivatePart.Write(rows, exportedAt);
        if (DkgQrParts.PartsFor(part.Length) > DkgExportSheet.MaxParts)
            throw TooLarge(source, part.Length, $"even the private part of its {rows.Count} rows is {part.Length} bytes");
        return Sheet(DkgPaperContent.PrivatePart, false, part, file, sha, listed, identity, network, date);
    }

    private static DkgExportSheet Sheet(DkgPaperContent content, bool sealedFile, byte[] payload, byte[] file, string sha, IReadOnlyList<DkgSheetRow> rows,
        PublicKey? identity, StacksNetwork network, DateOnly date) =>
        new(content, sealedFile, DkgQrParts.Split(payload, content), DkgQrParts.SetId(payload), payload.Length, Hex.Encode(SHA256.HashData(payload)),
            file.Length, sha, rows,
            identity?.Identity(), network, date);

    /// <summary>The public key of the signer named, checked to be in a signer set of the export (an address is looked up there).</summary>
    private static PublicKey? Resolve(ExpectedIdentity? expected, IReadOnlyList<DkgExportRow> rows, string source)
    {
        if (expected is null) return null;
        foreach (var key in rows.SelectMany(r => r.SignerSetPublicKeys).Where(k => k.Length == 33 && k[0] is 2 or 3))
        {
            PublicKey candidate;
            try
            {
                candidate = PublicKey.ParseHex(Hex.Encode(key));
            }
            catch (KeyVaultException)
            {
                continue;
            }
            if (expected.PublicKey is { } pk ? pk.Hex66 == candidate.Hex66 : expected.Match(candidate).Matches) return candidate;
        }
        throw new KeyVaultException(ErrorKind.IdentityMismatch, $"{expected.Value} is in no signer set of {source}",
            "check that the export is of this signer's database, and that the signer named is the one whose key encrypts it");
    }

    private static KeyVaultException TooLarge(string source, int bytes, string why) => new(ErrorKind.BadInput,
        $"{source} does not fit on paper: {why}, and {DkgExportSheet.MaxPages} pages hold {DkgExportSheet.MaxParts * DkgQrParts.MaxPartBytes} bytes " +
        $"({DkgQrParts.PartsFor(bytes)} codes needed, {DkgExportSheet.MaxParts} printed at most)",
        "keep the export file on the encrypted device beside the key file, with a second copy elsewhere");
}
