using System.Security.Cryptography;
using System.Text.Json;
using KeyVault.Codecs;
using KeyVault.Keys;
using KeyVault.Signing;

namespace KeyVault.Signers;

/// <summary>
/// An sBTC signer set as the operators' configs state it: the bootstrap signing set (public keys), the signatures
/// required, the aggregate key, the deployer of the sBTC contracts and the network. Its canonical form and
/// fingerprint (docs/signer-set.md, section 2) are what operators compare before a DKG round.
/// </summary>
public sealed record SignerSet
{
    /// <summary>Value of the canonical form's "format" member.</summary>
    public const string FormatName = "sbtc-signer-set";

    /// <summary>Value of the canonical form's "version" member.</summary>
    public const int FormatVersion = 1;

    /// <summary>The most keys a signer set may have: the sBTC signer refuses a larger <c>bootstrap_signing_set</c>.</summary>
    public const int MaxSigners = 16;

    /// <summary>The public keys, sorted by their compressed bytes, each once.</summary>
    public required IReadOnlyList<PublicKey> Keys { get; init; }

    /// <summary><c>bootstrap_signatures_required</c>: how many signers must sign, 1 to the number of keys.</summary>
    public required int SignaturesRequired { get; init; }

    /// <summary>The aggregate key, or null when the source names none.</summary>
    public PublicKey? AggregateKey { get; init; }

    /// <summary>The Stacks address that deployed the sBTC contracts, or null when the source names none.</summary>
    public string? Deployer { get; init; }

    /// <summary>mainnet, testnet or regtest, or null when the source names none.</summary>
    public string? Network { get; init; }

    /// <summary>Names for keys (from a plain list); not part of the canonical form.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>True when <paramref name="key"/> is in the set.</summary>
    public bool Contains(PublicKey key) => Keys.Contains(key);

    /// <summary>The label of <paramref name="key"/>, or its fingerprint.</summary>
    public string NameOf(PublicKey key) => Labels.TryGetValue(key.Hex66, out var name) ? name : key.Fingerprint;

    /// <summary>The canonical form: RFC 8785 JSON of the set object (docs/signer-set.md, section 2), UTF-8.</summary>
    public byte[] Canonical()
    {
        using var doc = JsonDocument.Parse(ToJson());
        return CanonicalJson.Serialize(doc.RootElement);
    }

    /// <summary>SHA-256 of <see cref="Canonical"/>, 64 lowercase hex.</summary>
    public string Fingerprint => Hex.Encode(SHA256.HashData(Canonical()));

    /// <summary>The first 16 hex digits of the fingerprint in groups of four, to read out on a call.</summary>
    public string ShortFingerprint => Short(Fingerprint);

    /// <summary>The first 16 hex digits of <paramref name="fingerprint"/> in groups of four.</summary>
    public static string Short(string fingerprint) =>
        string.Join(' ', Enumerable.Range(0, 4).Select(i => fingerprint.Substring(4 * i, 4)));

    /// <summary>The set object, members in canonical order.</summary>
    public byte[] ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            WriteJson(w, null);
        }
        return stream.ToArray();
    }

    /// <summary>Writes the set object (as member <paramref name="name"/>, or as a value when null).</summary>
    public void WriteJson(Utf8JsonWriter writer, string? name)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (name is null) writer.WriteStartObject();
        else writer.WriteStartObject(name);
        if (AggregateKey is null) writer.WriteNull("aggregateKey");
        else writer.WriteString("aggregateKey", AggregateKey.Hex66);
        if (Deployer is null) writer.WriteNull("deployer");
        else writer.WriteString("deployer", Deployer);
        writer.WriteString("format", FormatName);
        if (Network is null) writer.WriteNull("network");
        else writer.WriteString("network", Network);
        writer.WriteNumber("signaturesRequired", SignaturesRequired);
        writer.WriteStartArray("signingSet");
        foreach (var key in Keys) writer.WriteStringValue(key.Hex66);
        writer.WriteEndArray();
        writer.WriteNumber("version", FormatVersion);
        writer.WriteEndObject();
    }

    /// <summary>Sorts <paramref name="keys"/> into canonical order (by compressed bytes), each once.</summary>
    public static IReadOnlyList<PublicKey> Sorted(IEnumerable<PublicKey> keys) =>
        keys.Distinct().OrderBy(k => k.Hex66, StringComparer.Ordinal).ToList();
}
