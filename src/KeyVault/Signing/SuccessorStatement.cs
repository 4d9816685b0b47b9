using System.Text;
using System.Text.Json;
using KeyVault.Codecs;
using KeyVault.Errors;
using KeyVault.Keys;

namespace KeyVault.Signing;

/// <summary>
/// A signer's key rotation in writing (docs/rotation.md): the old key names its successor, and the new key accepts.
/// The old key's <c>signature</c> covers the statement without both signatures; the new key's <c>acceptance</c>
/// covers it with the old key's signature. Someone who only claims a rotation can make neither: the first needs the
/// old key, the second the new one.
/// </summary>
public sealed record SuccessorStatement
{
    /// <summary>Value of the "format" member.</summary>
    public const string FormatName = "keyvault-successor-statement";

    /// <summary>Value of the "version" member.</summary>
    public const int FormatVersion = 1;

    private static readonly string[] OldKeySigns = ["signature", "acceptance"];
    private static readonly string[] NewKeySigns = ["acceptance"];

    /// <summary>The key that is retired.</summary>
    public required PublicKey OldKey { get; init; }

    /// <summary>The key that takes its place.</summary>
    public required PublicKey NewKey { get; init; }

    /// <summary>When the old key signed (UTC, whole seconds).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The version of keyvault that wrote it.</summary>
    public string ToolVersion { get; init; } = SignedDocument.ToolVersion;

    /// <summary>The old key names the successor: the statement's text with the old key's signature, no acceptance yet.</summary>
    public string Announce(SecretKey oldKey)
    {
        ArgumentNullException.ThrowIfNull(oldKey);
        if (!oldKey.PublicKey.Equals(OldKey)) throw new ArgumentException("the key is not the statement's old key", nameof(oldKey));
        if (OldKey.Equals(NewKey)) throw RotationError.SameKey();
        var signature = StacksMessageSigning.Sign(oldKey, SignedJson.Message(Write(null, null, indented: false)));
        return Text(Write(Hex.Encode(signature), null, indented: true));
    }

    /// <summary>
    /// The new key accepts an announced statement: checks the old key's signature, then signs the statement with it.
    /// </summary>
    /// <exception cref="KeyVaultException">The statement is malformed, not validly announced, already accepted, or names another new key.</exception>
    public static string Accept(string announced, SecretKey newKey)
    {
        ArgumentNullException.ThrowIfNull(newKey);
        var read = ReadAnnounced(announced);
        if (!read.Statement.NewKey.Equals(newKey.PublicKey)) throw RotationError.OtherNewKey(read.Statement.NewKey, newKey.PublicKey);
        var withOld = read.Statement.Write(read.OldSignature, null, indented: false);
        var acceptance = StacksMessageSigning.Sign(newKey, SignedJson.Message(withOld));
        return Text(read.Statement.Write(read.OldSignature, Hex.Encode(acceptance), indented: true));
    }

    /// <summary>Reads a statement the new key is to accept: validly signed by the old key, not accepted yet.</summary>
    /// <exception cref="KeyVaultException">The statement is malformed, its old key's signature does not hold, or it is accepted already.</exception>
    public static SuccessorStatementVerification ReadAnnounced(string announced)
    {
        var read = Verify(announced);
        if (read.OldKeyProblem is { } problem) throw RotationError.NotAnnounced(problem);
        if (read.AcceptanceProblem != NotAcceptedYet) throw RotationError.AlreadyAccepted();
        return read;
    }

    /// <summary>What <see cref="Verify"/> says of a statement the new key has not signed.</summary>
    public const string NotAcceptedYet = "the new key has not accepted the statement yet";

    /// <summary>
    /// Reads a statement and checks both signatures. Bad or missing signatures are results; a malformed file is an error.
    /// </summary>
    /// <exception cref="KeyVaultException">DamagedFile: not JSON, not a successor statement, or a member malformed.</exception>
    public static SuccessorStatementVerification Verify(string json)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException ex)
        {
            throw RotationError.Malformed($"not JSON (line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1})");
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw RotationError.Malformed("the top level is not a JSON object");
            var format = root.TryGetProperty("format", out var f) ? f.ToString() : "(none)";
            var version = root.TryGetProperty("version", out var v) ? v.GetRawText() : "(none)";
            if (format != FormatName || version != "1")
                throw RotationError.Malformed($"format \"{format}\" version {version}; this reads {FormatName} version 1");
            Fields.Only(root, ["format", "version", "createdAt", "tool", "oldPublicKey", "newPublicKey", "signature", "acceptance"]);
            var created = Fields.Time(root, "createdAt");
            var statement = new SuccessorStatement
            {
                OldKey = Fields.Key(Fields.Str(root, "oldPublicKey"), "oldPublicKey"),
                NewKey = Fields.Key(Fields.Str(root, "newPublicKey"), "newPublicKey"),
                CreatedAt = created,
                ToolVersion = Fields.Str(Fields.Obj(root, "tool"), "version", "tool.version"),
            };
            if (statement.OldKey.Equals(statement.NewKey)) throw RotationError.Malformed("oldPublicKey and newPublicKey are the same key");
            try
            {
                var (oldSig, oldProblem) = Check(root, "signature", statement.OldKey, "the old key", OldKeySigns);
                string? acceptanceProblem = root.TryGetProperty("acceptance", out _)
                    ? Check(root, "acceptance", statement.NewKey, "the new key", NewKeySigns).Problem
                    : NotAcceptedYet;
                return new SuccessorStatementVerification(statement, oldSig, oldProblem, acceptanceProblem);
            }
            catch (FormatException ex)
            {
                throw RotationError.Malformed(ex.Message);
            }
        }
    }

    private static (string Value, string? Problem) Check(JsonElement root, string member, PublicKey expected, string who, string[] unsigned)
    {
        var sig = Fields.Obj(root, member);
        var signer = Fields.Key(Fields.Str(sig, "publicKey", $"{member}.publicKey"), $"{member}.publicKey");
        var value = Fields.Str(sig, "value", $"{member}.value");
        if (!signer.Equals(expected)) return (value, $"{member} is by key {signer.Fingerprint}, not by {who} {expected.Fingerprint}");
        var problem = SignedJson.Problem(root, Fields.Str(sig, "scheme", $"{member}.scheme"), value, signer, "the statement", unsigned);
        return (value, problem is null ? null : $"{member} ({who}): {problem}");
    }

    private byte[] Write(string? signature, string? acceptance, bool indented)
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
            w.WriteString("oldPublicKey", OldKey.Hex66);
            w.WriteString("newPublicKey", NewKey.Hex66);
            if (signature is not null) SignedJson.WriteSignature(w, "signature", OldKey.Hex66, signature);
            if (acceptance is not null) SignedJson.WriteSignature(w, "acceptance", NewKey.Hex66, acceptance);
            w.WriteEndObject();
        }
        return stream.ToArray();
    }

    private static string Text(byte[] json) => Encoding.UTF8.GetString(json) + "\n";

    private static readonly JsonFields Fields = new(RotationError.Malformed);

}
