using System.CommandLine;
using System.Text.Json;
using KeyVault.Cli.Infrastructure;
using KeyVault.KeyFile;
using KeyVault.Keys;

namespace KeyVault.Cli.Commands;

/// <summary><c>keyvault inspect</c>: what a key file's header says, without the passphrase.</summary>
internal sealed class InspectCommand : Command
{
    private readonly Argument<string> _file = new("FILE") { Description = "The key file (binary or armored; - for standard input)" };
    private readonly Option<bool> _json = SharedOptions.Json();

    public InspectCommand(CliConsole console)
        : base("inspect", "Show a key file's format version, KDF parameters, label and public identity (no passphrase needed)")
    {
        Add(_file);
        Add(_json);
        SetAction(parse => Reporter.Run(console, () => Execute(console, parse)));
    }

    private int Execute(CliConsole console, ParseResult parse)
    {
        var header = KeyFileWriting.Read(console, parse.GetValue(_file)!);
        var identity = header.PublicKey.Identity();
        var overCap = KdfLimits.Default.Exceeded(header.Kdf);
        if (parse.GetValue(_json))
        {
            using var stream = new MemoryStream();
            using (var w = new Utf8JsonWriter(stream))
            {
                w.WriteStartObject();
                w.WriteNumber("formatVersion", header.Version);
                w.WriteString("encoding", header.Encoding == KeyFileEncoding.Armored ? "armored" : "binary");
                w.WriteStartObject("kdf");
                w.WriteString("algorithm", "argon2id");
                w.WriteNumber("memoryKiB", header.Kdf.MemoryKiB);
                w.WriteNumber("iterations", header.Kdf.Iterations);
                w.WriteNumber("parallelism", header.Kdf.Parallelism);
                w.WriteNumber("saltBytes", header.SaltLength);
                w.WriteBoolean("withinLimits", overCap is null);
                w.WriteEndObject();
                if (header.Label is null) w.WriteNull("label"); else w.WriteString("label", header.Label);
                identity.WriteJson(w, "identity");
                w.WriteEndObject();
            }
            console.Out.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
        }
        else
        {
            console.Out.WriteLine($"format         KeyVault key file, version {header.Version}, {(header.Encoding == KeyFileEncoding.Armored ? "armored" : "binary")}");
            console.Out.WriteLine($"kdf            {header.Kdf}, {header.SaltLength}-byte salt");
            IdentityText.Print(console.Out, identity, json: false, label: header.Label);
        }
        if (overCap is not null)
            Reporter.Warn(console, $"this file asks for more key-derivation work than keyvault allows ({overCap}); it cannot be opened");
        return ExitCode.Success;
    }
}
