using System.CommandLine;
using KeyVault.Flows;
using KeyVault.Manifest;
using KeyVault.Sheets;

namespace KeyVault.Cli.Infrastructure;

/// <summary>
/// What split and ceremony record in manifest.json besides the shares (organisation, contact, this program's hash),
/// and what every sheet prints about whom to tell; paper and share reissue take the same two options for their sheets.
/// </summary>
internal sealed class ManifestCliOptions
{
    public readonly Option<string?> Org;
    public readonly Option<string?> Contact;

    /// <param name="use">Where the values go, the end of each option's description.</param>
    public ManifestCliOptions(string use = "recorded in manifest.json and printed on the sheets")
    {
        Org = new("--org") { Description = $"The organisation holding the key, {use}", HelpName = "NAME" };
        Contact = new("--contact")
        {
            Description = $"Whom custodians tell about a lost or exposed sheet (e-mail, phone), {use}",
            HelpName = "TEXT",
        };
    }

    public void AddTo(Command command)
    {
        command.Add(Org);
        command.Add(Contact);
    }

    /// <summary>The manifest options of a fresh split made now.</summary>
    public ManifestOptions For(ParseResult parse, bool slip39Passphrase, string? label) =>
        new(DateTimeOffset.UtcNow, slip39Passphrase, ExecutableSha256(), label, parse.GetValue(Org), parse.GetValue(Contact));

    /// <summary>What the sheets print about whom to tell (the options given, or null) and this program.</summary>
    public SheetOrigin SheetOrigin(ParseResult parse)
    {
        var sha256 = ExecutableSha256();
        return new SheetOrigin(parse.GetValue(Org), parse.GetValue(Contact), sha256 is null ? null : Path.GetFileName(Environment.ProcessPath), sha256);
    }

    /// <summary>
    /// SHA-256 of the running program when it is the published single file (no keyvault.dll beside it), under its
    /// own name or a release's (keyvault-0.1.0-linux-x64), else null: a development build runs through dotnet or a
    /// small host, whose hash says nothing about the code.
    /// </summary>
    public static string? ExecutableSha256()
    {
        var path = Environment.ProcessPath;
        if (path is null || File.Exists(Path.Combine(AppContext.BaseDirectory, "keyvault.dll"))) return null;
        if (!Path.GetFileName(path).StartsWith("keyvault", StringComparison.OrdinalIgnoreCase)) return null;
        return ManifestFiles.Sha256OfFile(path);
    }
}
