using System.CommandLine;
using KeyVault.Cli.Infrastructure;
using KeyVault.Errors;
using KeyVault.IO;
using KeyVault.KeyFile;
using KeyVault.Keys;

namespace KeyVault.Cli.Commands;

/// <summary><c>keyvault identity</c>: the public identity of a key, as the signers show it.</summary>
internal sealed class IdentityCommand : Command
{
    private readonly Option<string?> _from = new("--from")
    {
        Description = "Read the private key from FILE (- for standard input): hex, sBTC or stacks-signer config, env file, or a KeyVault key file (no passphrase needed)",
        HelpName = "FILE",
    };
    private readonly Option<string?> _publicKey = new("--public-key")
    {
        Description = "Show the identity of this compressed public key (66 hex characters)",
        HelpName = "HEX",
    };
    private readonly Option<string> _format = SharedOptions.InputFormat();
    private readonly Option<bool> _json = SharedOptions.Json();

    public IdentityCommand(CliConsole console)
        : base("identity", "Show the public key, Stacks addresses, PeerId and fingerprint of a key")
    {
        Add(_from);
        Add(_publicKey);
        Add(_format);
        Add(_json);
        SetAction(parse => Reporter.Run(console, () => Execute(console, parse)));
    }

    private int Execute(CliConsole console, ParseResult parse)
    {
        var from = parse.GetValue(_from);
        var publicKeyHex = parse.GetValue(_publicKey);
        if ((from is null) == (publicKeyHex is null))
            throw new KeyVaultException(ErrorKind.Usage, "give exactly one of --from FILE and --public-key HEX",
                "keyvault identity --from signer-config.toml");

        SignerIdentity identity;
        if (publicKeyHex is not null)
        {
            identity = PublicKey.ParseHex(publicKeyHex).Identity();
        }
        else
        {
            var content = Inputs.ReadAll(console, from!);
            try
            {
                // A key file names its key in the authenticated header: no passphrase is needed for the identity.
                if (EncryptedKeyFile.LooksLikeKeyFile(content))
                {
                    var header = EncryptedKeyFile.Parse(content);
                    IdentityText.Print(console.Out, header.PublicKey.Identity(), parse.GetValue(_json), header.Label);
                    return ExitCode.Success;
                }
                using var key = SignerKeyFormats.Import(content, SharedOptions.ParseInputFormat(parse.GetValue(_format)!));
                identity = key.PublicKey.Identity();
            }
            finally
            {
                SecretBuffers.Wipe(content);
            }
        }
        IdentityText.Print(console.Out, identity, parse.GetValue(_json));
        return ExitCode.Success;
    }
}
