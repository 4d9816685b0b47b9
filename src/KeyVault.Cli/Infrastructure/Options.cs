using System.CommandLine;
using KeyVault.Errors;
using KeyVault.Keys;

namespace KeyVault.Cli.Infrastructure;

/// <summary>Options several commands share, so their names and help texts are the same everywhere.</summary>
internal static class SharedOptions
{
    public static Option<bool> Json() => new("--json") { Description = "Print one JSON object on stdout and nothing else there" };

    public static Option<string[]> Identities() => new("--identity")
    {
        Description = "Open sealed (.age) share files with this age identity file or unencrypted OpenSSH ed25519 private key, " +
                      "as age -d -i does (repeat for several)",
        HelpName = "FILE",
    };

    public static Option<string?> PassphraseFile() => new("--passphrase-file")
    {
        Description = "Read the passphrase from FILE (- for standard input) instead of asking; one trailing newline is removed",
        HelpName = "FILE",
    };

    public static Option<bool> AcceptWeakPassphrase() => new("--accept-weak-passphrase")
    {
        Description = "Take a new passphrase estimated below the strength floor (10^12 guesses), with a warning; whoever copies the file may guess it",
    };

    public static Option<bool> Force() => new("--force") { Description = "Replace an existing output file (still atomically)" };

    public static Option<string> InputFormat() => new Option<string>("--format")
    {
        Description = "How to read the key: auto, hex (64, or 66 ending 01), sbtc-toml, stacks-toml, env",
        DefaultValueFactory = _ => "auto",
    }.AcceptOnlyFromAmong("auto", "hex", "sbtc-toml", "stacks-toml", "env");

    public static KeyInputFormat ParseInputFormat(string value) => value switch
    {
        "auto" => KeyInputFormat.Auto,
        "hex" => KeyInputFormat.Hex,
        "sbtc-toml" => KeyInputFormat.SbtcToml,
        "stacks-toml" => KeyInputFormat.StacksToml,
        "env" => KeyInputFormat.Env,
        _ => throw new KeyVaultException(ErrorKind.Usage, $"unknown key format {value}"),
    };

    public static string[] OutputFormatNames => ["hex", "stacks", "sbtc-toml", "env"];

    /// <summary>--reveal-format of the commands that rebuild a key (combine, restore finish).</summary>
    public static Option<string?> RevealFormat() => new Option<string?>("--reveal-format")
    {
        Description = "Instead of a key file, write the bare key in a signer's format: hex, stacks, sbtc-toml, env (to a new 0600 " +
                      "file, or to standard output with --out -)",
        HelpName = "FORMAT",
    }.AcceptOnlyFromAmong(OutputFormatNames);

    /// <summary>What --out means for a command that writes a key file, or with --reveal-format the bare key.</summary>
    public const string KeyFileOrRevealOut =
        "Write the new encrypted key file to FILE (created new, mode 0600); with --reveal-format, the key to PATH, or to standard output for -";

    public static KeyOutputFormat ParseOutputFormat(string value) => value switch
    {
        "hex" => KeyOutputFormat.Hex,
        "stacks" => KeyOutputFormat.Stacks,
        "sbtc-toml" => KeyOutputFormat.SbtcToml,
        "env" => KeyOutputFormat.Env,
        _ => throw new KeyVaultException(ErrorKind.Usage, $"unknown key format {value}"),
    };

    /// <summary>Fails with a usage error when two inputs would both read standard input.</summary>
    public static void AtMostOneStdin(params string?[] paths)
    {
        if (paths.Count(p => p == "-") > 1)
            throw new KeyVaultException(ErrorKind.Usage, "only one input can come from standard input (-)",
                "put the other one in a file");
    }
}
