using KeyVault.Codecs;
using KeyVault.Errors;

namespace KeyVault.Keys;

/// <summary>Which Stacks network an address is for. Regtest uses testnet addresses.</summary>
public enum StacksNetwork
{
    /// <summary>Mainnet: single-sig version 22, addresses start "SP".</summary>
    Mainnet,
    /// <summary>Testnet and regtest: single-sig version 26, addresses start "ST".</summary>
    Testnet,
}

/// <summary>A secp256k1 public key in compressed SEC1 form, and the identities the signers derive from it.</summary>
public sealed class PublicKey : IEquatable<PublicKey>
{
    /// <summary>c32check version byte of a mainnet single-signature address.</summary>
    public const byte MainnetVersion = 22;
    /// <summary>c32check version byte of a testnet single-signature address.</summary>
    public const byte TestnetVersion = 26;

    private readonly byte[] _compressed;

    private PublicKey(byte[] compressed) => _compressed = compressed;

    /// <summary>Wraps a compressed key already known to be a valid point.</summary>
    internal static PublicKey FromValidCompressed(byte[] compressed) => new(compressed);

    /// <summary>Parses 33 compressed bytes; throws <see cref="KeyVaultException"/> if they are not a point on secp256k1.</summary>
    public static PublicKey FromCompressed(ReadOnlySpan<byte> compressed)
    {
        if (Secp256k1.TryDecodeCompressed(compressed) is null)
            throw Error.InvalidPublicKey();
        return new PublicKey(compressed.ToArray());
    }

    /// <summary>
    /// The key a signed document names: exactly 66 lowercase hex characters of a compressed point on the curve, or null.
    /// </summary>
    public static PublicKey? TryParseLowerHex(string hex)
    {
        if (hex.Length != 66 || hex != hex.ToLowerInvariant() || Hex.TryDecode(hex) is not { } bytes || Secp256k1.TryDecodeCompressed(bytes) is null)
            return null;
        return new PublicKey(bytes);
    }

    /// <summary>Parses 66 hex characters of a compressed public key.</summary>
    public static PublicKey ParseHex(string hex)
    {
        var trimmed = hex.Trim();
        var bytes = trimmed.Length == 66 ? Hex.TryDecode(trimmed) : null;
        if (bytes is null) throw Error.InvalidPublicKey();
        return FromCompressed(bytes);
    }

    /// <summary>The 33-byte compressed encoding.</summary>
    public ReadOnlySpan<byte> Compressed => _compressed;

    /// <summary>Lowercase hex of the compressed key, as the signers print it.</summary>
    public string Hex66 => Hex.Encode(_compressed);

    /// <summary>RIPEMD-160(SHA-256(compressed key)).</summary>
    public byte[] Hash160() => Hashes.Hash160(_compressed);

    /// <summary>First 4 bytes of hash160, 8 lowercase hex characters (the BIP-32 fingerprint convention).</summary>
    public string Fingerprint => Hex.Encode(Hash160().AsSpan(0, 4));

    /// <summary>Single-signature Stacks address for <paramref name="network"/>, always from the compressed key.</summary>
    public string StacksAddress(StacksNetwork network) =>
        C32.CheckEncode(network == StacksNetwork.Mainnet ? MainnetVersion : TestnetVersion, Hash160());

    /// <summary>libp2p PeerId: base58btc of the identity multihash of the protobuf-encoded secp256k1 public key.</summary>
    public string PeerId
    {
        get
        {
            // multihash(identity=0x00, length=0x25) || protobuf{ KeyType=Secp256k1 (0x08 0x02), Data bytes(33) (0x12 0x21) } || key
            Span<byte> buf = stackalloc byte[2 + 4 + 33];
            ReadOnlySpan<byte> prefix = [0x00, 0x25, 0x08, 0x02, 0x12, 0x21];
            prefix.CopyTo(buf);
            _compressed.CopyTo(buf[6..]);
            return Base58.Encode(buf);
        }
    }

    /// <summary>All public identities at once.</summary>
    public SignerIdentity Identity() => new(Hex66, Fingerprint,
        StacksAddress(StacksNetwork.Mainnet), StacksAddress(StacksNetwork.Testnet), PeerId);

    /// <inheritdoc />
    public bool Equals(PublicKey? other) => other is not null && _compressed.AsSpan().SequenceEqual(other._compressed);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as PublicKey);

    /// <inheritdoc />
    public override int GetHashCode() => BitConverter.ToInt32(_compressed, 1);

    /// <inheritdoc />
    public override string ToString() => Hex66;
}

/// <summary>The public identity of a signer key, exactly as the signers show it.</summary>
/// <param name="PublicKey">Compressed public key, lowercase hex.</param>
/// <param name="Fingerprint">First 4 bytes of hash160(public key), hex.</param>
/// <param name="MainnetAddress">Stacks mainnet address (SP…).</param>
/// <param name="TestnetAddress">Stacks testnet/regtest address (ST…).</param>
/// <param name="PeerId">libp2p PeerId (16Uiu2HA…).</param>
public sealed record SignerIdentity(string PublicKey, string Fingerprint, string MainnetAddress, string TestnetAddress, string PeerId)
{
    /// <summary>The address for one network.</summary>
    public string Address(StacksNetwork network) => network == StacksNetwork.Mainnet ? MainnetAddress : TestnetAddress;

    /// <summary>
    /// Writes the identity object every KeyVault output uses:
    /// {"publicKey","fingerprint","stacksAddress":{"mainnet","testnet"},"peerId"}, under <paramref name="propertyName"/> if given.
    /// </summary>
    public void WriteJson(System.Text.Json.Utf8JsonWriter writer, string? propertyName = null)
    {
        if (propertyName is null) writer.WriteStartObject();
        else writer.WriteStartObject(propertyName);
        writer.WriteString("publicKey", PublicKey);
        writer.WriteString("fingerprint", Fingerprint);
        writer.WriteStartObject("stacksAddress");
        writer.WriteString("mainnet", MainnetAddress);
        writer.WriteString("testnet", TestnetAddress);
        writer.WriteEndObject();
        writer.WriteString("peerId", PeerId);
        writer.WriteEndObject();
    }
}
