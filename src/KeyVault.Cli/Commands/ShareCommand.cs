using System.CommandLine;
using KeyVault.Cli.Infrastructure;
using KeyVault.Flows;
using KeyVault.IO;
using KeyVault.Manifest;
using KeyVault.Paper;

namespace KeyVault.Cli.Commands;

/// <summary><c>keyvault share</c>: one custodian's share, alone.</summary>
internal sealed class ShareCommand : Command
{
    public ShareCommand(CliConsole console)
        : base("share", "Check one share, or reissue one share of a backup without touching the others")
    {
        Add(new ShareCheckCommand(console));
        Add(new ShareReissueCommand(console));
    }
}

/// <summary><c>keyvault share check</c>: a custodian's yearly check of their own sheet. Writes nothing.</summary>
internal sealed class ShareCheckCommand : Command
{
    private readonly Option<string?> _shareFile = new("--share-file")
    {
        Description = "The share file, plain or sealed (.age); - for standard input. Without it the share is typed or scanned " +
                      "at the prompt (not shown), or read as one line from piped standard input",
        HelpName = "FILE",
    };
    private readonly Option<string?> _manifest = new("--manifest")
    {
        Description = "The backup's manifest.json: confirms its signature and that this exact share is registered for its custodian",
        HelpName = "FILE",
    };
    private readonly Option<string?> _identity = new("--identity")
    {
        Description = "For a sealed share: the custodian's age identity file or unencrypted OpenSSH ed25519 private key, to open it",
        HelpName = "FILE",
    };
    private readonly Option<string?> _receipt = new("--receipt")
    {
        Description = "With --manifest: when the share is the one registered, write a check receipt (no secret in it) for the key's owner to collect",
        HelpName = "FILE",
    };

    public ShareCheckCommand(CliConsole console)
        : base("check", "Check one share: checksum, structure and, with --manifest, that it is the share registered for its custodian")
    {
        Add(_shareFile);
        Add(_manifest);
        Add(_identity);
        Add(_receipt);
        SetAction(parse => Reporter.Run(console, () => Execute(console, parse)));
    }

    private int Execute(CliConsole console, ParseResult parse)
    {
        var shareFile = parse.GetValue(_shareFile);
        var identity = parse.GetValue(_identity);
        var receipt = parse.GetValue(_receipt);
        if (identity is not null && shareFile is null) throw CustodyCliErrors.IdentityWithoutShareFile();
        if (receipt is not null && parse.GetValue(_manifest) is null)
            throw new KeyVault.Errors.KeyVaultException(KeyVault.Errors.ErrorKind.Usage, "--receipt needs --manifest: a receipt records a share registered in it");
        // Refused before any share is typed: the receipt is a new file.
        if (receipt is not null) AtomicFile.RequireAbsent(receipt, overwrite: false);
        SharedOptions.AtMostOneStdin(shareFile ?? (console.IsInteractive ? null : "-"), parse.GetValue(_manifest), identity);
        var outcome = ShareCheckFlow.Run(console, new ShareCheckRequest(shareFile, parse.GetValue(_manifest), identity));
        foreach (var line in outcome.Lines) console.Out.WriteLine(line);
        switch (outcome.Report?.Result?.Verdict)
        {
            case ShareCheckVerdict.NotRegistered:
                Reporter.Error(console, outcome.Report.Result.Message,
                    "check the share against its sheet and the manifest against the one written with the backup");
                return ExitCode.IdentityMismatch;
            case ShareCheckVerdict.Retired:
                Reporter.Error(console, outcome.Report.Result.Message,
                    "this sheet belongs to a retired backup: destroy it (shred or burn it) and tell the key's owner");
                return ExitCode.ShareRetired;
            case ShareCheckVerdict.Registered when receipt is not null:
                var written = ShareCheckReceipt.Of(outcome.Report.Manifest!, outcome.Report.Result, DateTimeOffset.UtcNow).Write();
                AtomicFile.Write(receipt, System.Text.Encoding.UTF8.GetBytes(written));
                AtomicFile.MakePublic(receipt);
                console.Out.WriteLine($"receipt:            {receipt} (give it to the key's owner: keyvault status reads it)");
                return ExitCode.Success;
            default:
                if (receipt is not null) Reporter.Error(console, "no receipt was written: only a share whose words were checked and found registered in the manifest gets one",
                    outcome.Sealed is not null ? "give --identity to open the sealed share, so its words are checked" : null);
                return receipt is null ? ExitCode.Success : ExitCode.Usage;
        }
    }
}

/// <summary>
/// <c>keyvault share reissue</c>: re-creates a lost share number or adds a custodian at a new number from enough
/// shares of the same group, and writes the new share file and the re-signed manifest.
/// </summary>
internal sealed class ShareReissueCommand : Command
{
    private readonly Option<string[]> _shareFiles = new("--share-file")
    {
        Description = "A share file of the backup (repeat): at least the member threshold of the new share's group; plain, " +
                      "or sealed (.age) and opened with --identity",
        HelpName = "FILE",
    };
    private readonly Option<string[]> _identities = SharedOptions.Identities();
    private readonly Option<string?> _sealTo = new("--seal-to")
    {
        Description = "Seal the new share to this recipient (age1… or 'ssh-ed25519 AAAA… comment', quoted): writes share-N.age " +
                      "instead of a plain share file",
        HelpName = "RECIPIENT",
    };
    private readonly Option<string?> _custodiansFile = new("--custodians-file")
    {
        Description = "The backup's custodians file: the --custodian's line says whether the new share is sealed (and to which key) " +
                      "or written for paper, and gives their contact and time zone for the manifest",
        HelpName = "FILE",
    };
    private readonly Option<int?> _replaces = new("--replaces")
    {
        Description = "The share number of a custodian who leaves the backup: the manifest marks them departed (their sheet is " +
                      "to be destroyed), and the sheets keep counting the shares custodians hold",
        HelpName = "N",
    };
    private readonly Option<bool> _armor = new("--armor") { Description = "With a sealed new share: write it ASCII-armored" };
    private readonly Option<int> _number = new("--number") { Description = "The share number, as printed on the sheets (1-16)", HelpName = "N", Required = true };
    private readonly Option<int?> _group = new("--group") { Description = "The group of the share (when the shares given are of several groups)", HelpName = "G" };
    private readonly Option<string> _custodian = new("--custodian") { Description = "Who receives the share", HelpName = "NAME", Required = true };
    private readonly Option<string> _manifest = new("--manifest")
    {
        Description = "The backup's current manifest.json; replaced in place by the next revision once the new share is written",
        HelpName = "FILE",
        Required = true,
    };
    private readonly Option<string> _outDir = new("--out-dir")
    {
        Description = "Existing folder for the new share file and a copy of the updated, re-signed manifest.json for its custodian",
        HelpName = "DIR",
        Required = true,
    };
    private readonly Option<string?> _reason = new("--reason") { Description = "Why, recorded in the manifest (default: \"reissue\")", HelpName = "TEXT" };
    private readonly Option<string?> _keyFile = new("--key-file")
    {
        Description = "The encrypted key file, to re-sign the manifest; without it the shares given must be enough to rebuild the key",
        HelpName = "FILE",
    };
    private readonly Option<string?> _passphraseFile = SharedOptions.PassphraseFile();
    private readonly Option<string?> _slip39PassphraseFile = new("--slip39-passphrase-file")
    {
        Description = "The backup's SLIP-0039 passphrase, if it has one (to rebuild the key from the shares)",
        HelpName = "FILE",
    };
    private readonly Option<bool> _paper = new("--paper") { Description = "Also write the printable sheet of the new share" };
    private readonly SheetOptions _sheet = new();
    private readonly ManifestCliOptions _origin = new("printed on the new sheet (default: as the manifest records it)");

    public ShareReissueCommand(CliConsole console)
        : base("reissue", "Re-create a lost share or add a custodian at a new share number; the other sheets stay valid")
    {
        Add(_shareFiles);
        Add(_identities);
        Add(_number);
        Add(_group);
        Add(_custodian);
        Add(_manifest);
        Add(_outDir);
        Add(_reason);
        Add(_keyFile);
        Add(_passphraseFile);
        Add(_slip39PassphraseFile);
        Add(_paper);
        Add(_sealTo);
        Add(_custodiansFile);
        Add(_replaces);
        Add(_armor);
        _sheet.AddTo(this);
        _origin.AddTo(this);
        SetAction(parse => Reporter.Run(console, () => Execute(console, parse)));
    }

    private int Execute(CliConsole console, ParseResult parse)
    {
        var shareFiles = parse.GetValue(_shareFiles) ?? [];
        var identities = parse.GetValue(_identities) ?? [];
        bool paper = parse.GetValue(_paper);
        if (!paper && _sheet.AnyGiven(parse)) throw ShareCliErrors.SheetOptionsWithoutPaper();
        if (!paper && (parse.GetValue(_origin.Org) is not null || parse.GetValue(_origin.Contact) is not null)) throw ShareCliErrors.OriginWithoutPaper();
        if (shareFiles.Length == 0) throw CustodyCliErrors.NoShareFiles();
        var keyFile = parse.GetValue(_keyFile);
        if (parse.GetValue(_passphraseFile) is not null && keyFile is null) throw CustodyCliErrors.PassphraseWithoutKeyFile();
        var manifestFile = parse.GetValue(_manifest)!;
        if (manifestFile == "-")
            throw new KeyVault.Errors.KeyVaultException(KeyVault.Errors.ErrorKind.Usage,
                "--manifest - cannot be replaced by its next revision", "give the manifest's file, which the reissue updates in place");
        SharedOptions.AtMostOneStdin([.. shareFiles, manifestFile, keyFile, parse.GetValue(_passphraseFile), parse.GetValue(_slip39PassphraseFile),
            parse.GetValue(_custodiansFile), .. identities]);
        var options = new ShareOutputOptions([], paper, paper && parse.GetValue(_sheet.Png), _sheet.Size(parse), _sheet.StacksNetwork(parse),
            SheetOptions.Today(), PassphraseProtected: false, Origin: _origin.SheetOrigin(parse));
        var outDir = parse.GetValue(_outDir)!;
        using var files = new FileSet(outDir, staged: true);
        using var interrupts = Interrupts.DiscardOnSignal(console, files);
        using var renderer = paper ? new SheetRenderer() : null;
        var written = CustodyFlows.Reissue(console, new ReissueFlowRequest(shareFiles, manifestFile, parse.GetValue(_number),
            parse.GetValue(_custodian)!, parse.GetValue(_reason) ?? "reissue", parse.GetValue(_group), keyFile, parse.GetValue(_passphraseFile),
            parse.GetValue(_slip39PassphraseFile))
        {
            IdentityFiles = identities,
            SealTo = parse.GetValue(_sealTo),
            CustodiansFile = parse.GetValue(_custodiansFile),
            Replaces = parse.GetValue(_replaces),
            Armor = parse.GetValue(_armor),
        }, options, files, renderer);
        if (!files.Complete()) throw FileSet.Interrupted();
        // The manifest kept with the backup becomes the current revision; the copy in the output folder goes to the custodian.
        ManifestFiles.Replace(manifestFile, written.ManifestJson);
        var slot = ShareCheck.Slot(written.Share.GroupCount, written.Share.GroupNumber, written.Share.MemberNumber);
        console.Error.WriteLine($"keyvault: {(written.Recreated ? "re-created" : "issued new")} share {slot} of backup {written.Share.Identifier} " +
                                $"for {written.Custodian}; wrote {written.ShareFile} " +
                                (written.SealedTo is null ? "(secret: hand it over, then delete it)" : "(sealed: only the custodian's key opens it)") +
                                $"; {manifestFile} is now revision {written.Manifest.Revision} of the manifest, copied to {written.ManifestPath}");
        console.Out.WriteLine(written.ManifestPath);
        return ExitCode.Success;
    }
}
