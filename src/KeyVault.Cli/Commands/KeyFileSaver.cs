using System.CommandLine;
using KeyVault.Cli.Infrastructure;
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
        AtomicFile.RequireAbsent(parse.GetValue(Out)!, overwrite: parse.GetValue(Force));
        var kdf = Kdf.Resolve(parse, KdfParameters.Default);
        EncryptedKeyFile.CheckWritable(kdf, parse.GetValue(Label));
        return kdf;
    }

    /// <summary>The new passphrase for the key file: from the passphrase file or asked twice, held to the strength floor.</summary>
    public Passphrase NewPassphrase(CliConsole console, ParseResult parse) =>
        Inputs.NewPassphrase(console, parse.GetValue(PassphraseFile), acceptWeak: parse.GetValue(AcceptWeak));

    /// <summary>Encrypts, verifies, writes, prints the identity.</summary>
    public int Save(CliConsole console, ParseResult parse, SecretKey key, Passphrase passphrase, KdfParameters kdf)
    {
        var path = parse.GetValue(Out)!;
        KeyFileOptions.WarnIfWeak(console, kdf);
        var binary = EncryptedKeyFile.Encrypt(key, passphrase, kdf, parse.GetValue(Label), new KdfProgressPrinter(console, "encrypting"));
        var content = parse.GetValue(Armor) ? EncryptedKeyFile.ToArmored(binary) : binary;
        KeyFileWriting.Verify(console, content, passphrase, key.PublicKey);
        if (parse.GetValue(Force) && File.Exists(path))
            KeyFileWriting.Replace(path, content);
        else
            KeyFileWriting.WriteNew(path, content);
        console.Error.WriteLine($"keyvault: wrote {path} ({(parse.GetValue(Armor) ? "armored" : "binary")}, {kdf})");
        IdentityText.Print(console.Out, key.PublicKey.Identity(), parse.GetValue(Json), parse.GetValue(Json) ? null : EncryptedKeyFile.Parse(content).Label);
        return ExitCode.Success;
    }
}
