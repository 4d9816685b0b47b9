using KeyVault.Errors;

namespace KeyVault.Cli.Infrastructure;

/// <summary>Option-combination errors of the custody commands (share, restore, manifest, backup, split --seal-to).</summary>
internal static class CustodyCliErrors
{
    /// <summary>Refuses --seal-to combinations that cannot work.</summary>
    public static void CheckSealOptions(string? custodiansFile, bool armor, bool custodianNames)
    {
        if (custodiansFile is null && armor)
            throw new KeyVaultException(ErrorKind.Usage, "--armor applies to sealed shares only",
                "add --custodians-file FILE naming a recipient for each custodian whose share is sealed, or leave out --armor");
        if (custodiansFile is not null && custodianNames)
            throw new KeyVaultException(ErrorKind.Usage, "--custodian and --custodians-file both name the custodians",
                "name every custodian in the custodians file only (NAME = RECIPIENT for a sealed share, NAME for a paper one)");
    }

    public static KeyVaultException TwoSources(string a, string b) => new(ErrorKind.Usage,
        $"{a} and {b} exclude each other: one share at a time", $"give {a} or {b}");

    public static KeyVaultException IdentityWithoutShareFile() => new(ErrorKind.Usage,
        "--identity opens a sealed share file, and no --share-file was given", "add --share-file FILE.age, or leave out --identity");

    public static KeyVaultException PassphraseWithoutKeyFile() => new(ErrorKind.Usage,
        "--passphrase-file is the key file's passphrase, but no --key-file was given", "add --key-file FILE, or leave out --passphrase-file");

    public static KeyVaultException NoShareFiles() => new(ErrorKind.Usage,
        "no --share-file given", "give at least the member threshold of share files of the share's group");

    public static KeyVaultException SessionDrillAlone() => new(ErrorKind.Usage,
        "--restore-session is drilled on its own: without --key-file, --passphrase-file, --share-file, --shares, any --dkg-… option or --report",
        "drill the session alone, and the key file or shares in a second run");
}
