using System.CommandLine;
using KeyVault.Cli.Infrastructure;
using KeyVault.Flows;
using KeyVault.IO;
using KeyVault.KeyFile;
using KeyVault.Keys;
using KeyVault.Manifest;
using KeyVault.Paper;

namespace KeyVault.Cli.Commands;

/// <summary><c>keyvault restore</c>: a restore that collects shares over days, one custodian at a time.</summary>
internal sealed class RestoreCommand : Command
{
    public RestoreCommand(CliConsole console)
        : base("restore", "Restore a key over days: start a session, add one share whenever a custodian arrives, finish")
    {
        Add(new RestoreStartCommand(console));
        Add(new RestoreAddCommand(console));
        Add(new RestoreStatusCommand(console));
        Add(new RestoreFinishCommand(console));
    }

    /// <summary>The session folder argument.</summary>
    public static Argument<string> Dir() => new("DIR") { Description = "The restore session's folder" };

    /// <summary>The session passphrase option.</summary>
    public static Option<string?> SessionPassphraseFile() => new("--session-passphrase-file")
    {
        Description = "Read the session passphrase from FILE (- for standard input) instead of asking",
        HelpName = "FILE",
    };
}

/// <summary><c>keyvault restore start</c>: creates the session and its one-time age recipient.</summary>
internal sealed class RestoreStartCommand : Command
{
    private readonly Option<string> _outDir = new("--out-dir")
    {
        Description = "Folder of the new session (created 0700 if absent; must not hold a session)",
        HelpName = "DIR",
        Required = true,
    };
    private readonly Option<string?> _manifest = new("--manifest")
    {
        Description = "The backup's manifest.json: only shares registered in it are accepted, and the key rebuilt must be its identity",
        HelpName = "FILE",
    };
    private readonly Option<string?> _passphraseFile = RestoreCommand.SessionPassphraseFile();
    private readonly Option<bool> _acceptWeak = SharedOptions.AcceptWeakPassphrase();
    private readonly Option<bool> _postQuantum = new("--post-quantum")
    {
        Description = "Make the session's recipient a post-quantum hybrid one (age1pq1…, ML-KEM-768 + X25519), so a share sealed to it " +
                      "stays confidential against a future quantum computer; custodians then need age 1.3 or later to seal to it",
    };
    private readonly KeyFileOptions _kdf = new();

    public RestoreStartCommand(CliConsole console)
        : base("start", "Start a restore session protected by a session passphrase; prints the age recipient remote custodians seal to")
    {
        Add(_outDir);
        Add(_manifest);
        Add(_passphraseFile);
        Add(_acceptWeak);
        Add(_postQuantum);
        _kdf.AddTo(this);
        SetAction(parse => Reporter.Run(console, () => Execute(console, parse)));
    }

    private int Execute(CliConsole console, ParseResult parse)
    {
        var passphraseFile = parse.GetValue(_passphraseFile);
        var postQuantum = parse.GetValue(_postQuantum);
        SharedOptions.AtMostOneStdin(parse.GetValue(_manifest), passphraseFile);
        var kdf = _kdf.Resolve(parse, KdfParameters.Default);
        KeyFileOptions.WarnIfWeak(console, kdf);
        var started = RestoreFlow.Start(console, parse.GetValue(_outDir)!, parse.GetValue(_manifest), passphraseFile, kdf,
            parse.GetValue(_acceptWeak), files => Interrupts.DiscardOnSignal(console, files), postQuantum);
        console.Error.WriteLine($"keyvault: started a restore session in {started.Directory}; {started.Status.Summary}");
        if (postQuantum)
        {
            // A 1,959-character recipient makes a QR code far wider than a terminal: the file is what custodians get.
            console.Error.WriteLine($"keyvault: the session's recipient is post-quantum (age1pq1…, {started.Recipient.Length} characters): send {started.RecipientFile} " +
                                    "to the remote custodians; they seal to it with age 1.3 or later (age -R recipient.txt)");
            console.Error.WriteLine($"keyvault: remote custodians seal their share to this recipient (also in {started.RecipientFile}):");
        }
        else
        {
            // The QR goes to standard error with the messages, so standard output stays the one recipient line scripts read.
            foreach (var line in TerminalQr.Lines(started.Recipient)) console.Error.WriteLine(line);
            console.Error.WriteLine($"keyvault: remote custodians seal their share to this recipient (above as a QR code, also in {started.RecipientFile}):");
        }
        console.Out.WriteLine(started.Recipient);
        return ExitCode.Success;
    }
}

/// <summary><c>keyvault restore add</c>: one custodian adds one share.</summary>
internal sealed class RestoreAddCommand : Command
{
    private readonly Argument<string> _dir = RestoreCommand.Dir();
    private readonly Option<string?> _shareFile = new("--share-file")
    {
        Description = "The share file (- for standard input). Without it or --sealed, the share is typed or scanned at the prompt (not shown)",
        HelpName = "FILE",
    };
    private readonly Option<string?> _sealed = new("--sealed")
    {
        Description = "A share sealed to the session's recipient (return.age, binary or armored)",
        HelpName = "FILE",
    };
    private readonly Option<string?> _passphraseFile = RestoreCommand.SessionPassphraseFile();

    public RestoreAddCommand(CliConsole console)
        : base("add", "Add one share to a restore session; nothing already collected is lost by a bad input")
    {
        Add(_dir);
        Add(_shareFile);
        Add(_sealed);
        Add(_passphraseFile);
        SetAction(parse => Reporter.Run(console, () => Execute(console, parse)));
    }

    private int Execute(CliConsole console, ParseResult parse)
    {
        var shareFile = parse.GetValue(_shareFile);
        var sealedFile = parse.GetValue(_sealed);
        if (shareFile is not null && sealedFile is not null) throw CustodyCliErrors.TwoSources("--share-file", "--sealed");
        var passphraseFile = parse.GetValue(_passphraseFile);
        bool typed = shareFile is null && sealedFile is null;
        SharedOptions.AtMostOneStdin(shareFile, sealedFile, passphraseFile, typed && !console.IsInteractive ? "-" : null);
        // Ctrl-C at a prompt is a common way out; it says what it left, as the ceremony does, instead of a bare 130.
        using var interrupts = Interrupts.AbandonWritesOnSignal(console,
            "the session is as it was, with every share added before; run restore add again to add this one");
        var result = RestoreFlow.Add(console, new RestoreAddRequest(parse.GetValue(_dir)!, shareFile, sealedFile, passphraseFile));
        var slot = ShareCheck.Slot(result.Share.GroupCount, result.Share.GroupNumber, result.Share.MemberNumber);
        console.Error.WriteLine($"keyvault: added share {slot} of backup {result.Share.Identifier}" +
                                (result.Custodian is null ? "" : $" ({result.Custodian})") + "; the session is saved");
        console.Out.WriteLine(result.Status.Summary);
        return ExitCode.Success;
    }
}

/// <summary><c>keyvault restore status</c>: what is there and what is missing, without the passphrase.</summary>
internal sealed class RestoreStatusCommand : Command
{
    private readonly Argument<string> _dir = RestoreCommand.Dir();

    public RestoreStatusCommand(CliConsole console)
        : base("status", "Show which shares a restore session holds and what is missing (no passphrase needed)")
    {
        Add(_dir);
        SetAction(parse => Reporter.Run(console, () => Execute(console, parse)));
    }

    private int Execute(CliConsole console, ParseResult parse)
    {
        var state = RestoreFlow.Status(parse.GetValue(_dir)!);
        var status = state.Status;
        var o = console.Out;
        o.WriteLine($"session:     {state.Directory}, started {status.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC");
        if (status.BackupId is int id) o.WriteLine($"backup id:   {id}");
        if (status.Fingerprint is not null) o.WriteLine($"key:         {status.Fingerprint}");
        foreach (var s in status.Shares)
            o.WriteLine($"have share:  {ShareCheck.Slot(status.GroupCount ?? 1, s.Group, s.Member)}" +
                        (s.Custodian is null ? "" : $" ({s.Custodian})") + $", added {s.AddedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC");
        foreach (var missing in state.StillOut)
            o.WriteLine($"still out:   share {missing.Slot} ({missing.Custodian}" + (missing.Departed ? ", departed" : "") +
                        (missing.Contact is null ? "" : $", contact {missing.Contact}") + (missing.TimeZone is null ? "" : $", time zone {missing.TimeZone}") + ")");
        o.WriteLine($"status:      {status.Summary}");
        if (state.Recipient is not null) o.WriteLine($"recipient:   {state.Recipient}");
        return ExitCode.Success;
    }
}

/// <summary><c>keyvault restore finish</c>: rebuilds the key into a key file (or a signer's format), then removes the session.</summary>
internal sealed class RestoreFinishCommand : Command
{
    private readonly Argument<string> _dir = RestoreCommand.Dir();
    private readonly KeyFileSaver _saver = new();
    private readonly Option<string?> _sessionPassphraseFile = RestoreCommand.SessionPassphraseFile();
    private readonly Option<string?> _slip39PassphraseFile = new("--slip39-passphrase-file")
    {
        Description = "The backup's SLIP-0039 passphrase, if it has one, read from FILE",
        HelpName = "FILE",
    };
    private readonly Option<string?> _revealFormat = SharedOptions.RevealFormat();

    public RestoreFinishCommand(CliConsole console)
        : base("finish", "Rebuild the key from the session's shares, write it, then overwrite and remove the session")
    {
        Add(_dir);
        _saver.Out.Description = SharedOptions.KeyFileOrRevealOut;
        _saver.AddTo(this);
        Add(_revealFormat);
        Add(_sessionPassphraseFile);
        Add(_slip39PassphraseFile);
        SetAction(parse => Reporter.Run(console, () => Execute(console, parse), offersForce: true));
    }

    private int Execute(CliConsole console, ParseResult parse)
    {
        var output = parse.GetValue(_saver.Out)!;
        var reveal = parse.GetValue(_revealFormat);
        var passphraseFile = parse.GetValue(_saver.PassphraseFile);
        SharedOptions.AtMostOneStdin(passphraseFile, parse.GetValue(_sessionPassphraseFile), parse.GetValue(_slip39PassphraseFile));
        KdfParameters? kdf = null;
        if (reveal is null)
        {
            if (output == "-") throw ShareCliErrors.KeyFileToStdout();
            kdf = _saver.Precheck(parse);
            if (passphraseFile is null && !console.IsInteractive) throw ShareCliErrors.NoTerminalForPassphrase("keyvault restore finish");
        }
        else if (output != "-")
        {
            AtomicFile.RequireAbsent(output, overwrite: parse.GetValue(_saver.Force));
        }
        if (output != "-") KeyFileWriting.RemoveStaleTemporaries(console, output);

        int code = ExitCode.Success;
        RestoreFlow.Finish(console, parse.GetValue(_dir)!, parse.GetValue(_sessionPassphraseFile), parse.GetValue(_slip39PassphraseFile), key =>
        {
            console.Error.WriteLine($"keyvault: rebuilt key {key.PublicKey.Fingerprint} from the session's shares");
            if (reveal is not null)
            {
                KeyOutput.Write(console, key, SharedOptions.ParseOutputFormat(reveal), output, parse.GetValue(_saver.Force));
                IdentityText.Print(output == "-" ? console.Error : console.Out, key.PublicKey.Identity(), json: false);
                return;
            }
            using var passphrase = _saver.NewPassphrase(console, parse);
            code = _saver.Save(console, parse, key, passphrase, kdf!);
        });
        console.Error.WriteLine("keyvault: the restore session was overwritten and removed");
        return code;
    }
}
