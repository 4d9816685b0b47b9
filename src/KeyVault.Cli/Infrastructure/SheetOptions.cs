using System.CommandLine;
using KeyVault.Keys;
using KeyVault.Sheets;

namespace KeyVault.Cli.Infrastructure;

/// <summary>The options that shape printed sheets, shared by split and paper so their names and help read the same.</summary>
internal sealed class SheetOptions
{
    public readonly Option<string> PaperSize = new Option<string>("--paper-size")
    {
        Description = "Sheet size: a4 or letter",
        DefaultValueFactory = _ => "a4",
    }.AcceptOnlyFromAmong("a4", "letter");

    public readonly Option<bool> Png = new("--png") { Description = "Also write a PNG preview (150 dpi) of each sheet" };

    public readonly Option<string> Network = new Option<string>("--network")
    {
        Description = "Which Stacks address the sheets print: mainnet (SP…) or testnet (ST…, also for regtest)",
        DefaultValueFactory = _ => "mainnet",
    }.AcceptOnlyFromAmong("mainnet", "testnet");

    public void AddTo(Command command)
    {
        command.Add(PaperSize);
        command.Add(Png);
        command.Add(Network);
    }

    /// <summary>True when any of the options was given on the command line (defaults do not count).</summary>
    public bool AnyGiven(ParseResult parse) =>
        parse.GetValue(Png) || parse.GetResult(PaperSize) is { Implicit: false } || parse.GetResult(Network) is { Implicit: false };

    /// <summary>The chosen paper size.</summary>
    public PaperSize Size(ParseResult parse) => parse.GetValue(PaperSize) == "letter" ? Sheets.PaperSize.Letter : Sheets.PaperSize.A4;

    /// <summary>The chosen network.</summary>
    public StacksNetwork StacksNetwork(ParseResult parse) => parse.GetValue(Network) == "testnet" ? Keys.StacksNetwork.Testnet : Keys.StacksNetwork.Mainnet;

    /// <summary>The date printed on sheets and share files: today, on this machine's clock and time zone.</summary>
    public static DateOnly Today() => DateOnly.FromDateTime(DateTime.Now);
}
