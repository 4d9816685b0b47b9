using System.Text;
using System.Text.Json.Nodes;
using KeyVault.Cli;
using KeyVault.Codecs;
using KeyVault.Errors;
using KeyVault.Signing;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Signing;

/// <summary>
/// The Stacks signer's two structured-data signatures (<c>sign staking-signature</c>, <c>sign vote</c>,
/// <c>sign verify-vote</c>): the bytes stacks-core hashes, the output stacks-signer prints, the vectors in
/// test-vectors/sign, and stacks.js (@stacks/transactions) making the same hashes and signatures on its own.
/// </summary>
public class SignerMessagesTests : IDisposable
{
    private static readonly string VectorDir = Path.Combine(External.RepoRoot, "test-vectors", "sign");
    private static readonly string[] WeakKdf = ["--kdf-memory", "8KiB", "--kdf-iterations", "1", "--kdf-parallelism", "1"];
    private const string Passphrase = "pw one velvet orbit canyon";

    /// <summary>stacks-core's stacks-signer/src/tests/conf/signer-0.toml stacks_private_key (a published test key).</summary>
    private const string StacksCoreSigner0 = "6a1fc1a3183018c6d79a4e11e154d2bdad2d89ac8bc1b0a021de8b4d28774fbb01";

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Write(string name, string text)
    {
        var path = _dir.File(name);
        File.WriteAllBytes(path, Encoding.UTF8.GetBytes(text));
        return path;
    }

    private string KeyFile(string privateKeyHex)
    {
        var path = _dir.File($"{privateKeyHex[..8]}.kvk");
        if (File.Exists(path)) return path;
        var console = new TestConsole();
        int rc = console.Run(["import", "--from", Write("signer.hex", privateKeyHex + "\n"), "--out", path,
            "--passphrase-file", Write("pass.txt", Passphrase + "\n"), .. WeakKdf]);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        File.Delete(_dir.File("signer.hex"));
        return path;
    }

    private string[] Key(string privateKeyHex) => ["--key-file", KeyFile(privateKeyHex), "--passphrase-file", _dir.File("pass.txt")];

    private static byte[] Bytes(string hex) => Hex.TryDecode(hex)!;

    [Fact]
    public void Clarity_values_serialize_as_consensus_bytes_and_tuples_sort_their_fields()
    {
        Assert.Equal("0100000000000000000000000000000001", Hex.Encode(ClarityValue.UInt(1)));
        Assert.Equal("01ffffffffffffffffffffffffffffffff", Hex.Encode(ClarityValue.UInt(UInt128.MaxValue)));
        Assert.Equal("0d00000003616263", Hex.Encode(ClarityValue.StringAscii("abc")));
        var principal = StacksPrincipal.Parse(TestKeys.Key1Testnet);
        Assert.Equal("051a" + Hex.Encode(principal.Hash160), Hex.Encode(ClarityValue.Principal(principal)));
        var contract = StacksPrincipal.Parse(TestKeys.Key1Testnet + ".mgr");
        Assert.Equal("061a" + Hex.Encode(principal.Hash160) + "036d6772", Hex.Encode(ClarityValue.Principal(contract)));
        // Written b then a, serialized a then b.
        Assert.Equal("0c00000002" + "0161" + "0d00000000" + "0162" + "0100000000000000000000000000000002",
            Hex.Encode(ClarityValue.Tuple(("b", ClarityValue.UInt(2)), ("a", ClarityValue.StringAscii("")))));
        Assert.Throws<ArgumentException>(() => ClarityValue.StringAscii("é"));
        Assert.Throws<ArgumentException>(() => ClarityValue.Tuple(("a", ClarityValue.UInt(1)), ("a", ClarityValue.UInt(2))));
    }

    [Theory]
    [InlineData("ST000000000000000000002AMW42H.test-signer", "ST000000000000000000002AMW42H.test-signer", 26)]
    [InlineData("'SP24VB7FBXCBV6P0SRDSPSW0Y2J9XHDXNHY2XKHQ0", "SP24VB7FBXCBV6P0SRDSPSW0Y2J9XHDXNHY2XKHQ0", 22)]
    [InlineData("sp24vb7fbxcbv6p0srdspsw0y2j9xhdxnhy2xkhqo", "SP24VB7FBXCBV6P0SRDSPSW0Y2J9XHDXNHY2XKHQ0", 22)]
    public void Principals_parse_as_Clarity_reads_them_and_print_canonically(string text, string canonical, byte version)
    {
        var p = StacksPrincipal.Parse(text);
        Assert.Equal(canonical, p.ToString());
        Assert.Equal(version, p.Version);
    }

    [Theory]
    [InlineData("SP24VB7FBXCBV6P0SRDSPSW0Y2J9XHDXNHY2XKHQ1", "is not a Stacks address")]
    [InlineData("ST000000000000000000002AMW42H.9name", "is not a contract name")]
    [InlineData("ST000000000000000000002AMW42H.", "is not a contract name")]
    [InlineData("ST000000000000000000002AMW42H.a-name-of-forty-one-characters-is-too-long", "is not a contract name")]
    public void Malformed_principals_are_refused_with_the_reason(string text, string reason)
    {
        var e = Assert.Throws<KeyVaultException>(() => StacksPrincipal.Parse(text));
        Assert.Equal(ErrorKind.BadInput, e.Kind);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_grant_hash_and_signature_are_stacks_cores_typescript_fixture()
    {
        // stacks-signer main.rs, test_pox_5_signer_grant_signature_typescript_fixture.
        var hash = SignerMessages.SignerGrantHash(StacksPrincipal.Parse("ST000000000000000000002AMW42H.test-signer"), 1, SignerMessages.TestnetChainId);
        Assert.Equal("41339a30baf6f207fb56882c0d5246a91af8db0e6d3a2c07eb455c2330441256", Hex.Encode(hash));
        using var key = KeyVault.Keys.SecretKey.FromBytes(Bytes(StacksCoreSigner0[..64]));
        Assert.Equal("2c83b6442a993d54ed2696789908fa963a50f748d0d06ca61445baed8bfb809a63f1182b350a46984e3b7cb67baa8e952b6c342f3354370bb7a7060e1bbc535e01",
            Hex.Encode(StacksMessageSigning.SignHash(key, hash)));
        // Every input is in the hash.
        Assert.NotEqual(hash, SignerMessages.SignerGrantHash(StacksPrincipal.Parse("ST000000000000000000002AMW42H.test-signer"), 2, SignerMessages.TestnetChainId));
        Assert.NotEqual(hash, SignerMessages.SignerGrantHash(StacksPrincipal.Parse("ST000000000000000000002AMW42H.test-signer"), 1, SignerMessages.MainnetChainId));
        Assert.NotEqual(hash, SignerMessages.SignerGrantHash(StacksPrincipal.Parse("ST000000000000000000002AMW42H.test-signes"), 1, SignerMessages.TestnetChainId));
    }

    private sealed record Case(string Name, string Expect, string PrivateKey, (string, string)[] Inputs, string Comment)
    {
        public string[] Args => Expect switch
        {
            "staking-signature" or "staking-signature json" =>
                ["sign", "staking-signature", "--signer-manager", Get("signer-manager"), "--auth-id", Get("auth-id"), "--chain-id", Get("chain-id"),
                 .. Expect.EndsWith("json", StringComparison.Ordinal) ? new[] { "--json" } : []],
            "vote" => ["sign", "vote", "--sip", Get("sip"), "--vote", Get("vote")],
            _ => throw new InvalidOperationException(Expect),
        };

        public string Get(string name) => Inputs.Single(i => i.Item1 == name).Item2;

        public byte[] Hash => Expect == "vote"
            ? SignerMessages.VoteHash(uint.Parse(Get("sip"), System.Globalization.CultureInfo.InvariantCulture), SignerMessages.ParseVote(Get("vote"))!.Value)
            : SignerMessages.SignerGrantHash(StacksPrincipal.Parse(Get("signer-manager")),
                UInt128.Parse(Get("auth-id"), System.Globalization.CultureInfo.InvariantCulture), Convert.ToUInt32(Get("chain-id"), 16));
    }

    private static readonly Case[] Cases =
    [
        new("staking-signature-stacks-core-fixture", "staking-signature", StacksCoreSigner0,
            [("signer-manager", "ST000000000000000000002AMW42H.test-signer"), ("auth-id", "1"), ("chain-id", "0x80000000")],
            "stacks-signer's own test: signer-0.toml's key, testnet; hash and signature are those its TypeScript fixture pins"),
        new("staking-signature-json", "staking-signature json", StacksCoreSigner0,
            [("signer-manager", "ST000000000000000000002AMW42H.test-signer"), ("auth-id", "1"), ("chain-id", "0x80000000")],
            "the same grant as stacks-signer --json prints it: one line, keys sorted"),
        new("staking-signature-mainnet-largest-auth-id", "staking-signature", TestKeys.Key1,
            [("signer-manager", TestKeys.Key2Mainnet + ".signer-manager"), ("auth-id", UInt128.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("chain-id", "0x00000001")],
            "test key 1 grants a mainnet contract, auth-id 2^128 - 1"),
        new("vote-yes", "vote", TestKeys.Key1, [("sip", "31"), ("vote", "yes")], "test key 1 votes yes on SIP 31; printed v || r || s"),
        new("vote-no-largest-sip", "vote", TestKeys.Key2, [("sip", "4294967295"), ("vote", "no")], "test key 2 votes no on SIP 2^32 - 1"),
    ];

    private (int Code, string Stdout, string Stderr) Sign(Case c)
    {
        var console = new TestConsole();
        int rc = console.Run([.. c.Args, .. Key(c.PrivateKey)]);
        return (rc, console.StdoutText, console.StderrText);
    }

    [Fact]
    public void Vectors_are_what_the_commands_print_byte_for_byte()
    {
        var files = new Dictionary<string, byte[]>();
        foreach (var c in Cases)
        {
            var (rc, stdout, stderr) = Sign(c);
            Assert.True(rc == ExitCode.Success, stderr);
            files[c.Name] = VectorFile.Format([("expect", c.Expect), ("private-key", c.PrivateKey), .. c.Inputs, ("hash", Hex.Encode(c.Hash)), ("comment", c.Comment)], stdout);
            // What is signed is shown before the key is opened; the key never appears.
            Assert.True(stderr.IndexOf(Hex.Encode(c.Hash), StringComparison.Ordinal) < stderr.IndexOf("decrypting", StringComparison.Ordinal), stderr);
            Assert.DoesNotContain(c.PrivateKey[..64], stdout + stderr, StringComparison.OrdinalIgnoreCase);
        }
        VectorFile.AssertFolderIs(VectorDir, files);
    }

    [Fact]
    public void The_staking_signature_prints_exactly_what_stacks_signer_prints()
    {
        var text = VectorFile.Parse(File.ReadAllBytes(Path.Combine(VectorDir, "staking-signature-stacks-core-fixture"))).BodyText;
        Assert.Equal("Signer Public Key: 0x03bc489f27da3701d9f9e577c88de5567cf4023111b7577042d55cde4d823a3505\n" +
                     "Signer Key Signature: 0x2c83b6442a993d54ed2696789908fa963a50f748d0d06ca61445baed8bfb809a63f1182b350a46984e3b7cb67baa8e952b6c342f3354370bb7a7060e1bbc535e01\n\n\n", text);
        var json = JsonNode.Parse(VectorFile.Parse(File.ReadAllBytes(Path.Combine(VectorDir, "staking-signature-json"))).BodyText)!.AsObject();
        Assert.Equal(["authId", "signerKey", "signerManager", "signerSignature"], json.Select(p => p.Key));
        Assert.Equal("1", (string)json["authId"]!);
    }

    [Fact]
    public void Each_vector_verifies_and_recovers_its_key()
    {
        foreach (var c in Cases)
        {
            var v = VectorFile.Parse(File.ReadAllBytes(Path.Combine(VectorDir, c.Name)));
            var hash = Bytes(v["hash"]);
            var rsv = c.Expect == "vote" ? SignerMessages.FromVrs(Bytes(v.BodyText.Trim())) : Bytes(Signature(v));
            using var key = KeyVault.Keys.SecretKey.FromBytes(Bytes(v["private-key"][..64]));
            Assert.True(StacksMessageSigning.VerifyHash(key.PublicKey, hash, rsv), c.Name);
            var other = (byte[])hash.Clone();
            other[0] ^= 1;
            Assert.False(StacksMessageSigning.VerifyHash(key.PublicKey, other, rsv), c.Name);
        }
    }

    private static string Signature(VectorFile v) => v.Expect == "staking-signature json"
        ? (string)JsonNode.Parse(v.BodyText)!["signerSignature"]!
        : v.BodyText.Split('\n')[1]["Signer Key Signature: 0x".Length..];

    [Fact]
    public void Stacks_js_makes_the_same_hash_and_signature_for_every_vector()
    {
        foreach (var c in Cases)
        {
            var v = VectorFile.Parse(File.ReadAllBytes(Path.Combine(VectorDir, c.Name)));
            var answer = c.Expect == "vote"
                ? StacksJs(new { op = "vote", privateKey = c.PrivateKey, sip = uint.Parse(c.Get("sip"), System.Globalization.CultureInfo.InvariantCulture), vote = c.Get("vote") })
                : StacksJs(new { op = "grant", privateKey = c.PrivateKey, signerManager = c.Get("signer-manager"), authId = c.Get("auth-id"), chainId = Convert.ToUInt32(c.Get("chain-id"), 16) });
            Assert.Equal(v["hash"], (string)answer["hash"]!);
            if (c.Expect == "vote") Assert.Equal(v.BodyText.Trim(), (string)answer["signatureVrs"]!);
            else Assert.Equal(Signature(v), (string)answer["signatureRsv"]!);
        }
    }

    [Fact]
    public void Stacks_js_recovers_the_signing_key_from_a_keyvault_vote()
    {
        var c = Cases.Single(x => x.Name == "vote-yes");
        var (rc, stdout, stderr) = Sign(c);
        Assert.True(rc == ExitCode.Success, stderr);
        var rsv = SignerMessages.FromVrs(Bytes(stdout.Trim()));
        var answer = StacksJs(new { op = "recover", hash = Hex.Encode(c.Hash), signatureRsv = Hex.Encode(rsv) });
        Assert.Equal(TestKeys.Key1PublicKey, (string)answer["publicKey"]!);
    }

    private static JsonNode StacksJs(object request) => NodePeer.Run("signer-signature-peer.js", "@stacks/transactions", request);

    private (int Code, string Stdout, string Stderr) VerifyVote(string publicKey, string signature, string sip, string vote)
    {
        var console = new TestConsole();
        int rc = console.Run(["sign", "verify-vote", "--public-key", publicKey, "--signature", signature, "--sip", sip, "--vote", vote]);
        return (rc, console.StdoutText, console.StderrText);
    }

    [Fact]
    public void Verify_vote_accepts_the_vote_and_rejects_another_key_sip_vote_or_a_high_s_twin()
    {
        var c = Cases.Single(x => x.Name == "vote-yes");
        var signature = Sign(c).Stdout.Trim();
        Assert.Equal((ExitCode.Success, "Valid vote\n"), Short(VerifyVote(TestKeys.Key1PublicKey, signature, "31", "YES")));
        Assert.Equal((ExitCode.InvalidSignature, "Invalid vote\n"), Short(VerifyVote(TestKeys.Key2PublicKey, signature, "31", "yes")));
        Assert.Equal((ExitCode.InvalidSignature, "Invalid vote\n"), Short(VerifyVote(TestKeys.Key1PublicKey, signature, "32", "yes")));
        Assert.Equal((ExitCode.InvalidSignature, "Invalid vote\n"), Short(VerifyVote(TestKeys.Key1PublicKey, signature, "31", "no")));

        // s -> n - s with the recovery id's parity flipped recovers the same key: the signer refuses it as high-s.
        var vrs = Bytes(signature);
        var n = new System.Numerics.BigInteger(KeyVault.Keys.Secp256k1.OrderBytes, isUnsigned: true, isBigEndian: true);
        var s = new System.Numerics.BigInteger(vrs.AsSpan(33, 32), isUnsigned: true, isBigEndian: true);
        var high = (n - s).ToByteArray(isUnsigned: true, isBigEndian: true);
        var twin = (byte[])vrs.Clone();
        twin[0] ^= 1;
        high.CopyTo(twin.AsSpan(33 + 32 - high.Length));
        var (rc, stdout, stderr) = VerifyVote(TestKeys.Key1PublicKey, Hex.Encode(twin), "31", "yes");
        Assert.Equal((ExitCode.InvalidSignature, "Invalid vote\n"), (rc, stdout));
        Assert.Contains("high-s", stderr, StringComparison.Ordinal);
    }

    private static (int, string) Short((int Code, string Stdout, string Stderr) r) => (r.Code, r.Stdout);

    [Theory]
    [InlineData("sign staking-signature --signer-manager ST000000000000000000002AMW42H --auth-id 1", "--network", ExitCode.Usage)]
    [InlineData("sign staking-signature --signer-manager ST000000000000000000002AMW42H --auth-id 1 --network testnet --chain-id 1", "one of the two", ExitCode.Usage)]
    [InlineData("sign staking-signature --signer-manager ST000000000000000000002AMW42H --auth-id -1 --network testnet", "--auth-id -1", ExitCode.Usage)]
    [InlineData("sign staking-signature --signer-manager ST000000000000000000002AMW42H --auth-id 340282366920938463463374607431768211456 --network testnet", "below 2^128", ExitCode.Usage)]
    [InlineData("sign staking-signature --signer-manager ST000000000000000000002AMW42H --auth-id 1 --network devnet", "mainnet, testnet or mocknet", ExitCode.Usage)]
    [InlineData("sign staking-signature --signer-manager ST000000000000000000002AMW42I --auth-id 1 --network testnet", "not a Stacks address", ExitCode.BadInput)]
    [InlineData("sign vote --sip 31 --vote maybe", "not yes or no", ExitCode.Usage)]
    [InlineData("sign vote --sip 4294967296 --vote yes", "not a SIP number", ExitCode.Usage)]
    [InlineData("sign verify-vote --public-key 02 --signature 00 --sip 1 --vote yes", "not a compressed", ExitCode.BadInput)]
    public void Bad_inputs_are_refused_before_any_key_is_asked_for(string command, string message, int code)
    {
        var console = new TestConsole();
        string[] key = command.StartsWith("sign verify-vote", StringComparison.Ordinal) ? [] : Key(TestKeys.Key1);
        int rc = console.Run([.. command.Split(' '), .. key]);
        Assert.True(rc == code, console.StderrText);
        Assert.Contains(message, console.StderrText, StringComparison.Ordinal);
        Assert.DoesNotContain("decrypting", console.StderrText, StringComparison.Ordinal);
    }

    [Fact]
    public void A_grant_for_mainnet_to_a_testnet_manager_is_signed_with_a_warning()
    {
        var console = new TestConsole();
        int rc = console.Run(["sign", "staking-signature", "--signer-manager", TestKeys.Key2Testnet, "--auth-id", "7", "--network", "mainnet", .. Key(TestKeys.Key1)]);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Contains("warning: the signer manager is a testnet address but the grant is for mainnet", console.StderrText, StringComparison.Ordinal);
        Assert.StartsWith("Signer Public Key: 0x" + TestKeys.Key1PublicKey + "\n", console.StdoutText, StringComparison.Ordinal);
    }
}
