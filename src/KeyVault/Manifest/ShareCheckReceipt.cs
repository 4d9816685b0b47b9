using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using KeyVault.Codecs;
using KeyVault.Errors;
using KeyVault.Signing;

namespace KeyVault.Manifest;

/// <summary>
/// What a custodian's check of a registered share leaves for the operator to collect (docs/manifest.md, "Check
/// receipts"): which key, backup and share, the commitment recomputed from the words checked, when, and a SHA-256 of
/// the rest, so a receipt altered or cut short on its way is refused. It holds nothing secret: the commitment is in
/// the manifest already. It proves the words checked were the registered share's, not who checked them.
/// </summary>
public sealed record ShareCheckReceipt
{
    /// <summary>Value of the "format" member.</summary>
    public const string FormatName = "keyvault-share-check-receipt";

    /// <summary>Value of the "version" member.</summary>
    public const int FormatVersion = 1;

    /// <summary>Largest receipt file read, in bytes.</summary>
    public const int MaxFileBytes = 16 * 1024;

    /// <summary>When the check ran (UTC, whole seconds).</summary>
    public required DateTimeOffset CheckedAt { get; init; }

    /// <summary>The keyvault version that ran the check.</summary>
    public string ToolVersion { get; init; } = SignedDocument.ToolVersion;

    /// <summary>The backed-up key, compressed, 66 lowercase hex.</summary>
    public required string PublicKey { get; init; }

    /// <summary>The hash of the manifest checked against (<see cref="BackupManifest.Hash"/>).</summary>
    public required string Manifest { get; init; }

    /// <summary>The backup ID.</summary>
    public required int BackupId { get; init; }

    /// <summary>The share's group number, 1-based.</summary>
    public required int Group { get; init; }

    /// <summary>The share's number in its group, 1-based.</summary>
    public required int Member { get; init; }

    /// <summary>The custodian the manifest registers the share for.</summary>
    public required string Custodian { get; init; }

    /// <summary>The share's commitment, recomputed from the words checked.</summary>
    public required string Commitment { get; init; }

    /// <summary>The receipt of a check whose verdict was <see cref="ShareCheckVerdict.Registered"/>.</summary>
    /// <exception cref="ArgumentException">The check did not find the share registered, or the manifest was not read from a file.</exception>
    public static ShareCheckReceipt Of(BackupManifest manifest, ShareCheckResult result, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(result);
        if (result.Verdict != ShareCheckVerdict.Registered || result.Registration is not { } entry)
            throw new ArgumentException("only a check that found the share registered has a receipt", nameof(result));
        return new ShareCheckReceipt
        {
            CheckedAt = BackupManifest.Truncate(at),
            PublicKey = manifest.Identity.PublicKey,
            Manifest = manifest.SourceHash ?? throw new ArgumentException("the manifest must be read from its file", nameof(manifest)),
            BackupId = manifest.BackupId,
            Group = entry.Group,
            Member = entry.Member,
            Custodian = entry.Custodian,
            Commitment = entry.Commitment,
        };
    }

    /// <summary>The receipt file's text: indented JSON, members in order, "sha256" last, final newline.</summary>
    public string Write()
    {
        var body = Body(withHash: null, indented: false);
        var hash = Convert.ToHexStringLower(SHA256.HashData(CanonicalOf(body)));
        return Encoding.UTF8.GetString(Body(hash, indented: true)) + "\n";
    }

    /// <summary>Reads a receipt and checks its hash.</summary>
    /// <exception cref="KeyVaultException">DamagedFile: not JSON, not a receipt, a member malformed, or the hash does not match.</exception>
    public static ShareCheckReceipt Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxFileBytes) throw Malformed($"the file is {bytes.Length} bytes; a receipt is at most {MaxFileBytes}");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(bytes.ToArray(), new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException)
        {
            throw Malformed("it is not JSON");
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Malformed("the top level is not a JSON object");
            var format = root.TryGetProperty("format", out var f) ? f.ToString() : "(none)";
            var version = root.TryGetProperty("version", out var v) ? v.GetRawText() : "(none)";
            if (format != FormatName || version != "1") throw Malformed($"format \"{format}\" version {version}; this reads {FormatName} version 1");
            Fields.Only(root, ["format", "version", "checkedAt", "tool", "publicKey", "manifest", "backupId", "group", "member", "custodian", "commitment", "sha256"]);
            var tool = Fields.Obj(root, "tool");
            if (Fields.Str(tool, "name", "tool.name") != "keyvault" || tool.EnumerateObject().Count() != 2) throw Malformed("tool is not {\"name\": \"keyvault\", \"version\": …}");
            var at = Fields.Time(root, "checkedAt");
            var receipt = new ShareCheckReceipt
            {
                CheckedAt = at,
                ToolVersion = Fields.Str(tool, "version", "tool.version"),
                PublicKey = Fields.Key(Fields.Str(root, "publicKey"), "publicKey").Hex66,
                Manifest = Hex64(Fields.Str(root, "manifest"), "manifest"),
                BackupId = Int(root, "backupId", 0, 0x7FFF),
                Group = Int(root, "group", 1, 16),
                Member = Int(root, "member", 1, 16),
                Custodian = Fields.Str(root, "custodian"),
                Commitment = Hex64(Fields.Str(root, "commitment"), "commitment"),
            };
            if (ManifestText.Problem(receipt.Custodian, ManifestText.MaxNameBytes) is { } why) throw Malformed($"custodian is not allowed: {why}");
            var hash = Hex64(Fields.Str(root, "sha256"), "sha256");
            var expected = Convert.ToHexStringLower(SHA256.HashData(CanonicalWithout(root, "sha256")));
            if (hash != expected) throw Malformed("its sha256 is not the hash of its content: the receipt was altered or damaged");
            return receipt;
        }
    }

    private static byte[] CanonicalWithout(JsonElement root, string member)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            foreach (var p in root.EnumerateObject().Where(p => p.Name != member)) p.WriteTo(w);
            w.WriteEndObject();
        }
        return CanonicalOf(stream.ToArray());
    }

    private static byte[] CanonicalOf(byte[] json)
    {
        using var doc = JsonDocument.Parse(json);
        return CanonicalJson.Serialize(doc.RootElement);
    }

    private byte[] Body(string? withHash, bool indented)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("format", FormatName);
            w.WriteNumber("version", FormatVersion);
            w.WriteString("checkedAt", SignedDocument.FormatTime(CheckedAt));
            w.WriteStartObject("tool");
            w.WriteString("name", "keyvault");
            w.WriteString("version", ToolVersion);
            w.WriteEndObject();
            w.WriteString("publicKey", PublicKey);
            w.WriteString("manifest", Manifest);
            w.WriteNumber("backupId", BackupId);
            w.WriteNumber("group", Group);
            w.WriteNumber("member", Member);
            w.WriteString("custodian", Custodian);
            w.WriteString("commitment", Commitment);
            if (withHash is not null) w.WriteString("sha256", withHash);
            w.WriteEndObject();
        }
        return stream.ToArray();
    }

    private static string Hex64(string text, string field) =>
        text.Length == 64 && Hex.IsHex(text) && text == text.ToLowerInvariant() ? text : throw Malformed($"{field} is not 64 lowercase hex characters");

    private static int Int(JsonElement root, string name, int min, int max)
    {
        var i = Fields.Int(root, name);
        return i >= min && i <= max ? (int)i : throw Malformed($"{name} is not an integer from {min} to {max}");
    }

    private static KeyVaultException Malformed(string detail) => new(ErrorKind.DamagedFile,
        $"the share check receipt is damaged or not one: {detail}", "ask the custodian for the receipt file their check wrote, unchanged");

    private static readonly JsonFields Fields = new(Malformed);
}
