using System.Net;
using System.Net.NetworkInformation;
using System.Security.Cryptography;
using System.Text.Json;
using KeyVault.Cli;
using KeyVault.Drill;
using KeyVault.Flows;
using KeyVault.IO;
using KeyVault.KeyFile;
using KeyVault.Shares;
using KeyVault.Tests.Ceremony;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Cli;

/// <summary>
/// The ceremony through the program, end to end: one whole rehearsal restored from the sheets it printed, and what
/// only the command line decides (options that exclude each other, hints that name options, exit codes). The flow's
/// behaviour step by step is tested on the library in Ceremony/. Every run uses deliberately weak KDF options and the
/// published dev keys.
/// </summary>
public sealed class CeremonyCommandTests : IDisposable
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
        foreach (var file in Directory.GetFiles(_out)) FileModes.AssertAsItsKind(file);
        Assert.Contains($"public key     {publicKey}", console.StdoutText);

        // THE PROOF: each printed sheet, rasterised and decoded by an independent QR reader, and any two of them
        // rebuild the key the transcript names.
        var scanned = Enumerable.Range(1, 3).Select(n => ScanSheet(Path.Combine(_out, $"share-{n}.pdf"))).ToArray();
        string? keyHex = null;
        foreach (var (a, b) in new[] { (0, 1), (0, 2), (1, 2) })
        {
            using var key = CeremonyFlowFixture.Restore([scanned[a], scanned[b]]);
            Assert.Equal(publicKey, key.PublicKey.Hex66);
            keyHex = CeremonyFlowFixture.KeyHex(key);
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
        var mnemonics = Enumerable.Range(1, 3).Select(n => CeremonyFlowFixture.ShareText(_out, n)).ToList();
        foreach (var text in new[] { markdown, File.ReadAllText(Path.Combine(_out, "transcript.json")), console.StderrText, console.StdoutText,
                     File.ReadAllText(Path.Combine(_out, "drill-report.json")) })
            CeremonyFlowFixture.AssertNoSecret(text, keyHex!, mnemonics);
    }

    private string ShareFileCustodian(int number)
    {
        var bytes = File.ReadAllBytes(Path.Combine(_out, $"share-{number}.txt"));
        using var file = ShareFile.Parse(bytes, "share");
        return file.Custodian!;
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

    private static TestConsole Interactive() => new();

    [Fact]
    public void RefusalsBeforeTheCeremonyCarryAHintThatNamesTheOptionAndAnExitCode()
    {
        // The library names no option when it refuses (Ceremony/CeremonyRefusalTests); the program's hint does.
        var online = Interactive();
        online.Network.Add(new InterfaceState("eth0", false, OperationalStatus.Up, [IPAddress.Parse("192.0.2.2")]));
        Assert.Equal(ExitCode.Usage, online.Run(["ceremony", "--out-dir", _out, "--passphrase-file", PassFile, .. WeakKdf]));
        Assert.Contains("keyvault: error: this machine is online: eth0 is connected", online.StderrText);
        Assert.Contains("--i-know-this-machine-is-online", online.StderrText);
        Assert.Empty(online.Prompts);

        var noTerminal = new TestConsole { Interactive = false };
        Assert.Equal(ExitCode.Usage, noTerminal.Run(["ceremony", "--out-dir", _out, "--passphrase-file", PassFile, .. WeakKdf]));
        Assert.Contains("--answers FILE", noTerminal.StderrText);
        Assert.Empty(OutEntries());
    }
}
