using System.Text;
using System.Text.Json;
using KeyVault.Codecs;
using KeyVault.Keys;
using KeyVault.Signing;

namespace KeyVault.Signers;

/// <summary>
/// One operator's signed statement of the signer set their config holds: the set's canonical form, its
/// fingerprint, when, and a Stacks signed-message signature by the operator's signer key (docs/signer-set.md, section 3).
/// </summary>
public sealed record SignerSetAttestation
{
    /// <summary>Value of the "format" member.</summary>
    public const string FormatName = "keyvault-signer-set-attestation";

    /// <summary>Value of the "version" member.</summary>
    public const int FormatVersion = 1;


    /// <summary>The set the operator's config holds.</summary>
    public required SignerSet Set { get; init; }

    /// <summary>When the statement was made (UTC, whole seconds).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The version of keyvault that wrote it.</summary>
    public string ToolVersion { get; init; } = SignedDocument.ToolVersion;

    /// <summary>Signs the statement with the operator's key; returns the file's text (indented JSON, final newline).</summary>
    public string Sign(SecretKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var signature = StacksMessageSigning.Sign(key, SignedJson.Message(Write(null, indented: false)));
        return Encoding.UTF8.GetString(Write((key.PublicKey.Hex66, Hex.Encode(signature)), indented: true)) + "\n";
    }

    /// <summary>Reads an attestation without checking its signature.</summary>
    public static SignerSetAttestation Parse(string json) => Verify(json).Attestation;

    /// <summary>
    /// Reads an attestation and checks it: the set is well formed, the fingerprint is the set's, and the signature
    /// verifies. A bad signature, or a signer outside the set it attests, is a result; a malformed file is an error.
    /// </summary>
    /// <exception cref="Errors.KeyVaultException">DamagedFile: not JSON, not an attestation, or a member malformed.</exception>
    public static SignerSetAttestationVerification Verify(string json)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException ex)
        {
            throw SignerSetError.AttestationNotJson(ex.LineNumber ?? 0, ex.BytePositionInLine ?? 0);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw SignerSetError.AttestationMalformed("the top level is not a JSON object");
            var format = root.TryGetProperty("format", out var f) ? f.ToString() : "(none)";
            var version = root.TryGetProperty("version", out var v) ? v.GetRawText() : "(none)";
            if (format != FormatName || version != "1")
                throw SignerSetError.AttestationMalformed($"format \"{format}\" version {version}; this reads {FormatName} version 1");
            if (!SignedDocument.TryParseTime(Fields.Str(root, "createdAt"), out var created))
                throw SignerSetError.AttestationMalformed("createdAt is not of the form 2026-01-31T12:00:00Z");
            var tool = Fields.Obj(root, "tool");
            var set = ReadSet(Fields.Obj(root, "signerSet"));
            var fingerprint = Fields.Str(root, "fingerprint");
            if (fingerprint != set.Fingerprint)
                throw SignerSetError.AttestationMalformed("fingerprint is not the SHA-256 of the set's canonical form");
            var attestation = new SignerSetAttestation
            {
                Set = set,
                CreatedAt = created,
                ToolVersion = Fields.Str(tool, "version", "tool.version"),
            };
            var sig = Fields.Obj(root, "signature");
            var signerHex = Fields.Str(sig, "publicKey", "signature.publicKey");
            if (signerHex != signerHex.ToLowerInvariant()) throw SignerSetError.AttestationMalformed("signature.publicKey is not lowercase hex");
            var signer = Fields.Key(signerHex, "signature.publicKey");
            string? problem;
            try
            {
                problem = SignedJson.Problem(root, Fields.Str(sig, "scheme", "signature.scheme"), Fields.Str(sig, "value", "signature.value"), signer, "the attestation");
            }
            catch (FormatException ex)
            {
                throw SignerSetError.AttestationMalformed(ex.Message);
            }
            bool member = set.Contains(signer);
            if (problem is null && !member)
                problem = $"the signature is valid, but key {signer.Fingerprint} is not in the set it attests (a signer's config must hold its own key)";
            return new SignerSetAttestationVerification(attestation, signer, problem is null, problem);
        }
    }

    private static SignerSet ReadSet(JsonElement e)
    {
        if (Fields.Str(e, "format", "signerSet.format") != SignerSet.FormatName || !e.TryGetProperty("version", out var v) || v.GetRawText() != "1")
            throw SignerSetError.AttestationMalformed($"signerSet is not {SignerSet.FormatName} version 1");
        if (!e.TryGetProperty("signingSet", out var list) || list.ValueKind != JsonValueKind.Array)
            throw SignerSetError.AttestationMalformed("signerSet.signingSet is not an array");
        var keys = list.EnumerateArray().Select((k, i) => k.ValueKind == JsonValueKind.String ? Fields.Key(k.GetString()!, $"signerSet.signingSet[{i}]")
            : throw SignerSetError.AttestationMalformed($"signerSet.signingSet[{i}] is not a string")).ToList();
        var sorted = SignerSet.Sorted(keys);
        if (!sorted.SequenceEqual(keys)) throw SignerSetError.AttestationMalformed("signerSet.signingSet is not sorted, or names a key twice");
        if (!e.TryGetProperty("signaturesRequired", out var t) || !t.TryGetInt32(out var threshold))
            throw SignerSetError.AttestationMalformed("signerSet.signaturesRequired is not an integer");
        var set = new SignerSet
        {
            Keys = keys,
            SignaturesRequired = threshold,
            AggregateKey = OptStr(e, "aggregateKey") is { } agg ? Fields.Key(agg, "signerSet.aggregateKey") : null,
            Deployer = OptStr(e, "deployer"),
            Network = OptStr(e, "network"),
        };
        try
        {
            return SignerSetFile.Validated(set, "the attestation");
        }
        catch (Errors.KeyVaultException ex)
        {
            throw SignerSetError.AttestationMalformed(ex.Message);
        }
    }

    private byte[] Write((string PublicKey, string Value)? signature, bool indented)
    {
        if (CreatedAt.Offset != TimeSpan.Zero) throw new InvalidOperationException("CreatedAt must be UTC");
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented }))
        {
            w.WriteStartObject();
            w.WriteString("format", FormatName);
            w.WriteNumber("version", FormatVersion);
            w.WriteString("createdAt", SignedDocument.FormatTime(CreatedAt));
            w.WriteStartObject("tool");
            w.WriteString("name", "keyvault");
            w.WriteString("version", ToolVersion);
            w.WriteEndObject();
            Set.WriteJson(w, "signerSet");
            w.WriteString("fingerprint", Set.Fingerprint);
            if (signature is { } s) SignedJson.WriteSignature(w, "signature", s.PublicKey, s.Value);
            w.WriteEndObject();
        }
        return stream.ToArray();
    }

    private static readonly JsonFields Fields = new(SignerSetError.AttestationMalformed);

    private static string? OptStr(JsonElement e, string name) =>
        !e.TryGetProperty(name, out var v) ? throw SignerSetError.AttestationMalformed($"signerSet.{name} is missing (null when unknown)")
        : v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.String ? v.GetString() : throw SignerSetError.AttestationMalformed($"signerSet.{name} is not a string or null");
}
