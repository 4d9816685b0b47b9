using KeyVault.Codecs;
using KeyVault.Dkg;
using KeyVault.Drill;
using KeyVault.Errors;
using Npgsql;

namespace KeyVault.Postgres;

/// <summary>
/// Every column of sbtc_signer.dkg_shares, out of a signer database (read-only transaction) and back into one created
/// by the signer's migrations (one transaction; idempotent; a row that exists with other values is never changed).
/// </summary>
public static class DkgTable
{
    /// <summary>Every row, oldest first, with every column.</summary>
    public static IReadOnlyList<DkgExportRow> Export(string connection) =>
        DkgShareStore.InTransaction(connection, readOnly: true, "keyvault-dkg-export", (c, t, where) => Rows(c, t, HasStatusColumns(c, t, where)));

    /// <summary>
    /// Puts <paramref name="rows"/> back: inserts the missing ones, leaves identical ones, and refuses (changing
    /// nothing at all) when a row exists with other values.
    /// </summary>
    public static DkgRestoreResult Restore(string connection, IReadOnlyList<DkgExportRow> rows) =>
        DkgShareStore.InTransaction(connection, readOnly: false, "keyvault-dkg-restore", (c, t, where) =>
    {
        bool hasStatus = HasStatusColumns(c, t, where);
        var present = Rows(c, t, hasStatus);
        var written = new List<string>();
        var same = new List<string>();
        foreach (var row in rows)
        {
            var hex = Hex.Encode(row.AggregateKey);
            var existing = present.FirstOrDefault(p => p.AggregateKey.AsSpan().SequenceEqual(row.AggregateKey));
            if (existing is not null)
            {
                if (!existing.SameAs(row))
                    throw new KeyVaultException(ErrorKind.BadInput,
                        $"the database already holds the DKG shares row {hex} with other values; nothing was written",
                        "restore into a fresh database created by the signer's migrations, or find out why the two differ");
                same.Add(hex);
                continue;
            }
            if (!hasStatus && (row.Status is not null || row.StartedAtBlockHash is not null || row.StartedAtBlockHeight is not null))
                throw new KeyVaultException(ErrorKind.BadInput,
                    $"the database is older than the export: it has no dkg_shares_status column (the signer's migration 0012), which row {hex} fills; nothing was written",
                    "create the database with the signer release the export was taken from, or let the signer's migrations run on it before the restore");
            // From migration 0012 on the status and the start block are NOT NULL, and the signer derives them for old
            // rows from the chain data in that same database (0012__dkg_verification_extensions.sql); a restore has
            // neither the data nor the right to guess them.
            if (hasStatus && (row.Status is null || row.StartedAtBlockHash is null || row.StartedAtBlockHeight is null))
                throw DkgRestoreError.RowBeforeMigration0012(hex);
            var cols = "aggregate_key, tweaked_aggregate_key, encrypted_private_shares, public_shares, script_pubkey, signer_set_public_keys, "
                       + "signature_share_threshold, created_at" + (hasStatus ? ", dkg_shares_status, started_at_bitcoin_block_hash, started_at_bitcoin_block_height" : "");
            var values = "@ak, @tak, @eps, @ps, @sp, @keys, @thr, @at" + (hasStatus ? ", @status::sbtc_signer.dkg_shares_status, @hash, @height" : "");
            using var insert = new NpgsqlCommand($"INSERT INTO sbtc_signer.dkg_shares ({cols}) VALUES ({values})", c, t);
            insert.Parameters.AddWithValue("ak", row.AggregateKey);
            insert.Parameters.AddWithValue("tak", row.TweakedAggregateKey);
            insert.Parameters.AddWithValue("eps", row.EncryptedPrivateShares);
            insert.Parameters.AddWithValue("ps", row.PublicShares);
            insert.Parameters.AddWithValue("sp", row.ScriptPubkey);
            insert.Parameters.AddWithValue("keys", row.SignerSetPublicKeys.ToArray());
            insert.Parameters.AddWithValue("thr", row.SignatureShareThreshold);
            insert.Parameters.AddWithValue("at", row.CreatedAt);
            if (hasStatus)
            {
                insert.Parameters.AddWithValue("status", (object?)row.Status ?? DBNull.Value);
                insert.Parameters.AddWithValue("hash", (object?)row.StartedAtBlockHash ?? DBNull.Value);
                insert.Parameters.AddWithValue("height", (object?)row.StartedAtBlockHeight ?? DBNull.Value);
            }
            insert.ExecuteNonQuery();
            written.Add(hex);
        }
        return new DkgRestoreResult(written, same);
    });

    private static IReadOnlyList<DkgExportRow> Rows(NpgsqlConnection c, NpgsqlTransaction t, bool hasStatus)
    {
        var extra = hasStatus ? "dkg_shares_status::text, started_at_bitcoin_block_hash, started_at_bitcoin_block_height" : "NULL::text, NULL::bytea, NULL::bigint";
        using var cmd = new NpgsqlCommand(
            "SELECT aggregate_key, tweaked_aggregate_key, encrypted_private_shares, public_shares, script_pubkey, signer_set_public_keys, "
            + $"signature_share_threshold, created_at, {extra} FROM sbtc_signer.dkg_shares ORDER BY created_at, aggregate_key", c, t);
        using var r = cmd.ExecuteReader();
        var rows = new List<DkgExportRow>();
        while (r.Read())
            rows.Add(new DkgExportRow(r.GetFieldValue<byte[]>(0), r.GetFieldValue<byte[]>(1), r.GetFieldValue<byte[]>(2), r.GetFieldValue<byte[]>(3),
                r.GetFieldValue<byte[]>(4), r.GetFieldValue<byte[][]>(5), r.GetInt32(6), r.GetFieldValue<DateTimeOffset>(7),
                r.IsDBNull(8) ? null : r.GetString(8), r.IsDBNull(9) ? null : r.GetFieldValue<byte[]>(9), r.IsDBNull(10) ? null : r.GetInt64(10)));
        return rows;
    }

    private static bool HasStatusColumns(NpgsqlConnection c, NpgsqlTransaction t, string where)
    {
        if (!DkgShareStore.HasTable(c, t, out bool hasStatus)) throw DrillError.DbNoTable(where);
        return hasStatus;
    }
}
