using KeyVault.Errors;
using KeyVault.Signing;

namespace KeyVault.Signers;

/// <summary>The errors of a handover record and of making one, each with what to do. None holds a secret.</summary>
internal static class HandoverError
{
    public static KeyVaultException Malformed(string detail) => new(ErrorKind.DamagedFile,
        $"the handover record is damaged or not one: {detail}", "use the record file as it was written and signed");

    public static KeyVaultException Field(string field, string rule) => new(ErrorKind.BadInput,
        $"{field} {rule}", "correct the value and run the command again");

    public static KeyVaultException DumpDirectory(string path) => new(ErrorKind.BadInput,
        $"{path} is a directory-format dump, and a handover record names one file by its SHA-256",
        "take the final dump as one file, in pg_dump's custom format (or plain or tar), then drill that file");

    public static KeyVaultException NoDkgData(string dump) => new(ErrorKind.BadInput,
        $"{dump} holds no data of sbtc_signer.dkg_shares, so the new host would start without the signer's DKG shares",
        "dump the whole signer database, its tables with their data, and drill that dump");

    public static KeyVaultException NoVerifiedRow(string dump) => new(ErrorKind.BadInput,
        $"{dump} holds no sbtc_signer.dkg_shares row with status verified, so the signer on the new host would have no aggregate key to sign for",
        "dump the database of the signer that is stopping (its [signer] db_endpoint), after it stopped");

    public static KeyVaultException BadAggregateKey(string dump) => new(ErrorKind.DamagedFile,
        $"{dump}: the newest verified row's aggregate_key is not a 33-byte compressed key",
        "check that the dump is of an sBTC signer database, as pg_dump wrote it");

    public static KeyVaultException RowAfterStop(string dump, DateTimeOffset created, DateTimeOffset stopped) => new(ErrorKind.BadInput,
        $"{dump} holds a DKG shares row created at {SignedDocument.FormatTime(created)}, after the old instance stopped ({SignedDocument.FormatTime(stopped)})",
        "give the time the old instance really stopped (its last log line), or take the dump again after it stopped");

    public static KeyVaultException DrillNotValid(string problem) => new(ErrorKind.BadInput,
        $"the drill report does not verify: {problem}", "give the report of the drill of this dump, unchanged");

    public static KeyVaultException DrillFailed(string result) => new(ErrorKind.BadInput,
        $"the drill report's result is {result}, not pass: the dump and the key were not proven to restore together",
        "fix what the drill found, drill the final dump again, and give that report");

    public static KeyVaultException DrillOfAnotherDump(string what) => new(ErrorKind.IdentityMismatch,
        $"the drill report is not the drill of this dump: {what}",
        "drill this very dump file with the signer key and give that report");

    public static KeyVaultException DrillBeforeStop(DateTimeOffset drilled, DateTimeOffset stopped) => new(ErrorKind.BadInput,
        $"the drill ran at {SignedDocument.FormatTime(drilled)}, before the old instance stopped ({SignedDocument.FormatTime(stopped)}): it cannot be the drill of the final dump",
        "take the final dump after the old instance stopped, drill it, and give that report");

    public static KeyVaultException StoppedInFuture(DateTimeOffset stopped) => new(ErrorKind.BadInput,
        $"the stop time {SignedDocument.FormatTime(stopped)} is in the future",
        "stop the old instance first, and give the time it stopped (UTC, e.g. 2026-01-31T12:00:00Z)");
}
