using KeyVault.Errors;
using KeyVault.Interaction;

namespace KeyVault.Cli.Infrastructure;

/// <summary>
/// The program's view of its terminal and standard streams. Tests substitute their own; the real one reads
/// secrets from the terminal without echo.
/// </summary>
internal class CliConsole : IOperator
{
    /// <summary>How a command a signal interrupted ends: one report, from the signal handler (see <see cref="Interrupts"/>).</summary>
    public Interrupts.Ending SignalEnd { get; } = new();

    /// <summary>Standard output: results only (identity, JSON, a key when "-" is asked for explicitly).</summary>
    public virtual TextWriter Out => Console.Out;

    /// <summary>Standard error: prompts, progress, errors. A write that fails is dropped (<see cref="ReportWriter"/>).</summary>
    public virtual TextWriter Error => _error ??= new ReportWriter(Console.Error);

    private ReportWriter? _error;

    /// <summary>True when a line could not be written to standard error (only the process's own stream is watched).</summary>
    public bool ReportLost => _error?.Lost == true;

    /// <summary>Standard input as raw bytes (for "-" arguments).</summary>
    public virtual Stream OpenStandardInput()
    {
        StandardInput.RequireOpen();
        return Console.OpenStandardInput();
    }

    /// <summary>
    /// True when a person can be asked: standard input is a terminal. Whether stderr is redirected (to a log) does not
    /// matter: secrets typed at a terminal must always be read without echo, and prompts then go to the terminal.
    /// </summary>
    public virtual bool IsInteractive => !Console.IsInputRedirected;

    /// <summary>True when stderr is a terminal (live progress lines are drawn only then).</summary>
    public virtual bool ErrorIsTerminal => !Console.IsErrorRedirected;

    /// <summary>Asks for a line without echoing it; returns null on end of input. The caller wipes the result.</summary>
    public virtual char[]? ReadSecretLine(string prompt)
    {
        Prompt(prompt);
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
                    Prompt(Environment.NewLine);
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
            Prompt(Environment.NewLine);
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
        StandardInput.RequireOpen();
        Prompt(prompt);
        return Console.In.ReadLine();
    }

    /// <summary>Shows a prompt where the person at the terminal sees it: stderr, or the terminal itself when stderr is a file.</summary>
    private void Prompt(string prompt)
    {
        if (!Console.IsErrorRedirected || !File.Exists("/dev/tty"))
        {
            Error.Write(prompt);
            return;
        }
        try
        {
            using var tty = new StreamWriter(new FileStream("/dev/tty", FileMode.Open, FileAccess.Write));
            tty.Write(prompt);
        }
        catch (IOException)
        {
            Error.Write(prompt);
        }
        catch (UnauthorizedAccessException)
        {
            Error.Write(prompt);
        }
    }

    bool IOperator.CanAsk => IsInteractive;

    void IOperator.Show(string line) => Error.WriteLine(line);

    void IOperator.Note(string message) => Error.WriteLine($"keyvault: {message}");

    void IOperator.Warn(string message) => Reporter.Warn(this, message);

    void IOperator.Problem(KeyVaultException error) => Reporter.Error(this, error);

    string? IOperator.Ask(string prompt) => ReadLine(prompt);

    char[]? IOperator.AskSecret(string prompt) => ReadSecretLine(prompt);

    IProgress<KdfProgress> IOperator.KdfProgress(string purpose) => new KdfProgressPrinter(this, purpose);

    /// <summary>This executable's self-test, which the ceremony and the drill run first (tests substitute a failing one).</summary>
    public virtual SelfTest.SelfTestResult RunSelfTest() => Commands.SelfTestCommand.RunAll();

    /// <summary>The machine's network interfaces, for the ceremony's offline check (tests simulate a machine).</summary>
    public virtual IReadOnlyList<KeyVault.Flows.InterfaceState> NetworkInterfaces() => KeyVault.Flows.InterfaceState.OfThisMachine();
}
