using System.CommandLine;
using KeyVault.Cli.Infrastructure;
using KeyVault.Errors;
using KeyVault.Flows;

namespace KeyVault.Cli.Commands;

/// <summary><c>keyvault backup</c>: commands on whole backups.</summary>
internal sealed class BackupCommand : Command
{
    public BackupCommand(CliConsole console)
        : base("backup", "Work with whole backups of a key")
    {
        Add(new BackupRetireCommand(console, supersede: false));
        Add(new BackupRetireCommand(console, supersede: true));
    }
}

/// <summary>
/// <c>keyvault backup retire</c>: records in the new backup's manifest that an older backup is retired, of the same key
/// or, with the successor statement and a drill report of the new key, of the previous key; <c>keyvault backup
/// supersede</c>: records a backup of the previous key as superseded and still needed.
/// </summary>
internal sealed class BackupRetireCommand : Command
{
    private readonly Option<string> _old = new("--manifest") { Description = "The manifest.json of the backup to retire", HelpName = "OLD", Required = true };
    private readonly Option<string> _new = new("--replaced-by")
    {
        Description = "The manifest.json of the new backup of the same key; it is updated in place and re-signed",
        HelpName = "NEW",
        Required = true,
    };
    private readonly Option<string?> _reason = new("--reason") { Description = "Why (default: \"replaced by backup N\")", HelpName = "TEXT" };
    private readonly Option<string?> _statement = new("--successor-statement")
    {
        Description = "For a backup of the previous key: the successor statement of the rotation (keyvault rotate accept wrote it)",
        HelpName = "FILE",
    };
    private readonly Option<string?> _drillReport = new("--drill-report")
    {
        Description = "For a backup of the previous key: the report of a drill of the new key that proved DKG shares (keyvault drill --report)",
        HelpName = "FILE",
    };
    private readonly bool _supersede;
    private readonly Option<string?> _keyFile = new("--key-file") { Description = "The encrypted key file, to re-sign the new manifest", HelpName = "FILE" };
    private readonly Option<string?> _passphraseFile = SharedOptions.PassphraseFile();
    private readonly Option<string[]> _shareFiles = new("--share-file")
    {
        Description = "Instead of --key-file: share files enough to rebuild the key (repeat)",
        HelpName = "FILE",
    };
    private readonly Option<string?> _slip39PassphraseFile = new("--slip39-passphrase-file")
    {
        Description = "The SLIP-0039 passphrase of the shares given, if they have one",
        HelpName = "FILE",
    };

    public BackupRetireCommand(CliConsole console, bool supersede)
        : base(supersede ? "supersede" : "retire", supersede
            ? "Record the previous key's backup as superseded after a rotation, but still needed: share check then says to keep its sheets"
            : "Retire a backup: its sheets are then named as \"destroy this sheet\" by share check and refused by restore")
    {
        _supersede = supersede;
        if (supersede)
        {
            _old.Description = "The manifest.json of the previous key's backup";
            _new.Description = "The manifest.json of the new key's backup; it is updated in place and re-signed";
            _statement.Required = true;
            _statement.Description = "The successor statement of the rotation (keyvault rotate accept wrote it)";
        }
        Add(_old);
        Add(_new);
        Add(_statement);
        if (!supersede) Add(_drillReport);
        Add(_reason);
        Add(_keyFile);
        Add(_passphraseFile);
        Add(_shareFiles);
        Add(_slip39PassphraseFile);
        SetAction(parse => Reporter.Run(console, () => Execute(console, parse)));
    }

    private int Execute(CliConsole console, ParseResult parse)
    {
        var keyFile = parse.GetValue(_keyFile);
        var shareFiles = parse.GetValue(_shareFiles) ?? [];
        if (keyFile is not null && shareFiles.Length > 0) throw CustodyCliErrors.TwoSources("--key-file", "--share-file");
        if (parse.GetValue(_passphraseFile) is not null && keyFile is null) throw CustodyCliErrors.PassphraseWithoutKeyFile();
        var statement = parse.GetValue(_statement);
        var drillReport = _supersede ? null : parse.GetValue(_drillReport);
        if (drillReport is not null && statement is null)
            throw new KeyVaultException(ErrorKind.Usage, "--drill-report applies to a backup of the previous key, which also needs --successor-statement FILE");
        SharedOptions.AtMostOneStdin([parse.GetValue(_old), parse.GetValue(_new), keyFile, parse.GetValue(_passphraseFile), .. shareFiles,
            parse.GetValue(_slip39PassphraseFile), statement, drillReport]);
        var rotation = statement is null ? null : new RetireAcrossRotation(statement, drillReport, StillNeeded: _supersede);
        var updated = CustodyFlows.Retire(console, parse.GetValue(_old)!, parse.GetValue(_new)!, parse.GetValue(_reason), keyFile,
            parse.GetValue(_passphraseFile), shareFiles, parse.GetValue(_slip39PassphraseFile), rotation);
        var retired = updated.Retired.Where(r => !r.StillNeeded).Select(r => r.BackupId).ToList();
        var kept = updated.Retired.Where(r => r.StillNeeded).Select(r => r.BackupId).ToList();
        console.Out.WriteLine($"backup {updated.BackupId} retires {(retired.Count == 0 ? "none" : string.Join(", ", retired))}"
                              + (kept.Count == 0 ? "" : $"; supersedes, still needed: {string.Join(", ", kept)}"));
        return ExitCode.Success;
    }
}
