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

    /// <summary>
    /// The integer member <paramref name="name"/>, written as a plain JSON integer (no fraction, no exponent, no "-0");
    /// <paramref name="path"/> names it in the error.
    /// </summary>
    public long Int(JsonElement e, string name, string? path = null) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n)
        && v.GetRawText() == n.ToString(System.Globalization.CultureInfo.InvariantCulture)
            ? n : throw malformed($"{path ?? name} is missing or not an integer");

    /// <summary>The time member <paramref name="name"/>, exactly <see cref="SignedDocument.TimeFormat"/>.</summary>
    public DateTimeOffset Time(JsonElement e, string name, string? path = null) =>
        SignedDocument.TryParseTime(Str(e, name, path), out var t) ? t : throw malformed($"{path ?? name} is not of the form 2026-01-31T12:00:00Z");

    /// <summary>Refuses a member of <paramref name="e"/> not in <paramref name="known"/>; <paramref name="prefix"/> (such as "dump.") names where.</summary>
    public void Only(JsonElement e, IEnumerable<string> known, string prefix = "")
    {
        var set = known as IReadOnlySet<string> ?? new HashSet<string>(known, StringComparer.Ordinal);
        if (e.EnumerateObject().Select(p => p.Name).FirstOrDefault(n => !set.Contains(n)) is { } extra)
            throw malformed($"unknown member \"{prefix}{extra}\"");
    }

    /// <summary>A compressed public key in lowercase hex; <paramref name="field"/> names it in the error.</summary>
    public PublicKey Key(string hex, string field) =>
        PublicKey.TryParseLowerHex(hex) ?? throw malformed($"{field} is not a compressed public key in lowercase hex");
}
