using System.Text;
using System.Text.Json;
using KeyVault.Codecs;
using KeyVault.Errors;
using KeyVault.Keys;
using KeyVault.SelfTest;
using KeyVault.Signing;

namespace KeyVault.Drill;

/// <summary>
/// A restore drill's report: when, with which tool, what backup was tested, the expected and derived identities,
/// each check and the outcome, signed by the rebuilt key as a Stacks signed message over the report's RFC 8785
/// canonical JSON without its "signature" member. docs/drill-report.md is the specification.
/// </summary>
public sealed record DrillReport
{
    /// <summary>Value of the "format" member.</summary>
    public const string FormatName = "keyvault-drill-report";

    /// <summary>Value of the "version" member this code writes and reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>Value of signature.scheme.</summary>
    public const string SignatureScheme = SignedDocument.SignatureScheme;


    /// <summary>When the drill ran (UTC; whole seconds are recorded).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The version of keyvault that ran the drill.</summary>
    public required string ToolVersion { get; init; }

    /// <summary>The executable that ran the drill: its SHA-256 and self-test result, when recorded.</summary>
    public ExecutableRecord? Executable { get; init; }

    /// <summary>The encrypted key file tested, if any.</summary>
    public KeyFileTested? KeyFile { get; init; }

    /// <summary>The shares tested, if any.</summary>
    public SharesTested? Shares { get; init; }

    /// <summary>The identity the backup was expected to rebuild.</summary>
    public required DrillExpected Expected { get; init; }

    /// <summary>The identity of the key the backup rebuilt.</summary>
    public required SignerIdentity Derived { get; init; }

    /// <summary>The signer set the drill was made against, when one was given.</summary>
    public DrillSignerSet? SignerSet { get; init; }

    /// <summary>Every check, in the order run.</summary>
    public required IReadOnlyList<DrillCheck> Checks { get; init; }

    /// <summary>The outcome the checks amount to.</summary>
    public DrillOutcome Outcome => DrillCheck.OutcomeOf(Checks);

    /// <summary>The outcome's name in the "result" member.</summary>
    public static string OutcomeName(DrillOutcome outcome) => outcome switch
    {
        DrillOutcome.Passed => "pass",
        DrillOutcome.IdentityMismatch => "identity-mismatch",
        DrillOutcome.DkgSharesNotOpened => "dkg-shares-not-opened",
        _ => "fail",
    };

    /// <summary>
    /// The exact message the signature covers: the RFC 8785 canonical JSON of the report without "signature",
    /// as a string (its UTF-8 bytes are what the Stacks message encoding hashes).
    /// </summary>
    public string SignedMessage()
    {
        Validate();
        using var doc = JsonDocument.Parse(Write(signature: null, indented: false));
        return Encoding.UTF8.GetString(CanonicalJson.Serialize(doc.RootElement));
    }

    /// <summary>
    /// Signs the report with the rebuilt key and returns the report file's text (indented JSON, UTF-8, final newline).
    /// The key must be the one whose identity is <see cref="Derived"/>.
    /// </summary>
    public string Sign(SecretKey key)
    {
        if (key.PublicKey.Hex66 != Derived.PublicKey)
            throw new ArgumentException("the report can only be signed by the rebuilt key it describes", nameof(key));
        var signature = StacksMessageSigning.Sign(key, SignedMessage());
        return Encoding.UTF8.GetString(Write((key.PublicKey.Hex66, Hex.Encode(signature)), indented: true)) + "\n";
    }

    /// <summary>Reads a report file without checking its signature.</summary>
    /// <exception cref="Errors.KeyVaultException">Not JSON, not a version-1 drill report, or a required member missing or malformed.</exception>
    public static DrillReport Parse(string json)
    {
        using var doc = ParseDocument(json);
        return ReadReportChecked(doc.RootElement);
    }

    /// <summary>
    /// Reads a report file and checks its signature: the scheme, that the signature over the canonical message
    /// verifies and recovers the named public key, and whether that key is the report's derived identity.
    /// </summary>
    /// <exception cref="Errors.KeyVaultException">The file is not a well-formed drill report (a bad signature is a result, not an exception).</exception>
    public static DrillReportVerification Verify(string json)
    {
        using var doc = ParseDocument(json);
        var root = doc.RootElement;
        var report = ReadReportChecked(root);
        if (!root.TryGetProperty("signature", out var sig) || sig.ValueKind != JsonValueKind.Object)
            throw DrillError.ReportMalformed("no \"signature\" object");
        var scheme = ReqString(sig, "scheme", "signature.scheme");
        var signer = ReadPublicKey(ReqString(sig, "publicKey", "signature.publicKey"), "signature.publicKey");
        var value = ReqString(sig, "value", "signature.value");
        bool isDerived = signer.Hex66 == report.Derived.PublicKey;

        string? problem;
        try
        {
            problem = SignedJson.Problem(root, scheme, value, signer, "the report");
        }
        catch (FormatException ex)
        {
            throw DrillError.ReportMalformed(ex.Message);
        }
        if (problem is not null) return new DrillReportVerification(report, false, signer, isDerived, problem);
        return new DrillReportVerification(report, true, signer, isDerived,
            isDerived ? null : "the signature is valid but was made by a key other than the report's derived identity");
    }

    /// <summary>The optional executableSha256 and selfTest members of "tool": both or neither.</summary>
    private static ExecutableRecord? ReadExecutable(JsonElement tool)
    {
        bool hasSha = tool.TryGetProperty("executableSha256", out _), hasSelfTest = tool.TryGetProperty("selfTest", out _);
        if (!hasSha && !hasSelfTest) return null;
        if (!hasSha || !hasSelfTest) throw DrillError.ReportMalformed("tool.executableSha256 and tool.selfTest must come together");
        var sha = ReqString(tool, "executableSha256", "tool.executableSha256");
        if (!ExecutableRecord.IsSha256Hex(sha)) throw DrillError.ReportMalformed("tool.executableSha256 is not 64 lowercase hex characters");
        return ReqString(tool, "selfTest", "tool.selfTest") switch
        {
            "pass" => new ExecutableRecord(sha, true),
            "fail" => new ExecutableRecord(sha, false),
            var other => throw DrillError.ReportMalformed($"tool.selfTest is \"{other}\", not pass or fail"),
        };
    }

    private void Validate()
    {
        if (KeyFile is null && Shares is null) throw new InvalidOperationException("a drill report must name a key file or shares");
        if (Checks.Count == 0) throw new InvalidOperationException("a drill report needs at least one check");
        if (CreatedAt.Offset != TimeSpan.Zero) throw new InvalidOperationException("CreatedAt must be UTC");
        if (SignerSet is not null && (!ExecutableRecord.IsSha256Hex(SignerSet.Fingerprint) || SignerSet.SignaturesRequired < 1
                                      || SignerSet.Signers < SignerSet.SignaturesRequired))
            throw new InvalidOperationException("SignerSet must have a 64-hex fingerprint and 1 <= signaturesRequired <= signers");
        if (Executable is not null && !ExecutableRecord.IsSha256Hex(Executable.Sha256))
            throw new InvalidOperationException("Executable.Sha256 must be 64 lowercase hex characters");
    }

    private byte[] Write((string PublicKey, string Value)? signature, bool indented)
    {
        Validate();
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
            if (Executable is not null)
            {
                w.WriteString("executableSha256", Executable.Sha256);
                w.WriteString("selfTest", Executable.SelfTestName);
            }
            w.WriteEndObject();

            w.WriteStartObject("tested");
            if (KeyFile is null) w.WriteNull("keyFile");
            else
            {
                w.WriteStartObject("keyFile");
                w.WriteString("path", KeyFile.Path);
                w.WriteString("sha256", KeyFile.Sha256);
                w.WriteEndObject();
            }
            if (Shares is null) w.WriteNull("shares");
            else
            {
                w.WriteStartObject("shares");
                w.WriteNumber("identifier", Shares.Identifier);
                w.WriteNumber("groupThreshold", Shares.GroupThreshold);
                w.WriteNumber("groupCount", Shares.GroupCount);
                w.WriteStartArray("shares");
                foreach (var s in Shares.Shares)
                {
                    w.WriteStartObject();
                    w.WriteNumber("groupIndex", s.GroupIndex);
                    w.WriteNumber("memberIndex", s.MemberIndex);
                    w.WriteNumber("memberThreshold", s.MemberThreshold);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndObject();

            w.WriteStartObject("expected");
            w.WriteString("kind", Expected.Kind);
            w.WriteString("value", Expected.Value);
            w.WriteEndObject();

            Derived.WriteJson(w, "derived");

            if (SignerSet is not null)
            {
                w.WriteStartObject("signerSet");
                w.WriteString("fingerprint", SignerSet.Fingerprint);
                w.WriteNumber("signaturesRequired", SignerSet.SignaturesRequired);
                w.WriteNumber("signers", SignerSet.Signers);
                w.WriteEndObject();
            }

            w.WriteStartArray("checks");
            foreach (var c in Checks)
            {
                w.WriteStartObject();
                w.WriteString("name", c.Name);
                w.WriteString("subject", c.Subject);
                w.WriteString("result", c.Result switch { DrillCheckResult.Pass => "pass", DrillCheckResult.Info => "info", _ => "fail" });
                w.WriteString("detail", c.Detail);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteString("result", OutcomeName(Outcome));

            if (signature is { } s2) SignedJson.WriteSignature(w, "signature", s2.PublicKey, s2.Value);
            w.WriteEndObject();
        }
        return stream.ToArray();
    }

    private static JsonDocument ParseDocument(string json)
    {
        try
        {
            var doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowDuplicateProperties = false });
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                doc.Dispose();
                throw DrillError.ReportMalformed("the top level is not a JSON object");
            }
            return doc;
        }
        catch (JsonException ex)
        {
            throw DrillError.ReportNotJson(ex.LineNumber ?? 0, ex.BytePositionInLine ?? 0);
        }
    }

    private static DrillReport ReadReportChecked(JsonElement root)
    {
        try
        {
            return ReadReport(root);
        }
        catch (InvalidOperationException)
        {
            throw DrillError.ReportMalformed("a string holds a lone UTF-16 surrogate");
        }
    }

    private static DrillReport ReadReport(JsonElement root)
    {
        var format = root.TryGetProperty("format", out var f) ? f.ToString() : "(none)";
        var version = root.TryGetProperty("version", out var v) ? v.GetRawText() : "(none)";
        if (format != FormatName || version != "1") throw DrillError.ReportUnsupported(format, version);

        var createdText = ReqString(root, "createdAt", "createdAt");
        if (!SignedDocument.TryParseTime(createdText, out var created))
            throw DrillError.ReportMalformed("createdAt is not of the form 2025-01-31T12:00:00Z");

        var tool = ReqObject(root, "tool", "tool");
        var toolVersion = ReqString(tool, "version", "tool.version");
        var executable = ReadExecutable(tool);

        var tested = ReqObject(root, "tested", "tested");
        KeyFileTested? keyFile = null;
        if (tested.TryGetProperty("keyFile", out var kf) && kf.ValueKind != JsonValueKind.Null)
        {
            if (kf.ValueKind != JsonValueKind.Object) throw DrillError.ReportMalformed("tested.keyFile is not an object");
            var sha = ReqString(kf, "sha256", "tested.keyFile.sha256");
            if (sha.Length != 64 || !Hex.IsHex(sha)) throw DrillError.ReportMalformed("tested.keyFile.sha256 is not 64 hex characters");
            keyFile = new KeyFileTested(ReqString(kf, "path", "tested.keyFile.path"), sha);
        }
        SharesTested? shares = null;
        if (tested.TryGetProperty("shares", out var sh) && sh.ValueKind != JsonValueKind.Null)
        {
            if (sh.ValueKind != JsonValueKind.Object) throw DrillError.ReportMalformed("tested.shares is not an object");
            if (!sh.TryGetProperty("shares", out var list) || list.ValueKind != JsonValueKind.Array)
                throw DrillError.ReportMalformed("tested.shares.shares is not an array");
            var used = list.EnumerateArray().Select(e => new ShareUsed(
                ReqInt(e, "groupIndex", "tested.shares.shares[].groupIndex"),
                ReqInt(e, "memberIndex", "tested.shares.shares[].memberIndex"),
                ReqInt(e, "memberThreshold", "tested.shares.shares[].memberThreshold"))).ToList();
            shares = new SharesTested(ReqInt(sh, "identifier", "tested.shares.identifier"),
                ReqInt(sh, "groupThreshold", "tested.shares.groupThreshold"),
                ReqInt(sh, "groupCount", "tested.shares.groupCount"), used);
        }
        if (keyFile is null && shares is null) throw DrillError.ReportMalformed("tested names neither a key file nor shares");

        var expectedElement = ReqObject(root, "expected", "expected");
        var expected = new DrillExpected(ReqString(expectedElement, "kind", "expected.kind"), ReqString(expectedElement, "value", "expected.value"));

        var derivedElement = ReqObject(root, "derived", "derived");
        var derivedKey = ReadPublicKey(ReqString(derivedElement, "publicKey", "derived.publicKey"), "derived.publicKey");
        var addresses = ReqObject(derivedElement, "stacksAddress", "derived.stacksAddress");
        var derived = new SignerIdentity(derivedKey.Hex66, ReqString(derivedElement, "fingerprint", "derived.fingerprint"),
            ReqString(addresses, "mainnet", "derived.stacksAddress.mainnet"), ReqString(addresses, "testnet", "derived.stacksAddress.testnet"),
            ReqString(derivedElement, "peerId", "derived.peerId"));
        if (derived != derivedKey.Identity())
            throw DrillError.ReportMalformed("the derived identity's fields do not all belong to derived.publicKey");

        DrillSignerSet? signerSet = null;
        if (root.TryGetProperty("signerSet", out var setElement))
        {
            if (setElement.ValueKind != JsonValueKind.Object) throw DrillError.ReportMalformed("signerSet is not an object");
            var fingerprint = ReqString(setElement, "fingerprint", "signerSet.fingerprint");
            if (!ExecutableRecord.IsSha256Hex(fingerprint)) throw DrillError.ReportMalformed("signerSet.fingerprint is not 64 lowercase hex characters");
            signerSet = new DrillSignerSet(fingerprint, ReqInt(setElement, "signaturesRequired", "signerSet.signaturesRequired"),
                ReqInt(setElement, "signers", "signerSet.signers"));
            if (signerSet.SignaturesRequired < 1 || signerSet.Signers < signerSet.SignaturesRequired)
                throw DrillError.ReportMalformed("signerSet.signaturesRequired must be from 1 to signerSet.signers");
        }

        if (!root.TryGetProperty("checks", out var checksElement) || checksElement.ValueKind != JsonValueKind.Array)
            throw DrillError.ReportMalformed("checks is not an array");
        var checks = new List<DrillCheck>();
        foreach (var c in checksElement.EnumerateArray())
        {
            var result = ReqString(c, "result", "checks[].result") switch
            {
                "pass" => DrillCheckResult.Pass,
                "fail" => DrillCheckResult.Fail,
                "info" => DrillCheckResult.Info,
                var other => throw DrillError.ReportMalformed($"a check's result is \"{other}\", not pass, fail or info"),
            };
            checks.Add(new DrillCheck(ReqString(c, "name", "checks[].name"), ReqString(c, "subject", "checks[].subject"), result,
                ReqString(c, "detail", "checks[].detail")));
        }
        if (checks.Count == 0) throw DrillError.ReportMalformed("checks is empty");
        CheckIdentityChecksAgree(expected, derivedKey, checks);

        var report = new DrillReport
        {
            CreatedAt = created,
            ToolVersion = toolVersion,
            Executable = executable,
            KeyFile = keyFile,
            Shares = shares,
            Expected = expected,
            Derived = derived,
            SignerSet = signerSet,
            Checks = checks,
        };
        if (ReqString(root, "result", "result") != OutcomeName(report.Outcome))
            throw DrillError.ReportMalformed("result does not follow from the checks");
        return report;
    }

    /// <summary>
    /// A signature only proves who signed; the identity checks must also follow from the report's own expected and
    /// derived identities, or anyone holding any key could sign a "passed" drill that names someone else's key.
    /// </summary>
    private static void CheckIdentityChecksAgree(DrillExpected expected, PublicKey derivedKey, IReadOnlyList<DrillCheck> checks)
    {
        ExpectedIdentity expectedIdentity;
        try
        {
            expectedIdentity = ExpectedIdentity.ParseValue(expected.Value);
        }
        catch (KeyVaultException)
        {
            throw DrillError.ReportMalformed("expected.value is neither a compressed public key nor an SP/ST address");
        }
        var identityChecks = checks.Where(c => c.Name == DrillCheck.IdentityName).ToList();
        if (identityChecks.Count == 0) throw DrillError.ReportMalformed("checks holds no identity check");
        bool matches = expectedIdentity.Match(derivedKey).Matches;
        // With two backups tested, one may fail while the derived (signing) key matches; a non-matching derived key
        // can never come with identity checks that all pass.
        if (!matches && identityChecks.All(c => c.Result == DrillCheckResult.Pass))
            throw DrillError.ReportMalformed("every identity check passes, but the derived identity is not the expected one");
        if (matches && identityChecks.All(c => c.Result == DrillCheckResult.Fail))
            throw DrillError.ReportMalformed("every identity check fails, but the derived identity is the expected one");
    }

    private static PublicKey ReadPublicKey(string hex, string field) =>
        PublicKey.TryParseLowerHex(hex) ?? throw DrillError.ReportMalformed($"{field} is not a compressed public key in lowercase hex");

    private static JsonElement ReqObject(JsonElement obj, string name, string path)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.Object)
            throw DrillError.ReportMalformed($"{path} is missing or not an object");
        return v;
    }

    private static string ReqString(JsonElement obj, string name, string path)
    {
        if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.String)
            throw DrillError.ReportMalformed($"{path} is missing or not a string");
        return v.GetString()!;
    }

    private static int ReqInt(JsonElement obj, string name, string path)
    {
        if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var i))
            throw DrillError.ReportMalformed($"{path} is missing or not an integer");
        return i;
    }
}
