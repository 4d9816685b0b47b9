using System.CommandLine;
using System.Text.RegularExpressions;
using KeyVault.Errors;
using KeyVault.Flows;
using KeyVault.IO;
using KeyVault.Interaction;
using KeyVault.KeyFile;

namespace KeyVault.Cli.Infrastructure;

/// <summary>Options and steps the key-file commands share: KDF parameters, label, armor, progress, verified writes.</summary>
internal sealed partial class KeyFileOptions
{
    public readonly Option<string?> Memory = new("--kdf-memory")
    {
        Description = "Argon2 memory, e.g. 1GiB, 2048MiB, 8KiB (a plain number is MiB); default 1GiB",
        HelpName = "SIZE",
    };
    public readonly Option<long?> Iterations = new("--kdf-iterations") { Description = "Argon2 passes; default 3", HelpName = "N" };
    public readonly Option<long?> Parallelism = new("--kdf-parallelism") { Description = "Argon2 lanes; default 4", HelpName = "N" };

    public void AddTo(Command command)
    {
        command.Add(Memory);
        command.Add(Iterations);
        command.Add(Parallelism);
    }

    /// <summary>True when any --kdf-* option was given.</summary>
    public bool AnyGiven(ParseResult parse) =>
        parse.GetValue(Memory) is not null || parse.GetValue(Iterations) is not null || parse.GetValue(Parallelism) is not null;

    /// <summary>The parameters the given --kdf-* options change.</summary>
    public KdfChange Change(ParseResult parse) =>
        new(parse.GetValue(Memory) is { } m ? ParseMemory(m) : null, parse.GetValue(Iterations), parse.GetValue(Parallelism));

    /// <summary><paramref name="baseline"/> with every given --kdf-* option applied.</summary>
    public KdfParameters Resolve(ParseResult parse, KdfParameters baseline) => Change(parse).ApplyTo(baseline);

    /// <summary>Parses "8KiB", "512MiB", "1GiB" or a plain number of MiB into KiB.</summary>
    public static long ParseMemory(string text)
    {
        var match = SizePattern().Match(text.Trim());
        if (!match.Success || !long.TryParse(match.Groups[1].Value, out var n))
            throw new KeyVaultException(ErrorKind.Usage, $"--kdf-memory {text} is not a size", "write it like 1GiB, 2048MiB or 64KiB");
        long factor = match.Groups[2].Value.ToLowerInvariant() switch
        {
            "kib" => 1,
            "gib" => 1024 * 1024,
            _ => 1024,
        };
        if (n > uint.MaxValue / factor)
            throw new KeyVaultException(ErrorKind.BadInput, $"--kdf-memory {text} is too large", "the limit is 4GiB");
        return n * factor;
    }

    [GeneratedRegex("^([0-9]{1,10})(KiB|MiB|GiB)?$", RegexOptions.IgnoreCase)]
    private static partial Regex SizePattern();

    /// <summary>Warns on stderr when parameters are weaker than the defaults (tests and experiments use such values).</summary>
    public static void WarnIfWeak(CliConsole console, KdfParameters p) => KeyFileFlows.WarnIfWeak(console, p);
}

/// <summary>Shows Argon2's progress: a live "deriving key… 1.4 s" line on a terminal, one final line otherwise.</summary>
internal sealed class KdfProgressPrinter(CliConsole console, string purpose) : IProgress<KdfProgress>
{
    private readonly object _lock = new();

    public void Report(KdfProgress value)
    {
        lock (_lock)
        {
            var seconds = value.Elapsed.TotalSeconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
            if (console.ErrorIsTerminal)
            {
                var done = value.Fraction > 0 && !value.Finished ? $"{(int)(value.Fraction * 100)}%, " : "";
                console.Error.Write(value.Finished ? $"\r{purpose}: deriving key… {seconds} s, done\n" : $"\r{purpose}: deriving key… {done}{seconds} s");
                console.Error.Flush();
            }
            else if (value.Finished)
            {
                console.Error.WriteLine($"keyvault: {purpose}: derived key in {seconds} s");
            }
        }
    }
}

/// <summary>Reading a key file named on the command line, and cleaning up after a killed write of a bare key.</summary>
internal static class KeyFileWriting
{
    /// <summary>Removes, and reports, the temporaries a killed atomic write of <paramref name="path"/> left (".NAME.12HEX.tmp").</summary>
    public static void RemoveStaleTemporaries(CliConsole console, string path)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir)) return;
        FileSet.RemoveTemporaries(console, dir, [Path.GetFileName(full)]);
    }

    /// <summary>Reads and parses a key file given on the command line.</summary>
    public static KeyFileHeader Read(CliConsole console, string path) => EncryptedKeyFile.Parse(Inputs.ReadAll(console, path));
}
