using System.CommandLine;
using KeyVault.Cli.Infrastructure;
using KeyVault.Flows;

namespace KeyVault.Cli.Commands;

/// <summary><c>keyvault backup</c>: commands on whole backups.</summary>
internal sealed class BackupCommand : Command
{
    public BackupCommand(CliConsole console)
        : base("backup", "Work with whole backups of a key")
    {
        Add(new BackupRetireCommand(console));
    }
}

/// <summary><c>keyvault backup retire</c>: records in the new backup's manifest that an older backup of the same key is retired.</summary>
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

    public BackupRetireCommand(CliConsole console)
        : base("retire", "Retire a backup: its sheets are then named as \"destroy this sheet\" by share check and refused by restore")
    {
        Add(_old);
        Add(_new);
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
        SharedOptions.AtMostOneStdin([parse.GetValue(_old), parse.GetValue(_new), keyFile, parse.GetValue(_passphraseFile), .. shareFiles,
            parse.GetValue(_slip39PassphraseFile)]);
        var updated = CustodyFlows.Retire(console, parse.GetValue(_old)!, parse.GetValue(_new)!, parse.GetValue(_reason), keyFile,
            parse.GetValue(_passphraseFile), shareFiles, parse.GetValue(_slip39PassphraseFile));
        console.Out.WriteLine($"backup {updated.BackupId} retires {string.Join(", ", updated.Retired.Select(r => r.BackupId))}");
        return ExitCode.Success;
    }
}
