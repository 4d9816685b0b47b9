using System.CommandLine;
using System.Text;
using KeyVault.Cli.Infrastructure;
using KeyVault.Codecs;
using KeyVault.Errors;
using KeyVault.Flows;
using KeyVault.Interaction;
using KeyVault.Signing;

namespace KeyVault.Cli.Commands;

/// <summary><c>keyvault sign</c>: offline signatures with the cold key, opened in memory and wiped after use.</summary>
internal sealed class SignCommand : Command
{
    public SignCommand(CliConsole console)
        : base("sign", "Sign with the cold key, offline, from its key file or its shares")
    {
        Add(new MessageCommand(console));
        Add(new StakingSignatureCommand(console));
        Add(new VoteCommand(console));
        Add(new VerifyVoteCommand(console));
    }

    /// <summary>
    /// <c>keyvault sign message</c>: a Stacks signed message (the drill reports' scheme), printed as the 65-byte
    /// signature r || s || recovery id in hex (what stacks.js <c>verifyMessageSignatureRsv</c> accepts) and the public key.
    /// </summary>
    private sealed class MessageCommand : Command
    {
        private readonly Argument<string?> _file = new("TEXT-FILE")
        {
            Description = "Sign the UTF-8 text of this file exactly as it is (or give --message)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        private readonly Option<string?> _message = new("--message")
        {
            Description = "Sign this text (not a secret: it is on the command line)",
            HelpName = "TEXT",
        };
        private readonly SigningKeyOptions _key = new();

        public MessageCommand(CliConsole console)
            : base("message", "Sign a text as a Stacks signed message and print the signature (RSV hex) and public key")
        {
            Add(_file);
            Add(_message);
            _key.AddTo(this);
            SetAction(parse => Reporter.Run(console, () => Execute(console, parse)));
        }

        private int Execute(CliConsole console, ParseResult parse)
        {
            var file = parse.GetValue(_file);
            var text = parse.GetValue(_message);
            if ((file is null) == (text is null))
                throw new KeyVaultException(ErrorKind.Usage, "give the text to sign as a TEXT-FILE or with --message, not both",
                    "keyvault sign message statement.txt --key-file cold.kv");
            if (file is not null)
            {
                if (!File.Exists(file))
                    throw new KeyVaultException(ErrorKind.Usage, $"{file}: no such file", "name the text file to sign");
                try
                {
                    text = new UTF8Encoding(false, true).GetString(File.ReadAllBytes(file));
                }
                catch (DecoderFallbackException)
                {
                    throw new KeyVaultException(ErrorKind.Usage, $"{file} is not UTF-8 text", "save the statement as UTF-8 and sign it again");
                }
            }
            var source = _key.Read(parse);
            var op = (IOperator)console;
            op.Show("keyvault: signing this Stacks signed message (between the lines):");
            op.Show("----");
            foreach (var line in text!.Split('\n')) op.Show(line);
            op.Show("----");
            op.Show($"keyvault: SHA-256 of the prefixed message {Hex.Encode(StacksMessageSigning.Hash(text))}");
            using var key = SigningKeys.Open(op, source);
            var signature = StacksMessageSigning.Sign(key, text);
            op.Note($"signed with key fingerprint {key.PublicKey.Fingerprint}; the key was wiped from memory, nothing secret was written");
            console.Out.WriteLine($"signature  {Hex.Encode(signature)}");
            console.Out.WriteLine($"public-key {key.PublicKey.Hex66}");
            return ExitCode.Success;
        }
    }
}
