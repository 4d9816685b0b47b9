using System.Text.Json;
using KeyVault.Codecs;
using KeyVault.Keys;

namespace KeyVault.Drill;

/// <summary>Where an expected identity came from.</summary>
public enum ExpectedIdentityKind
{
    /// <summary>A compressed public key given directly.</summary>
    PublicKey,
    /// <summary>A single-signature Stacks address: it fixes only hash160 of the key and one network.</summary>
    StacksAddress,
    /// <summary>An identity file as written by <c>keyvault identity --json</c>.</summary>
    IdentityFile,
    /// <summary>A signer config (or any signer key input); only its public identity is kept.</summary>
    SignerConfig,
}

/// <summary>One compared field of an identity: what was expected, what the rebuilt key gives, and whether they agree.</summary>
/// <param name="Field">Field name as in the identity JSON: publicKey, fingerprint, stacksAddress.mainnet, stacksAddress.testnet, peerId.</param>
/// <param name="Expected">The expected value.</param>
/// <param name="Derived">The value derived from the rebuilt key.</param>
/// <param name="Equal">True when the two agree.</param>
public sealed record IdentityFieldMatch(string Field, string Expected, string Derived, bool Equal);

/// <summary>The result of comparing a rebuilt key with the expected identity, field by field.</summary>
/// <param name="Fields">Every compared field, in a fixed order.</param>
public sealed record IdentityMatch(IReadOnlyList<IdentityFieldMatch> Fields)
{
    /// <summary>True when every compared field agrees.</summary>
    public bool Matches => Fields.Count > 0 && Fields.All(f => f.Equal);
}

/// <summary>
/// The identity a restore drill expects the backup to rebuild: from a public key, a Stacks address, an identity
/// JSON file or a signer config. A signer config holds the live key: it is parsed, its public key kept and the
/// secret wiped at once.
/// </summary>
public sealed class ExpectedIdentity
{
    private readonly byte[]? _hash160;

    private ExpectedIdentity(ExpectedIdentityKind kind, PublicKey? publicKey, string? address, byte[]? hash160, StacksNetwork? network)
    {
        Kind = kind;
        PublicKey = publicKey;
        Address = address;
        _hash160 = hash160;
        Network = network;
    }

    /// <summary>Where the expectation came from.</summary>
    public ExpectedIdentityKind Kind { get; }

    /// <summary>The expected public key; null for a Stacks address, which fixes only its hash.</summary>
    public PublicKey? PublicKey { get; }

    /// <summary>The expected address (canonical upper-case form) when <see cref="Kind"/> is StacksAddress.</summary>
    public string? Address { get; }

    /// <summary>The network of <see cref="Address"/>.</summary>
    public StacksNetwork? Network { get; }

    /// <summary>The value to show and record: the public key hex, or the address.</summary>
    public string Value => PublicKey?.Hex66 ?? Address!;

    /// <summary>The identity JSON's kind name: publicKey, stacksAddress, identityFile or signerConfig.</summary>
    public string KindName => Kind switch
    {
        ExpectedIdentityKind.PublicKey => "publicKey",
        ExpectedIdentityKind.StacksAddress => "stacksAddress",
        ExpectedIdentityKind.IdentityFile => "identityFile",
        _ => "signerConfig",
    };

    /// <summary>An expectation from a known public key.</summary>
    public static ExpectedIdentity FromPublicKey(PublicKey publicKey) =>
        new(ExpectedIdentityKind.PublicKey, publicKey, null, null, null);

    /// <summary>
    /// Parses an inline <c>--expect</c> value: 66 hex characters of a compressed public key, or an SP…/ST… address
    /// (c32check-validated; case-insensitive). Surrounding whitespace is ignored.
    /// </summary>
    /// <exception cref="Errors.KeyVaultException">The value is neither, or is a malformed or multi-signature address.</exception>
    public static ExpectedIdentity ParseValue(string value)
    {
        var text = value.Trim();
        if (text.Length == 0) throw DrillError.ExpectEmpty();
        if (text.Length == 66 && Hex.IsHex(text))
            return FromPublicKey(Keys.PublicKey.ParseHex(text));
        if (text[0] is 'S' or 's')
            return ParseAddress(text);
        throw DrillError.ExpectUnrecognised(text.Length);
    }

    /// <summary>
    /// Reads an <c>--expect</c> file: identity JSON (content starting with '{'), otherwise a signer key input in any
    /// form <see cref="SignerKeyFormats.Import(ReadOnlySpan{byte}, KeyInputFormat)"/> accepts (sBTC or
    /// stacks-signer config, env file, bare key). The caller wipes <paramref name="content"/>.
    /// </summary>
    public static ExpectedIdentity FromFileContent(ReadOnlySpan<byte> content)
    {
        var start = content;
        if (start.StartsWith("\uFEFF"u8)) start = start[3..];
        int first = start.IndexOfAnyExcept(" \t\r\n"u8);
        if (first >= 0 && start[first] == (byte)'{')
            return ParseIdentityJson(start);

        // The config holds the live signer key: keep the public key, wipe the secret before returning.
        using var key = SignerKeyFormats.Import(content);
        return new ExpectedIdentity(ExpectedIdentityKind.SignerConfig, key.PublicKey, null, null, null);
    }

    /// <summary>Compares the rebuilt key's public identity with this expectation.</summary>
    public IdentityMatch Match(PublicKey derived)
    {
        var d = derived.Identity();
        var fields = new List<IdentityFieldMatch>();
        if (Kind == ExpectedIdentityKind.StacksAddress)
        {
            // An address fixes hash160 and a network; compare the derived key's address on that same network.
            var field = Network == StacksNetwork.Mainnet ? "stacksAddress.mainnet" : "stacksAddress.testnet";
            bool equal = derived.Hash160().AsSpan().SequenceEqual(_hash160);
            fields.Add(new IdentityFieldMatch(field, Address!, d.Address(Network!.Value), equal));
            return new IdentityMatch(fields);
        }

        var e = PublicKey!.Identity();
        fields.Add(new IdentityFieldMatch("publicKey", e.PublicKey, d.PublicKey, e.PublicKey == d.PublicKey));
        if (Kind == ExpectedIdentityKind.IdentityFile)
        {
            fields.Add(new IdentityFieldMatch("fingerprint", e.Fingerprint, d.Fingerprint, e.Fingerprint == d.Fingerprint));
            fields.Add(new IdentityFieldMatch("stacksAddress.mainnet", e.MainnetAddress, d.MainnetAddress, e.MainnetAddress == d.MainnetAddress));
            fields.Add(new IdentityFieldMatch("stacksAddress.testnet", e.TestnetAddress, d.TestnetAddress, e.TestnetAddress == d.TestnetAddress));
            fields.Add(new IdentityFieldMatch("peerId", e.PeerId, d.PeerId, e.PeerId == d.PeerId));
        }
        return new IdentityMatch(fields);
    }

    /// <inheritdoc />
    public override string ToString() => $"{KindName} {Value}";

    private static ExpectedIdentity ParseAddress(string text)
    {
        if (!C32.TryCheckDecode(text, out var version, out var hash160)) throw DrillError.ExpectBadAddress();
        StacksNetwork network = version switch
        {
            PublicKey.MainnetVersion => StacksNetwork.Mainnet,
            PublicKey.TestnetVersion => StacksNetwork.Testnet,
            // SM/SN hash a script, not a single key: comparing them with a signer key could only mislead.
            20 => throw DrillError.ExpectMultisigAddress('M'),
            21 => throw DrillError.ExpectMultisigAddress('N'),
            _ => throw DrillError.ExpectUnknownAddressVersion(version),
        };
        var canonical = C32.CheckEncode(version, hash160);
        return new ExpectedIdentity(ExpectedIdentityKind.StacksAddress, null, canonical, hash160, network);
    }

    private static ExpectedIdentity ParseIdentityJson(ReadOnlySpan<byte> json)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json.ToArray());
        }
        catch (JsonException ex)
        {
            throw DrillError.IdentityFileNotJson(ex.LineNumber ?? 0, ex.BytePositionInLine ?? 0);
        }
        using (doc)
        {
            var root = doc.RootElement;
            string publicKeyHex = StringField(root, "publicKey");
            string fingerprint = StringField(root, "fingerprint");
            if (!root.TryGetProperty("stacksAddress", out var addresses) || addresses.ValueKind != JsonValueKind.Object)
                throw DrillError.IdentityFileField("stacksAddress");
            string mainnet = StringField(addresses, "mainnet", "stacksAddress.mainnet");
            string testnet = StringField(addresses, "testnet", "stacksAddress.testnet");
            string peerId = StringField(root, "peerId");

            var publicKey = Keys.PublicKey.ParseHex(publicKeyHex);
            var id = publicKey.Identity();
            // Exact comparison: the tool writes lowercase hex and upper-case addresses; anything else was edited.
            if (publicKeyHex != id.PublicKey) throw DrillError.IdentityFileInconsistent("publicKey");
            if (fingerprint != id.Fingerprint) throw DrillError.IdentityFileInconsistent("fingerprint");
            if (mainnet != id.MainnetAddress) throw DrillError.IdentityFileInconsistent("stacksAddress.mainnet");
            if (testnet != id.TestnetAddress) throw DrillError.IdentityFileInconsistent("stacksAddress.testnet");
            if (peerId != id.PeerId) throw DrillError.IdentityFileInconsistent("peerId");
            return new ExpectedIdentity(ExpectedIdentityKind.IdentityFile, publicKey, null, null, null);
        }
    }

    private static string StringField(JsonElement obj, string name, string? display = null)
    {
        if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.String)
            throw DrillError.IdentityFileField(display ?? name);
        try
        {
            return v.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw DrillError.IdentityFileField(display ?? name); // an escaped lone surrogate: not text
        }
    }
}
