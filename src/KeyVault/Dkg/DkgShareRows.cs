using KeyVault.Codecs;
using KeyVault.Keys;

namespace KeyVault.Dkg;

/// <summary>One row of <c>sbtc_signer.dkg_shares</c>, as far as the drill needs it.</summary>
/// <param name="AggregateKey">The primary key: the DKG aggregate public key as the signer stored it.</param>
/// <param name="EncryptedPrivateShares">nonce(12) || ciphertext || tag(16).</param>
/// <param name="Status">dkg_shares_status (unverified, verified, failed), or null in databases older than that column.</param>
/// <param name="CreatedAt">When the signer wrote the row.</param>
public sealed record DkgShareRow(byte[] AggregateKey, byte[] EncryptedPrivateShares, string? Status, DateTimeOffset CreatedAt)
{
    /// <summary>The aggregate key in lowercase hex.</summary>
    public string AggregateKeyHex => Hex.Encode(AggregateKey);
}

/// <summary>The result of trying the rebuilt key on one row.</summary>
/// <param name="Row">The row (its encrypted blob is public data: useless without the key).</param>
/// <param name="Outcome">Opened, not opened, or malformed.</param>
public sealed record DkgShareResult(DkgShareRow Row, DkgBlobOutcome Outcome);

/// <summary>Trying a key on DKG share rows.</summary>
internal static class DkgShareRows
{
    /// <summary>Tries <paramref name="key"/> on every row.</summary>
    public static IReadOnlyList<DkgShareResult> CheckAll(SecretKey key, IEnumerable<DkgShareRow> rows) =>
        rows.Select(row => new DkgShareResult(row, DkgShares.Check(key, row.EncryptedPrivateShares))).ToList();
}
