using KeyVault.Errors;
using KeyVault.IO;
using KeyVault.Interaction;

namespace KeyVault.Keys;

/// <summary>Dice rolls typed at the terminal, without echo; used by key generation and the ceremony.</summary>
public static class DiceInput
{
    /// <summary>Reads at least <see cref="DiceRolls.MinimumRolls"/> rolls; a bad line is explained and not used. The caller disposes the rolls.</summary>
    public static DiceRolls Read(IOperator op)
    {
        if (!op.CanAsk)
            throw new KeyVaultException(ErrorKind.Usage, "dice rolls need a terminal to be typed on", "run it on a terminal, or without dice",
                code: ErrorCodes.DiceNeedTerminal);
        var dice = new DiceRolls();
        try
        {
            op.Note($"roll a six-sided die and type the results (digits 1-6, spaces allowed); {DiceRolls.MinimumRolls} rolls are needed. Input is not shown.");
            while (!dice.IsEnough)
            {
                var line = op.AskSecret($"Rolls ({dice.Remaining} still needed): ")
                           ?? throw new KeyVaultException(ErrorKind.Cancelled, "cancelled while typing dice rolls", "run the command again when ready");
                try
                {
                    dice.Add(line);
                }
                catch (KeyVaultException ex)
                {
                    op.Problem(new KeyVaultException(ex.Kind, ex.Message + "; that line was not used", ex.Hint, ex));
                }
                finally
                {
                    SecretBuffers.Wipe(line);
                }
            }
            op.Note($"{dice.Count} rolls accepted");
            return dice;
        }
        catch
        {
            dice.Dispose();
            throw;
        }
    }
}
