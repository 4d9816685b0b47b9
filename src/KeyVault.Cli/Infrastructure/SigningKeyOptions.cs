using System.CommandLine;
using KeyVault.Flows;

namespace KeyVault.Cli.Infrastructure;

/// <summary>
/// The options of a command that signs with the cold key (<c>set attest</c>, <c>sign …</c>): a key file with its
/// passphrase file, or share files with their SLIP-0039 passphrase file and age identities.
/// </summary>
internal sealed class SigningKeyOptions
{
    private readonly Option<string?> _keyFile = new("--key-file")
    {
        Description = "Sign with the key in this encrypted key file (its passphrase is asked, or read from --passphrase-file)",
        HelpName = "FILE",
    };
    private readonly Option<string?> _passphraseFile = SharedOptions.PassphraseFile();
    private readonly Option<string[]> _shareFiles = new("--share-file")
    {
        Description = "Sign with the key these SLIP-0039 share files rebuild (repeat for each share; sealed .age files need --identity)",
        HelpName = "FILE",
    };
    private readonly Option<string?> _slip39PassphraseFile = new("--slip39-passphrase-file")
    {
        Description = "The SLIP-0039 passphrase the shares were made with, read from FILE (default: none)",
        HelpName = "FILE",
    };
    private readonly Option<string[]> _identities = SharedOptions.Identities();

    public void AddTo(Command command)
    {
        command.Add(_keyFile);
        command.Add(_passphraseFile);
        command.Add(_shareFiles);
        command.Add(_slip39PassphraseFile);
        command.Add(_identities);
    }

    /// <summary>The source the options name, checked before any secret is asked for.</summary>
    public SigningKeySource Read(ParseResult parse)
    {
        var source = new SigningKeySource
        {
            KeyFile = parse.GetValue(_keyFile),
            PassphraseFile = parse.GetValue(_passphraseFile),
            ShareFiles = parse.GetValue(_shareFiles) ?? [],
            Slip39PassphraseFile = parse.GetValue(_slip39PassphraseFile),
            Identities = parse.GetValue(_identities) ?? [],
        };
        SigningKeys.Precheck(source);
        return source;
    }
}
