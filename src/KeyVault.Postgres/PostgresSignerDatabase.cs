using KeyVault.Dkg;

namespace KeyVault.Postgres;

/// <summary>The signer's database for the core's flows (<see cref="ISignerDatabase"/>), through Npgsql.</summary>
public sealed class PostgresSignerDatabase : ISignerDatabase
{
    /// <inheritdoc />
    public IDkgShareSource DkgShares(string connection) => new PostgresDkgShareSource(connection);

    /// <inheritdoc />
    public IReadOnlyList<DkgExportRow> ExportDkgShares(string connection) => DkgTable.Export(connection);

    /// <inheritdoc />
    public DkgRestoreResult RestoreDkgShares(string connection, IReadOnlyList<DkgExportRow> rows) => DkgTable.Restore(connection, rows);

    /// <inheritdoc />
    public bool HasPassword(string connection) => DkgShareStore.HasPassword(connection);
}
