using System.CommandLine;
using KeyVault.Cli.Infrastructure;
using KeyVault.Keys;

namespace KeyVault.Cli.Commands;

/// <summary><c>keyvault generate</c>: a new signer key, written straight into an encrypted key file.</summary>
internal sealed class GenerateCommand : Command
{
    private readonly KeyFileSaver _saver = new();
    private readonly Option<bool> _dice = new("--dice") { Description = $"Mix at least {DiceRolls.MinimumRolls} rolls of a six-sided die (typed, not echoed) into the system randomness" };

    public GenerateCommand(CliConsole console)
        : base("generate", "Generate a new signer key and save it in a passphrase-encrypted key file")
    {
        _saver.AddTo(this);
        Add(_dice);
        SetAction(parse => Reporter.Run(console, () => Execute(console, parse), offersForce: true));
    }

    private int Execute(CliConsole console, ParseResult parse)
    {
        var kdf = _saver.Precheck(parse);
        using var dice = parse.GetValue(_dice) ? DiceInput.Read(console) : null;
        using var passphrase = _saver.NewPassphrase(console, parse);
        using var key = dice is null ? KeyGenerator.Generate() : KeyGenerator.Generate(dice);
        return _saver.Save(console, parse, key, passphrase, kdf);
    }
}
