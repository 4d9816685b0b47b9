using System.CommandLine;
using KeyVault.Custody;
using KeyVault.Manifest;

namespace KeyVault.Cli.Infrastructure;

/// <summary>What split and ceremony record in manifest.json besides the shares: organisation, contact, this program's hash.</summary>
internal sealed class ManifestCliOptions
{
    public readonly Option<string?> Org = new("--org") { Description = "The organisation holding the key, recorded in manifest.json", HelpName = "NAME" };
    public readonly Option<string?> Contact = new("--contact")
    {
        Description = "Whom custodians contact about their sheet (e-mail, phone), recorded in manifest.json",
        HelpName = "TEXT",
    };

    public void AddTo(Command command)
    {
        command.Add(Org);
        command.Add(Contact);
    }

    /// <summary>The manifest options of a fresh split made now.</summary>
    public ManifestOptions For(ParseResult parse, bool slip39Passphrase, string? label) =>
        new(DateTimeOffset.UtcNow, slip39Passphrase, ExecutableSha256(), label, parse.GetValue(Org), parse.GetValue(Contact));

    /// <summary>
    /// SHA-256 of the running program when it is the published single file (no keyvault.dll beside it), else null:
    /// a development build runs through dotnet or a small host, whose hash says nothing about the code.
    /// </summary>
    public static string? ExecutableSha256()
    {
        var path = Environment.ProcessPath;
        if (path is null || File.Exists(Path.Combine(AppContext.BaseDirectory, "keyvault.dll"))) return null;
        if (!Path.GetFileNameWithoutExtension(path).Equals("keyvault", StringComparison.OrdinalIgnoreCase)) return null;
        return ManifestFiles.Sha256OfFile(path);
    }
}
