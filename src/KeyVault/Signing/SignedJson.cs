using System.Text;
using System.Text.Json;
using KeyVault.Codecs;
using KeyVault.Keys;

namespace KeyVault.Signing;

/// <summary>
/// The signature check every signed KeyVault document shares (drill report, backup manifest, signer-set
/// attestation): a <see cref="SignedDocument.SignatureScheme"/> signature by a named key over the RFC 8785 canonical
/// JSON of the document without its top-level "signature" member.
/// </summary>
public static class SignedJson
{
    /// <summary>
    /// Null when <paramref name="value"/> is a valid signature by <paramref name="signer"/> over <paramref name="root"/>;
    /// otherwise why not, naming the document as <paramref name="documentName"/> ("the report").
    /// </summary>
    /// <exception cref="FormatException">The document is outside the canonical JSON subset (the message says why).</exception>
    public static string? Problem(JsonElement root, string scheme, string value, PublicKey signer, string documentName) =>
        Problem(root, scheme, value, signer, documentName, ["signature"]);

    /// <summary>
    /// As <see cref="Problem(JsonElement, string, string, PublicKey, string)"/>, over the document without the top-level
    /// members <paramref name="unsigned"/> (a document signed twice leaves out the second signature from the first).
    /// </summary>
    /// <exception cref="FormatException">The document is outside the canonical JSON subset (the message says why).</exception>
    public static string? Problem(JsonElement root, string scheme, string value, PublicKey signer, string documentName, string[] unsigned)
    {
        ArgumentNullException.ThrowIfNull(signer);
        if (scheme != SignedDocument.SignatureScheme) return $"unknown signature scheme \"{scheme}\"";
        var bytes = value.Length == 2 * StacksMessageSigning.SignatureLength && value == value.ToLowerInvariant() ? Hex.TryDecode(value) : null;
        if (bytes is null) return "the signature value is not 130 lowercase hex characters";
        var message = CanonicalJson.Serialize(root, unsigned);
        var hash = StacksMessageSigning.Hash(Encoding.UTF8.GetString(message));
        var recovered = StacksMessageSigning.RecoverPublicKeyFromHash(hash, bytes);
        if (recovered is null) return "the signature is malformed (r, s or recovery id out of range, or high s)";
        if (!recovered.Equals(signer) || !StacksMessageSigning.VerifyHash(signer, hash, bytes))
            return $"the signature does not verify: {documentName} was changed after signing, or was signed by another key";
        return null;
    }

    /// <summary>
    /// Writes a signature member as every signed document has it: <c>{"scheme", "publicKey", "value"}</c> with this
    /// scheme, under the name <paramref name="member"/> ("signature"; a second signer's has its own name).
    /// </summary>
    public static void WriteSignature(Utf8JsonWriter w, string member, string publicKeyHex, string value)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.WriteStartObject(member);
        w.WriteString("scheme", SignedDocument.SignatureScheme);
        w.WriteString("publicKey", publicKeyHex);
        w.WriteString("value", value);
        w.WriteEndObject();
    }

    /// <summary>The canonical message of <paramref name="unsignedDocument"/> (UTF-8 JSON without "signature") as a string.</summary>
    public static string Message(ReadOnlySpan<byte> unsignedDocument)
    {
        var reader = new Utf8JsonReader(unsignedDocument);
        using var doc = JsonDocument.ParseValue(ref reader);
        return Encoding.UTF8.GetString(CanonicalJson.Serialize(doc.RootElement));
    }
}
