using KeyVault.Errors;

namespace KeyVault.Signers;

/// <summary>Why a drill report does not allow the previous key's backup to be retired, each with what to do.</summary>
internal static class RetirementError
{
    public static KeyVaultException NotReport(string source, string why) => new(ErrorKind.DamagedFile,
        $"{source} is not an authentic drill report: {why}", "give the report file the drill of the new key wrote, unchanged");

    public static KeyVaultException OtherKey(string source, string drilled, string newKey) => new(ErrorKind.IdentityMismatch,
        $"{source} is a drill of key {drilled}, not of the new key {newKey}",
        "give the report of a drill of the new key's backup against the signer's DKG shares");

    public static KeyVaultException DrillFailed(string source, string outcome) => new(ErrorKind.BadInput,
        $"{source} records a drill that did not pass ({outcome})",
        "the old backup stays superseded, still needed; find and fix what failed, drill the new key again and use that report");

    public static KeyVaultException NoDkgProof(string source, bool onlyBlobs) => new(ErrorKind.BadInput,
        onlyBlobs
            ? $"{source} proves DKG shares of a blob file only, which names no aggregate key"
            : $"{source} proves no DKG shares: the old backup may be retired only once the new key is proven to open the DKG shares of an aggregate key made with it",
        "after the new signer set's DKG round, drill the new key against the signer's database or a dump of it, and use that report; "
        + "until then the old backup stays superseded, still needed");
}
