using KeyVault.Errors;

namespace KeyVault.Cli.Infrastructure;

/// <summary>
/// The messages of the <c>drill</c> command that are not the library's: option combinations and the mapping of a
/// source's failure to "could not rebuild". None quotes a secret or a connection string.
/// </summary>
internal static class DrillCliError
{
    private const string Example = "keyvault drill --expect SP… --key-file signer.kvk --shares";

    public static KeyVaultException NoExpect() => new(ErrorKind.Usage,
        "the drill needs the identity the backup should rebuild (--expect)",
        "give --expect with the signer's public key, its Stacks address, an identity file or its config file");

    public static KeyVaultException NoBackup() => new(ErrorKind.Usage,
        "the drill needs a backup to test: --key-file FILE and/or shares (--share-file FILE … or --shares)",
        Example);

    public static KeyVaultException SharesTwice() => new(ErrorKind.Usage,
        "--shares (type them at the prompt) and --share-file cannot be combined",
        "give every share as a file, or type every share at the prompt");

    public static KeyVaultException PassphraseWithoutKeyFile() => new(ErrorKind.Usage,
        "--passphrase-file is the key file's passphrase, but no --key-file was given", Example);

    public static KeyVaultException Slip39PassphraseWithoutShares() => new(ErrorKind.Usage,
        "--slip39-passphrase-file is the shares' passphrase, but no shares were asked for", Example);

    public static KeyVaultException AggregateKeyWithoutRows() => new(ErrorKind.Usage,
        "--dkg-aggregate-key names a row, but no database or backup was given to look in",
        "add --dkg-db, --dkg-db-file, --dkg-from-config, --dkg-dump or --dkg-export");

    public static KeyVaultException TwoDatabases() => new(ErrorKind.Usage,
        "give at most one of --dkg-db, --dkg-db-file, --dkg-from-config, --dkg-dump and --dkg-export",
        "--dkg-db-file FILE keeps the connection string (and any password in it) off the command line");

    public static KeyVaultException ShareFileMissing(string path) => new(ErrorKind.BadInput,
        $"{path} does not exist", "check the path of each --share-file");

    public static KeyVaultException ReportNotValid(string problem) => new(ErrorKind.DamagedFile,
        $"the drill report is not valid: {problem}",
        "use the report as `keyvault drill --report` wrote it; a changed report cannot be trusted");

    public static KeyVaultException ReportOtherKey(string fingerprint) => new(ErrorKind.IdentityMismatch,
        $"the report is valid, but it was signed by key {fingerprint}, not the expected identity",
        "check that this is the report of this signer's drill");
}
