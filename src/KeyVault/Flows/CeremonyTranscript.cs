using System.Globalization;
using System.Text.Json;
using System.Text;
using KeyVault.IO;
using KeyVault.Keys;
using KeyVault.SelfTest;
using KeyVault.Signing;

namespace KeyVault.Flows;

/// <summary>
/// The record of a key ceremony: when, with which tool, on what kind of machine, which key (public identity only),
/// the split, who holds which share and how each sheet was checked, the drill, and the SHA-256 of every file written.
/// It holds no secret. Written as JSON for programs and as Markdown to print and sign; docs/ceremony.md specifies both.
/// </summary>
public sealed record CeremonyTranscript
{
    /// <summary>Value of the JSON "format" member.</summary>
    public const string FormatName = "keyvault-ceremony-transcript";
    /// <summary>Value of the JSON "version" member.</summary>
    public const int FormatVersion = 1;

    /// <summary>When the ceremony finished (UTC; whole seconds are recorded).</summary>
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>The version of keyvault that ran it.</summary>
    public required string ToolVersion { get; init; }
    /// <summary>The executable that ran it: its SHA-256 and the result of the self-test run at the start, when recorded.</summary>
    public ExecutableRecord? Executable { get; init; }
    /// <summary>Interactive or rehearsed from an answers file.</summary>
    public required CeremonyMode Mode { get; init; }
    /// <summary>The offline check's result.</summary>
    public required OfflineCheck Machine { get; init; }
    /// <summary>Where the key came from.</summary>
    public required CeremonyKeySource KeySource { get; init; }
    /// <summary>The key's public identity.</summary>
    public required SignerIdentity Identity { get; init; }
    /// <summary>The label stored in the key file, if any.</summary>
    public string? Label { get; init; }
    /// <summary>Which Stacks address the sheets print.</summary>
    public required StacksNetwork SheetNetwork { get; init; }
    /// <summary>The SLIP-0039 backup identifier printed on every sheet.</summary>
    public required int Identifier { get; init; }
    /// <summary>Shares needed to rebuild the key.</summary>
    public required int Threshold { get; init; }
    /// <summary>The SLIP-0039 iteration exponent of the shares.</summary>
    public required int IterationExponent { get; init; }
    /// <summary>Every custodian, in share order; their count is the number of shares.</summary>
    public required IReadOnlyList<CustodianRecord> Custodians { get; init; }
    /// <summary>The encrypted key file.</summary>
    public required TranscriptKeyFile KeyFile { get; init; }
    /// <summary>The closing drill.</summary>
    public required TranscriptDrill Drill { get; init; }
    /// <summary>Every file written, in the order written.</summary>
    public required IReadOnlyList<WrittenFile> Files { get; init; }
    /// <summary>True when the share files and sheets were overwritten and deleted at the end, leaving paper as the only copy.</summary>
    public required bool ShareFilesShredded { get; init; }

    /// <summary>The JSON name of a key source.</summary>
    public static string Name(CeremonyKeySource source) => source switch
    {
        CeremonyKeySource.Generated => "generated",
        CeremonyKeySource.GeneratedWithDice => "generated-with-dice",
        _ => "imported",
    };

    /// <summary>The JSON name of a sheet-check method.</summary>
    public static string Name(SheetCheckMethod method) => method switch
    {
        SheetCheckMethod.FullShare => "full-share",
        SheetCheckMethod.Words => "words",
        SheetCheckMethod.Sealed => "sealed",
        _ => "automated",
    };

    /// <summary>The JSON name of a mode.</summary>
    public static string Name(CeremonyMode mode) => mode == CeremonyMode.Interactive ? "interactive" : "answers-file";

    /// <summary>The transcript as indented JSON (two spaces), members in the documented order, with a final newline.</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions
               {
                   Indented = true,
                   // Names and labels are written as themselves, not as \u escapes, so the file reads as it prints.
                   Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
               }))
        {
            w.WriteStartObject();
            w.WriteString("format", FormatName);
            w.WriteNumber("version", FormatVersion);
            w.WriteString("createdAt", Timestamp);
            w.WriteStartObject("tool");
            w.WriteString("name", "keyvault");
            w.WriteString("version", ToolVersion);
            if (Executable is not null)
            {
                w.WriteString("executableSha256", Executable.Sha256);
                w.WriteString("selfTest", Executable.SelfTestName);
            }
            w.WriteEndObject();
            w.WriteString("mode", Name(Mode));

            w.WriteStartObject("machine");
            w.WriteBoolean("offline", Machine.Offline);
            w.WriteStartArray("connectedInterfaces");
            foreach (var name in Machine.ConnectedInterfaces) w.WriteStringValue(name);
            w.WriteEndArray();
            w.WriteBoolean("onlineOverride", Machine.Overridden);
            w.WriteEndObject();

            w.WriteStartObject("key");
            w.WriteString("source", Name(KeySource));
            if (Label is null) w.WriteNull("label"); else w.WriteString("label", Label);
            w.WriteStartObject("identity");
            w.WriteString("publicKey", Identity.PublicKey);
            w.WriteString("fingerprint", Identity.Fingerprint);
            w.WriteStartObject("stacksAddress");
            w.WriteString("mainnet", Identity.MainnetAddress);
            w.WriteString("testnet", Identity.TestnetAddress);
            w.WriteEndObject();
            w.WriteString("peerId", Identity.PeerId);
            w.WriteEndObject();
            w.WriteString("sheetNetwork", NetworkName);
            w.WriteEndObject();

            w.WriteStartObject("backup");
            w.WriteString("scheme", "slip39");
            w.WriteNumber("identifier", Identifier);
            w.WriteNumber("threshold", Threshold);
            w.WriteNumber("shares", Custodians.Count);
            w.WriteNumber("iterationExponent", IterationExponent);
            w.WriteBoolean("passphrase", false);
            w.WriteEndObject();

            w.WriteStartArray("custodians");
            foreach (var c in Custodians)
            {
                w.WriteStartObject();
                w.WriteString("name", c.Name);
                w.WriteNumber("share", c.ShareNumber);
                if (c.SealedTo is not null) w.WriteString("sealedTo", c.SealedTo);
                w.WriteStartObject("sheetCheck");
                w.WriteString("method", Name(c.Method));
                w.WriteStartArray("wordPositions");
                foreach (var p in c.WordPositions) w.WriteNumberValue(p);
                w.WriteEndArray();
                w.WriteNumber("attempts", c.Attempts);
                w.WriteNumber("prints", c.Prints);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();

            w.WriteStartObject("keyFile");
            w.WriteString("file", KeyFile.Name);
            w.WriteStartObject("kdf");
            w.WriteString("algorithm", "argon2id");
            w.WriteNumber("memoryKiB", KeyFile.MemoryKiB);
            w.WriteNumber("iterations", KeyFile.Iterations);
            w.WriteNumber("parallelism", KeyFile.Parallelism);
            w.WriteEndObject();
            w.WriteEndObject();

            w.WriteStartObject("drill");
            w.WriteStartArray("sharesUsed");
            foreach (var s in Drill.SharesUsed) w.WriteNumberValue(s);
            w.WriteEndArray();
            w.WriteBoolean("keyFileOpened", Drill.KeyFileOpened);
            w.WriteString("result", Drill.Result);
            w.WriteString("report", Drill.ReportFile);
            w.WriteEndObject();

            w.WriteStartArray("files");
            foreach (var f in Files)
            {
                w.WriteStartObject();
                w.WriteString("name", f.Name);
                w.WriteString("role", f.Role);
                if (f.ShareNumber is { } n) w.WriteNumber("share", n); else w.WriteNull("share");
                w.WriteNumber("bytes", f.Bytes);
                w.WriteString("sha256", f.Sha256);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteBoolean("shareFilesShredded", ShareFilesShredded);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>The transcript as a Markdown document to print, read aloud and sign.</summary>
    public string ToMarkdown()
    {
        var id = Identity;
        var md = new StringBuilder();
        void Line(string text = "") => md.Append(text).Append('\n');

        Line("# Key ceremony transcript");
        Line();
        Line("This record holds no secret: no key, no passphrase, no share. Keep it with the signer's records;");
        Line("a restore drill compares what the sheets rebuild with the identity below.");
        Line();
        Line("| | |");
        Line("|---|---|");
        Line($"| date (UTC) | {Timestamp} |");
        Line($"| tool | keyvault {Escape(ToolVersion)} |");
        if (Executable is not null)
        {
            Line($"| executable SHA-256 | `{Executable.Sha256}` |");
            Line($"| self-test | {(Executable.SelfTestPassed ? "passed: every known-answer check" : "FAILED")} |");
        }
        Line($"| run | {(Mode == CeremonyMode.Interactive ? "interactive: an operator answered every question" : "REHEARSAL from an answers file: the sheets were checked by reading the share files back, not by a person")} |");
        Line($"| machine | {MachineText()} |");
        Line();

        Line("## Key");
        Line();
        Line("| | |");
        Line("|---|---|");
        if (Label is not null) Line($"| label | {Escape(Label)} |");
        Line($"| source | {KeySourceText()} |");
        Line($"| public key | `{id.PublicKey}` |");
        Line($"| fingerprint | `{id.Fingerprint}` |");
        Line($"| Stacks address, mainnet | `{id.MainnetAddress}` |");
        Line($"| Stacks address, testnet | `{id.TestnetAddress}` |");
        Line($"| peer id | `{id.PeerId}` |");
        Line($"| address printed on the sheets | {NetworkName} |");
        Line();

        Line("## Backup");
        Line();
        Line($"SLIP-0039, backup ID {Identifier}: any {Threshold} of the {Custodians.Count} shares rebuild the key. " +
             $"No SLIP-0039 passphrase; iteration exponent {IterationExponent}.");
        Line();

        Line("## Custodians");
        Line();
        Line("| share | custodian | sheet checked by | attempts | printed | signature |");
        Line("|---:|---|---|---:|---:|---|");
        foreach (var c in Custodians)
            Line($"| {c.ShareNumber} of {Custodians.Count} | {Escape(c.Name)} | {CheckText(c)} | {c.Attempts} | {c.Prints} | |");
        Line();

        Line("## Encrypted key file");
        Line();
        Line($"`{KeyFile.Name}`: Argon2id (memory {KeyFile.MemoryKiB.ToString(CultureInfo.InvariantCulture)} KiB, " +
             $"iterations {KeyFile.Iterations.ToString(CultureInfo.InvariantCulture)}, parallelism {KeyFile.Parallelism.ToString(CultureInfo.InvariantCulture)}) " +
             "and AES-256-GCM, under a passphrase that is not recorded here.");
        Line();

        Line("## Drill");
        Line();
        Line($"- shares used: {string.Join(", ", Drill.SharesUsed.Select(s => s.ToString(CultureInfo.InvariantCulture)))} (a random subset of {Threshold})");
        Line($"- key file read back and opened with the passphrase: {(Drill.KeyFileOpened ? "yes, same key" : "NO")}");
        Line($"- result: **{Escape(Drill.Result)}**; report `{Drill.ReportFile}`, signed by the key");
        Line();

        Line("## Files");
        Line();
        Line("| file | role | bytes | SHA-256 |");
        Line("|---|---|---:|---|");
        foreach (var f in Files)
            Line($"| `{f.Name}` | {f.Role} | {f.Bytes.ToString(CultureInfo.InvariantCulture)} | `{f.Sha256}` |");
        Line();
        Line(ShareFilesShredded
            ? "The share files and share sheets were overwritten and deleted at the end of the ceremony: the printed sheets are the only copies of the shares."
            : "The share files and share sheets were LEFT in the output folder: together they are the key. Destroy them once every sheet is printed.");
        Line();

        Line("## Sign-off");
        Line();
        Line("Each custodian confirms with their signature in the table above that they received the sheet of the share");
        Line("number beside their name and that it showed the fingerprint above. The operator and witnesses sign here:");
        Line();
        Line("| role | name | signature |");
        Line("|---|---|---|");
        Line("| operator | | |");
        Line("| witness | | |");
        return md.ToString();
    }

    private string Timestamp => SignedDocument.FormatTime(CreatedAt);

    private string NetworkName => SheetNetwork == StacksNetwork.Mainnet ? "mainnet" : "testnet";

    private string MachineText()
    {
        if (Machine.Offline) return "offline: no network interface other than loopback was connected";
        var names = string.Join(", ", Machine.ConnectedInterfaces.Select(Escape));
        return Machine.Overridden
            ? $"ONLINE ({names}); the operator overrode the check with --i-know-this-machine-is-online: a rehearsal, not a ceremony for a live key"
            : $"ONLINE ({names})";
    }

    private string KeySourceText() => KeySource switch
    {
        CeremonyKeySource.Generated => "generated on this machine (system random generator)",
        CeremonyKeySource.GeneratedWithDice => "generated on this machine (system random generator mixed with dice rolls)",
        _ => "imported (an existing signer key)",
    };

    private static string CheckText(CustodianRecord c) => c.Method switch
    {
        SheetCheckMethod.FullShare => "whole share typed or scanned back",
        SheetCheckMethod.Words => $"words {string.Join(", ", c.WordPositions.Select(p => p.ToString(CultureInfo.InvariantCulture)))} typed back",
        SheetCheckMethod.Sealed => $"sealed to {Escape(c.SealedTo ?? "")}: the sealed file read back and proven intact",
        _ => "automated read-back of the share file (no person)",
    };

    /// <summary>Escapes text so a name or label cannot change the Markdown structure (tables, emphasis, links, HTML).</summary>
    private static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '\\' or '|' or '*' or '_' or '`' or '[' or ']' or '<' or '>' or '#' or '~' or '!' or '&') sb.Append('\\');
            sb.Append(c);
        }
        return sb.ToString();
    }
}
