using System.CommandLine;
using KeyVault.Cli.Infrastructure;
using KeyVault.Flows;
using KeyVault.IO;
using KeyVault.Keys;
using KeyVault.Shares;

namespace KeyVault.Cli.Commands;

/// <summary>
/// <c>keyvault combine</c>: rebuilds a key from SLIP-0039 shares (files, typed, scanned or piped) into a new encrypted
/// key file, or with <c>--reveal-format</c> into a signer's key format.
/// </summary>
internal sealed class CombineCommand : Command
{
    private readonly KeyFileSaver _saver = new();
    private readonly Option<string[]> _shareFiles = new("--share-file")
    {
        Description = "A share file (repeat for each share; - for standard input). Without it, shares are asked for one per line " +
                      "on the terminal (typed or from a USB QR scanner; not shown), or read one per line from piped standard input",
        HelpName = "FILE",
    };
    private readonly Option<string?> _slip39PassphraseFile = new("--slip39-passphrase-file")
    {
        Description = "The SLIP-0039 passphrase the shares were made with, read from FILE (default: none). A wrong one is not " +
                      "detected by SLIP-0039: it rebuilds a different key, which the share files' public key then exposes",
        HelpName = "FILE",
    };
    private readonly Option<string?> _revealFormat = SharedOptions.RevealFormat();
    private readonly Option<string[]> _identities = SharedOptions.Identities();

    public CombineCommand(CliConsole console)
        : base("combine", "Rebuild a key from SLIP-0039 shares and save it in a new encrypted key file")
    {
        Add(_shareFiles);
        Add(_slip39PassphraseFile);
        _saver.Out.Description = SharedOptions.KeyFileOrRevealOut;
        _saver.Out.HelpName = "FILE";
        _saver.AddTo(this);
        Add(_revealFormat);
        Add(_identities);
        SetAction(parse => Reporter.Run(console, () => Execute(console, parse), offersForce: true));
    }

    private int Execute(CliConsole console, ParseResult parse)
    {
        var output = parse.GetValue(_saver.Out)!;
        var shareFiles = parse.GetValue(_shareFiles) ?? [];
        var reveal = parse.GetValue(_revealFormat);
        var passphraseFile = parse.GetValue(_saver.PassphraseFile);
        // Without share files and without a terminal, the shares themselves come from standard input.
        bool sharesOnStdin = shareFiles.Length == 0 && !console.IsInteractive;
        var identities = parse.GetValue(_identities) ?? [];
        if (identities.Length > 0 && shareFiles.Length == 0)
            throw new KeyVault.Errors.KeyVaultException(KeyVault.Errors.ErrorKind.Usage,
                "--identity opens sealed share files, and no --share-file was given", "add --share-file FILE.age for each sealed share, or leave out --identity");
        SharedOptions.AtMostOneStdin([.. shareFiles, sharesOnStdin ? "-" : null, passphraseFile, parse.GetValue(_slip39PassphraseFile), .. identities]);

        // Output checks come before the shares, so nobody types a share for a run that cannot finish.
        var kdf = reveal is null ? PrecheckKeyFile(console, parse, output, passphraseFile) : null;
        if (reveal is not null)
        {
            PrecheckReveal(parse);
            if (output != "-") AtomicFile.RequireAbsent(output, overwrite: parse.GetValue(_saver.Force));
        }
        if (output != "-") KeyFileWriting.RemoveStaleTemporaries(console, output);

        // A passphrase file that cannot be right is reported before anyone types a share (stdin can be read only once).
        if (parse.GetValue(_slip39PassphraseFile) is { } slip39File && slip39File != "-")
            Slip39Passphrase.Read(console, slip39File, allowEmpty: true).Dispose();

        using var key = RestoreFlow.FromShares(console, shareFiles, parse.GetValue(_slip39PassphraseFile), identities, out var used);
        console.Error.WriteLine($"keyvault: rebuilt key {key.PublicKey.Fingerprint} from {used.Shares.Count} share{(used.Shares.Count == 1 ? "" : "s")} of backup {used.Identifier}");

        if (reveal is not null)
        {
            KeyOutput.Write(console, key, SharedOptions.ParseOutputFormat(reveal), output, parse.GetValue(_saver.Force));
            // Standard output holds the key when "-" was asked for; the identity then goes with the messages.
            IdentityText.Print(output == "-" ? console.Error : console.Out, key.PublicKey.Identity(), json: false);
            return ExitCode.Success;
        }
        using var passphrase = _saver.NewPassphrase(console, parse);
        return _saver.Save(console, parse, key, passphrase, kdf!);
    }

    private KeyFile.KdfParameters PrecheckKeyFile(CliConsole console, ParseResult parse, string output, string? passphraseFile)
    {
        if (output == "-") throw ShareCliErrors.KeyFileToStdout();
        var kdf = _saver.Precheck(parse);
        if (passphraseFile is null && !console.IsInteractive) throw ShareCliErrors.NoTerminalForPassphrase("keyvault combine");
        return kdf;
    }

    private void PrecheckReveal(ParseResult parse)
    {
        Option[] keyFileOnly = [_saver.Label, _saver.Armor, _saver.PassphraseFile, _saver.AcceptWeak, _saver.Json, _saver.Kdf.Memory, _saver.Kdf.Iterations, _saver.Kdf.Parallelism];
        foreach (var option in keyFileOnly)
            if (parse.GetResult(option) is { Implicit: false })
                throw ShareCliErrors.KeyFileOptionsWithReveal(option.Name);
    }
}
