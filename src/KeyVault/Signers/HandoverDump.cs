using System.Security.Cryptography;
using KeyVault.Codecs;
using KeyVault.Dkg;

namespace KeyVault.Signers;

/// <summary>
/// The database dump a handover moves to the new host (docs/migration.md, "dump"): which file, its SHA-256, its
/// pg_dump format, whether the signer's DKG shares and peers came along, and the aggregate key the signer will sign for.
/// </summary>
public sealed record HandoverDump
{
    /// <summary>The table of the signer's DKG shares.</summary>
    public const string DkgSharesTable = "sbtc_signer.dkg_shares";

    /// <summary>The table of the signer's known libp2p peers (migration 0019, read as sbtc_signer.p2p_peers).</summary>
    public const string P2pPeersTable = "sbtc_signer.p2p_peers";

    /// <summary>The dump's file name, without its folder.</summary>
    public required string FileName { get; init; }

    /// <summary>Its size in bytes.</summary>
    public required long Size { get; init; }

    /// <summary>SHA-256 of its bytes, lowercase hex.</summary>
    public required string Sha256 { get; init; }

    /// <summary>plain, custom or tar (directory-format dumps are refused: they are not one file).</summary>
    public required string Format { get; init; }

    /// <summary>The dump holds the data of <see cref="DkgSharesTable"/> (always true in a record).</summary>
    public required bool DkgShares { get; init; }

    /// <summary>The dump holds the data of <see cref="P2pPeersTable"/>.</summary>
    public required bool P2pPeers { get; init; }

    /// <summary>How many rows of <see cref="DkgSharesTable"/> it holds.</summary>
    public required int DkgShareRows { get; init; }

    /// <summary>
    /// The aggregate_key of the newest row with dkg_shares_status 'verified' by created_at, lowercase hex (66
    /// characters): the row the signer loads as its current DKG shares.
    /// </summary>
    public required string NewestVerifiedAggregateKey { get; init; }

    /// <summary>Reads a dump: hashes it, detects its format, finds its tables' data and its DKG rows.</summary>
    /// <exception cref="Errors.KeyVaultException">A directory dump, no DKG data or no verified row, or a dump that cannot be read.</exception>
    internal static (HandoverDump Dump, IReadOnlyList<DkgShareRow> Rows) Inspect(string path)
    {
        var format = PgDumpSource.Detect(path);
        if (format == PgDumpSource.Format.Directory) throw HandoverError.DumpDirectory(path);
        var (size, sha) = Hash(path);
        var source = new PgDumpSource(path);
        var tables = source.TablesWithData();
        if (!tables.Contains(DkgSharesTable)) throw HandoverError.NoDkgData(path);
        var rows = source.ReadRows();
        var newest = NewestVerified(rows) ?? throw HandoverError.NoVerifiedRow(path);
        if (newest.AggregateKey.Length != 33 || newest.AggregateKey[0] is not (2 or 3)) throw HandoverError.BadAggregateKey(path);
        var dump = new HandoverDump
        {
            FileName = System.IO.Path.GetFileName(path),
            Size = size,
            Sha256 = sha,
            Format = FormatName(format),
            DkgShares = true,
            P2pPeers = tables.Contains(P2pPeersTable),
            DkgShareRows = rows.Count,
            NewestVerifiedAggregateKey = newest.AggregateKeyHex,
        };
        return (dump, rows);
    }

    /// <summary>The size and SHA-256 (lowercase hex) of a file's bytes, read as a stream.</summary>
    internal static (long Size, string Sha256) Hash(string path)
    {
        using var f = File.OpenRead(path);
        var sha = SHA256.HashData(f);
        return (f.Length, Hex.Encode(sha));
    }

    /// <summary>
    /// The row the signer's get_latest_verified_dkg_shares returns (signer/src/storage/postgres/read.rs: WHERE
    /// dkg_shares_status = 'verified' ORDER BY created_at DESC LIMIT 1); null when none is verified.
    /// </summary>
    internal static DkgShareRow? NewestVerified(IReadOnlyList<DkgShareRow> rows)
    {
        DkgShareRow? best = null;
        foreach (var r in rows)
            if (r.Status == "verified" && (best is null || r.CreatedAt > best.CreatedAt)) best = r;
        return best;
    }

    private static string FormatName(PgDumpSource.Format format) => format switch
    {
        PgDumpSource.Format.Plain => "plain",
        PgDumpSource.Format.Custom => "custom",
        _ => "tar",
    };
}
