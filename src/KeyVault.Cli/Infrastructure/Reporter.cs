using KeyVault.Errors;

namespace KeyVault.Cli.Infrastructure;

/// <summary>
/// The one place that turns failures into what the operator sees: "keyvault: error: …" and "keyvault: hint: …" on
/// stderr, and an exit code from <see cref="ExitCode"/>. Never a stack trace; never a secret.
/// </summary>
internal static class Reporter
{
    /// <summary>Runs a command body, mapping any failure to its message and exit code.</summary>
    public static int Run(CliConsole console, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (KeyVaultException ex)
        {
            Error(console, ex.Message, ex.Hint);
            return ExitCode.For(ex.Kind);
        }
        catch (FileNotFoundException ex)
        {
            Error(console, $"file not found: {ex.FileName}", "check the path");
            return ExitCode.BadInput;
        }
        catch (DirectoryNotFoundException)
        {
            Error(console, "a folder in the path does not exist", "check the path");
            return ExitCode.BadInput;
        }
        catch (UnauthorizedAccessException)
        {
            Error(console, "permission denied", "check the file's permissions");
            return ExitCode.BadInput;
        }
        catch (IOException ex)
        {
            Error(console, $"input/output error: {ex.GetType().Name}", "check the file and the device");
            return ExitCode.BadInput;
        }
        catch (Exception ex)
        {
            // The message of an unexpected exception could quote data; only its type is shown.
            Error(console, $"internal error ({ex.GetType().Name}); nothing secret was written", "please report this with the command you ran");
            return ExitCode.InternalError;
        }
    }

    /// <summary>Prints an error line and, when given, a hint line.</summary>
    public static void Error(CliConsole console, string message, string? hint = null)
    {
        console.Error.WriteLine($"keyvault: error: {message}");
        if (hint is not null) console.Error.WriteLine($"keyvault: hint: {hint}");
    }

    /// <summary>Prints a warning line.</summary>
    public static void Warn(CliConsole console, string message) => console.Error.WriteLine($"keyvault: warning: {message}");
}
