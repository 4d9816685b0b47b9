using System.Text;
using System.Text.Json;
using KeyVault.Cli;
using KeyVault.IO;
using KeyVault.KeyFile;
using KeyVault.Keys;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Cli;

/// <summary>generate, import, reveal, inspect, passwd and identity on key files. All use deliberately weak KDF options.</summary>
public class KeyFileCommandTests : IDisposable
{
    // Weak on purpose: the commands' logic is under test, not Argon2's cost.
    private static readonly string[] WeakKdf = ["--kdf-memory", "8KiB", "--kdf-iterations", "1", "--kdf-parallelism", "1"];

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string PassFile(string text, string name = "pass.txt") => WriteFile(name, Encoding.UTF8.GetBytes(text));

    private string WriteFile(string name, byte[] content)
    {
        var path = _dir.File(name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private string ImportKey1(string name = "key.kvk", string passphrase = "pw one velvet orbit canyon\n", params string[] extra)
    {
        var keyFile = WriteFile("signer.hex", Encoding.ASCII.GetBytes(TestKeys.Key1 + "\n"));
        var console = new TestConsole();
        var path = _dir.File(name);
        int rc = console.Run(["import", "--from", keyFile, "--out", path, "--passphrase-file", PassFile(passphrase, "import-pass.txt"), .. WeakKdf, .. extra]);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        File.Delete(keyFile);
        File.Delete(_dir.File("import-pass.txt"));
        return path;
    }

    private static void AssertMode0600(string path)
    {
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void ImportThenRevealGivesBackTheKeyInEveryFormat()
    {
        var file = ImportKey1();
        AssertMode0600(file);
        var expected = new Dictionary<string, string>
        {
            ["hex"] = TestKeys.Key1 + "\n",
            ["stacks"] = TestKeys.Key1 + "01\n",
            ["sbtc-toml"] = $"[signer]\nprivate_key = \"{TestKeys.Key1}\"\n",
            ["env"] = $"SIGNER_SIGNER__PRIVATE_KEY={TestKeys.Key1}\n",
        };
        foreach (var (format, text) in expected)
        {
            var console = new TestConsole();
            var outPath = _dir.File($"revealed-{format}");
            Assert.Equal(ExitCode.Success, console.Run("reveal", file, "--format", format, "--out", outPath, "--passphrase-file", PassFile("pw one velvet orbit canyon")));
            Assert.Equal(text, File.ReadAllText(outPath));
            AssertMode0600(outPath);
            Assert.Equal("", console.StdoutText);
        }
    }

    [Fact]
    public void RevealToStdoutOnlyWithAnExplicitDash()
    {
        var file = ImportKey1();
        var console = new TestConsole();
        Assert.Equal(ExitCode.Success, console.Run("reveal", file, "--out", "-", "--passphrase-file", PassFile("pw one velvet orbit canyon")));
        Assert.Equal(TestKeys.Key1 + "\n", console.StdoutText);

        var noOut = new TestConsole();
        Assert.Equal(ExitCode.Usage, noOut.Run("reveal", file, "--passphrase-file", PassFile("pw one velvet orbit canyon")));
        Assert.DoesNotContain(TestKeys.Key1, noOut.StdoutText);
    }

    [Fact]
    public void ImportPrintsTheIdentityAndLabelAndJson()
    {
        var keyFile = WriteFile("signer.hex", Encoding.ASCII.GetBytes(TestKeys.Key1));
        var console = new TestConsole();
        Assert.Equal(ExitCode.Success, console.Run(["import", "--from", keyFile, "--out", _dir.File("k.kvk"), "--passphrase-file", PassFile("pw velvet orbit canyon"), "--json", .. WeakKdf]));
        using var json = JsonDocument.Parse(console.StdoutText);
        Assert.Equal(TestKeys.Key1PublicKey, json.RootElement.GetProperty("publicKey").GetString());
        Assert.Equal(TestKeys.Key1Mainnet, json.RootElement.GetProperty("stacksAddress").GetProperty("mainnet").GetString());
        Assert.Contains("weaker than the default", console.StderrText);
    }

    [Fact]
    public void ImportFromStandardInput()
    {
        var console = new TestConsole().WithStdin($"SIGNER_SIGNER__PRIVATE_KEY={TestKeys.Key2}\n");
        var outPath = _dir.File("k.kvk");
        Assert.Equal(ExitCode.Success, console.Run(["import", "--from", "-", "--out", outPath, "--passphrase-file", PassFile("pw velvet orbit canyon"), .. WeakKdf]));
        Assert.Equal(TestKeys.Key2PublicKey, EncryptedKeyFile.Parse(File.ReadAllBytes(outPath)).PublicKey.Hex66);
    }

    [Fact]
    public void InspectNeedsNoPassphrase()
    {
        var file = ImportKey1(extra: ["--label", "sBTC signer mainnet 2026"]);
        var console = new TestConsole { Interactive = false };
        Assert.Equal(ExitCode.Success, console.Run("inspect", file));
        Assert.Contains("version 1, binary", console.StdoutText);
        Assert.Contains("Argon2id, 8 KiB, 1 pass, 1 lane", console.StdoutText);
        Assert.Contains("sBTC signer mainnet 2026", console.StdoutText);
        Assert.Contains(TestKeys.Key1PeerId, console.StdoutText);

        var json = new TestConsole { Interactive = false };
        Assert.Equal(ExitCode.Success, json.Run("inspect", file, "--json"));
        using var doc = JsonDocument.Parse(json.StdoutText);
        var kdf = doc.RootElement.GetProperty("kdf");
        Assert.Equal(8, kdf.GetProperty("memoryKiB").GetInt64());
        Assert.Equal(1, kdf.GetProperty("iterations").GetInt64());
        Assert.Equal(1, doc.RootElement.GetProperty("formatVersion").GetInt32());
        Assert.Equal("sBTC signer mainnet 2026", doc.RootElement.GetProperty("label").GetString());
        Assert.Equal(TestKeys.Key1Testnet, doc.RootElement.GetProperty("identity").GetProperty("stacksAddress").GetProperty("testnet").GetString());
    }

    [Fact]
    public void IdentityReadsAKeyFileWithoutPassphrase()
    {
        var file = ImportKey1(extra: ["--armor"]);
        Assert.StartsWith("-----BEGIN KEYVAULT KEY FILE-----", File.ReadAllText(file));
        var console = new TestConsole { Interactive = false };
        Assert.Equal(ExitCode.Success, console.Run("identity", "--from", file));
        Assert.Contains(TestKeys.Key1Mainnet, console.StdoutText);
        Assert.Empty(console.Prompts);
    }

    [Fact]
    public void GenerateWithTypedPassphraseWritesAFileThatOpens()
    {
        var console = new TestConsole();
        console.Secrets.Enqueue("typed passphrase velvet orbit canyon");
        console.Secrets.Enqueue("typed passphrase velvet orbit canyon");
        var path = _dir.File("new.kvk");
        Assert.Equal(ExitCode.Success, console.Run(["generate", "--out", path, "--label", "test key", .. WeakKdf]));
        AssertMode0600(path);
        var header = EncryptedKeyFile.Parse(File.ReadAllBytes(path));
        Assert.Contains(header.PublicKey.Hex66, console.StdoutText);
        var reveal = new TestConsole();
        reveal.Secrets.Enqueue("typed passphrase velvet orbit canyon");
        Assert.Equal(ExitCode.Success, reveal.Run("reveal", path, "--out", "-"));
        Assert.Equal(65, reveal.StdoutText.Length);
    }

    [Fact]
    public void GenerateWithDiceAsksForRollsUntilEnoughAndRejectsBadLines()
    {
        var console = new TestConsole();
        console.Secrets.Enqueue(new string('3', 60));
        console.Secrets.Enqueue("1 2 7");                       // rejected as a whole
        console.Secrets.Enqueue(string.Concat(Enumerable.Repeat("123456", 7)));
        console.Secrets.Enqueue("dice pass velvet orbit canyon");
        console.Secrets.Enqueue("dice pass velvet orbit canyon");
        var path = _dir.File("dice.kvk");
        Assert.Equal(ExitCode.Success, console.Run(["generate", "--dice", "--out", path, .. WeakKdf]));
        Assert.Equal(["Rolls (100 still needed): ", "Rolls (40 still needed): ", "Rolls (40 still needed): ", "Enter new passphrase: ", "Repeat new passphrase: "], console.Prompts);
        Assert.Contains("'7' at position 5 is not a die roll", console.StderrText);
        Assert.True(File.Exists(path));
    }

    [Fact]
    public void WrongPassphraseExits3AndWritesNothing()
    {
        var file = ImportKey1();
        var before = _dir.Entries().Order().ToArray();
        var console = new TestConsole();
        var outPath = _dir.File("out.hex");
        Assert.Equal(ExitCode.AuthenticationFailed, console.Run("reveal", file, "--out", outPath, "--passphrase-file", PassFile("pw two velvet orbit canyon")));
        Assert.Contains("keyvault: error: wrong passphrase or damaged file", console.StderrText);
        Assert.False(File.Exists(outPath));
        Assert.Equal(before.Append("pass.txt").Order(), _dir.Entries().Order());
    }

    [Fact]
    public void TamperedFileExits3AndDamagedHeaderExits4AndCostlyFileExits5()
    {
        var file = ImportKey1();
        var bytes = File.ReadAllBytes(file);
        var pass = PassFile("pw one velvet orbit canyon");

        var flipped = (byte[])bytes.Clone();
        flipped[^20] ^= 0x04;
        File.WriteAllBytes(_dir.File("flipped.kvk"), flipped);
        Assert.Equal(ExitCode.AuthenticationFailed, new TestConsole().Run("reveal", _dir.File("flipped.kvk"), "--out", "-", "--passphrase-file", pass));

        var version = (byte[])bytes.Clone();
        version[8] = 9;
        File.WriteAllBytes(_dir.File("v9.kvk"), version);
        var c4 = new TestConsole();
        Assert.Equal(ExitCode.DamagedFile, c4.Run("reveal", _dir.File("v9.kvk"), "--out", "-", "--passphrase-file", pass));
        Assert.Contains("format version 9", c4.StderrText);
        Assert.Empty(c4.Prompts);

        var costly = (byte[])bytes.Clone();
        costly[13] = 0x10;   // iterations 2^28
        File.WriteAllBytes(_dir.File("costly.kvk"), costly);
        var c5 = new TestConsole();
        Assert.Equal(ExitCode.CostTooHigh, c5.Run("reveal", _dir.File("costly.kvk"), "--out", "-", "--passphrase-file", pass));
        Assert.Contains("more key-derivation work than allowed", c5.StderrText);
        Assert.Equal("", c5.StdoutText);
    }

    [Fact]
    public void ExistingOutputIsRefusedBeforeAnythingIsAsked()
    {
        var existing = WriteFile("exists.kvk", [1, 2, 3]);
        var console = new TestConsole();
        Assert.Equal(ExitCode.OutputFailure, console.Run(["generate", "--out", existing, .. WeakKdf]));
        Assert.Empty(console.Prompts);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(existing));
    }

    [Fact]
    public void ForceReplacesAnExistingOutputAtomicallyWithMode0600()
    {
        var keyFile = ImportKey1();
        var existing = WriteFile("key.hex", Encoding.UTF8.GetBytes("old content\n"));
        var refused = new TestConsole();
        Assert.Equal(ExitCode.OutputFailure, refused.Run("reveal", keyFile, "--out", existing, "--passphrase-file", PassFile("pw one velvet orbit canyon")));
        Assert.Contains("--force", refused.StderrText);
        Assert.Equal("old content\n", File.ReadAllText(existing));

        Assert.Equal(ExitCode.Success, new TestConsole().Run("reveal", keyFile, "--out", existing, "--passphrase-file", PassFile("pw one velvet orbit canyon"), "--force"));
        Assert.Equal(TestKeys.Key1 + "\n", File.ReadAllText(existing));
        FileModes.AssertOwnerOnly(existing);

        var generated = new TestConsole();
        Assert.Equal(ExitCode.Success, generated.Run(["generate", "--out", keyFile, "--passphrase-file", PassFile("pw two velvet orbit canyon"), "--force", .. WeakKdf]));
        var header = EncryptedKeyFile.Parse(File.ReadAllBytes(keyFile));
        Assert.NotEqual(TestKeys.Key1PublicKey, header.PublicKey.Hex66);
        FileModes.AssertOwnerOnly(keyFile);
        Assert.DoesNotContain(Directory.GetFiles(Path.GetDirectoryName(keyFile)!), f => Path.GetFileName(f).StartsWith('.'));
    }

    [Fact]
    public void NewPassphrasesAndLabelsWithCodePointsUnicode14DoesNotAssignAreRefused_the_label_naming_it()
    {
        var path = _dir.File("u.kvk");
        var pass = new TestConsole();
        Assert.Equal(ExitCode.BadInput, pass.Run(["generate", "--out", path, "--passphrase-file", PassFile("a\U0001E08F\u0316 orbit velvet canyon\n"), .. WeakKdf]));
        Assert.Contains("does not assign (not shown", pass.StderrText);
        Assert.DoesNotContain("1E08F", pass.StderrText);
        Assert.False(File.Exists(path));

        var label = new TestConsole();
        Assert.Equal(ExitCode.BadInput, label.Run(["generate", "--out", path, "--label", "signer\u200Bkey", "--passphrase-file", PassFile("pw two velvet orbit canyon"), .. WeakKdf]));
        Assert.Contains("U+200B", label.StderrText);
        Assert.False(File.Exists(path));

        // A file whose passphrase holds U+1E08F (written before the rule) still opens; passwd refuses it only as the new one.
        using (var key = SignerKeyFormats.ParseHex(TestKeys.Key1))
        using (var old = Passphrase.FromChars("a\U0001E08F\u0316"))
            File.WriteAllBytes(path, EncryptedKeyFile.Encrypt(key, old, new KdfParameters(8, 1, 1)));
        var refused = new TestConsole();
        Assert.Equal(ExitCode.BadInput, refused.Run("passwd", path, "--passphrase-file", PassFile("a\U0001E08F\u0316"),
            "--new-passphrase-file", PassFile("b\U0001E08F velvet canyon", "new.txt")));
        Assert.Contains("does not assign (not shown", refused.StderrText);
        Assert.DoesNotContain("1E08F", refused.StderrText);
        var changed = new TestConsole();
        Assert.Equal(ExitCode.Success, changed.Run("passwd", path, "--passphrase-file", PassFile("a\U0001E08F\u0316"),
            "--new-passphrase-file", PassFile("pw two velvet orbit canyon", "new.txt")));
        Assert.Equal(ExitCode.Success, new TestConsole().Run("reveal", path, "--out", "-", "--passphrase-file", PassFile("pw two velvet orbit canyon")));
    }

    [Theory]
    [InlineData("--kdf-memory", "5GiB")]
    [InlineData("--kdf-iterations", "17")]
    [InlineData("--kdf-parallelism", "0")]
    [InlineData("--label", "two\nlines")]
    public void BadParametersAreRefusedBeforeAnythingIsAsked(string option, string value)
    {
        var console = new TestConsole();
        var kdf = new List<string>(WeakKdf);
        int at = kdf.IndexOf(option);
        if (at >= 0) kdf.RemoveRange(at, 2);
        int rc = console.Run(["generate", "--out", _dir.File("x.kvk"), .. kdf, option, value]);
        Assert.Equal(ExitCode.BadInput, rc);
        Assert.Empty(console.Prompts);
        Assert.Empty(_dir.Entries());
    }

    [Fact]
    public void EmptyPassphraseFileIsRefusedAndNothingIsWritten()
    {
        var keyFile = WriteFile("signer.hex", Encoding.ASCII.GetBytes(TestKeys.Key1));
        var console = new TestConsole();
        Assert.Equal(ExitCode.BadInput, console.Run(["import", "--from", keyFile, "--out", _dir.File("k.kvk"), "--passphrase-file", PassFile(""), .. WeakKdf]));
        Assert.Contains("the passphrase is empty", console.StderrText);
        Assert.Equal(new[] { "pass.txt", "signer.hex" }, _dir.Entries().Order());

        var newlineOnly = new TestConsole();
        Assert.Equal(ExitCode.BadInput, newlineOnly.Run(["import", "--from", keyFile, "--out", _dir.File("k.kvk"), "--passphrase-file", PassFile("\n", "nl.txt"), .. WeakKdf]));
    }

    [Fact]
    public void PassphraseFileLosesExactlyOneTrailingNewline()
    {
        var file = ImportKey1(passphrase: "velvet orbit canyon secret\n");
        var typed = new TestConsole();
        typed.Secrets.Enqueue("velvet orbit canyon secret");
        Assert.Equal(ExitCode.Success, typed.Run("reveal", file, "--out", "-"));

        var crlf = new TestConsole();
        Assert.Equal(ExitCode.Success, crlf.Run("reveal", file, "--out", "-", "--passphrase-file", PassFile("velvet orbit canyon secret\r\n")));

        // Two newlines: only one is removed, so the passphrase is "velvet orbit canyon secret\n" — a different passphrase.
        var twice = new TestConsole();
        Assert.Equal(ExitCode.AuthenticationFailed, twice.Run("reveal", file, "--out", "-", "--passphrase-file", PassFile("velvet orbit canyon secret\n\n")));
    }

    [Fact]
    public void NonUtf8PassphraseFileIsRefused()
    {
        var file = ImportKey1();
        var bad = WriteFile("latin1.txt", [0x70, 0xE4, 0x73, 0x73]);   // "päss" in Latin-1
        var console = new TestConsole();
        Assert.Equal(ExitCode.BadInput, console.Run("reveal", file, "--out", "-", "--passphrase-file", bad));
        Assert.Contains("not valid UTF-8", console.StderrText);
        Assert.Equal("", console.StdoutText);
    }

    [Fact]
    public void PasswdReplacesTheFileAndOnlyTheNewPassphraseOpensIt()
    {
        var file = ImportKey1(extra: ["--label", "keep me"]);
        var console = new TestConsole();
        Assert.Equal(ExitCode.Success, console.Run("passwd", file, "--passphrase-file", PassFile("pw one velvet orbit canyon"),
            "--new-passphrase-file", PassFile("pw two velvet orbit canyon", "new.txt"), "--kdf-iterations", "2"));
        var header = EncryptedKeyFile.Parse(File.ReadAllBytes(file));
        Assert.Equal(new KdfParameters(8, 2, 1), header.Kdf);
        Assert.Equal("keep me", header.Label);
        AssertMode0600(file);
        Assert.Equal(new[] { "key.kvk", "new.txt", "pass.txt" }, _dir.Entries().Order());
        Assert.Equal(ExitCode.AuthenticationFailed, new TestConsole().Run("reveal", file, "--out", "-", "--passphrase-file", PassFile("pw one velvet orbit canyon")));
        var ok = new TestConsole();
        Assert.Equal(ExitCode.Success, ok.Run("reveal", file, "--out", "-", "--passphrase-file", PassFile("pw two velvet orbit canyon")));
        Assert.Equal(TestKeys.Key1 + "\n", ok.StdoutText);
    }

    [Fact]
    public void PasswdKeepsTheArmoredForm()
    {
        var file = ImportKey1(extra: ["--armor"]);
        var console = new TestConsole();
        Assert.Equal(ExitCode.Success, console.Run("passwd", file, "--passphrase-file", PassFile("pw one velvet orbit canyon"), "--keep-passphrase", "--kdf-memory", "16KiB"));
        Assert.Contains("under the same passphrase", console.StderrText);
        Assert.DoesNotContain("no longer opens", console.StderrText);
        var header = EncryptedKeyFile.Parse(File.ReadAllBytes(file));
        Assert.Equal(KeyFileEncoding.Armored, header.Encoding);
        Assert.Equal(16, header.Kdf.MemoryKiB);
    }

    [Fact]
    public void PasswdWithWrongOldPassphraseLeavesTheFileUntouched()
    {
        var file = ImportKey1();
        var before = File.ReadAllBytes(file);
        var console = new TestConsole();
        Assert.Equal(ExitCode.AuthenticationFailed, console.Run("passwd", file, "--passphrase-file", PassFile("wrong"), "--new-passphrase-file", PassFile("stove unwashed scorpion grumbling", "new.txt")));
        Assert.Equal(before, File.ReadAllBytes(file));
        Assert.Equal(new[] { "key.kvk", "new.txt", "pass.txt" }, _dir.Entries().Order());
    }

    [Fact]
    public void PasswdWithNothingToChangeIsAUsageError()
    {
        var file = ImportKey1();
        var console = new TestConsole();
        Assert.Equal(ExitCode.Usage, console.Run("passwd", file, "--passphrase-file", PassFile("pw one velvet orbit canyon"), "--keep-passphrase"));
        Assert.Empty(console.Prompts);
    }

    [Fact]
    public void RevealOfAFileThatIsNotAKeyFileExits4()
    {
        var notKey = WriteFile("notes.txt", Encoding.ASCII.GetBytes("hello\n"));
        var console = new TestConsole();
        Assert.Equal(ExitCode.DamagedFile, console.Run("reveal", notKey, "--out", "-", "--passphrase-file", PassFile("x")));
        Assert.Contains("not a KeyVault key file", console.StderrText);
    }

    [Theory]
    [InlineData("8KiB", 8L)]
    [InlineData("64", 65536L)]
    [InlineData("512MiB", 524288L)]
    [InlineData("1GiB", 1048576L)]
    [InlineData("4gib", 4194304L)]
    public void MemorySizesParse(string text, long kib) => Assert.Equal(kib, KeyVault.Cli.Infrastructure.KeyFileOptions.ParseMemory(text));
}
