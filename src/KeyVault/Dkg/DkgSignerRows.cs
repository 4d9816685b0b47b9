using KeyVault.Codecs;
using KeyVault.Errors;

namespace KeyVault.Dkg;

/// <summary>
/// Which rows of sbtc_signer.dkg_shares the sBTC signer actually loads (signer/src/storage/postgres.rs): the newest
/// row (ORDER BY created_at DESC LIMIT 1), the newest verified row, the newest row that has not failed, and a row
/// asked for by its aggregate key. A drill's verdict rests on those rows only; older rows — for instance from before
/// a signer-key change — stay in the table but are never used, and a drill lists them for information.
/// </summary>
internal static class DkgSignerRows
{
    /// <summary>The signer's query that returns the newest row.</summary>
    public const string Newest = "newest row";
    /// <summary>The signer's query that returns the newest verified row.</summary>
    public const string NewestVerified = "newest verified row";
    /// <summary>The signer's query that returns the newest row whose status is not failed.</summary>
    public const string NewestNotFailed = "newest row not failed";
    /// <summary>A row named by its aggregate key.</summary>
    public const string Named = "row named by its aggregate key";

    /// <summary>
    /// For each row, the signer's queries that return it (empty for a row the signer never loads). With
    /// <paramref name="aggregateKeys"/>, only the rows named are loaded (33-byte compressed or 32-byte x-only keys,
    /// matched as the signer matches them: on the x-coordinate).
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> Roles(IReadOnlyList<DkgShareRow> rows, IReadOnlyList<byte[]>? aggregateKeys = null)
    {
        var roles = rows.Select(_ => new List<string>()).ToList();
        if (aggregateKeys is { Count: > 0 })
        {
            for (int i = 0; i < rows.Count; i++)
                if (aggregateKeys.Any(k => XOnly(k).SequenceEqual(XOnly(rows[i].AggregateKey)))) roles[i].Add(Named);
            return roles;
        }
        Mark(rows, roles, _ => true, Newest);
        Mark(rows, roles, r => r.Status == "verified", NewestVerified);
        Mark(rows, roles, r => r.Status is not null && r.Status != "failed", NewestNotFailed);
        return roles;
    }

    /// <summary>The aggregate keys of <paramref name="aggregateKeys"/> that no row has.</summary>
    public static IReadOnlyList<byte[]> Missing(IReadOnlyList<DkgShareRow> rows, IReadOnlyList<byte[]> aggregateKeys) =>
        aggregateKeys.Where(k => !rows.Any(r => XOnly(k).SequenceEqual(XOnly(r.AggregateKey)))).ToList();

    /// <summary>Parses an aggregate key given by the operator: 66 hex (compressed) or 64 hex (x-only).</summary>
    public static byte[] ParseAggregateKey(string text)
    {
        var t = text.Trim();
        if (t.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) t = t[2..];
        var bytes = t.Length is 64 or 66 ? Hex.TryDecode(t) : null;
        if (bytes is null || (bytes.Length == 33 && bytes[0] is not (2 or 3)))
            throw new KeyVaultException(ErrorKind.BadInput, "the aggregate key is not 66 hex characters starting 02 or 03, nor a 64-character x-only key",
                "copy it as the sbtc-registry contract or the signer's database shows it");
        return bytes;
    }

    private static ReadOnlySpan<byte> XOnly(byte[] key) => key.Length == 33 ? key.AsSpan(1) : key;

    private static void Mark(IReadOnlyList<DkgShareRow> rows, List<List<string>> roles, Func<DkgShareRow, bool> where, string role)
    {
        int best = -1;
        for (int i = 0; i < rows.Count; i++)
            if (where(rows[i]) && (best < 0 || rows[i].CreatedAt > rows[best].CreatedAt)) best = i;
        if (best >= 0) roles[best].Add(role);
    }
}
