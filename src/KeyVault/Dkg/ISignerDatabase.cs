namespace KeyVault.Dkg;

/// <summary>
/// The signer's PostgreSQL database as the core reaches it. The core draws on no database library; KeyVault.Postgres
/// implements this with Npgsql, and a front end hands that implementation to the flows that need a database.
/// </summary>
public interface ISignerDatabase
{
    /// <summary>The drill's view of sbtc_signer.dkg_shares at <paramref name="connection"/> (read-only transaction).</summary>
    IDkgShareSource DkgShares(string connection);

    /// <summary>Every row of sbtc_signer.dkg_shares, every column, oldest first (read-only transaction).</summary>
    IReadOnlyList<DkgExportRow> ExportDkgShares(string connection);

    /// <summary>Puts <paramref name="rows"/> back in one transaction: missing rows inserted, identical ones left, none ever changed.</summary>
    DkgRestoreResult RestoreDkgShares(string connection, IReadOnlyList<DkgExportRow> rows);

    /// <summary>True when <paramref name="connection"/> carries a password.</summary>
    bool HasPassword(string connection);
}

/// <summary>What a restore of the DKG shares table did, row by row.</summary>
/// <param name="Written">Aggregate keys (hex) of the rows inserted.</param>
/// <param name="AlreadyThere">Aggregate keys of the rows already present with the same values.</param>
public sealed record DkgRestoreResult(IReadOnlyList<string> Written, IReadOnlyList<string> AlreadyThere);
