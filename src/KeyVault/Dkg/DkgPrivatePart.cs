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

    private static KeyVaultException Damaged(string source, string why) => new(ErrorKind.DamagedFile,
        $"{source} is not a readable private part of a DKG export: {why}", "scan the sheets again, or use the export file itself");
}
