using System.CommandLine;
using System.Globalization;
using KeyVault.Cli.Infrastructure;
using KeyVault.Flows;
using KeyVault.IO;
using KeyVault.Keys;
using KeyVault.Paper;
using KeyVault.Shares;
using KeyVault.Text;

namespace KeyVault.Cli.Commands;

/// <summary><c>keyvault split</c>: a key file's key as SLIP-0039 shares, one text file (and optionally one sheet) per share.</summary>
internal sealed class SplitCommand : Command
{
    private readonly Argument<string> _file = new("KEYFILE") { Description = "The encrypted key file to back up (binary or armored; - for standard input)" };
    private readonly Option<int?> _threshold = new("--threshold") { Description = "Shares needed to restore the key (K of K-of-N)", HelpName = "K" };
    private readonly Option<int?> _shares = new("--shares") { Description = "Shares to make, at most 16 (N of K-of-N)", HelpName = "N" };
    private readonly Option<string[]> _groups = new("--group")
    {
        Description = "A group of shares, K of N needed; repeat for each group (then --threshold/--shares are not used)",
        HelpName = "K/N",
    };
    private readonly Option<int?> _groupThreshold = new("--group-threshold") { Description = "Groups that must be complete to restore the key (with --group)", HelpName = "G" };
    private readonly Option<string> _outDir = new("--out-dir") { Description = "Existing folder for the share files (each created new, mode 0600)", HelpName = "DIR", Required = true };
    private readonly Option<string[]> _custodians = new("--custodian")
    {
        Description = "Who holds each share, in share order (group 1 first); repeat once per share. Printed in the file and on the sheet",
        HelpName = "NAME",
    };
    private readonly Option<string?> _passphraseFile = SharedOptions.PassphraseFile();
    private readonly Option<string?> _slip39PassphraseFile = new("--slip39-passphrase-file")
    {
        Description = "Protect the shares with a SLIP-0039 passphrase read from FILE (printable ASCII). Default: none. " +
                      "Without one, a SLIP-0039 tool restores the key from the shares alone and nobody has to remember " +
                      "anything for years; with one, stolen shares are useless without it, but a forgotten or mistyped " +
                      "passphrase silently restores a different key",
        HelpName = "FILE",
    };
    private readonly Option<int> _iterationExponent = new("--iteration-exponent")
    {
        Description = "SLIP-0039 iteration exponent e (0-15): 10000 x 2^e PBKDF2 iterations protect a passphrase",
        DefaultValueFactory = _ => Slip39.DefaultIterationExponent,
        HelpName = "E",
    };
    private readonly Option<bool> _noExtendable = new("--no-extendable")
    {
        Description = "Clear the SLIP-0039 extendable-backup flag, for SLIP-0039 tools older than its 2024 revision, which " +
                      "reject extendable shares. Default: set, as the standard recommends; without it, a new set of shares " +
                      "made later from the encrypted secret alone no longer decrypts to the same key under the same passphrase",
    };
    private readonly Option<bool> _paper = new("--paper")
    {
        Description = "Also write one printable PDF sheet per share (QR code, words, identity); for a sealed share, a sealed sheet " +
                      "(the sealed file as QR code and text, useless without the custodian's key)",
    };
    private readonly SheetOptions _sheet = new();
    private readonly ManifestCliOptions _manifest = new();
    private readonly Option<string?> _custodiansFile = new("--custodians-file", "--seal-to")
    {
        Description = "Who holds each share, from FILE, one custodian per share in share order: 'NAME = RECIPIENT' (age1… or " +
                      "ssh-ed25519 …) seals that share to the key (share-N.age), 'NAME' or 'NAME = paper' writes it plain for a " +
                      "paper sheet (share-N.txt); indented 'contact:' and 'time zone:' lines are recorded in the manifest (docs/custodians.md)",
        HelpName = "FILE",
    };
    private readonly Option<bool> _armor = new("--armor") { Description = "With --custodians-file: write the sealed files ASCII-armored" };

    public SplitCommand(CliConsole console)
        : base("split", "Back up a key file's key as SLIP-0039 shares for several custodians")
    {
        Add(_file);
        Add(_threshold);
        Add(_shares);
        Add(_groups);
        Add(_groupThreshold);
        Add(_outDir);
        Add(_custodians);
        Add(_passphraseFile);
        Add(_slip39PassphraseFile);
        Add(_iterationExponent);
        Add(_noExtendable);
        Add(_paper);
        _sheet.AddTo(this);
        _manifest.AddTo(this);
        Add(_custodiansFile);
        Add(_armor);
        SetAction(parse => Reporter.Run(console, () => Execute(console, parse)));
    }

    private int Execute(CliConsole console, ParseResult parse)
    {
        // Everything that can be checked without a secret is checked first, so a doomed run asks for nothing.
        var file = parse.GetValue(_file)!;
        SharedOptions.AtMostOneStdin(file, parse.GetValue(_passphraseFile), parse.GetValue(_slip39PassphraseFile));
        var layout = Layout(parse);
        int exponent = parse.GetValue(_iterationExponent);
        if (exponent is < 0 or > Slip39.MaxIterationExponent) throw ShareCliErrors.IterationExponent(exponent);
        var custodiansFile = parse.GetValue(_custodiansFile);
        bool paper = parse.GetValue(_paper);
        CustodyCliErrors.CheckSealOptions(custodiansFile, parse.GetValue(_armor), (parse.GetValue(_custodians) ?? []).Length > 0);
        SharedOptions.AtMostOneStdin(file, custodiansFile);
        var custodians = custodiansFile is null ? Custodians(parse, layout.ShareCount) : [];
        if (!paper && _sheet.AnyGiven(parse)) throw ShareCliErrors.SheetOptionsWithoutPaper();

        var request = new SplitRequest(file, layout, parse.GetValue(_passphraseFile), parse.GetValue(_slip39PassphraseFile), exponent,
            Extendable: !parse.GetValue(_noExtendable), custodiansFile, parse.GetValue(_armor));
        var options = new ShareOutputOptions(custodians, paper, paper && parse.GetValue(_sheet.Png), _sheet.Size(parse), _sheet.StacksNetwork(parse),
            SheetOptions.Today(), PassphraseProtected: false, Origin: _manifest.SheetOrigin(parse));
        var outDir = parse.GetValue(_outDir)!;
        using var files = new FileSet(outDir, staged: true);
        using var interrupts = Interrupts.DiscardOnSignal(console, files);
        using var renderer = paper ? new SheetRenderer() : null;
        var written = SplitFlow.Run(console, request, options, _manifest.For(parse, slip39Passphrase: false, label: null), files, renderer);
        if (!files.Complete()) throw FileSet.Interrupted();

        console.Error.WriteLine($"keyvault: wrote {written.Shares} shares of backup {written.Identifier} and {KeyVault.Manifest.BackupManifest.FileName} to {outDir}; " +
                                (written.Sealed == written.Shares
                                    ? "each sealed file opens only with its custodian's key: send each to its custodian"
                                    : written.Sealed > 0
                                        ? $"{written.Sealed} are sealed (send each to its custodian); the other {written.Shares - written.Sealed} share files " +
                                          "are secret: hand each to its custodian and delete the copies"
                                        : "each share file is secret: hand each to its custodian and delete the copies"));
        IdentityText.Print(console.Out, written.PublicKey.Identity(), json: false, label: written.Label);
        return ExitCode.Success;
    }

    private SplitLayout Layout(ParseResult parse)
    {
        var groups = parse.GetValue(_groups) ?? [];
        int? threshold = parse.GetValue(_threshold), count = parse.GetValue(_shares), groupThreshold = parse.GetValue(_groupThreshold);
        if (groups.Length == 0)
        {
            if (groupThreshold is not null) throw ShareCliErrors.GroupThresholdWithoutGroups();
            if (threshold is null && count is null) throw ShareCliErrors.NoLayout();
            if (threshold is null) throw ShareCliErrors.HalfLayout("--shares", "--threshold");
            if (count is null) throw ShareCliErrors.HalfLayout("--threshold", "--shares");
            return SplitLayout.Single(threshold.Value, count.Value);
        }
        if (threshold is not null || count is not null) throw ShareCliErrors.LayoutWithGroups();
        var specs = groups.Select(ParseGroup).ToList();
        if (groupThreshold is null) throw ShareCliErrors.NoGroupThreshold(specs.Count);
        return new SplitLayout(groupThreshold.Value, specs);
    }

    private static GroupSpec ParseGroup(string text)
    {
        var parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int k)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n))
            throw ShareCliErrors.GroupSyntax(text);
        return new GroupSpec(k, n);
    }

    private IReadOnlyList<string> Custodians(ParseResult parse, int shareCount)
    {
        var names = parse.GetValue(_custodians) ?? [];
        if (names.Length == 0) return [];
        if (names.Length != shareCount) throw ShareCliErrors.CustodianCount(names.Length, shareCount);
        return CustodianNames.CheckAll(names);
    }
}
