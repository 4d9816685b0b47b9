using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using KeyVault.Flows;
using KeyVault.IO;
using KeyVault.Keys;
using KeyVault.SelfTest;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Ceremony;

/// <summary>
/// The program that writes test-vectors/ceremony/ and the checks that pin the transcript format to it.
/// Run with KEYVAULT_WRITE_VECTORS=1 to (re)write the files; otherwise the committed files must equal the output.
/// </summary>
public class TranscriptVectorTests
{
    private static string VectorDir => Path.Combine(External.RepoRoot, "test-vectors", "ceremony");

    /// <summary>SHA-256 of a fixed label stands in for a file's checksum: no randomness, nothing secret.</summary>
    private static string Sha(string label) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("keyvault ceremony vector " + label)));

    /// <summary>A 2-of-3 ceremony for test key 1 with a fixed date; one custodian's name needs Markdown escaping.</summary>
    internal static CeremonyTranscript Example() => new()
    {
        CreatedAt = new DateTimeOffset(2025, 6, 1, 14, 30, 5, TimeSpan.Zero),
        ToolVersion = "0.1.0",
        Executable = new ExecutableRecord(Sha("executable"), SelfTestPassed: true),
        Mode = CeremonyMode.Interactive,
        Machine = new OfflineCheck(true, [], false),
        KeySource = CeremonyKeySource.Imported,
        Identity = PublicKey.ParseHex(TestKeys.Key1PublicKey).Identity(),
        Label = "sBTC signer 3 mainnet",
        SheetNetwork = StacksNetwork.Mainnet,
        Identifier = 21219,
        Threshold = 2,
        IterationExponent = 1,
        Custodians =
        [
            new CustodianRecord("Alice Example", 1, SheetCheckMethod.FullShare, [], 1, 1),
            new CustodianRecord("Bob Example", 2, SheetCheckMethod.Words, [3, 11, 20, 31], 2, 1),
            new CustodianRecord("Carol | O'Neil *CFO*", 3, SheetCheckMethod.FullShare, [], 4, 2),
        ],
        KeyFile = new TranscriptKeyFile("signer-key-89b59deb.kvk", 1048576, 3, 4),
        Drill = new TranscriptDrill([1, 3], true, "pass", "drill-report.json"),
        Files =
        [
            new WrittenFile("signer-key-89b59deb.kvk", WrittenFile.KeyFileRole, null, 148, Sha("key file")),
            new WrittenFile("signer-key-89b59deb.pdf", WrittenFile.KeyFileSheetRole, null, 1191558, Sha("key sheet")),
            new WrittenFile("share-1.txt", WrittenFile.ShareFileRole, 1, 532, Sha("share 1 file")),
            new WrittenFile("share-1.pdf", WrittenFile.ShareSheetRole, 1, 1194351, Sha("share 1 sheet")),
            new WrittenFile("share-2.txt", WrittenFile.ShareFileRole, 2, 530, Sha("share 2 file")),
            new WrittenFile("share-2.pdf", WrittenFile.ShareSheetRole, 2, 1194616, Sha("share 2 sheet")),
            new WrittenFile("share-3.txt", WrittenFile.ShareFileRole, 3, 545, Sha("share 3 file")),
            new WrittenFile("share-3.pdf", WrittenFile.ShareSheetRole, 3, 1194468, Sha("share 3 sheet")),
            new WrittenFile("drill-report.json", WrittenFile.DrillReportRole, null, 1872, Sha("drill report")),
        ],
        ShareFilesShredded = true,
    };

    /// <summary>The example as a sealed ceremony: each share sealed to its custodian's key (two age recipients, one SSH key), binary files.</summary>
    internal static CeremonyTranscript SealedExample()
    {
        var example = Example();
        string[] recipients =
        [
            // Public keys made once by age-keygen and ssh-keygen, as a custodians file gives them; their private keys were discarded.
            "age1ggux28pqy2dt5pctrc92jmvpv5pzv0xmvp7zclsxpx0m4yefkd4sgme4pf",
            "age1sqyudx9kxujjr2tdysmrq507gd84s2vsy5wys46hx23u26upzpxssmysde",
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKzfgO9gLreUUc0gbii6Mmahtf62sKMz9Z3Tl09lJEP6",
        ];
        return example with
        {
            Mode = CeremonyMode.AnswersFile,
            Custodians = example.Custodians.Select((c, i) =>
                new CustodianRecord(c.Name, c.ShareNumber, SheetCheckMethod.Sealed, [], 1, 1) { SealedTo = recipients[i] }).ToList(),
            Files = example.Files.Select(f => f.Role == WrittenFile.ShareFileRole
                ? f with { Name = Path.ChangeExtension(f.Name, ".age"), Bytes = f.Bytes + 230, Sha256 = Sha($"sealed share {f.ShareNumber} file") }
                : f).ToList(),
            ShareFilesShredded = false,
        };
    }

    /// <summary>The transcript vectors (one case a file, test-vectors/README.md "One layout"), name → content.</summary>
    internal static Dictionary<string, byte[]> Transcripts()
    {
        var example = Example();
        var sealedExample = SealedExample();
        return new Dictionary<string, byte[]>
        {
            ["transcript"] = VectorFile.Format(
                [("expect", "written"), ("form", "json"), ("comment", "the JSON transcript of the example ceremony (test-vectors/README.md, ceremony/)")],
                example.ToJson()),
            ["transcript-markdown"] = VectorFile.Format(
                [("expect", "written"), ("form", "markdown"), ("of", "transcript"), ("comment", "the Markdown transcript of the same ceremony")],
                example.ToMarkdown()),
            ["transcript-sealed"] = VectorFile.Format(
                [("expect", "written"), ("form", "json"), ("comment", "the same ceremony with --seal-to: two age recipients and one ssh-ed25519 key")],
                sealedExample.ToJson()),
            ["transcript-sealed-markdown"] = VectorFile.Format(
                [("expect", "written"), ("form", "markdown"), ("of", "transcript-sealed"), ("comment", "the Markdown transcript of the sealed ceremony")],
                sealedExample.ToMarkdown()),
        };
    }

    [Fact]
    public void TheCommittedTranscriptVectorsAreWhatTheWriterProduces()
    {
        foreach (var (name, content) in Transcripts())
        {
            var path = Path.Combine(VectorDir, name);
            if (Environment.GetEnvironmentVariable("KEYVAULT_WRITE_VECTORS") == "1")
            {
                Directory.CreateDirectory(VectorDir);
                File.WriteAllBytes(path, content);
            }
            Assert.True(File.Exists(path), $"{path} is missing; run the tests with KEYVAULT_WRITE_VECTORS=1");
            Assert.Equal(System.Text.Encoding.UTF8.GetString(content), File.ReadAllText(path));
        }
        Assert.Equal(Transcripts().Keys.Append("answers-2-of-3").Order(StringComparer.Ordinal),
            Directory.GetFiles(VectorDir).Select(Path.GetFileName).Order(StringComparer.Ordinal)!);
    }

    [Fact]
    public void TheJsonHoldsEveryDocumentedMember()
    {
        var root = JsonDocument.Parse(Example().ToJson()).RootElement;
        Assert.Equal(["format", "version", "createdAt", "tool", "mode", "machine", "key", "backup", "custodians", "keyFile", "drill", "files", "shareFilesShredded"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("2025-06-01T14:30:05Z", root.GetProperty("createdAt").GetString());
        Assert.Equal(TestKeys.Key1PeerId, root.GetProperty("key").GetProperty("identity").GetProperty("peerId").GetString());
        Assert.Equal("Carol | O'Neil *CFO*", root.GetProperty("custodians")[2].GetProperty("name").GetString());
        Assert.Equal([3, 11, 20, 31], root.GetProperty("custodians")[1].GetProperty("sheetCheck").GetProperty("wordPositions")
            .EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(JsonValueKind.Null, root.GetProperty("files")[0].GetProperty("share").ValueKind);
        Assert.Equal(2, root.GetProperty("files")[4].GetProperty("share").GetInt32());
    }

    [Fact]
    public void A_sealed_ceremony_records_each_recipient_and_the_sealed_check()
    {
        var root = JsonDocument.Parse(SealedExample().ToJson()).RootElement;
        var carol = root.GetProperty("custodians")[2];
        Assert.Equal(["name", "share", "sealedTo", "sheetCheck"], carol.EnumerateObject().Select(p => p.Name));
        Assert.StartsWith("ssh-ed25519 AAAA", carol.GetProperty("sealedTo").GetString());
        Assert.Equal("sealed", carol.GetProperty("sheetCheck").GetProperty("method").GetString());
        // A plain ceremony's custodians carry no sealedTo member at all.
        Assert.False(JsonDocument.Parse(Example().ToJson()).RootElement.GetProperty("custodians")[0].TryGetProperty("sealedTo", out _));
        Assert.Contains(@"| 3 of 3 | Carol \| O'Neil \*CFO\* | sealed to ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKzfgO9gLreUUc0gbii6Mmahtf62sKMz9Z3Tl09lJEP6: the sealed file read back and proven intact | 1 | 1 | |",
            SealedExample().ToMarkdown());
    }

    [Fact]
    public void MarkdownEscapesNamesSoTheyCannotBreakTheTable()
    {
        var md = Example().ToMarkdown();
        Assert.Contains(@"| 3 of 3 | Carol \| O'Neil \*CFO\* | whole share typed or scanned back | 4 | 2 | |", md);
        Assert.Contains("| 2 of 3 | Bob Example | words 3, 11, 20, 31 typed back | 2 | 1 | |", md);
        var rehearsal = Example() with
        {
            Mode = CeremonyMode.AnswersFile,
            Machine = new OfflineCheck(false, ["eth0"], true),
            ShareFilesShredded = false,
        };
        var text = rehearsal.ToMarkdown();
        Assert.Contains("REHEARSAL from an answers file", text);
        Assert.Contains("ONLINE (eth0)", text);
        Assert.Contains("were LEFT in the output folder", text);
    }

    [Fact]
    public void TheExampleAnswersFileIsAccepted()
    {
        // Written by hand: the header lines say what a reader must make of the file below them.
        var v = VectorFile.Read(Path.Combine(VectorDir, "answers-2-of-3"));
        Assert.Equal("accepted", v.Expect);
        var answers = CeremonyAnswers.Parse(v.BodyText, "answers-2-of-3");
        Assert.Equal(v["layout"], answers.Layout.ToString());
        Assert.Equal(v["custodians"].Split(", "), answers.Custodians);
        Assert.Equal(v["shred share files"] == "true", answers.ShredShareFiles);
    }
}
