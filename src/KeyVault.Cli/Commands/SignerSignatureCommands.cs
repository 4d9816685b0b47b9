using System.CommandLine;
using System.Globalization;
using KeyVault.Cli.Infrastructure;
using KeyVault.Codecs;
using KeyVault.Errors;
using KeyVault.Flows;
using KeyVault.Interaction;
using KeyVault.Keys;
using KeyVault.Signing;

namespace KeyVault.Cli.Commands;

/// <summary>
/// <c>keyvault sign staking-signature</c>: the pox-5 signer-manager grant that stacks-signer's
/// <c>generate-staking-signature</c> makes, printed byte for byte as stacks-signer prints it, from the cold key.
/// </summary>
internal sealed class StakingSignatureCommand : Command
{
    private readonly Option<string> _manager = new("--signer-manager")
    {
        Description = "The signer-manager principal allowed to register this signer key (ADDRESS or ADDRESS.contract-name)",
        HelpName = "PRINCIPAL",
        Required = true,
    };
    private readonly Option<string> _authId = new("--auth-id")
    {
        Description = "The authorization's unique id, a whole number below 2^128 (the same one the registration gives)",
        HelpName = "N",
        Required = true,
    };
    private readonly Option<string?> _network = new("--network")
    {
        Description = "The chain the grant is for: mainnet, testnet or mocknet (stacks-signer's network setting)",
        HelpName = "NETWORK",
    };
    private readonly Option<string?> _chainId = new("--chain-id")
    {
        Description = "The chain id, decimal or 0x hex, for a chain other than mainnet and testnet (stacks-signer's chain_id)",
        HelpName = "ID",
    };
    private readonly Option<bool> _json = new("--json") { Description = "Print stacks-signer's JSON line instead of its text" };
    private readonly SigningKeyOptions _key = new();

    public StakingSignatureCommand(CliConsole console)
        : base("staking-signature", "Sign the PoX signer-manager grant, exactly as stacks-signer generate-staking-signature prints it")
    {
        Add(_manager);
        Add(_authId);
        Add(_network);
        Add(_chainId);
        Add(_json);
        _key.AddTo(this);
        SetAction(parse => Reporter.Run(console, () => Execute(console, parse)));
    }

    private int Execute(CliConsole console, ParseResult parse)
    {
        var manager = StacksPrincipal.Parse(parse.GetValue(_manager)!);
        var authId = ParseAuthId(parse.GetValue(_authId)!);
        var (chainId, chainName) = ChainId(parse.GetValue(_network), parse.GetValue(_chainId));
        var source = _key.Read(parse);
        var op = (IOperator)console;
        var hash = SignerMessages.SignerGrantHash(manager, authId, chainId);
        op.Show("keyvault: signing the pox-5 signer-manager grant (grant-authorization):");
        op.Show($"  signer-manager  {manager}");
        op.Show($"  auth-id         {authId}");
        op.Show($"  chain id        0x{chainId:x8} ({chainName})");
        op.Show($"keyvault: SIP-018 hash {Hex.Encode(hash)}");
        if ((chainId == SignerMessages.MainnetChainId && manager.IsTestnet) || (chainId != SignerMessages.MainnetChainId && manager.IsMainnet))
            Reporter.Warn(console, $"the signer manager is a {(manager.IsMainnet ? "mainnet" : "testnet")} address but the grant is for {chainName}: " +
                                   "the chain will not accept it from that principal");

        using var key = SigningKeys.Open(op, source);
        var signature = Hex.Encode(StacksMessageSigning.SignHash(key, hash));
        var publicKey = key.PublicKey.Hex66;
        op.Note($"signed with key fingerprint {key.PublicKey.Fingerprint}; the key was wiped from memory, nothing secret was written");
        // stacks-signer prints with println!: the text form ends with two newlines of its own and one more.
        console.Out.Write(parse.GetValue(_json)
            ? $"{{\"authId\":\"{authId}\",\"signerKey\":\"{publicKey}\",\"signerManager\":\"{manager}\",\"signerSignature\":\"{signature}\"}}\n"
            : $"Signer Public Key: 0x{publicKey}\nSigner Key Signature: 0x{signature}\n\n\n");
        return ExitCode.Success;
    }

    private static UInt128 ParseAuthId(string text)
    {
        if (text.Length == 0 || !text.All(char.IsAsciiDigit) || !UInt128.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            throw new KeyVaultException(ErrorKind.Usage, $"--auth-id {text} is not a whole number below 2^128",
                "give the authorization id in decimal digits, e.g. --auth-id 1");
        return value;
    }

    private static (uint Id, string Name) ChainId(string? network, string? chainId)
    {
        if ((network is null) == (chainId is null))
            throw new KeyVaultException(ErrorKind.Usage, "give the chain as --network mainnet|testnet|mocknet or as --chain-id ID, one of the two",
                "use the network your stacks-signer config names (its chain_id, if it sets one, with --chain-id)");
        if (network is not null)
        {
            return network.ToLowerInvariant() switch
            {
                "mainnet" => (SignerMessages.MainnetChainId, "mainnet"),
                "testnet" => (SignerMessages.TestnetChainId, "testnet"),
                "mocknet" => (SignerMessages.TestnetChainId, "mocknet"),
                _ => throw new KeyVaultException(ErrorKind.Usage, $"--network {network} is not mainnet, testnet or mocknet",
                    "give the network your stacks-signer config names"),
            };
        }
        var digits = chainId!;
        bool hex = digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        if (!uint.TryParse(hex ? digits[2..] : digits, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            throw new KeyVaultException(ErrorKind.Usage, $"--chain-id {digits} is not a 32-bit number",
                "give the chain id in decimal or as 0x and hex digits, e.g. --chain-id 0x80000000");
        var name = id switch
        {
            SignerMessages.MainnetChainId => "mainnet",
            SignerMessages.TestnetChainId => "testnet",
            _ => "chain id " + id.ToString(CultureInfo.InvariantCulture),
        };
        return (id, name);
    }
}

/// <summary>Parses the vote options shared by <c>sign vote</c> and <c>sign verify-vote</c>.</summary>
internal sealed class VoteOptions
{
    private readonly Option<string> _sip = new("--sip") { Description = "The SIP's number", HelpName = "N", Required = true };
    private readonly Option<string> _vote = new("--vote") { Description = "The vote: yes or no", HelpName = "yes|no", Required = true };

    public void AddTo(Command command)
    {
        command.Add(_sip);
        command.Add(_vote);
    }

    public (uint Sip, SipVote Vote) Read(ParseResult parse)
    {
        var sipText = parse.GetValue(_sip)!;
        if (sipText.Length == 0 || !sipText.All(char.IsAsciiDigit) || !uint.TryParse(sipText, NumberStyles.None, CultureInfo.InvariantCulture, out var sip))
            throw new KeyVaultException(ErrorKind.Usage, $"--sip {sipText} is not a SIP number", "give the SIP's number in decimal digits, e.g. --sip 31");
        var voteText = parse.GetValue(_vote)!;
        var vote = SignerMessages.ParseVote(voteText)
            ?? throw new KeyVaultException(ErrorKind.Usage, $"--vote {voteText} is not yes or no", "vote --vote yes or --vote no");
        return (sip, vote);
    }
}

/// <summary><c>keyvault sign vote</c>: stacks-signer's <c>generate-vote</c>, from the cold key.</summary>
internal sealed class VoteCommand : Command
{
    private readonly VoteOptions _vote = new();
    private readonly SigningKeyOptions _key = new();

    public VoteCommand(CliConsole console)
        : base("vote", "Sign a SIP vote, exactly as stacks-signer generate-vote prints it (hex, recovery id first)")
    {
        _vote.AddTo(this);
        _key.AddTo(this);
        SetAction(parse => Reporter.Run(console, () => Execute(console, parse)));
    }

    private int Execute(CliConsole console, ParseResult parse)
    {
        var (sip, vote) = _vote.Read(parse);
        var source = _key.Read(parse);
        var op = (IOperator)console;
        var hash = SignerMessages.VoteHash(sip, vote);
        op.Show($"keyvault: signing a vote of {vote.ToString().ToUpperInvariant()} on SIP {sip} (signer-sip-voting)");
        op.Show($"keyvault: SIP-018 hash {Hex.Encode(hash)}");
        using var key = SigningKeys.Open(op, source);
        var signature = SignerMessages.ToVrs(StacksMessageSigning.SignHash(key, hash));
        op.Note($"signed with key fingerprint {key.PublicKey.Fingerprint} (public key {key.PublicKey.Hex66}); the key was wiped from memory, nothing secret was written");
        console.Out.Write(Hex.Encode(signature) + "\n");
        return ExitCode.Success;
    }
}

/// <summary><c>keyvault sign verify-vote</c>: stacks-signer's <c>verify-vote</c>; public data only, no key.</summary>
internal sealed class VerifyVoteCommand : Command
{
    private readonly Option<string> _publicKey = new("--public-key")
    {
        Description = "The signer's public key (33 bytes, hex)",
        HelpName = "HEX",
        Required = true,
    };
    private readonly Option<string> _signature = new("--signature")
    {
        Description = "The vote's signature as sign vote and generate-vote print it (65 bytes hex, recovery id first)",
        HelpName = "HEX",
        Required = true,
    };
    private readonly VoteOptions _vote = new();

    public VerifyVoteCommand(CliConsole console)
        : base("verify-vote", "Check a SIP vote's signature against a public key, as stacks-signer verify-vote does")
    {
        Add(_publicKey);
        Add(_signature);
        _vote.AddTo(this);
        SetAction(parse => Reporter.Run(console, () => Execute(console, parse)));
    }

    private int Execute(CliConsole console, ParseResult parse)
    {
        var keyText = parse.GetValue(_publicKey)!.Trim();
        var publicKey = PublicKey.TryParseLowerHex(keyText.ToLowerInvariant())
            ?? throw new KeyVaultException(ErrorKind.BadInput, "--public-key is not a compressed secp256k1 public key",
                "give the 66 hex digits of the signer's public key (02… or 03…)");
        var signatureText = parse.GetValue(_signature)!.Trim();
        if (signatureText.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) signatureText = signatureText[2..];
        var vrs = Hex.TryDecode(signatureText);
        if (vrs is null || vrs.Length != StacksMessageSigning.SignatureLength)
            throw new KeyVaultException(ErrorKind.BadInput, "--signature is not 65 bytes of hex",
                "give the 130 hex digits sign vote or generate-vote printed");
        var (sip, vote) = _vote.Read(parse);
        bool valid = StacksMessageSigning.VerifyHash(publicKey, SignerMessages.VoteHash(sip, vote), SignerMessages.FromVrs(vrs));
        console.Out.Write(valid ? "Valid vote\n" : "Invalid vote\n");
        if (!valid)
            ((IOperator)console).Note($"the signature is not a vote of {vote.ToString().ToUpperInvariant()} on SIP {sip} by {publicKey.Hex66} " +
                                      "(another key, SIP or vote, a damaged signature, or a high-s one the signer refuses)");
        return valid ? ExitCode.Success : ExitCode.InvalidSignature;
    }
}
