using System.CommandLine;
using System.Text;
using KeyVault.Cli.Infrastructure;
using KeyVault.Errors;
using KeyVault.Flows;
using KeyVault.Interaction;
using KeyVault.IO;
using KeyVault.Keys;
using KeyVault.Signing;

namespace KeyVault.Cli.Commands;

/// <summary>
/// <c>keyvault rotate</c>: a signer's move to a new key in writing (docs/rotation.md). The old key names its
/// successor (<c>announce</c>), the new key accepts (<c>accept</c>), and anyone checks both (<c>verify</c>).
/// </summary>
internal sealed class RotateCommand : Command
{
    public RotateCommand(CliConsole console)
        : base("rotate", "Rotate the signer key: a successor statement signed by the old key and accepted by the new one")
    {
        Add(new AnnounceCommand(console));
        Add(new AcceptCommand(console));
        Add(new VerifyCommand(console));
    }

    private static Option<string> Out() => new("--out") { Description = "Write the statement to FILE (created new)", HelpName = "FILE", Required = true };

    private static void Show(IOperator op, SuccessorStatement s)
    {
        op.Show($"keyvault: old key {s.OldKey.Fingerprint}  {s.OldKey.Hex66}");
        op.Show($"keyvault: new key {s.NewKey.Fingerprint}  {s.NewKey.Hex66}");
    }

    private static string ReadText(string path)
    {
        if (!File.Exists(path)) throw new KeyVaultException(ErrorKind.Usage, $"{path}: no such file", "name the successor statement (keyvault rotate announce wrote it)");
        return Encoding.UTF8.GetString(File.ReadAllBytes(path));
    }

    private static void WriteStatement(IOperator op, string path, string text)
    {
        AtomicFile.Write(path, Encoding.UTF8.GetBytes(text));
        op.Note($"wrote {path}");
    }

    private sealed class AnnounceCommand : Command
    {
        private readonly Option<string> _newKey = new("--new-public-key")
        {
            Description = "The new key's public key (66 hex digits, as keyvault identity or inspect shows it)",
            HelpName = "HEX",
            Required = true,
        };
        private readonly Option<string> _out = Out();
        private readonly SigningKeyOptions _key = new();

        public AnnounceCommand(CliConsole console)
            : base("announce", "Sign, with the old key, a statement that names the new key as its successor")
        {
            Add(_newKey);
            Add(_out);
            _key.AddTo(this);
            SetAction(parse => Reporter.Run(console, () => Execute(console, parse)));
        }

        private int Execute(CliConsole console, ParseResult parse)
        {
            var text = parse.GetValue(_newKey)!.Trim();
            var newKey = PublicKey.TryParseLowerHex(text.ToLowerInvariant())
                ?? throw new KeyVaultException(ErrorKind.BadInput, "--new-public-key is not a compressed secp256k1 public key",
                    "give the 66 hex digits of the new key's public key (02… or 03…)");
            var outPath = parse.GetValue(_out)!;
            var source = _key.Read(parse);
            AtomicFile.RequireAbsent(outPath, overwrite: false);
            var op = (IOperator)console;
            op.Show($"keyvault: the old key will name {newKey.Fingerprint} ({newKey.Hex66}) as its successor; check it against the new key's ceremony record");
            using var key = SigningKeys.Open(op, source);
            var statement = new SuccessorStatement
            {
                OldKey = key.PublicKey,
                NewKey = newKey,
                CreatedAt = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()),
            };
            var signed = statement.Announce(key);
            Show(op, statement);
            WriteStatement(op, outPath, signed);
            op.Note("signed by the old key, which was wiped from memory; next, the new key accepts it (keyvault rotate accept)");
            return ExitCode.Success;
        }
    }

    private sealed class AcceptCommand : Command
    {
        private readonly Argument<string> _file = new("STATEMENT") { Description = "The statement the old key signed (keyvault rotate announce)" };
        private readonly Option<string> _out = Out();
        private readonly SigningKeyOptions _key = new();

        public AcceptCommand(CliConsole console)
            : base("accept", "Accept, with the new key, a successor statement the old key signed")
        {
            Add(_file);
            Add(_out);
            _key.AddTo(this);
            SetAction(parse => Reporter.Run(console, () => Execute(console, parse)));
        }

        private int Execute(CliConsole console, ParseResult parse)
        {
            var announced = ReadText(parse.GetValue(_file)!);
            var outPath = parse.GetValue(_out)!;
            var source = _key.Read(parse);
            AtomicFile.RequireAbsent(outPath, overwrite: false);
            // Checked before the key is opened: a statement the old key did not sign is not accepted.
            var read = SuccessorStatement.ReadAnnounced(announced);
            var op = (IOperator)console;
            Show(op, read.Statement);
            op.Show("keyvault: the old key's signature is valid");
            using var key = SigningKeys.Open(op, source);
            WriteStatement(op, outPath, SuccessorStatement.Accept(announced, key));
            op.Note($"accepted by the new key {key.PublicKey.Fingerprint}, which was wiped from memory; give the statement to the other operators to verify");
            return ExitCode.Success;
        }
    }

    private sealed class VerifyCommand : Command
    {
        private readonly Argument<string> _file = new("STATEMENT") { Description = "The successor statement" };
        private readonly Option<string?> _old = new("--old-public-key")
        {
            Description = "Require this old key (the one in your signer-set config), 66 hex digits",
            HelpName = "HEX",
        };

        public VerifyCommand(CliConsole console)
            : base("verify", "Check a successor statement: the old key named the new one, and the new key accepted")
        {
            Add(_file);
            Add(_old);
            SetAction(parse => Reporter.Run(console, () => Execute(console, parse)));
        }

        private int Execute(CliConsole console, ParseResult parse)
        {
            var read = SuccessorStatement.Verify(ReadText(parse.GetValue(_file)!));
            var op = (IOperator)console;
            if (parse.GetValue(_old) is { } expected && !string.Equals(expected.Trim(), read.OldKey.Hex66, StringComparison.OrdinalIgnoreCase))
                throw new KeyVaultException(ErrorKind.IdentityMismatch, $"the statement rotates key {read.OldKey.Fingerprint}, not {expected.Trim()}",
                    "check that this is the statement of the signer you expect");
            var problems = new[] { read.OldKeyProblem, read.AcceptanceProblem }.OfType<string>().ToList();
            console.Out.WriteLine(read.Valid ? "VALID" : "INVALID");
            console.Out.WriteLine($"old-key    {read.OldKey.Hex66}");
            console.Out.WriteLine($"new-key    {read.NewKey.Hex66}");
            console.Out.WriteLine($"created-at {read.Statement.CreatedAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}");
            foreach (var p in problems) op.Note(p);
            if (read.Valid)
                op.Note($"key {read.OldKey.Fingerprint} names {read.NewKey.Fingerprint} as its successor, and {read.NewKey.Fingerprint} accepted; " +
                        "replace the old key with the new one in the signer-set config");
            return read.Valid ? ExitCode.Success : ExitCode.InvalidSignature;
        }
    }
}
