using System.CommandLine;
using KeyVault.Cli.Infrastructure;
using KeyVault.IO;

namespace KeyVault.Cli.Commands;

/// <summary><c>keyvault reveal</c>: decrypts a key file and writes the key in a signer's format.</summary>
internal sealed class RevealCommand : Command
{
    private readonly Argument<string> _file = new("FILE") { Description = "The encrypted key file (binary or armored; - for standard input)" };
    private readonly Option<string> _format = new Option<string>("--format")
    {
        Description = "Output format: hex (64), stacks (66, ending 01), sbtc-toml ([signer] private_key), env (SIGNER_SIGNER__PRIVATE_KEY=)",
        DefaultValueFactory = _ => "hex",
    }.AcceptOnlyFromAmong(SharedOptions.OutputFormatNames);
    private readonly Option<string> _out = new("--out")
    {
        Description = "Write the key to PATH (created new, mode 0600); - writes it to standard output",
        HelpName = "PATH",
        Required = true,
    };
    private readonly Option<string?> _passphraseFile = SharedOptions.PassphraseFile();
    private readonly Option<bool> _force = SharedOptions.Force();

    public RevealCommand(CliConsole console)
        : base("reveal", "Decrypt a key file and write the private key in a signer's format")
    {
        Add(_file);
        Add(_format);
        Add(_out);
        Add(_passphraseFile);
        Add(_force);
        SetAction(parse => Reporter.Run(console, () => Execute(console, parse), offersForce: true));
    }

    private int Execute(CliConsole console, ParseResult parse)
    {
        var file = parse.GetValue(_file)!;
        var output = parse.GetValue(_out)!;
        SharedOptions.AtMostOneStdin(file, parse.GetValue(_passphraseFile));
        var format = SharedOptions.ParseOutputFormat(parse.GetValue(_format)!);
        if (output != "-") AtomicFile.RequireAbsent(output, overwrite: parse.GetValue(_force));
        using var interrupts = Interrupts.AbandonWritesOnSignal(console);
        if (output != "-") KeyFileWriting.RemoveStaleTemporaries(console, output);

        var header = KeyFileWriting.Read(console, file);
        using var passphrase = Inputs.ExistingPassphrase(console, parse.GetValue(_passphraseFile), Inputs.KeyFilePrompt(file));
        using var key = header.Decrypt(passphrase, new KdfProgressPrinter(console, "decrypting"));
        KeyOutput.Write(console, key, format, output, parse.GetValue(_force));
        return ExitCode.Success;
    }
}
