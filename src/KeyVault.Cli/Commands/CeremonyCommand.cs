using System.CommandLine;
using KeyVault.Cli.Infrastructure;
using KeyVault.Errors;
using KeyVault.Flows;
using KeyVault.KeyFile;
using KeyVault.Keys;
using KeyVault.Paper;
using KeyVault.Sheets;

namespace KeyVault.Cli.Commands;

/// <summary><c>keyvault ceremony</c>: the guided key ceremony, from nothing to checked sheets, a key file and a transcript.</summary>
internal sealed class CeremonyCommand : Command
{
    private readonly Option<string> _outDir = new("--out-dir")
    {
        Description = "Folder for the key file, sheets, share files, drill report and transcript (must exist, without earlier ceremony files)",
        HelpName = "DIR",
        Required = true,
    };
    private readonly Option<string?> _import = new("--import")
    {
        Description = "Back up this existing signer key (FILE, or - for standard input) instead of generating a new one: a KeyVault " +
                      "key file (opened with its passphrase) or the signer's own key formats (--format)",
        HelpName = "FILE",
    };
    private readonly Option<string?> _importPassphraseFile = new("--import-passphrase-file")
    {
        Description = "With --import of a KeyVault key file: read its passphrase from FILE instead of asking",
        HelpName = "FILE",
    };
    private readonly Option<string> _format = SharedOptions.InputFormat();
    private readonly Option<bool> _dice = new("--dice") { Description = "Mix at least 100 dice rolls (typed, not echoed) into the new key" };
    private readonly Option<string> _network = new Option<string>("--network")
    {
        Description = "Which Stacks address the sheets print",
        DefaultValueFactory = _ => "mainnet",
    }.AcceptOnlyFromAmong("mainnet", "testnet");
    private readonly Option<string?> _label = new("--label") { Description = "Label stored in the key file and printed on its sheet", HelpName = "TEXT" };
    private readonly Option<string> _paperSize = new Option<string>("--paper-size")
    {
        Description = "Paper of the sheets",
        DefaultValueFactory = _ => "a4",
    }.AcceptOnlyFromAmong("a4", "letter");
    private readonly KeyFileOptions _kdf = new();
    private readonly Option<string?> _passphraseFile = SharedOptions.PassphraseFile();
    private readonly Option<string?> _answers = new("--answers")
    {
        Description = "Rehearse without a person at the terminal: threshold and custodians from this TOML file; sheets are checked by reading their share files back",
        HelpName = "FILE",
    };
    private readonly Option<string?> _check = new Option<string?>("--check")
    {
        Description = "How each custodian proves the sheet is readable: full (type or scan the whole share; default) or words (4 random words)",
    }.AcceptOnlyFromAmong("full", "words");
    private readonly Option<bool> _acceptWeak = SharedOptions.AcceptWeakPassphrase();
    private readonly Option<bool> _online = new("--i-know-this-machine-is-online")
    {
        Description = "Go on although a network is connected (rehearsals with a throw-away key only); the transcript records it",
    };

    private readonly ManifestCliOptions _manifest = new();
    private readonly Option<string?> _custodiansFile = new("--custodians-file", "--seal-to")
    {
        Description = "Take the custodians from FILE, one per share in share order: 'NAME' (or 'NAME = paper') gets a paper sheet " +
                      "read back at the ceremony, 'NAME = RECIPIENT' (age1… or ssh-ed25519 …) gets the share sealed to that key, " +
                      "proven on disk; indented 'contact:' and 'time zone:' lines go into the manifest (docs/custodians.md)",
        HelpName = "FILE",
    };
    private readonly Option<bool> _armor = new("--armor") { Description = "With --custodians-file: write the sealed files ASCII-armored" };

    public CeremonyCommand(CliConsole console)
        : base("ceremony", "Guided key ceremony: key, encrypted key file, one checked sheet per custodian, drill and transcript")
    {
        Add(_outDir);
        Add(_import);
        Add(_importPassphraseFile);
        Add(_format);
        Add(_dice);
        Add(_network);
        Add(_label);
        Add(_paperSize);
        _kdf.AddTo(this);
        Add(_passphraseFile);
        Add(_acceptWeak);
        Add(_answers);
        Add(_check);
        Add(_online);
        _manifest.AddTo(this);
        Add(_custodiansFile);
        Add(_armor);
        SetAction(parse => Reporter.Run(console, () => Execute(console, parse)));
    }

    private int Execute(CliConsole console, ParseResult parse)
    {
        var import = parse.GetValue(_import);
        var answers = parse.GetValue(_answers);
        var check = parse.GetValue(_check);
        if (import is not null && parse.GetValue(_dice))
            throw new KeyVaultException(ErrorKind.Usage,
                "--import and --dice exclude each other: dice are mixed into a new key, and an imported key already exists", "give one of them");
        if (answers is not null && check is not null)
            throw new KeyVaultException(ErrorKind.Usage,
                "--check has no effect with --answers: a rehearsal checks each sheet by reading its share file back",
                "leave out --check, or leave out --answers to run the ceremony with people");
        var custodiansFile = parse.GetValue(_custodiansFile);
        if (custodiansFile is null && parse.GetValue(_armor))
            throw new KeyVaultException(ErrorKind.Usage, "--armor applies to sealed shares only",
                "add --custodians-file FILE naming a recipient for each custodian whose share is sealed, or leave out --armor");
        var importPassphraseFile = parse.GetValue(_importPassphraseFile);
        if (importPassphraseFile is not null && import is null)
            throw new KeyVaultException(ErrorKind.Usage, "--import-passphrase-file is the passphrase of a key file to import, and no --import was given",
                "add --import KEYFILE, or leave out --import-passphrase-file");
        SharedOptions.AtMostOneStdin(import, parse.GetValue(_passphraseFile), answers, custodiansFile, importPassphraseFile);
        var executable = SelfTestCommand.Require(console, out bool selfTestPassed);
        if (!selfTestPassed) return ExitCode.SelfTestFailed;
        var origin = _manifest.SheetOrigin(parse);
        var settings = new CeremonySettings
        {
            OutDir = parse.GetValue(_outDir)!,
            ImportPath = import,
            ImportFormat = SharedOptions.ParseInputFormat(parse.GetValue(_format)!),
            Dice = parse.GetValue(_dice),
            Network = parse.GetValue(_network) == "testnet" ? StacksNetwork.Testnet : StacksNetwork.Mainnet,
            Label = parse.GetValue(_label),
            PaperSize = parse.GetValue(_paperSize) == "letter" ? PaperSize.Letter : PaperSize.A4,
            Kdf = _kdf.Resolve(parse, KdfParameters.Default),
            PassphraseFile = parse.GetValue(_passphraseFile),
            AnswersPath = answers,
            Check = check == "words" ? CheckMode.Words : CheckMode.Full,
            AllowOnline = parse.GetValue(_online),
            Executable = executable,
            Org = parse.GetValue(_manifest.Org),
            Contact = parse.GetValue(_manifest.Contact),
            ExecutableSha256 = origin.ExecutableSha256,
            CustodiansFile = custodiansFile,
            ImportPassphraseFile = importPassphraseFile,
            Armor = parse.GetValue(_armor),
            ExecutableName = origin.ExecutableName,
            AcceptWeakPassphrase = parse.GetValue(_acceptWeak),
        };
        using var renderer = new SheetRenderer();
        var flow = new CeremonyFlow(console, settings, renderer, console.NetworkInterfaces());
        using var signals = Interrupts.OnSignal(signal => flow.Interrupt(signal.ToString(), deleted => Interrupted(console, flow, deleted)));
        var transcript = flow.Run();
        IdentityText.Print(console.Out, transcript.Identity, json: false, settings.Label);
        return ExitCode.Success;
    }

    /// <summary>Ends the process once a signal's cleanup is done (tests substitute a recorder).</summary>
    internal static Action<int> Terminate { get; set; } = ProcessEnd.Immediately;

    private static void Interrupted(CliConsole console, CeremonyFlow flow, IReadOnlyList<string> deleted)
    {
        try
        {
            console.Error.WriteLine();
            flow.ReportDiscarded(deleted);
            Reporter.Error(console, flow.InterruptedError());
        }
        catch (IOException)
        {
            // A closed terminal (SIGHUP) may refuse the report; the files are gone all the same.
        }
        Terminate(ExitCode.Cancelled);
    }
}
