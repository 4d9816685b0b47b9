using System.CommandLine;
using KeyVault.Cli.Infrastructure;
using KeyVault.IO;
using KeyVault.Keys;

namespace KeyVault.Cli.Commands;

/// <summary><c>keyvault import</c>: an existing signer key, written into an encrypted key file.</summary>
internal sealed class ImportCommand : Command
{
    private readonly KeyFileSaver _saver = new();
    private readonly Option<string> _from = new("--from") { Description = "Read the private key from FILE (- for standard input)", HelpName = "FILE", Required = true };
    private readonly Option<string> _format = SharedOptions.InputFormat();

    public ImportCommand(CliConsole console)
        : base("import", "Save an existing signer key in a passphrase-encrypted key file")
    {
        Add(_from);
        Add(_format);
        _saver.AddTo(this);
        SetAction(parse => Reporter.Run(console, () => Execute(console, parse), offersForce: true));
    }

    private int Execute(CliConsole console, ParseResult parse)
    {
        var from = parse.GetValue(_from)!;
        SharedOptions.AtMostOneStdin(from, parse.GetValue(_saver.PassphraseFile));
        var kdf = _saver.Precheck(parse);
        var content = Inputs.ReadAll(console, from);
        SecretKey key;
        try
        {
            key = SignerKeyFormats.Import(content, SharedOptions.ParseInputFormat(parse.GetValue(_format)!));
        }
        finally
        {
            SecretBuffers.Wipe(content);
        }
        using (key)
        {
            using var passphrase = _saver.NewPassphrase(console, parse);
            return _saver.Save(console, parse, key, passphrase, kdf);
        }
    }
}
