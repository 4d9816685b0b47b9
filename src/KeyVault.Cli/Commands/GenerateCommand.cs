using System.CommandLine;
using KeyVault.Cli.Infrastructure;
using KeyVault.Errors;
using KeyVault.IO;
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
        SetAction(parse => Reporter.Run(console, () => Execute(console, parse)));
    }

    private int Execute(CliConsole console, ParseResult parse)
    {
        var kdf = _saver.Precheck(parse);
        using var dice = parse.GetValue(_dice) ? ReadDice(console) : null;
        using var passphrase = Inputs.NewPassphrase(console, parse.GetValue(_saver.PassphraseFile));
        using var key = dice is null ? KeyGenerator.Generate() : KeyGenerator.Generate(dice);
        return _saver.Save(console, parse, key, passphrase, kdf);
    }

    /// <summary>Reads at least <see cref="DiceRolls.MinimumRolls"/> rolls at the terminal, without echo; used by generate and ceremony.</summary>
    internal static DiceRolls ReadDice(CliConsole console)
    {
        if (!console.IsInteractive)
            throw new KeyVaultException(ErrorKind.Usage, "--dice needs a terminal to type the rolls on", "run it on a terminal, or leave out --dice");
        var dice = new DiceRolls();
        try
        {
            console.Error.WriteLine($"keyvault: roll a six-sided die and type the results (digits 1-6, spaces allowed); {DiceRolls.MinimumRolls} rolls are needed. Input is not shown.");
            while (!dice.IsEnough)
            {
                var line = console.ReadSecretLine($"Rolls ({dice.Remaining} still needed): ")
                           ?? throw new KeyVaultException(ErrorKind.Cancelled, "cancelled while typing dice rolls", "run the command again when ready");
                try
                {
                    dice.Add(line);
                }
                catch (KeyVaultException ex)
                {
                    Reporter.Error(console, ex.Message + "; that line was not used", ex.Hint);
                }
                finally
                {
                    SecretBuffers.Wipe(line);
                }
            }
            console.Error.WriteLine($"keyvault: {dice.Count} rolls accepted");
            return dice;
        }
        catch
        {
            dice.Dispose();
            throw;
        }
    }
}
