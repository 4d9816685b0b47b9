using System.CommandLine;
using System.Reflection;
using System.Runtime.InteropServices;
using KeyVault.Cli.Infrastructure;
using KeyVault.Signing;

namespace KeyVault.Cli.Commands;

/// <summary>
/// <c>keyvault about</c>: the version, the licence, and the version and licence of every third-party component
/// inside the executable, read from the THIRD-PARTY-NOTICES file compiled into it; <c>--notices</c> prints that
/// file and KeyVault's own licence whole.
/// </summary>
internal sealed class AboutCommand : Command
{
    /// <summary>Resource name of the repository's THIRD-PARTY-NOTICES file.</summary>
    public const string NoticesResource = "KeyVault.Cli.THIRD-PARTY-NOTICES";
    /// <summary>Resource name of the repository's LICENSE file.</summary>
    public const string LicenseResource = "KeyVault.Cli.LICENSE";

    private readonly Option<bool> _notices = new("--notices") { Description = "Print the full licence and notice texts" };

    public AboutCommand(CliConsole console)
        : base("about", "Show the version and licence, and the version and licence of each component inside this executable")
    {
        Add(_notices);
        SetAction(parse => Reporter.Run(console, () => Execute(console, parse)));
    }

    private int Execute(CliConsole console, ParseResult parse)
    {
        var notices = Resource(NoticesResource);
        if (parse.GetValue(_notices))
        {
            console.Out.Write(Resource(LicenseResource));
            console.Out.WriteLine();
            console.Out.Write(notices);
            return ExitCode.Success;
        }
        console.Out.WriteLine($"keyvault {SignedDocument.ToolVersion}, MIT licence, copyright KeyVault contributors");
        console.Out.WriteLine($".NET {Environment.Version} ({RuntimeInformation.RuntimeIdentifier})");
        console.Out.WriteLine();
        foreach (var line in ComponentTable(notices)) console.Out.WriteLine(line);
        console.Out.WriteLine();
        console.Out.WriteLine("The licence texts: keyvault about --notices");
        return ExitCode.Success;
    }

    /// <summary>The component table of the notices file: from its "component" heading to the first blank line.</summary>
    internal static IEnumerable<string> ComponentTable(string notices)
    {
        var lines = notices.Split('\n');
        var start = Array.FindIndex(lines, l => l.StartsWith("component ", StringComparison.Ordinal));
        if (start < 0) yield break;
        for (var i = start; i < lines.Length && lines[i].Length > 0; i++) yield return lines[i];
    }

    private static string Resource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"the {name} resource is missing from this build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
