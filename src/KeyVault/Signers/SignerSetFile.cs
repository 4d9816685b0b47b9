using System.Text;
using KeyVault.Codecs;
using KeyVault.Errors;
using KeyVault.Keys;
using Tomlyn.Model;

namespace KeyVault.Signers;

/// <summary>
/// Reads a signer set from what an operator has at hand: the sBTC signer's <c>signer-config.toml</c> (its private key
/// is wiped at once, never used), a signer-set attestation, or a plain list of public keys (docs/signer-set.md, section 1).
/// </summary>
public static class SignerSetFile
{
    /// <summary>
    /// Reads <paramref name="content"/>, named <paramref name="source"/> in messages. <paramref name="threshold"/> is the
    /// signatures required of a plain list, which states none; a config or an attestation states its own.
    /// </summary>
    /// <exception cref="KeyVaultException">The file is none of the three, or breaks a rule the signer enforces.</exception>
    public static SignerSet Read(ReadOnlySpan<byte> content, string source, int? threshold = null)
    {
        var first = FirstNonSpace(content);
        if (first == '{')
        {
            if (threshold is not null) throw SignerSetError.ThresholdTwice();
            return SignerSetAttestation.Parse(DecodeUtf8(content)).Set;
        }
        if (LooksLikeToml(content))
        {
            if (threshold is not null) throw SignerSetError.ThresholdTwice();
            return SignerConfig.Read(content, table => FromConfig(table, source));
        }
        return FromList(DecodeUtf8(content), source, threshold);
    }

    /// <summary>Checks a set built in code by the rules a file must meet.</summary>
    public static SignerSet Validated(SignerSet set, string source)
    {
        ArgumentNullException.ThrowIfNull(set);
        if (set.Keys.Count == 0) throw SignerSetError.Empty(source);
        if (set.Keys.Count > SignerSet.MaxSigners) throw SignerSetError.TooMany(source, set.Keys.Count);
        if (set.SignaturesRequired < 1 || set.SignaturesRequired > set.Keys.Count)
            throw SignerSetError.ThresholdRange(set.SignaturesRequired, set.Keys.Count);
        if (set.Network is { } network && network is not ("mainnet" or "testnet" or "regtest"))
            throw SignerSetError.Field(source, "network", $"is \"{network}\", not mainnet, testnet or regtest");
        if (set.Deployer is { } deployer)
        {
            if (!C32.TryCheckDecode(deployer, out var version, out _) || deployer != deployer.ToUpperInvariant())
                throw SignerSetError.Field(source, "deployer", "is not a Stacks address (c32check, upper case)");
            bool mainnet = version is 22 or 20;
            if (set.Network is { } n && mainnet != (n == "mainnet")) throw SignerSetError.NetworkDeployer(n, deployer);
        }
        return set with { Keys = SignerSet.Sorted(set.Keys) };
    }

    private static SignerSet FromConfig(TomlTable table, string source)
    {
        if (!table.TryGetValue("signer", out var s) || s is not TomlTable signer || !signer.TryGetValue("bootstrap_signing_set", out var setValue))
            throw SignerSetError.NoSigningSet(source);
        if (setValue is not TomlArray array) throw SignerSetError.Field(source, "[signer] bootstrap_signing_set", "is not a list of strings");
        var keys = new List<PublicKey>();
        for (int i = 0; i < array.Count; i++)
            keys.Add(array[i] is string hex ? ParseKey(hex, source, $"bootstrap_signing_set[{i}]")
                : throw SignerSetError.Field(source, $"[signer] bootstrap_signing_set[{i}]", "is not a string"));
        if (!signer.TryGetValue("bootstrap_signatures_required", out var required) || required is not long requiredNumber)
            throw SignerSetError.Field(source, "[signer] bootstrap_signatures_required", "is missing or not an integer");
        if (requiredNumber is < 1 or > ushort.MaxValue)
            throw SignerSetError.Field(source, "[signer] bootstrap_signatures_required", "must be from 1 to 65535");
        PublicKey? aggregate = null;
        if (signer.TryGetValue("bootstrap_aggregate_key", out var agg))
            aggregate = agg is string aggHex ? ParseKey(aggHex, source, "bootstrap_aggregate_key")
                : throw SignerSetError.Field(source, "[signer] bootstrap_aggregate_key", "is not a string");
        return Validated(new SignerSet
        {
            Keys = keys,
            SignaturesRequired = (int)requiredNumber,
            AggregateKey = aggregate,
            Deployer = RequiredString(signer, "deployer", source),
            Network = RequiredString(signer, "network", source),
        }, source);
    }

    private static string RequiredString(TomlTable signer, string name, string source) =>
        signer.TryGetValue(name, out var v) && v is string text ? text : throw SignerSetError.Field(source, $"[signer] {name}", "is missing or not a string");

    private static SignerSet FromList(string text, string source, int? threshold)
    {
        var keys = new List<PublicKey>();
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        int lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r');
            int hash = line.IndexOf('#', StringComparison.Ordinal);
            if (hash >= 0) line = line[..hash];
            line = line.Trim();
            if (line.Length == 0) continue;
            int space = line.IndexOfAny([' ', '\t']);
            var key = ParseKey(space < 0 ? line : line[..space], source, $"line {lineNumber}");
            keys.Add(key);
            if (space >= 0) labels[key.Hex66] = line[(space + 1)..].Trim();
        }
        if (keys.Count == 0) throw SignerSetError.Empty(source);
        if (threshold is null) throw SignerSetError.ThresholdNeeded(source);
        return Validated(new SignerSet { Keys = keys, SignaturesRequired = threshold.Value, Labels = labels }, source);
    }

    /// <summary>A compressed key in hex, either case (as the signer's config takes it).</summary>
    internal static PublicKey ParseKey(string hex, string source, string where)
    {
        if (hex.Length != 66 || Hex.TryDecode(hex.ToLowerInvariant()) is not { } bytes || Secp256k1.TryDecodeCompressed(bytes) is null)
            throw SignerSetError.BadKey(source, where);
        return PublicKey.FromCompressed(bytes);
    }

    private static string DecodeUtf8(ReadOnlySpan<byte> content)
    {
        try
        {
            return new UTF8Encoding(false, true).GetString(content);
        }
        catch (DecoderFallbackException)
        {
            throw Error.NotUtf8();
        }
    }

    private static char FirstNonSpace(ReadOnlySpan<byte> content)
    {
        foreach (var b in content)
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')) return (char)b;
        return '\0';
    }

    // A TOML file has a table header or a key = value line; a plain list has neither.
    private static bool LooksLikeToml(ReadOnlySpan<byte> content)
    {
        foreach (var range in content.Split((byte)'\n'))
        {
            var line = content[range].Trim(" \t\r"u8);
            if (line.Length == 0 || line[0] == (byte)'#') continue;
            if (line[0] == (byte)'[' || line.IndexOf((byte)'=') >= 0) return true;
        }
        return false;
    }
}
