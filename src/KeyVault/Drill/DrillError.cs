using KeyVault.Errors;

namespace KeyVault.Drill;

/// <summary>
/// Every operator-facing error message of the restore drill, in one place. None may include secret material
/// (keys, decrypted shares, database passwords); they name fields, lengths, positions and rules instead.
/// </summary>
internal static class DrillError
{
    private const string ExpectHint =
        "give a compressed public key (66 hex characters), a Stacks address (SP… or ST…), "
        + "an identity file (KeyVault's identity of the key, in JSON), or the signer's config file";

    public static KeyVaultException ExpectEmpty() => new(ErrorKind.BadInput,
        "the expected identity is empty", ExpectHint);

    public static KeyVaultException ExpectUnrecognised(int length) => new(ErrorKind.BadInput,
        $"the expected identity ({length} characters) is neither a compressed public key nor a Stacks address", ExpectHint);

    public static KeyVaultException ExpectBadAddress() => new(ErrorKind.BadInput,
        "the expected Stacks address is not valid c32check (wrong character, length or checksum)",
        "copy the address again exactly as the stacks-signer's check-config or KeyVault's identity prints it");

    public static KeyVaultException ExpectMultisigAddress(char letter) => new(ErrorKind.BadInput,
        $"S{letter}… is a multi-signature address; a signer key's own address is single-signature",
        "give the signer's SP… (mainnet) or ST… (testnet) address, or its public key");

    public static KeyVaultException ExpectUnknownAddressVersion(int version) => new(ErrorKind.BadInput,
        $"the Stacks address has version {version}, which is not a single-signature version (22 = SP, 26 = ST)",
        "give the signer's SP… or ST… address, or its public key");

    public static KeyVaultException IdentityFileNotJson(long line, long position) => new(ErrorKind.BadInput,
        $"the identity file is not valid JSON (line {line + 1}, byte {position + 1})",
        "write the identity file again, or give the public key directly", code: ErrorCodes.IdentityFileUnreadable, facts: ErrorFacts.Of((ErrorFacts.Line, line + 1), (ErrorFacts.Position, position + 1)));

    public static KeyVaultException IdentityFileField(string field) => new(ErrorKind.BadInput,
        $"the identity file has no string field \"{field}\"",
        "an identity file holds publicKey, fingerprint, stacksAddress.mainnet/testnet and peerId", code: ErrorCodes.IdentityFileUnreadable, facts: ErrorFacts.Of((ErrorFacts.Field, field)));

    public static KeyVaultException IdentityFileInconsistent(string field) => new(ErrorKind.BadInput,
        $"the identity file is not self-consistent: \"{field}\" does not belong to its publicKey",
        "the file was edited or mixes two keys; write the identity file again", code: ErrorCodes.IdentityFileUnreadable, facts: ErrorFacts.Of((ErrorFacts.Field, field)));

    public static KeyVaultException DbBadConnectionString() => new(ErrorKind.BadInput,
        "the PostgreSQL connection string is not valid",
        "give the signer's db_endpoint URL (postgresql://reader@db.example:5432/signer) or an Npgsql string such as Host=db.example;Port=5432;Database=signer;Username=reader (keep the password in ~/.pgpass)");

    public static KeyVaultException DbCannotConnect(string where, string reason) => new(ErrorKind.BadInput,
        $"could not connect to PostgreSQL at {where}: {reason}",
        "check host, port, database and user, that the server accepts this client, and the password in ~/.pgpass");

    public static KeyVaultException DbAuthentication(string where, string reason) => new(ErrorKind.BadInput,
        $"PostgreSQL at {where} refused the login: {reason}",
        "check the user name and the password in ~/.pgpass (or PGPASSFILE)");

    public static KeyVaultException DbNoTable(string where) => new(ErrorKind.BadInput,
        $"the database at {where} has no table sbtc_signer.dkg_shares",
        "connect to the sBTC signer's own database (the one its [signer] db_endpoint names), or restore its backup first");

    public static KeyVaultException DbPermission(string where) => new(ErrorKind.BadInput,
        $"the user at {where} may not read sbtc_signer.dkg_shares",
        "connect as a user with SELECT on sbtc_signer.dkg_shares (USAGE on schema sbtc_signer)");

    public static KeyVaultException DbQueryFailed(string where, string reason) => new(ErrorKind.BadInput,
        $"reading sbtc_signer.dkg_shares at {where} failed: {reason}",
        "check that the database is an sBTC signer database and that its migrations have run");

    public static KeyVaultException DbWriteFailed(string where, string reason) => new(ErrorKind.BadInput,
        $"writing sbtc_signer.dkg_shares at {where} failed, nothing was written: {reason}",
        "restore into a database the signer's migrations created, as a user that may insert into sbtc_signer.dkg_shares");

    public static KeyVaultException DbWritePermission(string where) => new(ErrorKind.BadInput,
        $"the user at {where} may not write sbtc_signer.dkg_shares; nothing was written",
        "restore as the signer's own database user, or one with INSERT on sbtc_signer.dkg_shares (USAGE on schema sbtc_signer)");

    public static KeyVaultException EmptyConnectionFile(string path) => new(ErrorKind.BadInput,
        $"{path} holds no connection string",
        "write one line such as Host=db.example;Database=signer;Username=reader into it");

    public static KeyVaultException ReportNotJson(long line, long position) => new(ErrorKind.DamagedFile,
        $"the drill report is not valid JSON (line {line + 1}, byte {position + 1})",
        "give the report file unchanged, as the drill wrote it", code: ErrorCodes.DrillReportAltered, facts: ErrorFacts.Of((ErrorFacts.Line, line + 1), (ErrorFacts.Position, position + 1)));

    public static KeyVaultException ReportMalformed(string what) => new(ErrorKind.DamagedFile,
        $"the drill report is malformed: {what}",
        "give the report file unchanged, as the drill wrote it", code: ErrorCodes.DrillReportAltered);

    public static KeyVaultException ReportUnsupported(string format, string version) => new(ErrorKind.DamagedFile,
        $"the file is not a drill report this version reads (format \"{format}\", version {version})",
        "a drill report has \"format\": \"keyvault-drill-report\" and \"version\": 1");
}
