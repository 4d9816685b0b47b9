using System.Text.Json;
using KeyVault.Keys;

namespace KeyVault.Signing;

/// <summary>
/// The strict member readers of a signed JSON document: a member that is missing or of another type, or a key that
/// is not lowercase compressed hex, is reported through the document's own error (<paramref name="malformed"/>).
/// </summary>
internal sealed class JsonFields(Func<string, Exception> malformed)
{
    /// <summary>The object member <paramref name="name"/>; <paramref name="path"/> names it in the error.</summary>
    public JsonElement Obj(JsonElement e, string name, string? path = null) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? v : throw malformed($"{path ?? name} is missing or not an object");

    /// <summary>The string member <paramref name="name"/>; <paramref name="path"/> names it in the error.</summary>
    public string Str(JsonElement e, string name, string? path = null) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : throw malformed($"{path ?? name} is missing or not a string");

    /// <summary>A compressed public key in lowercase hex; <paramref name="field"/> names it in the error.</summary>
    public PublicKey Key(string hex, string field) =>
        PublicKey.TryParseLowerHex(hex) ?? throw malformed($"{field} is not a compressed public key in lowercase hex");
}
