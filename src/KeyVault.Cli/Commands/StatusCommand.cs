using System.CommandLine;
using System.Globalization;
using System.Text;
using KeyVault.Cli.Infrastructure;
using KeyVault.Errors;
using KeyVault.Interaction;
using KeyVault.IO;
using KeyVault.Signers;

namespace KeyVault.Cli.Commands;

/// <summary>
/// <c>keyvault status</c>: what is due across backups, from their manifests, drill reports and share check receipts
/// (docs/status.md); optionally the same as a node_exporter textfile.
/// </summary>
internal sealed class StatusCommand : Command
{
    private readonly Argument<string[]> _files = new("FILE")
    {
        Description = "Manifests (manifest.json), drill reports (keyvault drill --report) and share check receipts (keyvault share check --receipt), in any order",
        Arity = ArgumentArity.OneOrMore,
    };
    private readonly Option<string> _checkEvery = new("--check-every")
    {
        Description = "How often each custodian confirms their share, as days (180d) or weeks (26w)", DefaultValueFactory = _ => "180d", HelpName = "PERIOD",
    };
    private readonly Option<string> _drillEvery = new("--drill-every")
    {
        Description = "How often each backup is drilled, as days (90d) or weeks (13w)", DefaultValueFactory = _ => "90d", HelpName = "PERIOD",
    };
    private readonly Option<string?> _at = new("--at")
    {
        Description = "Judge at this UTC time (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ) instead of now: what will be due then", HelpName = "TIME",
    };
    private readonly Option<string> _workingHours = new("--working-hours")
    {
        Description = "Custodians' working hours in their own time zone, as START-END hours", DefaultValueFactory = _ => "09-17", HelpName = "HH-HH",
    };
    private readonly Option<string?> _prometheus = new("--prometheus")
    {
        Description = "Also write the status as a node_exporter textfile (FILE ending .prom; replaced atomically, readable by all)", HelpName = "FILE",
    };

    public StatusCommand(CliConsole console)
        : base("status", "What is due: each custodian's last share check, each backup's last drill, what is overdue, and when too few custodians are at work")
    {
        Add(_files);
        Add(_checkEvery);
        Add(_drillEvery);
        Add(_at);
        Add(_workingHours);
        Add(_prometheus);
        SetAction(parse => Reporter.Run(console, () => Execute(console, parse)));
    }

    private int Execute(CliConsole console, ParseResult parse)
    {
        var prometheus = parse.GetValue(_prometheus);
        if (prometheus is not null && !prometheus.EndsWith(".prom", StringComparison.Ordinal))
            throw new KeyVaultException(ErrorKind.Usage, $"--prometheus {prometheus}: node_exporter's textfile collector reads only files ending .prom",
                "name it keyvault.prom in the collector's folder, say /var/lib/prometheus/node-exporter/keyvault.prom");
        var (start, end) = Hours(parse.GetValue(_workingHours)!);
        var policy = new StatusPolicy(Period(parse.GetValue(_checkEvery)!, "--check-every"), Period(parse.GetValue(_drillEvery)!, "--drill-every"),
            At(parse.GetValue(_at)), start, end);
        var files = parse.GetValue(_files) ?? [];
        SharedOptions.AtMostOneStdin(files);
        var inputs = files.Select(f => (Inputs.Describe(f), Inputs.ReadAll(console, f))).ToList();
        var result = CustodyStatus.Evaluate(policy, inputs);
        if (result.Backups.Count == 0)
            throw new KeyVaultException(ErrorKind.BadInput, "none of the files given is an authentic manifest, so there is no backup to report on"
                + (result.Refused.Count > 0 ? $" ({result.Refused[0].Source}: {result.Refused[0].Reason})" : ""),
                "give each backup's manifest.json with its drill reports and receipts");
        foreach (var line in CustodyStatus.ToText(result)) console.Out.WriteLine(line);
        if (prometheus is not null)
        {
            AtomicFile.Replace(prometheus, Encoding.UTF8.GetBytes(CustodyStatus.ToPrometheus(result)));
            AtomicFile.MakePublic(prometheus);
            ((IOperator)console).Note($"wrote {prometheus}");
        }
        return result.NeedsAction ? ExitCode.Due : ExitCode.Success;
    }

    private static TimeSpan Period(string text, string option)
    {
        var t = text.Trim();
        if (t.Length >= 2 && int.TryParse(t[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 3650)
        {
            if (t[^1] == 'd') return TimeSpan.FromDays(n);
            if (t[^1] == 'w' && n <= 520) return TimeSpan.FromDays(7 * n);
        }
        throw new KeyVaultException(ErrorKind.Usage, $"{option} {text} is not a period", $"give days or weeks, such as {option} 180d or {option} 26w");
    }

    private static (int Start, int End) Hours(string text)
    {
        var parts = text.Split('-');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var s)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var e) && s <= 23 && e > s && e <= 24)
            return (s, e);
        throw new KeyVaultException(ErrorKind.Usage, $"--working-hours {text} is not a span of hours", "give START-END in local hours, such as --working-hours 09-17");
    }

    private static DateTimeOffset At(string? text)
    {
        if (text is null) return DateTimeOffset.UtcNow;
        if (Signing.SignedDocument.TryParseTime(text, out var t)) return t;
        if (DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d))
            return new DateTimeOffset(d, TimeSpan.Zero);
        throw new KeyVaultException(ErrorKind.Usage, $"--at {text} is not a time", "give a UTC date (2026-12-31) or time (2026-12-31T09:00:00Z)");
    }
}
