using System.CommandLine;
using KeyVault.Cli.Infrastructure;
using KeyVault.Errors;
using KeyVault.Flows;

namespace KeyVault.Cli.Commands;

/// <summary><c>keyvault passwd</c>: re-encrypts a key file with a new passphrase and/or new KDF parameters.</summary>
internal sealed class PasswdCommand : Command
{
    private readonly Argument<string> _file = new("FILE") { Description = "The key file to change in place" };
    private readonly Option<string?> _passphraseFile = SharedOptions.PassphraseFile();
    private readonly Option<string?> _newPassphraseFile = new("--new-passphrase-file")
    {
        Description = "Read the new passphrase from FILE (- for standard input) instead of asking twice",
        HelpName = "FILE",
    };
    private readonly Option<bool> _acceptWeak = SharedOptions.AcceptWeakPassphrase();
    private readonly Option<bool> _keepPassphrase = new("--keep-passphrase") { Description = "Keep the passphrase; change only the KDF parameters" };
    private readonly KeyFileOptions _kdf = new();

    public PasswdCommand(CliConsole console)
        : base("passwd", "Change a key file's passphrase and/or KDF parameters; the file is replaced only after the new one is verified")
    {
        Add(_file);
        Add(_passphraseFile);
        Add(_newPassphraseFile);
        Add(_acceptWeak);
        Add(_keepPassphrase);
        _kdf.AddTo(this);
        SetAction(parse => Reporter.Run(console, () => Execute(console, parse)));
    }

    private int Execute(CliConsole console, ParseResult parse)
    {
        var path = parse.GetValue(_file)!;
        bool keep = parse.GetValue(_keepPassphrase);
        if (path == "-")
            throw new KeyVaultException(ErrorKind.Usage, "passwd changes a file in place; it cannot read standard input", "give the key file's path");
        if (keep && parse.GetValue(_newPassphraseFile) is not null)
            throw new KeyVaultException(ErrorKind.Usage, "--keep-passphrase and --new-passphrase-file exclude each other", "give one of them");
        if (keep && !_kdf.AnyGiven(parse))
            throw new KeyVaultException(ErrorKind.Usage, "nothing to change: --keep-passphrase without any --kdf-* option",
                "give --kdf-memory, --kdf-iterations or --kdf-parallelism, or leave out --keep-passphrase");
        SharedOptions.AtMostOneStdin(parse.GetValue(_passphraseFile), parse.GetValue(_newPassphraseFile));

        using var interrupts = Interrupts.AbandonWritesOnSignal(console);
        var changed = KeyFileFlows.ChangePassphrase(console, new PassphraseChangeRequest(path, parse.GetValue(_passphraseFile),
            parse.GetValue(_newPassphraseFile), keep, _kdf.Change(parse), parse.GetValue(_acceptWeak)));
        console.Error.WriteLine(changed.KeptPassphrase
            ? $"keyvault: {path} re-encrypted ({changed.Kdf}) under the same passphrase"
            : $"keyvault: {path} re-encrypted ({changed.Kdf}) under the new passphrase; the old passphrase no longer opens it");
        return ExitCode.Success;
    }
}
