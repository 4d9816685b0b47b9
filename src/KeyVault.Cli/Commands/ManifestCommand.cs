using System.CommandLine;
using KeyVault.Cli.Infrastructure;
using KeyVault.Flows;
using KeyVault.Manifest;

namespace KeyVault.Cli.Commands;

/// <summary><c>keyvault manifest</c>: commands on a backup's manifest.json.</summary>
internal sealed class ManifestCommand : Command
{
    public ManifestCommand(CliConsole console)
        : base("manifest", "Work with a backup's manifest.json (the public, signed record of who holds which share)")
    {
        Add(new ManifestVerifyCommand(console));
    }
}

/// <summary><c>keyvault manifest verify FILE</c>: exits 0 only for an authentic manifest, and shows what it records.</summary>
internal sealed class ManifestVerifyCommand : Command
{
    private readonly Argument<string> _file = new("FILE") { Description = "The manifest.json to verify (- for standard input)" };

    public ManifestVerifyCommand(CliConsole console)
        : base("verify", "Check that a manifest is signed by the key it backs up, and show what it records")
    {
        Add(_file);
        SetAction(parse => Reporter.Run(console, () => Execute(console, parse)));
    }

    private int Execute(CliConsole console, ParseResult parse)
    {
        var (m, _) = ManifestFiles.ReadAuthentic(console, parse.GetValue(_file)!);
        var o = console.Out;
        o.WriteLine($"authentic:       signed by the backed-up key {m.Identity.Fingerprint}");
        o.WriteLine($"public key:      {m.Identity.PublicKey}");
        o.WriteLine($"backup id:       {m.BackupId}");
        o.WriteLine($"revision:        {m.Revision}" + (m.Supersedes is null ? " (as split)" : $", supersedes the revision with hash {m.Supersedes}"));
        o.WriteLine($"manifest hash:   {m.SourceHash}");
        if (m.Label is not null) o.WriteLine($"label:           {m.Label}");
        if (m.Org is not null) o.WriteLine($"organisation:    {m.Org}");
        if (m.Contact is not null) o.WriteLine($"contact:         {m.Contact}");
        o.WriteLine($"created:         {m.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC by keyvault {m.ToolVersion}" +
                    (m.ExecutableSha256 is null ? "" : $" (executable sha256 {m.ExecutableSha256})"));
        o.WriteLine(m.Groups.Count == 1
            ? $"threshold:       {m.Groups[0].MemberThreshold} of {m.HeldCount(1)} shares held" +
              (m.HeldCount(1) == m.Groups[0].MemberCount ? "" : $" ({m.Groups[0].MemberCount - m.HeldCount(1)} more registered to departed custodians)")
            : $"threshold:       {m.GroupThreshold} of {m.Groups.Count} groups ({string.Join(", ", m.Groups.Select(g => $"{g.MemberThreshold}/{g.MemberCount}"))})");
        o.WriteLine($"extendable:      {(m.Extendable ? "yes" : "no")}; SLIP-0039 passphrase: {(m.Slip39Passphrase ? "yes" : "no")}");
        foreach (var s in m.Shares)
            o.WriteLine($"share {ShareCheck.Slot(m.Groups.Count, s.Group, s.Member),-9} {s.Custodian}" +
                        (s.Departed is { } d ? $", DEPARTED {d.At:yyyy-MM-dd} ({d.Reason}): that sheet is to be destroyed" : "") +
                        (s.AgeRecipient is null ? ", on paper" : $", sealed to {s.AgeRecipient}") +
                        (s.Contact is null ? "" : $", contact {s.Contact}") + (s.TimeZone is null ? "" : $", time zone {s.TimeZone}"));
        foreach (var r in m.Retired)
        {
            var previous = r.Rotation is { } rot ? $" of the previous key {KeyVault.Keys.PublicKey.TryParseLowerHex(rot.PreviousPublicKey)!.Fingerprint}" : "";
            o.WriteLine(r.StillNeeded
                ? $"superseded:      backup {r.BackupId}{previous} on {r.RetiredAt:yyyy-MM-dd} ({r.Reason}): still needed, keep its sheets"
                : $"retired:         backup {r.BackupId}{previous} on {r.RetiredAt:yyyy-MM-dd} ({r.Reason}): its sheets must be destroyed"
                  + (r.Rotation?.Drill is { } d ? $"; a drill of this key on {d.CreatedAt:yyyy-MM-dd} opened the DKG shares of aggregate key {d.AggregateKey}" : ""));
        }
        o.WriteLine("history:");
        foreach (var e in m.History)
            o.WriteLine($"  {e.At:yyyy-MM-dd HH:mm} {e.Action,-8} " + e.Action switch
            {
                "reissue" => $"share {ShareCheck.Slot(m.Groups.Count, e.Group ?? 1, e.Member ?? 0)} to {e.Custodian}: {e.Reason}",
                "depart" => $"{e.Custodian} (share {ShareCheck.Slot(m.Groups.Count, e.Group ?? 1, e.Member ?? 0)}) left: {e.Reason}",
                "retire" => $"backup {e.BackupId} retired: {e.Reason}",
                _ => e.Reason,
            });
        return ExitCode.Success;
    }
}
