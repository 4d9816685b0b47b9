using System.CommandLine;
using KeyVault.Cli.Infrastructure;
using KeyVault.Flows;
using KeyVault.IO;
using KeyVault.KeyFile;
using KeyVault.Keys;

namespace KeyVault.Cli.Commands;

/// <summary>What <c>generate</c> and <c>import</c> share: encrypt a key into a new key file and print its identity.</summary>
internal sealed class KeyFileSaver
{
    public readonly Option<string> Out = new("--out") { Description = "Write the encrypted key file to FILE (created new, mode 0600)", HelpName = "FILE", Required = true };
    public readonly Option<string?> Label = new("--label") { Description = "A label stored (authenticated) in the file, e.g. \"sBTC signer mainnet 2026\"", HelpName = "TEXT" };
    public readonly Option<bool> Armor = new("--armor") { Description = "Write the ASCII-armored form (for paper and QR codes) instead of binary" };
    public readonly Option<string?> PassphraseFile = SharedOptions.PassphraseFile();
    public readonly Option<bool> AcceptWeak = SharedOptions.AcceptWeakPassphrase();
    public readonly Option<bool> Json = SharedOptions.Json();
    public readonly Option<bool> Force = SharedOptions.Force();
    public readonly KeyFileOptions Kdf = new();

    public void AddTo(Command command)
    {
        command.Add(Out);
        command.Add(Label);
        command.Add(Armor);
        command.Add(PassphraseFile);
        command.Add(AcceptWeak);
        Kdf.AddTo(command);
        command.Add(Json);
        command.Add(Force);
    }

    /// <summary>Checks what can be checked before any secret is asked for, so a doomed run loses nothing.</summary>
    public KdfParameters Precheck(ParseResult parse)
    {
        var kdf = Kdf.Resolve(parse, KdfParameters.Default);
        KeyFileFlows.Precheck(Request(parse, kdf));
        return kdf;
    }

    /// <summary>The new passphrase for the key file: from the passphrase file or asked twice, held to the strength floor.</summary>
    public Passphrase NewPassphrase(CliConsole console, ParseResult parse) =>
        Inputs.NewPassphrase(console, parse.GetValue(PassphraseFile), acceptWeak: parse.GetValue(AcceptWeak));

    /// <summary>Encrypts, verifies, writes, prints the identity.</summary>
    public int Save(CliConsole console, ParseResult parse, SecretKey key, Passphrase passphrase, KdfParameters kdf)
    {
        var saved = KeyFileFlows.Save(console, Request(parse, kdf), key, passphrase);
        console.Error.WriteLine($"keyvault: wrote {saved.Path} ({(saved.Armored ? "armored" : "binary")}, {saved.Kdf})");
        bool json = parse.GetValue(Json);
        IdentityText.Print(console.Out, saved.PublicKey.Identity(), json, json ? null : saved.Label);
        return ExitCode.Success;
    }

    private KeyFileSaveRequest Request(ParseResult parse, KdfParameters kdf) =>
        new(parse.GetValue(Out)!, kdf, parse.GetValue(Label), parse.GetValue(Armor), Overwrite: parse.GetValue(Force));
}
