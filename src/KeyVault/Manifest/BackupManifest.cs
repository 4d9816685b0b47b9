using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using KeyVault.Codecs;
using KeyVault.Errors;
using KeyVault.Keys;
using KeyVault.Shares;
using KeyVault.Signing;

namespace KeyVault.Manifest;

/// <summary>
/// A backup's public, signed record (manifest.json): which key, which SLIP-0039 backup, who holds which share and a
/// commitment to each share, retired backups and history. Signed by the backed-up key as a Stacks signed message over
/// the RFC 8785 canonical JSON without "signature", as drill reports are. Holds no secret. docs/manifest.md is the
/// specification.
/// </summary>
public sealed record BackupManifest
{
    /// <summary>Value of the "format" member.</summary>
    public const string FormatName = "keyvault-backup-manifest";

    /// <summary>Value of the "version" member this code writes, unless a retired entry names a key rotation (it reads versions 1 and 2 as well).</summary>
    public const int FormatVersion = 3;

    /// <summary>Value of the "version" member of a manifest whose <see cref="Retired"/> names a backup of the previous key.</summary>
    public const int RotationFormatVersion = 4;

    /// <summary>Value of signature.scheme.</summary>
    public const string SignatureScheme = SignedDocument.SignatureScheme;

    /// <summary>The usual file name beside the shares.</summary>
    public const string FileName = "manifest.json";

    /// <summary>Largest manifest file read, in bytes.</summary>
    public const int MaxFileBytes = 1024 * 1024;


    /// <summary>When the backup was made (UTC, whole seconds).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>1 for the manifest of a split; each reissue or retirement writes the next revision.</summary>
    public int Revision { get; init; } = 1;

    /// <summary>The <see cref="Hash"/> of the revision this one replaces (lowercase hex), or null for revision 1.</summary>
    public string? Supersedes { get; init; }

    /// <summary>The <see cref="Hash"/> of the file this manifest was read from, or null for one made in memory.</summary>
    public string? SourceHash { get; init; }

    /// <summary>The format version the manifest was read in (1 to 4); a manifest this code makes is <see cref="WrittenVersion"/>.</summary>
    public int Version { get; init; } = FormatVersion;

    /// <summary>The version this manifest is written in: <see cref="RotationFormatVersion"/> when a retired entry names a rotation, else <see cref="FormatVersion"/>.</summary>
    public int WrittenVersion => Retired.Any(r => r.Rotation is not null) ? RotationFormatVersion : FormatVersion;

    /// <summary>The keyvault version that wrote the manifest last.</summary>
    public required string ToolVersion { get; init; }

    /// <summary>SHA-256 of the keyvault executable that wrote the manifest last, lowercase hex, or null when unknown.</summary>
    public string? ExecutableSha256 { get; init; }

    /// <summary>The key's label, or null.</summary>
    public string? Label { get; init; }

    /// <summary>The organisation that holds the key, or null.</summary>
    public string? Org { get; init; }

    /// <summary>Whom custodians contact about their sheet, or null.</summary>
    public string? Contact { get; init; }

    /// <summary>The public identity of the backed-up key, which also signs the manifest.</summary>
    public required SignerIdentity Identity { get; init; }

    /// <summary>The SLIP-0039 identifier shared by every share of the backup (the backup ID).</summary>
    public required int BackupId { get; init; }

    /// <summary>The SLIP-0039 iteration exponent.</summary>
    public required int IterationExponent { get; init; }

    /// <summary>The SLIP-0039 extendable-backup flag.</summary>
    public required bool Extendable { get; init; }

    /// <summary>True when the backup was made with a SLIP-0039 passphrase (the passphrase itself is never recorded).</summary>
    public required bool Slip39Passphrase { get; init; }

    /// <summary>Length of the master secret in bytes (32 for a signer key).</summary>
    public required int SecretLength { get; init; }

    /// <summary>Groups that must be complete.</summary>
    public required int GroupThreshold { get; init; }

    /// <summary>The groups, in group order.</summary>
    public required IReadOnlyList<ManifestGroup> Groups { get; init; }

    /// <summary>Every registered share, by group then share number.</summary>
    public required IReadOnlyList<ManifestShare> Shares { get; init; }

    /// <summary>Older backups this one replaces: of the same key, or of the key this one succeeded.</summary>
    public IReadOnlyList<RetiredBackup> Retired { get; init; } = [];

    /// <summary>What happened to the backup, oldest first.</summary>
    public IReadOnlyList<ManifestEvent> History { get; init; } = [];

    /// <summary>The registered share at a group and share number, or null.</summary>
    public ManifestShare? ShareAt(int group, int member) => Shares.FirstOrDefault(s => s.Group == group && s.Member == member);

    /// <summary>The registered share with this commitment, or null.</summary>
    public ManifestShare? ShareWithCommitment(string commitment) => Shares.FirstOrDefault(s => s.Commitment == commitment);

    /// <summary>
    /// The manifest of a fresh split (revision 1). <paramref name="custodians"/> names the holder of each share of
    /// <paramref name="shares"/>, in the same order (group 1's members first), with the recipient a share is sealed to
    /// (null for paper) and how to reach them.
    /// </summary>
    /// <exception cref="KeyVaultException">BadInput for a name or other text that breaks the text rules, or a count that does not match.</exception>
    public static BackupManifest Create(ShareSet shares, IReadOnlyList<ManifestCustodian> custodians, PublicKey identity, ManifestOptions options)
    {
        ArgumentNullException.ThrowIfNull(shares);
        ArgumentNullException.ThrowIfNull(custodians);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(options);
        if (custodians.Count != shares.Shares.Count) throw ManifestError.CustodianCount(custodians.Count, shares.Shares.Count);

        var first = shares.Shares[0].Info;
        var registered = new List<ManifestShare>(shares.Shares.Count);
        for (int i = 0; i < shares.Shares.Count; i++)
        {
            var s = shares.Shares[i];
            string commitment;
            using (var decoded = ShareCodec.Decode(s.Mnemonic, position: 0)) commitment = ShareCommitment.Of(decoded);
            var c = custodians[i];
            registered.Add(new ManifestShare(s.Info.GroupNumber, s.Info.MemberNumber, ManifestText.Accept(c.Name, "the custodian name"), commitment,
                AcceptOptional(c.AgeRecipient, "the age recipient", ManifestText.MaxRecipientBytes),
                AcceptOptional(c.Contact, $"the contact of {c.Name}", ManifestText.MaxNameBytes),
                AcceptOptional(c.TimeZone, $"the time zone of {c.Name}", ManifestText.MaxTimeZoneBytes)));
        }
        var created = Truncate(options.CreatedAt);
        return new BackupManifest
        {
            CreatedAt = created,
            ToolVersion = SignedDocument.ToolVersion,
            ExecutableSha256 = CheckSha256(options.ExecutableSha256),
            Label = Optional(options.Label, "the key label"),
            Org = Optional(options.Org, "the organisation"),
            Contact = Optional(options.Contact, "the contact"),
            Identity = identity.Identity(),
            BackupId = shares.Identifier,
            IterationExponent = first.IterationExponent,
            Extendable = first.Extendable,
            Slip39Passphrase = options.Slip39Passphrase,
            SecretLength = first.SecretLength,
            GroupThreshold = shares.Layout.GroupThreshold,
            Groups = shares.Layout.Groups.Select(g => new ManifestGroup(g.MemberThreshold, g.MemberCount)).ToList(),
            Shares = registered,
            History = [new ManifestEvent(created, "split", ManifestText.Accept(options.Reason, "the reason", ManifestText.MaxLongBytes))],
        };
    }

    /// <summary>
    /// The exact message the signature covers: the RFC 8785 canonical JSON of the manifest without "signature"
    /// (its UTF-8 bytes are what the Stacks message encoding hashes).
    /// </summary>
    public string SignedMessage()
    {
        Validate();
        using var doc = JsonDocument.Parse(Write(signature: null, indented: false));
        return Encoding.UTF8.GetString(CanonicalJson.Serialize(doc.RootElement));
    }

    /// <summary>
    /// Signs the manifest with the backed-up key and returns the file's text (indented JSON, UTF-8, final newline).
    /// </summary>
    /// <exception cref="KeyVaultException">IdentityMismatch when <paramref name="key"/> is not the manifest's identity.</exception>
    public string Sign(SecretKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.PublicKey.Hex66 != Identity.PublicKey) throw ManifestError.SigningKeyMismatch(key.PublicKey.Fingerprint, Identity.Fingerprint);
        var signature = StacksMessageSigning.Sign(key, SignedMessage());
        return Encoding.UTF8.GetString(Write((key.PublicKey.Hex66, Hex.Encode(signature)), indented: true)) + "\n";
    }

    /// <summary>Reads a manifest without checking its signature.</summary>
    /// <exception cref="KeyVaultException">DamagedFile: not JSON, not a version-1 manifest, or a member missing or malformed.</exception>
    public static BackupManifest Parse(string json)
    {
        using var doc = ParseDocument(json);
        return ManifestReader.Read(doc.RootElement) with { SourceHash = HashOf(doc.RootElement) };
    }

    /// <summary>
    /// Reads a manifest and checks its signature: the scheme, that the signature over the canonical message verifies
    /// and recovers the named key, and whether that key is the manifest's identity. A bad signature is a result.
    /// </summary>
    /// <exception cref="KeyVaultException">DamagedFile when the file is not a well-formed manifest.</exception>
    public static ManifestVerification Verify(string json)
    {
        using var doc = ParseDocument(json);
        var root = doc.RootElement;
        var manifest = ManifestReader.Read(root) with { SourceHash = HashOf(root) };
        if (!root.TryGetProperty("signature", out var sig) || sig.ValueKind != JsonValueKind.Object)
            throw ManifestError.Malformed("no \"signature\" object");
        ManifestReader.OnlyMembers(sig, "signature", "scheme", "publicKey", "value");
        var scheme = ManifestReader.ReqString(sig, "scheme", "signature.scheme");
        var signer = ManifestReader.ReadPublicKey(ManifestReader.ReqString(sig, "publicKey", "signature.publicKey"), "signature.publicKey");
        var value = ManifestReader.ReqString(sig, "value", "signature.value");
        bool isIdentity = signer.Hex66 == manifest.Identity.PublicKey;

        string? problem;
        try
        {
            problem = SignedJson.Problem(root, scheme, value, signer, "the manifest");
        }
        catch (FormatException ex)
        {
            throw ManifestError.Malformed(ex.Message);
        }
        if (problem is not null) return new(manifest, false, signer, isIdentity, problem);
        return new(manifest, true, signer, isIdentity,
            isIdentity ? null : $"the signature is valid but was made by key {signer.Fingerprint}, not by the key the manifest backs up ({manifest.Identity.Fingerprint})");
    }

    /// <summary>Reads a manifest and returns it only when it is authentic; otherwise throws DamagedFile saying why.</summary>
    public static BackupManifest ReadAuthentic(string json)
    {
        var v = Verify(json);
        if (!v.Authentic) throw ManifestError.NotAuthentic(v.Problem ?? "the signature does not verify");
        return v.Manifest;
    }

    /// <summary>Reads manifest bytes (UTF-8, at most <see cref="MaxFileBytes"/>) as text; throws DamagedFile otherwise.</summary>
    public static string DecodeFile(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxFileBytes) throw ManifestError.Malformed($"the file is {bytes.Length} bytes; a manifest is at most {MaxFileBytes}");
        try
        {
            return new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw ManifestError.Malformed("it is not UTF-8 text");
        }
    }

    internal static DateTimeOffset Truncate(DateTimeOffset t)
    {
        var utc = t.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - utc.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
    }

    internal static string FormatTime(DateTimeOffset t) => SignedDocument.FormatTime(t);

    internal static bool TryParseTime(string text, out DateTimeOffset value) => SignedDocument.TryParseTime(text, out value);

    private static string? Optional(string? text, string what) => string.IsNullOrEmpty(text) ? null : ManifestText.Accept(text, what);

    private static string? AcceptOptional(string? text, string what, int max) => text is null ? null : ManifestText.Accept(text, what, max);

    /// <summary>
    /// The manifest's hash, by which the next revision names it (<see cref="Supersedes"/>): SHA-256 of the RFC 8785
    /// canonical JSON of the whole signed manifest, signature included, as 64 lowercase hex. Layout and member order of
    /// the file do not change it.
    /// </summary>
    /// <exception cref="KeyVaultException">DamagedFile when <paramref name="json"/> is not a JSON object.</exception>
    public static string Hash(string json)
    {
        using var doc = ParseDocument(json);
        return HashOf(doc.RootElement);
    }

    private static string HashOf(JsonElement root)
    {
        byte[] canonical;
        try
        {
            canonical = CanonicalJson.Serialize(root);
        }
        catch (FormatException ex)
        {
            throw ManifestError.Malformed(ex.Message);
        }
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(canonical));
    }

    /// <summary>
    /// The next revision of this manifest, which must have been read from a file: revision + 1, naming this one's hash,
    /// written by this version of keyvault (format version 3). The caller changes what the revision changes, and signs it.
    /// </summary>
    public BackupManifest NextRevision() => this with
    {
        Revision = Revision + 1,
        Supersedes = SourceHash ?? throw new InvalidOperationException("only a manifest read from its file has a next revision"),
        ToolVersion = SignedDocument.ToolVersion,
        Version = FormatVersion,
        SourceHash = null,
    };

    /// <summary>Registered shares in a group whose custodians have not departed: the "of N" a new sheet prints.</summary>
    public int HeldCount(int group) => Shares.Count(s => s.Group == group && s.Departed is null);

    private static string? CheckSha256(string? hex)
    {
        if (hex is null) return null;
        if (hex.Length != 64 || !Hex.IsHex(hex) || hex != hex.ToLowerInvariant()) throw ManifestError.BadExecutableHash();
        return hex;
    }

    /// <summary>Checks every rule of docs/manifest.md section 2 that a writer can break; throws InvalidOperationException (a caller bug).</summary>
    private void Validate()
    {
        try
        {
            ManifestReader.CheckConsistency(this);
        }
        catch (KeyVaultException ex)
        {
            throw new InvalidOperationException($"the manifest breaks its own rules: {ex.Message}", ex);
        }
    }

    private byte[] Write((string PublicKey, string Value)? signature, bool indented)
    {
        Validate();
        using var stream = new MemoryStream();
        // Names such as "Bjørn" stay readable in the file; the escaping rules of JSON itself still apply, and the
        // signature covers the canonical form, which does not depend on how the file escapes.
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("format", FormatName);
            w.WriteNumber("version", WrittenVersion);
            w.WriteString("createdAt", FormatTime(CreatedAt));
            w.WriteNumber("revision", Revision);
            WriteNullable(w, "supersedes", Supersedes);
            w.WriteStartObject("tool");
            w.WriteString("name", "keyvault");
            w.WriteString("version", ToolVersion);
            WriteNullable(w, "executableSha256", ExecutableSha256);
            w.WriteEndObject();
            WriteNullable(w, "label", Label);
            WriteNullable(w, "org", Org);
            WriteNullable(w, "contact", Contact);
            Identity.WriteJson(w, "identity");

            w.WriteStartObject("backup");
            w.WriteNumber("id", BackupId);
            w.WriteNumber("iterationExponent", IterationExponent);
            w.WriteBoolean("extendable", Extendable);
            w.WriteBoolean("slip39Passphrase", Slip39Passphrase);
            w.WriteNumber("secretLength", SecretLength);
            w.WriteNumber("groupThreshold", GroupThreshold);
            w.WriteStartArray("groups");
            foreach (var g in Groups)
            {
                w.WriteStartObject();
                w.WriteNumber("memberThreshold", g.MemberThreshold);
                w.WriteNumber("memberCount", g.MemberCount);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();

            w.WriteStartArray("shares");
            foreach (var s in Shares.OrderBy(s => s.Group).ThenBy(s => s.Member))
            {
                w.WriteStartObject();
                w.WriteNumber("group", s.Group);
                w.WriteNumber("member", s.Member);
                w.WriteString("custodian", s.Custodian);
                w.WriteString("commitment", s.Commitment);
                WriteNullable(w, "ageRecipient", s.AgeRecipient);
                WriteNullable(w, "recipientType", s.RecipientType);
                WriteNullable(w, "contact", s.Contact);
                WriteNullable(w, "timeZone", s.TimeZone);
                if (s.Departed is { } d)
                {
                    w.WriteStartObject("departed");
                    w.WriteString("at", FormatTime(d.At));
                    w.WriteString("reason", d.Reason);
                    w.WriteEndObject();
                }
                else
                {
                    w.WriteNull("departed");
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();

            w.WriteStartArray("retired");
            foreach (var r in Retired)
            {
                w.WriteStartObject();
                w.WriteNumber("backupId", r.BackupId);
                w.WriteString("retiredAt", FormatTime(r.RetiredAt));
                w.WriteString("reason", r.Reason);
                w.WriteStartArray("commitments");
                foreach (var c in r.Commitments) w.WriteStringValue(c);
                w.WriteEndArray();
                if (WrittenVersion == RotationFormatVersion) WriteRotation(w, r.Rotation);
                w.WriteEndObject();
            }
            w.WriteEndArray();

            w.WriteStartArray("history");
            foreach (var e in History)
            {
                w.WriteStartObject();
                w.WriteString("at", FormatTime(e.At));
                w.WriteString("action", e.Action);
                w.WriteString("reason", e.Reason);
                if (e.Group is int g) w.WriteNumber("group", g); else w.WriteNull("group");
                if (e.Member is int m) w.WriteNumber("member", m); else w.WriteNull("member");
                WriteNullable(w, "custodian", e.Custodian);
                if (e.BackupId is int b) w.WriteNumber("backupId", b); else w.WriteNull("backupId");
                w.WriteEndObject();
            }
            w.WriteEndArray();

            if (signature is { } s2) SignedJson.WriteSignature(w, "signature", s2.PublicKey, s2.Value);
            w.WriteEndObject();
        }
        return stream.ToArray();
    }

    private static void WriteRotation(Utf8JsonWriter w, BackupRotation? rotation)
    {
        if (rotation is null)
        {
            w.WriteNull("rotation");
            return;
        }
        w.WriteStartObject("rotation");
        w.WriteString("previousPublicKey", rotation.PreviousPublicKey);
        w.WriteString("previousManifest", rotation.PreviousManifest);
        w.WritePropertyName("successorStatement");
        using (var statement = JsonDocument.Parse(rotation.SuccessorStatement)) statement.RootElement.WriteTo(w);
        if (rotation.Drill is { } d)
        {
            w.WriteStartObject("drill");
            w.WriteString("reportSha256", d.ReportSha256);
            w.WriteString("createdAt", FormatTime(d.CreatedAt));
            w.WriteString("aggregateKey", d.AggregateKey);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("drill");
        }
        w.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null) w.WriteNull(name);
        else w.WriteString(name, value);
    }

    private static JsonDocument ParseDocument(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            var doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowDuplicateProperties = false });
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                doc.Dispose();
                throw ManifestError.Malformed("the top level is not a JSON object");
            }
            return doc;
        }
        catch (JsonException ex)
        {
            throw ManifestError.NotJson(ex.LineNumber ?? 0, ex.BytePositionInLine ?? 0);
        }
    }
}
