namespace KeyVault.Dkg;

/// <summary>
/// Where a drill finds the signer's DKG share rows: a live database (the KeyVault.Postgres assembly), and later
/// backups of it. Implementations read public data only and never see the key.
/// </summary>
public interface IDkgShareSource
{
    /// <summary>What the rows come from, for reports: "user@host:port/db", a file name. Never a password.</summary>
    string Description { get; }

    /// <summary>Every row of sbtc_signer.dkg_shares, oldest first; throws <see cref="Errors.KeyVaultException"/> when they cannot be read.</summary>
    IReadOnlyList<DkgShareRow> ReadRows();
}
