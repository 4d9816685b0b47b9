namespace KeyVault.Cli.Infrastructure;

/// <summary>
/// The program's view of its terminal and standard streams. Tests substitute their own; the real one reads
/// secrets from the terminal without echo.
/// </summary>
internal class CliConsole
{
    /// <summary>Standard output: results only (identity, JSON, a key when "-" is asked for explicitly).</summary>
    public virtual TextWriter Out => Console.Out;

    /// <summary>Standard error: prompts, progress, errors.</summary>
    public virtual TextWriter Error => Console.Error;

    /// <summary>Standard input as raw bytes (for "-" arguments).</summary>
    public virtual Stream OpenStandardInput() => Console.OpenStandardInput();

    /// <summary>True when a person can be asked: stdin and stderr are a terminal.</summary>
    public virtual bool IsInteractive => !Console.IsInputRedirected && !Console.IsErrorRedirected;

    /// <summary>True when stderr is a terminal (live progress lines are drawn only then).</summary>
    public virtual bool ErrorIsTerminal => !Console.IsErrorRedirected;

    /// <summary>Asks for a line without echoing it; returns null on end of input. The caller wipes the result.</summary>
    public virtual char[]? ReadSecretLine(string prompt)
    {
        Error.Write(prompt);
        var buffer = new char[256];
        int length = 0;
        try
        {
            while (true)
            {
                var key = Console.ReadKey(intercept: true);
                if (key.Key == ConsoleKey.Enter) break;
                if (key.Key == ConsoleKey.Backspace)
                {
                    if (length > 0) buffer[--length] = '\0';
                    continue;
                }
                if (key.Modifiers.HasFlag(ConsoleModifiers.Control) && key.Key is ConsoleKey.C or ConsoleKey.D)
                {
                    Array.Clear(buffer);
                    Error.WriteLine();
                    return null;
                }
                if (key.KeyChar == '\0') continue;
                if (length == buffer.Length)
                {
                    var bigger = new char[buffer.Length * 2];
                    buffer.CopyTo(bigger, 0);
                    Array.Clear(buffer);
                    buffer = bigger;
                }
                buffer[length++] = key.KeyChar;
            }
            Error.WriteLine();
            var result = buffer[..length];
            return result;
        }
        finally
        {
            Array.Clear(buffer);
        }
    }

    /// <summary>Asks for a line with echo (non-secret answers); returns null on end of input.</summary>
    public virtual string? ReadLine(string prompt)
    {
        Error.Write(prompt);
        return Console.In.ReadLine();
    }

    /// <summary>The machine's network interfaces, for the ceremony's offline check (tests simulate a machine).</summary>
    public virtual IReadOnlyList<Ceremony.InterfaceState> NetworkInterfaces() => Ceremony.InterfaceState.OfThisMachine();
}
