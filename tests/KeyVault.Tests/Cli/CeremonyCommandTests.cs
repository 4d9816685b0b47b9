using System.Net;
using System.Net.NetworkInformation;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using KeyVault.Cli;
using KeyVault.Ceremony;
using KeyVault.Drill;
using KeyVault.IO;
using KeyVault.KeyFile;
using KeyVault.Keys;
using KeyVault.Shares;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Cli;

/// <summary>
/// The ceremony end to end: rehearsed from an answers file and driven through the interactive prompts, then
/// restored from the sheets it printed. Every run uses deliberately weak KDF options and the published dev keys.
/// </summary>
public partial class CeremonyCommandTests : IDisposable
{
    // Weak on purpose: the ceremony's logic is under test, not Argon2's cost.
    private static readonly string[] WeakKdf = ["--kdf-memory", "8KiB", "--kdf-iterations", "1", "--kdf-parallelism", "1"];
    private const string PassphraseText = "ceremony test passphrase velvet orbit canyon";
    private const string Answers2Of3 = "threshold = 2\ncustodians = [\"Alice Example\", \"Bob Example\", \"Carol Example\"]\nsheet-check = \"automated\"\n";

    private readonly TempDir _dir = new();
    private readonly string _out;

    public CeremonyCommandTests()
    {
        _out = Path.Combine(_dir.Path, "out");
        Directory.CreateDirectory(_out);
    }

    public void Dispose() => _dir.Dispose();

    private string WriteFile(string name, string text)
    {
        var path = _dir.File(name);
        File.WriteAllText(path, text);
        return path;
    }

    private string PassFile => WriteFile("pass.txt", PassphraseText + "\n");

    private string[] OutEntries() => Directory.GetFileSystemEntries(_out).Select(Path.GetFileName).Order().ToArray()!;

    private (int Code, TestConsole Console) Rehearse(string answers, params string[] extra)
    {
        var console = new TestConsole { Interactive = false };
        int code = console.Run(["ceremony", "--out-dir", _out, "--answers", WriteFile("answers.toml", answers),
            "--passphrase-file", PassFile, .. WeakKdf, .. extra]);
        return (code, console);
    }

    private static JsonElement ReadJson(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement;

    private string ShareText(int number)
    {
        var bytes = File.ReadAllBytes(Path.Combine(_out, $"share-{number}.txt"));
        using var file = ShareFile.Parse(bytes, "share");
        return new string(file.Mnemonic);
    }

    private static SecretKey Restore(IEnumerable<string> mnemonics)
    {
        using var secret = Slip39.Combine(mnemonics);
        return secret.ToSecretKey();
    }

    private static string KeyHex(SecretKey key)
    {
        var bytes = new byte[SecretKey.Length];
        key.Export(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>Neither the key nor any three consecutive words of any share appear in the text, in any case.</summary>
    private static void AssertNoSecret(string text, string keyHex, IEnumerable<string> mnemonics)
    {
        Assert.DoesNotContain(keyHex, text, StringComparison.OrdinalIgnoreCase);
        foreach (var mnemonic in mnemonics)
        {
            var words = mnemonic.Split(' ');
            for (int i = 0; i + 3 <= words.Length; i++)
                Assert.DoesNotContain(string.Join(' ', words[i..(i + 3)]), text, StringComparison.OrdinalIgnoreCase);
        }
    }

    private string ScanSheet(string pdf) => SheetTools.Scan(pdf, _dir.Path);

    [Fact]
    public void RehearsalWritesEverythingAndTheScannedSheetsRestoreTheTranscriptsIdentity()
    {
        var (code, console) = Rehearse(Answers2Of3, "--label", "rehearsal signer", "--network", "testnet");
        Assert.True(code == ExitCode.Success, console.StderrText);

        var transcript = ReadJson(Path.Combine(_out, "transcript.json"));
        var identity = transcript.GetProperty("key").GetProperty("identity");
        var publicKey = identity.GetProperty("publicKey").GetString()!;
        var fingerprint = identity.GetProperty("fingerprint").GetString()!;
        Assert.Equal([
            "drill-report.json", "manifest.json", "share-1.pdf", "share-1.txt", "share-2.pdf", "share-2.txt", "share-3.pdf", "share-3.txt",
            $"signer-key-{fingerprint}.kvk", $"signer-key-{fingerprint}.pdf", "transcript.json", "transcript.md"], OutEntries());
        foreach (var file in Directory.GetFiles(_out)) FileModes.AssertOwnerOnly(file);
        Assert.Contains($"public key     {publicKey}", console.StdoutText);

        // THE PROOF: each printed sheet, rasterised and decoded by an independent QR reader, and any two of them
        // rebuild the key the transcript names.
        var scanned = Enumerable.Range(1, 3).Select(n => ScanSheet(Path.Combine(_out, $"share-{n}.pdf"))).ToArray();
        string? keyHex = null;
        foreach (var (a, b) in new[] { (0, 1), (0, 2), (1, 2) })
        {
            using var key = Restore([scanned[a], scanned[b]]);
            Assert.Equal(publicKey, key.PublicKey.Hex66);
            keyHex = KeyHex(key);
        }

        // The key file opens with the passphrase and holds the same key.
        var keyFile = File.ReadAllBytes(Path.Combine(_out, $"signer-key-{fingerprint}.kvk"));
        using (var passphrase = Passphrase.FromChars(PassphraseText))
        using (var opened = EncryptedKeyFile.Parse(keyFile).Decrypt(passphrase))
            Assert.Equal(publicKey, opened.PublicKey.Hex66);
        Assert.Equal("rehearsal signer", EncryptedKeyFile.Parse(keyFile).Label);

        // The transcript says what happened, and nothing secret.
        Assert.Equal("keyvault-ceremony-transcript", transcript.GetProperty("format").GetString());
        Assert.Equal("answers-file", transcript.GetProperty("mode").GetString());
        Assert.True(transcript.GetProperty("machine").GetProperty("offline").GetBoolean());
        Assert.Equal("generated", transcript.GetProperty("key").GetProperty("source").GetString());
        Assert.Equal("testnet", transcript.GetProperty("key").GetProperty("sheetNetwork").GetString());
        var backup = transcript.GetProperty("backup");
        Assert.Equal(2, backup.GetProperty("threshold").GetInt32());
        Assert.Equal(3, backup.GetProperty("shares").GetInt32());
        Assert.Equal(Slip39.Decode(scanned[0]).Identifier, backup.GetProperty("identifier").GetInt32());
        var custodians = transcript.GetProperty("custodians").EnumerateArray().ToList();
        Assert.Equal(["Alice Example", "Bob Example", "Carol Example"], custodians.Select(c => c.GetProperty("name").GetString()));
        Assert.Equal([1, 2, 3], custodians.Select(c => c.GetProperty("share").GetInt32()));
        Assert.All(custodians, c => Assert.Equal("automated", c.GetProperty("sheetCheck").GetProperty("method").GetString()));
        for (int n = 1; n <= 3; n++) Assert.Equal(n, Slip39.Decode(scanned[n - 1]).MemberNumber);
        Assert.Equal("Alice Example", ShareFileCustodian(1));

        // Every output file is listed with its true SHA-256.
        var files = transcript.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(10, files.Count);
        Assert.Contains(files, f => f.GetProperty("name").GetString() == "manifest.json" && f.GetProperty("role").GetString() == "manifest");
        var manifest = KeyVault.Manifest.BackupManifest.ReadAuthentic(File.ReadAllText(Path.Combine(_out, "manifest.json")));
        Assert.Equal(["Alice Example", "Bob Example", "Carol Example"], manifest.Shares.Select(s => s.Custodian));
        foreach (var f in files)
        {
            var bytes = File.ReadAllBytes(Path.Combine(_out, f.GetProperty("name").GetString()!));
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), f.GetProperty("sha256").GetString());
            Assert.Equal(bytes.LongLength, f.GetProperty("bytes").GetInt64());
        }
        Assert.False(transcript.GetProperty("shareFilesShredded").GetBoolean());

        // The drill report is signed by the key and names the same identity.
        var drill = transcript.GetProperty("drill");
        Assert.Equal("pass", drill.GetProperty("result").GetString());
        Assert.Equal(2, drill.GetProperty("sharesUsed").GetArrayLength());
        var verification = DrillReport.Verify(File.ReadAllText(Path.Combine(_out, "drill-report.json")));
        Assert.True(verification.Valid, verification.Problem);
        Assert.Equal(publicKey, verification.Report.Derived.PublicKey);
        Assert.Equal(DrillOutcome.Passed, verification.Report.Outcome);

        var markdown = File.ReadAllText(Path.Combine(_out, "transcript.md"));
        Assert.Contains(publicKey, markdown);
        Assert.Contains("| 2 of 3 | Bob Example |", markdown);
        Assert.Contains("REHEARSAL", markdown);
        var mnemonics = Enumerable.Range(1, 3).Select(ShareText).ToList();
        foreach (var text in new[] { markdown, File.ReadAllText(Path.Combine(_out, "transcript.json")), console.StderrText, console.StdoutText,
                     File.ReadAllText(Path.Combine(_out, "drill-report.json")) })
            AssertNoSecret(text, keyHex!, mnemonics);
    }

    private string ShareFileCustodian(int number)
    {
        var bytes = File.ReadAllBytes(Path.Combine(_out, $"share-{number}.txt"));
        using var file = ShareFile.Parse(bytes, "share");
        return file.Custodian!;
    }

    [Fact]
    public void AnImportedKeyIsTheKeyTheSharesRestore()
    {
        var keyFile = WriteFile("signer-config.toml", $"[signer]\nprivate_key = \"{TestKeys.Key1}01\"\n");
        var (code, console) = Rehearse("threshold = 3\ncustodians = [\"A\", \"B\", \"C\", \"D\", \"E\"]\nsheet-check = \"automated\"\n",
            "--import", keyFile);
        Assert.True(code == ExitCode.Success, console.StderrText);

        var transcript = ReadJson(Path.Combine(_out, "transcript.json"));
        Assert.Equal("imported", transcript.GetProperty("key").GetProperty("source").GetString());
        Assert.Equal(TestKeys.Key1PublicKey, transcript.GetProperty("key").GetProperty("identity").GetProperty("publicKey").GetString());
        Assert.Equal(TestKeys.Key1Mainnet, transcript.GetProperty("key").GetProperty("identity").GetProperty("stacksAddress").GetProperty("mainnet").GetString());
        using (var key = Restore([ShareText(5), ShareText(2), ShareText(4)]))
            Assert.Equal(TestKeys.Key1, KeyHex(key));
        var shares = Enumerable.Range(1, 5).Select(ShareText).ToList();
        AssertNoSecret(File.ReadAllText(Path.Combine(_out, "transcript.md")), TestKeys.Key1, shares);
        AssertNoSecret(File.ReadAllText(Path.Combine(_out, "transcript.json")), TestKeys.Key1, shares);
        Assert.Throws<KeyVault.Errors.KeyVaultException>(() => Restore([ShareText(1), ShareText(3)]).Dispose());
    }

    [Fact]
    public void ShreddingAtTheEndLeavesOnlyTheKeyFileReportAndTranscript()
    {
        var (code, console) = Rehearse(Answers2Of3 + "shred-share-files = true\n");
        Assert.True(code == ExitCode.Success, console.StderrText);
        var transcript = ReadJson(Path.Combine(_out, "transcript.json"));
        var fingerprint = transcript.GetProperty("key").GetProperty("identity").GetProperty("fingerprint").GetString();
        Assert.Equal(["drill-report.json", "manifest.json", $"signer-key-{fingerprint}.kvk", $"signer-key-{fingerprint}.pdf", "transcript.json", "transcript.md"], OutEntries());
        Assert.True(transcript.GetProperty("shareFilesShredded").GetBoolean());
        // The transcript still records the checksums of the share files that were printed and then shredded.
        Assert.Equal(6, transcript.GetProperty("files").EnumerateArray().Count(f => f.GetProperty("name").GetString()!.StartsWith("share-")));
        Assert.Contains("the printed sheets are the only copies", File.ReadAllText(Path.Combine(_out, "transcript.md")));
    }

    // ---- the interactive path ----

    [GeneratedRegex(@"^Share (\d+) \(")]
    private static partial Regex SharePrompt();

    [GeneratedRegex(@", word (\d+): $")]
    private static partial Regex WordPrompt();

    private TestConsole Interactive(params string?[] lines)
    {
        var console = new TestConsole();
        foreach (var line in lines) console.Lines.Enqueue(line);
        return console;
    }

    private static string Mistype(string mnemonic)
    {
        var words = mnemonic.Split(' ');
        words[9] = words[9] == "academic" ? "acid" : "academic";
        return string.Join(' ', words);
    }

    [Fact]
    public void InteractiveCeremonyReasksBadAnswersAndAMistypedShare()
    {
        // 0 and 17 custodians, thresholds 1 and 4 of 3, an empty and a repeated name are refused: each is asked again.
        var console = Interactive("yes", "yes", "0", "17", "3", "1", "4", "2", "Alice", "", "alice", "Bob", "Carol", "yes", "no");
        console.Secrets.Enqueue(PassphraseText);
        console.Secrets.Enqueue(PassphraseText);
        int share2Attempts = 0;
        console.SecretResponder = prompt =>
        {
            int n = int.Parse(SharePrompt().Match(prompt).Groups[1].Value);
            if (n == 2 && ++share2Attempts == 1) return Mistype(ShareText(2));
            return ShareText(n).ToUpperInvariant(); // a QR scanner types upper case
        };
        int code = console.Run(["ceremony", "--out-dir", _out, .. WeakKdf]);
        Assert.True(code == ExitCode.Success, console.StderrText);

        var err = console.StderrText;
        Assert.Contains("0 shares is not possible", err);
        Assert.Contains("17 shares is not possible", err);
        Assert.Contains("a threshold of 1 with 3 shares", err);
        Assert.Contains("a threshold of 4 is not possible with 3 shares; it must be 2 to 3", err);
        Assert.Contains("the name of the custodian of share 2 is empty", err);
        Assert.Contains("the custodian of share 2 has the same name as the custodian of share 1", err);
        Assert.Contains("share 2: the share has an invalid checksum", err);
        Assert.Equal(2, console.Prompts.Count(p => p.StartsWith("Share 2 (Bob)")));
        for (int step = 1; step <= 7; step++) Assert.Contains($"== Step {step} of 7:", err);

        var transcript = ReadJson(Path.Combine(_out, "transcript.json"));
        Assert.Equal("interactive", transcript.GetProperty("mode").GetString());
        var custodians = transcript.GetProperty("custodians").EnumerateArray().ToList();
        Assert.Equal(["Alice", "Bob", "Carol"], custodians.Select(c => c.GetProperty("name").GetString()));
        Assert.Equal([1, 2, 1], custodians.Select(c => c.GetProperty("sheetCheck").GetProperty("attempts").GetInt32()));
        Assert.All(custodians, c => Assert.Equal("full-share", c.GetProperty("sheetCheck").GetProperty("method").GetString()));
        Assert.False(transcript.GetProperty("shareFilesShredded").GetBoolean());

        var fingerprint = transcript.GetProperty("key").GetProperty("identity").GetProperty("fingerprint").GetString();
        using var passphrase = Passphrase.FromChars(PassphraseText);
        using var fromFile = EncryptedKeyFile.Parse(File.ReadAllBytes(Path.Combine(_out, $"signer-key-{fingerprint}.kvk"))).Decrypt(passphrase);
        using var fromShares = Restore([ShareText(1), ShareText(3)]);
        Assert.Equal(fromFile.PublicKey, fromShares.PublicKey);
    }

    [Fact]
    public void InteractiveCheckAcceptsTheSheetsQrCodeAsAScannerTypesIt()
    {
        SheetTools.RequireTools();
        var console = Interactive("yes", "yes", "2", "2", "Alice", "Bob", "yes", "no");
        console.SecretResponder = prompt =>
            ScanSheet(Path.Combine(_out, $"share-{SharePrompt().Match(prompt).Groups[1].Value}.pdf"));
        int code = console.Run(["ceremony", "--out-dir", _out, "--passphrase-file", PassFile, "--paper-size", "letter", .. WeakKdf]);
        Assert.True(code == ExitCode.Success, console.StderrText);
        Assert.Contains("share 1 confirmed", console.StderrText);
        Assert.Contains("share 2 confirmed", console.StderrText);
    }

    [Fact]
    public void WordsModeAsksFourRandomWordsAndAcceptsFourLetterPrefixes()
    {
        var console = Interactive("yes", "yes", "3", "2", "Alice", "Bob", "Carol", "yes", "yes");
        console.SecretResponder = prompt =>
        {
            int n = int.Parse(SharePrompt().Match(prompt).Groups[1].Value);
            int position = int.Parse(WordPrompt().Match(prompt).Groups[1].Value);
            return ShareText(n).Split(' ')[position - 1][..4].ToUpperInvariant();
        };
        int code = console.Run(["ceremony", "--out-dir", _out, "--passphrase-file", PassFile, "--check", "words", .. WeakKdf]);
        Assert.True(code == ExitCode.Success, console.StderrText);

        var transcript = ReadJson(Path.Combine(_out, "transcript.json"));
        foreach (var c in transcript.GetProperty("custodians").EnumerateArray())
        {
            var check = c.GetProperty("sheetCheck");
            Assert.Equal("words", check.GetProperty("method").GetString());
            var positions = check.GetProperty("wordPositions").EnumerateArray().Select(p => p.GetInt32()).ToList();
            Assert.Equal(SheetCheck.WordsAsked, positions.Distinct().Count());
            Assert.All(positions, p => Assert.InRange(p, SheetCheck.FirstDistinctWord, 33));
            Assert.Equal(positions.Order(), positions);
        }
        Assert.Equal(3 * SheetCheck.WordsAsked, console.Prompts.Count(p => WordPrompt().IsMatch(p)));
        // Shredded at the operator's word: the shares now exist only on paper.
        Assert.DoesNotContain(OutEntries(), e => e.StartsWith("share-"));
    }

    [Fact]
    public void AWrongWordIsNamedAndAskedAgain()
    {
        var console = Interactive("yes", "yes", "1", "1", "Solo", "yes", "no");
        bool first = true;
        console.SecretResponder = prompt =>
        {
            int position = int.Parse(WordPrompt().Match(prompt).Groups[1].Value);
            var word = ShareText(1).Split(' ')[position - 1];
            if (first)
            {
                first = false;
                return word == "zero" ? "acid" : "zero";
            }
            return word;
        };
        int code = console.Run(["ceremony", "--out-dir", _out, "--passphrase-file", PassFile, "--check", "words", .. WeakKdf]);
        Assert.True(code == ExitCode.Success, console.StderrText);
        Assert.Matches(@"share 1: word \d+ does not match the sheet", console.StderrText);
        Assert.Equal(2 * SheetCheck.WordsAsked, console.Prompts.Count(p => WordPrompt().IsMatch(p)));
    }

    [Fact]
    public void AbortAfterThreeFailedChecksLeavesNothingBehind()
    {
        var console = Interactive("yes", "yes", "3", "2", "Alice", "Bob", "Carol", "yes", "a");
        console.SecretResponder = prompt =>
        {
            int n = int.Parse(SharePrompt().Match(prompt).Groups[1].Value);
            return n == 2 ? Mistype(ShareText(2)) : ShareText(n);
        };
        int code = console.Run(["ceremony", "--out-dir", _out, "--passphrase-file", PassFile, .. WeakKdf]);
        Assert.Equal(ExitCode.Cancelled, code);
        Assert.Equal(3, console.Prompts.Count(p => p.StartsWith("Share 2 (Bob)")));
        Assert.Empty(OutEntries());
        Assert.Contains("the sheet of share 2 (Bob) could not be confirmed", console.StderrText);
        Assert.Contains("shred every sheet printed during this run", console.StderrText);
        Assert.DoesNotContain("== Step 6 of 7", console.StderrText);
    }

    [Fact]
    public void ReprintGivesThreeMoreAttemptsAndIsRecorded()
    {
        var console = Interactive("yes", "yes", "2", "2", "Alice", "Bob", "yes", "r", "no");
        int attempts = 0;
        console.SecretResponder = prompt =>
        {
            int n = int.Parse(SharePrompt().Match(prompt).Groups[1].Value);
            return n == 1 && ++attempts <= 3 ? "" : ShareText(n);
        };
        int code = console.Run(["ceremony", "--out-dir", _out, "--passphrase-file", PassFile, .. WeakKdf]);
        Assert.True(code == ExitCode.Success, console.StderrText);
        Assert.Contains("print share-1.pdf again", console.StderrText);
        var alice = ReadJson(Path.Combine(_out, "transcript.json")).GetProperty("custodians")[0].GetProperty("sheetCheck");
        Assert.Equal(4, alice.GetProperty("attempts").GetInt32());
        Assert.Equal(2, alice.GetProperty("prints").GetInt32());
    }

    [Fact]
    public void EndOfInputAtACheckStopsAndDeletesEverything()
    {
        var console = Interactive("yes", "yes", "3", "2", "Alice", "Bob", "Carol", "yes");
        console.SecretResponder = prompt => SharePrompt().Match(prompt).Groups[1].Value == "3" ? null : ShareText(int.Parse(SharePrompt().Match(prompt).Groups[1].Value));
        int code = console.Run(["ceremony", "--out-dir", _out, "--passphrase-file", PassFile, .. WeakKdf]);
        Assert.Equal(ExitCode.Cancelled, code);
        Assert.Empty(OutEntries());
    }

    [Fact]
    public void DeclinedConfirmationWritesNothing()
    {
        var console = Interactive("yes", "no");
        int code = console.Run(["ceremony", "--out-dir", _out, "--passphrase-file", PassFile, .. WeakKdf]);
        Assert.Equal(ExitCode.Cancelled, code);
        Assert.Contains("cancelled by the operator", console.StderrText);
        Assert.Empty(OutEntries());
    }

    [Fact]
    public void DiceRollsAreAskedWithoutEchoAndRecorded()
    {
        var console = Interactive("yes", "yes", "2", "2", "Alice", "Bob", "yes", "no");
        console.Secrets.Enqueue(string.Concat(Enumerable.Repeat("123456", 17)));
        console.SecretResponder = prompt => ShareText(int.Parse(SharePrompt().Match(prompt).Groups[1].Value));
        int code = console.Run(["ceremony", "--out-dir", _out, "--passphrase-file", PassFile, "--dice", .. WeakKdf]);
        Assert.True(code == ExitCode.Success, console.StderrText);
        Assert.Equal("generated-with-dice", ReadJson(Path.Combine(_out, "transcript.json")).GetProperty("key").GetProperty("source").GetString());
        Assert.DoesNotContain("123456", console.StderrText);
    }

    // ---- the offline check ----

    private static InterfaceState Eth0(OperationalStatus status = OperationalStatus.Up) =>
        new("eth0", false, status, [IPAddress.Parse("192.0.2.2")]);

    [Fact]
    public void AnOnlineMachineIsRefusedBeforeAnythingIsAskedOrWritten()
    {
        var console = Interactive();
        console.Network.Add(Eth0());
        int code = console.Run(["ceremony", "--out-dir", _out, "--passphrase-file", PassFile, .. WeakKdf]);
        Assert.Equal(ExitCode.Usage, code);
        Assert.Contains("this machine is online: eth0 is connected", console.StderrText);
        Assert.Contains("--i-know-this-machine-is-online", console.StderrText);
        Assert.Empty(console.Prompts);
        Assert.Empty(OutEntries());
    }

    [Fact]
    public void TheOverrideGoesOnLoudlyAndTheTranscriptSaysSo()
    {
        var console = new TestConsole { Interactive = false };
        console.Network.Add(Eth0());
        console.Network.Add(new InterfaceState("wg0", false, OperationalStatus.Unknown, [IPAddress.Parse("10.8.0.2")]));
        int code = console.Run(["ceremony", "--out-dir", _out, "--answers", WriteFile("a.toml", Answers2Of3), "--passphrase-file", PassFile,
            "--i-know-this-machine-is-online", .. WeakKdf]);
        Assert.True(code == ExitCode.Success, console.StderrText);
        Assert.Contains("THIS MACHINE IS ONLINE: eth0, wg0", console.StderrText);
        var machine = ReadJson(Path.Combine(_out, "transcript.json")).GetProperty("machine");
        Assert.False(machine.GetProperty("offline").GetBoolean());
        Assert.True(machine.GetProperty("onlineOverride").GetBoolean());
        Assert.Equal(["eth0", "wg0"], machine.GetProperty("connectedInterfaces").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("ONLINE (eth0, wg0)", File.ReadAllText(Path.Combine(_out, "transcript.md")));
    }

    [Fact]
    public void OnlyLinksThatAreUpOrTunnelsWithAddressesCount()
    {
        var lo = new InterfaceState("lo", true, OperationalStatus.Up, [IPAddress.Loopback]);
        var down = new InterfaceState("eth1", false, OperationalStatus.Down, [IPAddress.Parse("192.0.2.9")]);
        var upNoAddress = new InterfaceState("eth2", false, OperationalStatus.Up, []);
        var tunnelLinkLocal = new InterfaceState("tun0", false, OperationalStatus.Unknown, [IPAddress.Parse("fe80::1"), IPAddress.Parse("169.254.3.4")]);
        var tunnelRoutable = new InterfaceState("tun1", false, OperationalStatus.Unknown, [IPAddress.Parse("fd00::2")]);
        Assert.Empty(NetworkCheck.Connected([lo, down, tunnelLinkLocal]));
        Assert.Equal(["eth2", "tun1"], NetworkCheck.Connected([lo, down, upNoAddress, tunnelLinkLocal, tunnelRoutable]));
    }

    // ---- checks before anything happens ----

    [Fact]
    public void WithoutATerminalTheCeremonyNeedsAnAnswersFile()
    {
        var console = new TestConsole { Interactive = false };
        Assert.Equal(ExitCode.Usage, console.Run(["ceremony", "--out-dir", _out, "--passphrase-file", PassFile, .. WeakKdf]));
        Assert.Contains("--answers FILE", console.StderrText);
        Assert.Empty(OutEntries());
    }

    [Fact]
    public void AnOutputFolderWithEarlierCeremonyFilesIsRefusedUpFront()
    {
        File.WriteAllText(Path.Combine(_out, "share-2.txt"), "earlier");
        File.WriteAllText(Path.Combine(_out, "notes.txt"), "unrelated files may stay");
        var console = Interactive();
        Assert.Equal(ExitCode.OutputFailure, console.Run(["ceremony", "--out-dir", _out, .. WeakKdf]));
        Assert.Contains("already holds files a ceremony writes (share-2.txt)", console.StderrText);
        Assert.Empty(console.Prompts);
        Assert.Equal(["notes.txt", "share-2.txt"], OutEntries());

        var missing = Interactive();
        Assert.Equal(ExitCode.OutputFailure, missing.Run(["ceremony", "--out-dir", Path.Combine(_out, "nope")]));
    }

    [Fact]
    public void AMissingKeyToImportIsNamedBeforeAnythingIsAsked()
    {
        var console = Interactive();
        Assert.Equal(ExitCode.BadInput, console.Run(["ceremony", "--out-dir", _out, "--import", _dir.File("nowhere.toml")]));
        Assert.Contains("nowhere.toml, does not exist", console.StderrText);
        Assert.Empty(console.Prompts);
    }

    [Theory]
    [InlineData("--dice", "--import", "KEY")]
    [InlineData("--check", "words", "--answers", "ANSWERS")]
    public void OptionsThatExcludeEachOtherAreUsageErrors(params string[] options)
    {
        var args = options.Select(o => o switch
        {
            "KEY" => WriteFile("k.hex", TestKeys.Key1),
            "ANSWERS" => WriteFile("a.toml", Answers2Of3),
            _ => o,
        });
        var console = Interactive();
        Assert.Equal(ExitCode.Usage, console.Run(["ceremony", "--out-dir", _out, .. args]));
        Assert.Empty(console.Prompts);
    }

    [Theory]
    [InlineData("threshold = 1\ncustodians = [\"A\", \"B\"]\nsheet-check = \"automated\"\n", "a threshold of 1 with 2 shares")]
    [InlineData("threshold = 3\ncustodians = [\"A\", \"B\"]\nsheet-check = \"automated\"\n", "a threshold of 3 is not possible with 2 shares")]
    [InlineData("threshold = 2\ncustodians = [\"A\", \" a \"]\nsheet-check = \"automated\"\n", "same name as the custodian of share 1")]
    [InlineData("threshold = 2\ncustodians = [\"A\", \"B\"]\nsheet-check = \"typed\"\n", "sheet-check must be \"automated\"")]
    [InlineData("threshold = 2\ncustodians = [\"A\", \"B\"]\n", "'sheet-check' is missing")]
    [InlineData("threshold = \"2\"\ncustodians = [\"A\", \"B\"]\nsheet-check = \"automated\"\n", "'threshold' must be a whole number")]
    [InlineData("threshold = 2\ncustodians = [\"A\", \"B\"]\nsheet-check = \"automated\"\npassphrase = \"x\"\n", "unknown setting 'passphrase'")]
    [InlineData("threshold = 2\ncustodians = [\"A\", 2]\nsheet-check = \"automated\"\n", "'custodians' must be a list of names")]
    [InlineData("threshold = 2\ncustodians = [\"A\", \"B\"\n", "is not valid TOML")]
    public void ABadAnswersFileIsRefusedBeforeAKeyExists(string answers, string message)
    {
        var (code, console) = Rehearse(answers);
        Assert.Equal(ExitCode.BadInput, code);
        Assert.Contains(message, console.StderrText);
        Assert.DoesNotContain("== Step 2", console.StderrText);
        Assert.Empty(OutEntries());
    }

    [Fact]
    public void ANameTheSheetCannotPrintIsRefusedBeforeAKeyExists()
    {
        var (code, console) = Rehearse("threshold = 2\ncustodians = [\"Alice\", \"\u738b\u4f1f\"]\nsheet-check = \"automated\"\n");
        Assert.Equal(ExitCode.OutputFailure, code);
        Assert.Contains("custodian name", console.StderrText);
        Assert.Empty(OutEntries());
    }

    // ---- the comparison behind the check ----

    [Fact]
    public void TheCheckTellsWhichShareWasTypedInstead()
    {
        using var key = SecretKey.FromBytes(Convert.FromHexString(TestKeys.Key2));
        using var set = Slip39.Split(key, SplitLayout.Single(2, 3));
        using var other = Slip39.Split(key, SplitLayout.Single(2, 3));
        var share = set.Shares[1];
        Assert.Null(SheetCheck.Mismatch(share, share.Mnemonic));
        Assert.Null(SheetCheck.Mismatch(share, string.Join("  ", share.Words.Select(w => w[..4].ToUpperInvariant()))));
        Assert.Equal("that is share 1, not share 2", SheetCheck.Mismatch(share, set.Shares[0].Mnemonic));
        if (other.Identifier != set.Identifier) // equal once in 32768 splits
            Assert.StartsWith("that is a share of another backup", SheetCheck.Mismatch(share, other.Shares[1].Mnemonic));
        Assert.Contains("invalid checksum", SheetCheck.Mismatch(share, Mistype(share.Mnemonic)));
        Assert.Contains("word", SheetCheck.Mismatch(share, "academic acid"));
    }

    [Theory]
    [InlineData("academic", "academic", true)]
    [InlineData("academic", "ACAD", true)]
    [InlineData("academic", " Acade ", true)]
    [InlineData("academic", "aca", false)]
    [InlineData("academic", "acid", false)]
    [InlineData("academic", "academics", false)]
    [InlineData("academic", "acad3", false)]
    public void AWordMatchesInFullOrByAPrefixOfFourLettersOrMore(string word, string typed, bool matches) =>
        Assert.Equal(matches, SheetCheck.WordMatches(word, typed));
}
