using System.Security.Cryptography;
using KeyVault.Errors;

namespace KeyVault.Dkg;

/// <summary>
/// The private part of a DKG export (docs/dkg-export-format.md, "The private part"): of every row, only what exists
/// nowhere but in this signer's database — the encrypted private shares — with the aggregate key that names the row,
/// its created_at and its status. What a sheet prints when the whole export does not fit on paper; a drill reads it
/// as it reads an export. The other columns are public and recovered elsewhere (the same document says where).
/// </summary>
internal static class DkgPrivatePart
{
    /// <summary>The first 8 bytes of every private part.</summary>
    public static ReadOnlySpan<byte> Magic => [0x89, (byte)'K', (byte)'V', (byte)'D', (byte)'P', 0x0D, 0x0A, 0x1A];

    /// <summary>The format version this code writes and reads.</summary>
    public const byte Version = 1;

    /// <summary>The private part of <paramref name="rows"/>, in their order, stamped with the export's time.</summary>
    public static byte[] Write(IReadOnlyList<DkgExportRow> rows, DateTimeOffset exportedAt)
    {
        using var ms = new MemoryStream();
        ms.Write(Magic);
        ms.WriteByte(Version);
        DkgExport.I64(ms, (exportedAt - DateTimeOffset.UnixEpoch).Ticks / 10);
        DkgExport.U32(ms, (uint)rows.Count);
        foreach (var r in rows)
        {
            DkgExport.Bytes(ms, r.AggregateKey);
            DkgExport.Bytes(ms, r.EncryptedPrivateShares);
            DkgExport.I64(ms, (r.CreatedAt - DateTimeOffset.UnixEpoch).Ticks / 10);
            ms.WriteByte(r.Status switch { null => 0, "unverified" => 1, "verified" => 2, "failed" => 3,
                _ => throw new ArgumentException("unknown dkg_shares_status", nameof(rows)) });
        }
        ms.Write(SHA256.HashData(ms.GetBuffer().AsSpan(0, (int)ms.Length)));
        return ms.ToArray();
    }

    /// <summary>The export time and rows of a private part; throws DamagedFile naming what is wrong.</summary>
    public static (DateTimeOffset ExportedAt, IReadOnlyList<DkgShareRow> Rows) Read(ReadOnlySpan<byte> file, string source)
    {
        if (file.Length > DkgExport.MaxBytes) throw Damaged(source, "it is larger than any signer's DKG table");
        if (file.Length < Magic.Length + 1 + 8 + 4 + 32 || !file[..Magic.Length].SequenceEqual(Magic))
            throw Damaged(source, "it does not start as the private part of a KeyVault DKG export");
        if (file[Magic.Length] != Version) throw Damaged(source, $"its format version is {file[Magic.Length]}, this KeyVault reads version {Version}");
        var body = file[..^32];
        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(body), file[^32..]))
            throw Damaged(source, "its SHA-256 checksum does not match: the file is damaged");
        var r = new DkgExport.Reader(body[(Magic.Length + 1)..].ToArray(), source, Damaged);
        var exportedAt = DateTimeOffset.UnixEpoch.AddTicks(r.I64() * 10);
        var count = r.U32();
        var rows = new List<DkgShareRow>();
        for (uint i = 0; i < count; i++)
        {
            var ak = r.Bytes();
            var enc = r.Bytes();
            var created = DateTimeOffset.UnixEpoch.AddTicks(r.I64() * 10);
            var status = r.Byte() switch { 0 => null, 1 => "unverified", 2 => "verified", 3 => "failed", _ => throw Damaged(source, "a row has an unknown status") };
            rows.Add(new DkgShareRow(ak, enc, status, created));
        }
        if (!r.AtEnd) throw Damaged(source, "bytes follow the last row");
        return (exportedAt, rows);
    }

    /// <summary>The columns a restore needs that a private part does not hold, as the error names them.</summary>
    private const string PublicColumns =
        "tweaked_aggregate_key, script_pubkey, public_shares, signer_set_public_keys, signature_share_threshold, started_at_bitcoin_block_hash and started_at_bitcoin_block_height";

    /// <summary>The refusal of a restore given a private part and nothing to take the public columns from.</summary>
    public static KeyVaultException NeedsPublicColumns(string source, IReadOnlyList<DkgShareRow> rows) => new(ErrorKind.BadInput,
        $"{source} is the private part of a DKG export: it holds each row's aggregate_key, encrypted_private_shares, created_at and status, "
        + $"and a restore needs also {PublicColumns} (for {Keys(rows)}); nothing was written",
        "give the DKG export of another signer of the same rounds as well: its rows hold the same public columns "
        + "(docs/dkg-export-format.md, \"The private part\")", code: ErrorCodes.DkgPrivatePartAlone);

    /// <summary>
    /// The rows of a private part made whole with the public columns of another signer's export of the same rounds
    /// (docs/dkg-export-format.md, "The private part"): of each row, this signer's encrypted_private_shares, created_at
    /// and status, and the other signer's row for the same aggregate key for everything else.
    /// </summary>
    public static IReadOnlyList<DkgExportRow> Complete(IReadOnlyList<DkgShareRow> own, IReadOnlyList<DkgExportRow> others, string source, string publicSource)
    {
        var missing = own.Where(r => !others.Any(o => o.AggregateKey.AsSpan().SequenceEqual(r.AggregateKey))).ToList();
        if (missing.Count > 0)
            throw new KeyVaultException(ErrorKind.BadInput,
                $"{publicSource} has no row for {Keys(missing)} of {source}, so their {PublicColumns} are missing; nothing was written",
                "take the public columns from the export of a signer that took part in those rounds: its row has the same aggregate key");
        var copied = own.Where(r => others.Any(o => o.AggregateKey.AsSpan().SequenceEqual(r.AggregateKey) && o.EncryptedPrivateShares.AsSpan().SequenceEqual(r.EncryptedPrivateShares))).ToList();
        if (copied.Count > 0)
            throw new KeyVaultException(ErrorKind.BadInput,
                $"{publicSource} holds the same encrypted_private_shares as {source} for {Keys(copied)}: it is this signer's own export, not another signer's",
                "if this signer's export is at hand, restore it instead of the private part");
        return own.Select(r =>
        {
            var other = others.First(o => o.AggregateKey.AsSpan().SequenceEqual(r.AggregateKey));
            return other with { EncryptedPrivateShares = r.EncryptedPrivateShares, CreatedAt = r.CreatedAt, Status = r.Status };
        }).ToList();
    }

    private static string Keys(IReadOnlyList<DkgShareRow> rows) =>
        (rows.Count == 1 ? "the aggregate key " : "the aggregate keys ") + string.Join(", ", rows.Select(r => r.AggregateKeyHex));

    private static KeyVaultException Damaged(string source, string why) => new(ErrorKind.DamagedFile,
        $"{source} is not a readable private part of a DKG export: {why}", "scan the sheets again, or use the export file itself");
}
