using KeyVault.Dkg;

namespace KeyVault.Postgres;

/// <summary>A live signer database as a drill's source of DKG share rows (read-only transaction).</summary>
/// <param name="connectionString">An Npgsql connection string.</param>
public sealed class PostgresDkgShareSource(string connectionString) : IDkgShareSource
{
    /// <inheritdoc />
    public string Description => "sbtc_signer.dkg_shares";

    /// <inheritdoc />
    public IReadOnlyList<DkgShareRow> ReadRows() => DkgShareStore.ReadAll(connectionString);
}
