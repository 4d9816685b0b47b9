using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using KeyVault.Codecs;
using KeyVault.Dkg;
using KeyVault.Drill;
using KeyVault.Errors;
using KeyVault.Keys;
using KeyVault.Signing;

namespace KeyVault.Signers;

/// <summary>
/// A signer's move to a new host in writing (docs/migration.md): when and at which Bitcoin block the old
/// instance stopped, the final database dump the new host is restored from (its SHA-256, format, tables and the
/// aggregate key the signer will sign for), the drill that proved that dump opens with the key, and the new host;
/// signed by the signer key, so only its holders can make one.
/// </summary>
public sealed record HandoverRecord
{
    /// <summary>Value of the "format" member.</summary>
    public const string FormatName = "keyvault-handover";

    /// <summary>Value of the "version" member.</summary>
    public const int FormatVersion = 1;

    /// <summary>The longest new host name, in characters.</summary>
    public const int MaxNewHostLength = 100;

    /// <summary>The longest dump file name, in characters.</summary>
    public const int MaxFileNameLength = 255;

    /// <summary>The highest Bitcoin block height a record accepts.</summary>
    public const long MaxBlockHeight = int.MaxValue;

    private static readonly string[] Formats = ["plain", "custom", "tar"];

    /// <summary>The signer key: it signs the record, and the drill report is its.</summary>
    public required PublicKey SignerKey { get; init; }

    /// <summary>When the old instance stopped (UTC, whole seconds).</summary>
    public required DateTimeOffset StoppedAt { get; init; }

    /// <summary>The Bitcoin block height the old instance had reached when it stopped.</summary>
    public required long StoppedAtBlockHeight { get; init; }

    /// <summary>That block's hash, 64 lowercase hex characters, or null.</summary>
    public string? StoppedAtBlockHash { get; init; }

    /// <summary>The dump the new host is restored from.</summary>
    public required HandoverDump Dump { get; init; }

    /// <summary>The drill of that dump.</summary>
    public required HandoverDrill Drill { get; init; }

    /// <summary>The new host, as the operators name it.</summary>
    public required string NewHost { get; init; }

    /// <summary>When the record was made (UTC, whole seconds).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The version of keyvault that wrote it.</summary>
    public string ToolVersion { get; init; } = SignedDocument.ToolVersion;

    /// <summary>
    /// Checks everything a handover rests on and returns the record to sign: the operator's values, the drill report
    /// (valid, passed, made after the old instance stopped) and the dump (one file, with the DKG shares and a verified
    /// row, no row newer than the stop), and that the report is the drill of that dump: it checked exactly the dump's
    /// rows, and the newest verified one opened. Reads only public data; the key is opened after this.
    /// </summary>
    /// <exception cref="KeyVaultException">Any of those does not hold; the message says which and what to do.</exception>
    public static HandoverRecord Prepare(HandoverRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var r = request;
        if (NewHostProblem(r.NewHost) is { } hostProblem) throw HandoverError.Field("the new host name", hostProblem);
        if (r.StoppedAtBlockHeight is < 0 or > MaxBlockHeight) throw HandoverError.Field("the block height at the stop", $"must be a block height from 0 to {MaxBlockHeight}");
        var hash = r.StoppedAtBlockHash?.Trim().ToLowerInvariant();
        if (hash is not null && !IsSha256Hex(hash)) throw HandoverError.Field("the block hash at the stop", "must be the block's hash, 64 hex characters");
        var now = DateTimeOffset.FromUnixTimeSeconds(r.Now.ToUnixTimeSeconds());
        var stopped = DateTimeOffset.FromUnixTimeSeconds(r.StoppedAt.ToUnixTimeSeconds());
        if (stopped > now) throw HandoverError.StoppedInFuture(stopped);

        var report = ReadPassedDrill(r.DrillReport);
        if (report.CreatedAt < stopped) throw HandoverError.DrillBeforeStop(report.CreatedAt, stopped);
        if (report.CreatedAt > now) throw HandoverError.Field("the drill report", $"is dated {SignedDocument.FormatTime(report.CreatedAt)}, after now: check this computer's clock");

        var (dump, rows) = HandoverDump.Inspect(r.DumpPath);
        foreach (var row in rows)
            if (row.CreatedAt > stopped) throw HandoverError.RowAfterStop(r.DumpPath, row.CreatedAt, stopped);
        RequireDrillOf(report, rows, HandoverDump.NewestVerified(rows)!);

        return new HandoverRecord
        {
            SignerKey = PublicKey.TryParseLowerHex(report.Derived.PublicKey)!,
            StoppedAt = stopped,
            StoppedAtBlockHeight = r.StoppedAtBlockHeight,
            StoppedAtBlockHash = hash,
            Dump = dump,
            Drill = new HandoverDrill(Hex.Encode(SHA256.HashData(r.DrillReport)), report.CreatedAt, DrillReport.OutcomeName(report.Outcome)),
            NewHost = r.NewHost,
            CreatedAt = now,
        };
    }

    /// <summary>Signs the record with the signer key and returns the file's text (indented JSON, UTF-8, final newline).</summary>
    public string Sign(SecretKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!key.PublicKey.Equals(SignerKey)) throw new ArgumentException("the record can only be signed by the signer key it names", nameof(key));
        var signature = StacksMessageSigning.Sign(key, SignedJson.Message(Write(null, indented: false)));
        return Encoding.UTF8.GetString(Write(Hex.Encode(signature), indented: true)) + "\n";
    }

    /// <summary>Reads a record and checks its signature. A bad signature is a result; a malformed file is an error.</summary>
    /// <exception cref="KeyVaultException">DamagedFile: not JSON, not a handover record, or a member malformed or out of its rules.</exception>
    public static HandoverVerification Verify(string json)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException ex)
        {
            throw HandoverError.Malformed($"not JSON (line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1})");
        }
        using (doc)
        {
            try
            {
                var root = doc.RootElement;
                var record = Read(root);
                var sig = Fields.Obj(root, "signature");
                var signer = Fields.Key(Fields.Str(sig, "publicKey", "signature.publicKey"), "signature.publicKey");
                var value = Fields.Str(sig, "value", "signature.value");
                var problem = !signer.Equals(record.SignerKey)
                    ? $"the signature is by key {signer.Fingerprint}, not by the signer key {record.SignerKey.Fingerprint} the record names"
                    : SignedJson.Problem(root, Fields.Str(sig, "scheme", "signature.scheme"), value, signer, "the record");
                return new HandoverVerification(record, problem);
            }
            catch (FormatException ex)
            {
                throw HandoverError.Malformed(ex.Message);
            }
            catch (InvalidOperationException)
            {
                throw HandoverError.Malformed("a string holds a lone UTF-16 surrogate");
            }
        }
    }

    /// <summary>Null when the file at <paramref name="dumpPath"/> is the dump the record names (its size and SHA-256); otherwise why not.</summary>
    public string? DumpProblem(string dumpPath)
    {
        if (Directory.Exists(dumpPath)) return $"{dumpPath} is a folder; the record names one dump file";
        if (!File.Exists(dumpPath)) return $"{dumpPath} does not exist";
        var (size, sha) = HandoverDump.Hash(dumpPath);
        if (sha != Dump.Sha256)
            return $"the dump's SHA-256 is {sha}, the record names {Dump.Sha256} ({Dump.FileName}, {Dump.Size} bytes; this file has {size}): " +
                   "it is another dump, or it changed after the record was made";
        return null;
    }

    /// <summary>
    /// Null when <paramref name="report"/> is the drill report the record references (its SHA-256), it verifies, it is
    /// the signer key's, it passed and it opened the record's aggregate key; otherwise why not.
    /// </summary>
    public string? DrillReportProblem(byte[] report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sha = Hex.Encode(SHA256.HashData(report));
        if (sha != Drill.ReportSha256) return $"the drill report's SHA-256 is {sha}, the record references {Drill.ReportSha256}: it is another report, or it changed";
        DrillReportVerification read;
        try
        {
            read = DrillReport.Verify(Strict.GetString(report));
        }
        catch (Exception ex) when (ex is KeyVaultException or DecoderFallbackException)
        {
            return $"the drill report cannot be read: {ex.Message}";
        }
        if (!read.Valid) return $"the drill report does not verify: {read.Problem}";
        if (read.Report.Derived.PublicKey != SignerKey.Hex66) return $"the drill report is of key {read.Report.Derived.Fingerprint}, not of the signer key {SignerKey.Fingerprint}";
        if (read.Report.Outcome != DrillOutcome.Passed) return $"the drill report's result is {DrillReport.OutcomeName(read.Report.Outcome)}";
        if (!read.Report.Checks.Any(c => c.Name == DrillCheck.DkgSharesName && c.Subject == Dump.NewestVerifiedAggregateKey && c.Result == DrillCheckResult.Pass))
            return $"the drill report has no passed DKG check of the aggregate key {Dump.NewestVerifiedAggregateKey}";
        return null;
    }

    /// <summary>Null when <paramref name="name"/> is a valid new host name: 1 to 100 printable ASCII characters, no space at either end.</summary>
    public static string? NewHostProblem(string? name)
    {
        if (string.IsNullOrEmpty(name)) return "is empty";
        if (name.Length > MaxNewHostLength) return $"is {name.Length} characters long; at most {MaxNewHostLength}";
        if (name.Any(c => c is < ' ' or > '~')) return "may hold printable ASCII characters only (letters, digits, punctuation, spaces)";
        if (name[0] == ' ' || name[^1] == ' ') return "may not start or end with a space";
        return null;
    }

    // ---- the rules shared by writing and reading ----

    private static DrillReport ReadPassedDrill(byte[] bytes)
    {
        string text;
        try
        {
            text = Strict.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw HandoverError.DrillNotValid("the file is not UTF-8 text");
        }
        var read = DrillReport.Verify(text);
        if (!read.Valid) throw HandoverError.DrillNotValid(read.Problem ?? "the signature does not hold");
        if (read.Report.Outcome != DrillOutcome.Passed) throw HandoverError.DrillFailed(DrillReport.OutcomeName(read.Report.Outcome));
        return read.Report;
    }

    /// <summary>
    /// The report names no dump file, so it is bound to the dump by the rows: one DKG check per row of the dump, with
    /// the row's aggregate key, blob length, status and creation time; and the newest verified row's check passed.
    /// </summary>
    private static void RequireDrillOf(DrillReport report, IReadOnlyList<DkgShareRow> rows, DkgShareRow newest)
    {
        var rowChecks = report.Checks.Where(c => c.Name == DrillCheck.DkgSharesName && c.Subject.Length == 66 && Hex.IsHex(c.Subject)).ToList();
        if (rowChecks.Count == 0) throw HandoverError.DrillOfAnotherDump("it checked no DKG shares rows (it was not a drill of a database dump)");
        foreach (var row in rows)
        {
            var check = rowChecks.FirstOrDefault(c => c.Subject == row.AggregateKeyHex);
            if (check is null) throw HandoverError.DrillOfAnotherDump($"it has no check of the dump's row {row.AggregateKeyHex}");
            if (!check.Detail.EndsWith($"({DrillCheck.RowContext(row)})", StringComparison.Ordinal))
                throw HandoverError.DrillOfAnotherDump($"its check of the row {row.AggregateKeyHex} is of another row ({DrillCheck.RowContext(row)} in the dump)");
        }
        if (rowChecks.Count != rows.Count)
            throw HandoverError.DrillOfAnotherDump($"it checked {rowChecks.Count} DKG shares rows, and the dump holds {rows.Count}");
        if (!rowChecks.Any(c => c.Subject == newest.AggregateKeyHex && c.Result == DrillCheckResult.Pass))
            throw HandoverError.DrillOfAnotherDump($"its check of the newest verified row {newest.AggregateKeyHex} did not pass");
    }

    /// <summary>Null when the record keeps every rule of docs/migration.md; otherwise the first one broken.</summary>
    private string? Problem()
    {
        if (NewHostProblem(NewHost) is { } host) return $"newHost {host}";
        if (StoppedAtBlockHeight is < 0 or > MaxBlockHeight) return $"oldInstance.stoppedAtBitcoinBlock.height is not from 0 to {MaxBlockHeight}";
        if (StoppedAtBlockHash is not null && !IsSha256Hex(StoppedAtBlockHash)) return "oldInstance.stoppedAtBitcoinBlock.hash is not 64 lowercase hex characters";
        if (StoppedAt > Drill.CreatedAt) return "drill.createdAt is before oldInstance.stoppedAt: the drill cannot be of the final dump";
        if (Drill.CreatedAt > CreatedAt) return "drill.createdAt is after createdAt";
        if (FileNameProblem(Dump.FileName) is { } file) return $"dump.fileName {file}";
        if (Dump.Size < 1) return "dump.size is not a positive integer";
        if (!IsSha256Hex(Dump.Sha256)) return "dump.sha256 is not 64 lowercase hex characters";
        if (!Formats.Contains(Dump.Format)) return $"dump.format is \"{Dump.Format}\", not plain, custom or tar";
        if (!Dump.DkgShares) return "dump.tables.dkgShares is false: a handover needs the DKG shares";
        if (Dump.DkgShareRows < 1) return "dump.dkgShareRows is not a positive integer";
        var key = Dump.NewestVerifiedAggregateKey;
        if (key.Length != 66 || !IsLowerHex(key) || !(key.StartsWith("02", StringComparison.Ordinal) || key.StartsWith("03", StringComparison.Ordinal)))
            return "dump.newestVerifiedAggregateKey is not 66 lowercase hex characters starting 02 or 03";
        if (!IsSha256Hex(Drill.ReportSha256)) return "drill.reportSha256 is not 64 lowercase hex characters";
        if (Drill.Result != "pass") return $"drill.result is \"{Drill.Result}\", not pass";
        return null;
    }

    private static string? FileNameProblem(string name)
    {
        if (name.Length is 0 or > MaxFileNameLength) return $"is not 1 to {MaxFileNameLength} characters long";
        if (name is "." or "..") return "is not a file name";
        if (name.Any(c => c is '/' or '\\' || char.IsControl(c))) return "holds a slash, a backslash or a control character";
        return null;
    }

    private static bool IsSha256Hex(string s) => s.Length == 64 && IsLowerHex(s);

    private static bool IsLowerHex(string s) => s.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    private static readonly UTF8Encoding Strict = new(false, true);

    private static readonly JsonFields Fields = new(HandoverError.Malformed);

    private static readonly HashSet<string> TopMembers = new(["format", "version", "createdAt", "tool", "signerPublicKey", "oldInstance", "dump", "drill", "newHost", "signature"], StringComparer.Ordinal);

    private byte[] Write(string? signature, bool indented)
    {
        foreach (var t in new[] { CreatedAt, StoppedAt, Drill.CreatedAt })
            if (t.Offset != TimeSpan.Zero || t.Ticks % TimeSpan.TicksPerSecond != 0) throw new InvalidOperationException("times must be UTC, in whole seconds");
        if (Problem() is { } problem) throw new InvalidOperationException(problem);
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
            w.WriteString("signerPublicKey", SignerKey.Hex66);
            w.WriteStartObject("oldInstance");
            w.WriteString("stoppedAt", SignedDocument.FormatTime(StoppedAt));
            w.WriteStartObject("stoppedAtBitcoinBlock");
            w.WriteNumber("height", StoppedAtBlockHeight);
            if (StoppedAtBlockHash is not null) w.WriteString("hash", StoppedAtBlockHash);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartObject("dump");
            w.WriteString("fileName", Dump.FileName);
            w.WriteNumber("size", Dump.Size);
            w.WriteString("sha256", Dump.Sha256);
            w.WriteString("format", Dump.Format);
            w.WriteStartObject("tables");
            w.WriteBoolean("dkgShares", Dump.DkgShares);
            w.WriteBoolean("p2pPeers", Dump.P2pPeers);
            w.WriteEndObject();
            w.WriteNumber("dkgShareRows", Dump.DkgShareRows);
            w.WriteString("newestVerifiedAggregateKey", Dump.NewestVerifiedAggregateKey);
            w.WriteEndObject();
            w.WriteStartObject("drill");
            w.WriteString("reportSha256", Drill.ReportSha256);
            w.WriteString("createdAt", SignedDocument.FormatTime(Drill.CreatedAt));
            w.WriteString("result", Drill.Result);
            w.WriteEndObject();
            w.WriteString("newHost", NewHost);
            if (signature is not null) SignedJson.WriteSignature(w, "signature", SignerKey.Hex66, signature);
            w.WriteEndObject();
        }
        return stream.ToArray();
    }

    private static HandoverRecord Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) throw HandoverError.Malformed("the top level is not a JSON object");
        var format = root.TryGetProperty("format", out var f) ? f.ToString() : "(none)";
        var version = root.TryGetProperty("version", out var v) ? v.GetRawText() : "(none)";
        if (format != FormatName || version != "1")
            throw HandoverError.Malformed($"format \"{format}\" version {version}; this reads {FormatName} version 1");
        Fields.Only(root, TopMembers, "");
        var old = Fields.Obj(root, "oldInstance");
        Fields.Only(old, ["stoppedAt", "stoppedAtBitcoinBlock"], "oldInstance.");
        var block = Fields.Obj(old, "stoppedAtBitcoinBlock", "oldInstance.stoppedAtBitcoinBlock");
        Fields.Only(block, ["height", "hash"], "oldInstance.stoppedAtBitcoinBlock.");
        var dump = Fields.Obj(root, "dump");
        Fields.Only(dump, ["fileName", "size", "sha256", "format", "tables", "dkgShareRows", "newestVerifiedAggregateKey"], "dump.");
        var tables = Fields.Obj(dump, "tables", "dump.tables");
        Fields.Only(tables, ["dkgShares", "p2pPeers"], "dump.tables.");
        var drill = Fields.Obj(root, "drill");
        Fields.Only(drill, ["reportSha256", "createdAt", "result"], "drill.");
        var tool = Fields.Obj(root, "tool");

        var record = new HandoverRecord
        {
            SignerKey = Fields.Key(Fields.Str(root, "signerPublicKey"), "signerPublicKey"),
            StoppedAt = Fields.Time(old, "stoppedAt", "oldInstance.stoppedAt"),
            StoppedAtBlockHeight = Fields.Int(block, "height", "oldInstance.stoppedAtBitcoinBlock.height"),
            StoppedAtBlockHash = block.TryGetProperty("hash", out _) ? Fields.Str(block, "hash", "oldInstance.stoppedAtBitcoinBlock.hash") : null,
            Dump = new HandoverDump
            {
                FileName = Fields.Str(dump, "fileName", "dump.fileName"),
                Size = Fields.Int(dump, "size", "dump.size"),
                Sha256 = Fields.Str(dump, "sha256", "dump.sha256"),
                Format = Fields.Str(dump, "format", "dump.format"),
                DkgShares = Boolean(tables, "dkgShares", "dump.tables.dkgShares"),
                P2pPeers = Boolean(tables, "p2pPeers", "dump.tables.p2pPeers"),
                DkgShareRows = (int)Math.Min(Fields.Int(dump, "dkgShareRows", "dump.dkgShareRows"), int.MaxValue),
                NewestVerifiedAggregateKey = Fields.Str(dump, "newestVerifiedAggregateKey", "dump.newestVerifiedAggregateKey"),
            },
            Drill = new HandoverDrill(Fields.Str(drill, "reportSha256", "drill.reportSha256"), Fields.Time(drill, "createdAt", "drill.createdAt"),
                Fields.Str(drill, "result", "drill.result")),
            NewHost = Fields.Str(root, "newHost"),
            CreatedAt = Fields.Time(root, "createdAt", "createdAt"),
            ToolVersion = Fields.Str(tool, "version", "tool.version"),
        };
        if (Fields.Str(tool, "name", "tool.name").Length == 0) throw HandoverError.Malformed("tool.name is empty");
        if (record.Problem() is { } problem) throw HandoverError.Malformed(problem);
        return record;
    }

    private static bool Boolean(JsonElement e, string name, string path) =>
        e.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? v.GetBoolean() : throw HandoverError.Malformed($"{path} is missing or not true or false");
}
