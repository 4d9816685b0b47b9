using KeyVault.Errors;

namespace KeyVault.Postgres;

/// <summary>The errors of putting DKG shares rows back into a signer database that concern the rows themselves.</summary>
internal static class DkgRestoreError
{
    /// <summary>A row exported from a database before migration 0012, restored into one past it.</summary>
    public static KeyVaultException RowBeforeMigration0012(string aggregateKeyHex) => new(ErrorKind.BadInput,
        $"row {aggregateKeyHex} of the export was taken before the signer's migration 0012: it has no dkg_shares_status and no started_at "
        + "block, which this database requires; nothing was written",
        "restore the pg_dump taken at that time instead and let the signer's migrations run on it: its migration 0012 derives both from "
        + "that database's chain data; a drill proves the export as it is");
}
