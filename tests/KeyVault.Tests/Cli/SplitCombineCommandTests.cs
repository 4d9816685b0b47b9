using System.Text.RegularExpressions;
using KeyVault.Cli;
using KeyVault.Flows;
using KeyVault.KeyFile;
using KeyVault.Keys;
using KeyVault.Paper;
using KeyVault.Shares;
using KeyVault.Sheets;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Cli;

/// <summary>split and combine through the command line: files, typed and piped shares, groups, passphrases, failures.</summary>
public class SplitCombineCommandTests : IDisposable
{
    private readonly ShareCommandKit _kit = new();

    public void Dispose() => _kit.Dispose();

    private static IEnumerable<int[]> Subsets(int n, int k)
    {
        if (k == 0) { yield return []; yield break; }
        for (int first = 0; first <= n - k; first++)
            foreach (var rest in Subsets(n - first - 1, k - 1))
                yield return [first, .. rest.Select(r => r + first + 1)];
    }

    [Fact]
    public void EveryThresholdSubsetOfTheFilesRebuildsTheKeyAndOneFewerSaysHowManyMoreAreNeeded()
    {
        var split = _kit.Split("--threshold", "3", "--shares", "5");
        Assert.Contains(TestKeys.Key1PublicKey, split.StdoutText);
        Assert.Equal(["manifest.json", "share-1.txt", "share-2.txt", "share-3.txt", "share-4.txt", "share-5.txt"], _kit.OutEntries());
        var files = Enumerable.Range(1, 5).Select(i => _kit.Share($"share-{i}")).ToArray();
        foreach (var f in files) FileModes.AssertOwnerOnly(f);

        foreach (var subset in Subsets(5, 3))
        {
            // Shuffled order: the order shares are given in must not matter.
            var (rc, console) = ShareCommandKit.RevealFrom(subset.Reverse().Select(i => files[i]));
            Assert.True(rc == ExitCode.Success, console.StderrText);
            Assert.Equal(TestKeys.Key1 + "\n", console.StdoutText);
            Assert.Contains(TestKeys.Key1Mainnet, console.StderrText);
        }
        foreach (var subset in Subsets(5, 2))
        {
            var (rc, console) = ShareCommandKit.RevealFrom(subset.Select(i => files[i]));
            Assert.Equal(ExitCode.RebuildFailed, rc);
            Assert.Contains("need 1 more share (3 required, 2 given)", console.StderrText);
            Assert.Equal("", console.StdoutText);
        }
    }

    [Fact]
    public void ShareFilesCarryTheDocumentedMetadataAndTheCustodians()
    {
        _kit.Split("--threshold", "2", "--shares", "3", "--custodian", "Alice Example", "--custodian", "Bob", "--custodian", "Carol");
        var identifiers = new HashSet<int>();
        string[] names = ["Alice Example", "Bob", "Carol"];
        for (int i = 1; i <= 3; i++)
        {
            var text = File.ReadAllText(_kit.Share($"share-{i}"));
            Assert.Contains($"# share: {i} of 3\n", text);
            Assert.Contains("# member-threshold: 2\n", text);
            Assert.Contains($"# fingerprint: {PublicKey.ParseHex(TestKeys.Key1PublicKey).Fingerprint}\n", text);
            Assert.Contains($"# public-key: {TestKeys.Key1PublicKey}\n", text);
            Assert.Contains($"# custodian: {names[i - 1]}\n", text);
            Assert.Contains("# extendable: yes\n# slip39-passphrase: no\n", text);
            Assert.DoesNotContain("# group", text);
            identifiers.Add(int.Parse(Regex.Match(text, @"# identifier: (\d+)\n").Groups[1].Value));
            using var parsed = ShareFile.Parse(File.ReadAllBytes(_kit.Share($"share-{i}")), "share");
            Assert.Equal(i, parsed.Share.MemberNumber);
            Assert.Equal(names[i - 1], parsed.Custodian);
            Assert.Equal(33, parsed.Share.WordCount);
        }
        Assert.Single(identifiers);
    }

    [Fact]
    public void GroupsNeedTheGroupThresholdOfCompleteGroups()
    {
        _kit.Split("--group", "2/3", "--group", "1/1", "--group", "3/5", "--group-threshold", "2");
        var entries = _kit.OutEntries();
        Assert.Equal(10, entries.Length); // 9 shares and manifest.json
        Assert.Contains("share-g2-1.txt", entries);
        Assert.Contains("share-g3-5.txt", entries);
        Assert.Contains("# group: 3 of 3\n", File.ReadAllText(_kit.Share("share-g3-2")));
        Assert.Contains("# group-threshold: 2\n", File.ReadAllText(_kit.Share("share-g3-2")));

        var (rc, ok) = ShareCommandKit.RevealFrom([_kit.Share("share-g3-4"), _kit.Share("share-g2-1"), _kit.Share("share-g3-1"), _kit.Share("share-g3-5")]);
        Assert.True(rc == ExitCode.Success, ok.StderrText);
        Assert.Equal(TestKeys.Key1 + "\n", ok.StdoutText);

        var (rc2, ok2) = ShareCommandKit.RevealFrom([_kit.Share("share-g1-3"), _kit.Share("share-g1-1"), _kit.Share("share-g2-1")]);
        Assert.True(rc2 == ExitCode.Success, ok2.StderrText);
        Assert.Equal(TestKeys.Key1 + "\n", ok2.StdoutText);

        var (rc3, short3) = ShareCommandKit.RevealFrom([_kit.Share("share-g1-1"), _kit.Share("share-g1-2"), _kit.Share("share-g3-1"), _kit.Share("share-g3-2")]);
        Assert.Equal(ExitCode.RebuildFailed, rc3);
        Assert.Contains("need 1 more group", short3.StderrText);
        Assert.Contains("need 1 more share of group 3", short3.StderrText);
    }

    [Fact]
    public void Slip39PassphraseIsNeededAndAWrongOneIsCaughtByTheFilesPublicKey()
    {
        var slip = _kit.Write("slip39.txt", "correct horse\n");
        _kit.Split("--threshold", "2", "--shares", "2", "--slip39-passphrase-file", slip);
        string[] files = [_kit.Share("share-1"), _kit.Share("share-2")];

        var (rc, ok) = ShareCommandKit.RevealFrom(files, "--slip39-passphrase-file", slip);
        Assert.True(rc == ExitCode.Success, ok.StderrText);
        Assert.Equal(TestKeys.Key1 + "\n", ok.StdoutText);

        // SLIP-0039 cannot tell a missing passphrase: the shares rebuild another key, which the files' public key exposes.
        // The files say a passphrase was used, so the error names that first rather than suspecting edited comments.
        Assert.Contains("# slip39-passphrase: yes\n", File.ReadAllText(files[0]));
        var (rcNone, none) = ShareCommandKit.RevealFrom(files);
        Assert.Equal(ExitCode.IdentityMismatch, rcNone);
        Assert.Contains("names key 89b59deb, but the shares rebuilt key", none.StderrText);
        Assert.Contains("the backup was made with a SLIP-0039 passphrase, and it was missing or wrong", none.StderrText);
        Assert.Contains("keyvault: hint: give the backup's SLIP-0039 passphrase, exactly as it was set, with --slip39-passphrase-file FILE", none.StderrText);
        Assert.DoesNotContain("comments were edited", none.StderrText);
        Assert.Equal("", none.StdoutText);

        // The bare words (no public-key comment) rebuild a different, valid key: exactly why the sheets print the identity.
        var bare = files.Select((f, i) => _kit.Write($"bare-{i}.txt", ShareCommandKit.Mnemonic(f) + "\n")).ToArray();
        var (rcBare, other) = ShareCommandKit.RevealFrom(bare, "--slip39-passphrase-file", _kit.Write("wrong.txt", "correct horsE\n"));
        Assert.Equal(ExitCode.Success, rcBare);
        Assert.NotEqual(TestKeys.Key1 + "\n", other.StdoutText);
        Assert.DoesNotContain(TestKeys.Key1PublicKey, other.StderrText);
    }

    [Fact]
    public void NoExtendableMakesSharesWithoutTheFlagThatStillRebuildTheKey()
    {
        _kit.Split("--threshold", "2", "--shares", "3", "--no-extendable");
        string[] files = [_kit.Share("share-3"), _kit.Share("share-1")];
        foreach (var f in files)
        {
            // Decoding checks the checksum under the customization string the flag selects: "shamir" here.
            Assert.False(Slip39.Decode(ShareCommandKit.Mnemonic(f)).Extendable);
            Assert.Contains("# extendable: no\n", File.ReadAllText(f));
        }
        var (rc, ok) = ShareCommandKit.RevealFrom(files);
        Assert.True(rc == ExitCode.Success, ok.StderrText);
        Assert.Equal(TestKeys.Key1 + "\n", ok.StdoutText);

        // The default stays the standard's recommendation.
        var other = _kit.Dir.File("default");
        Directory.CreateDirectory(other);
        var console = new TestConsole();
        Assert.Equal(ExitCode.Success, console.Run("split", _kit.KeyFile, "--out-dir", other, "--passphrase-file", _kit.PassFile, "--threshold", "2", "--shares", "2"));
        Assert.True(Slip39.Decode(ShareCommandKit.Mnemonic(Path.Combine(other, "share-1.txt"))).Extendable);
    }

    [Fact]
    public void ANonAsciiSlip39PassphraseIsRefusedBeforeTheKeyFilePassphrase()
    {
        var slip = _kit.Write("slip39.txt", "pässword\n");
        var console = new TestConsole();
        Assert.Equal(ExitCode.BadInput, console.Run("split", _kit.KeyFile, "--out-dir", _kit.OutDir, "--threshold", "2", "--shares", "3", "--slip39-passphrase-file", slip));
        Assert.Contains("outside printable ASCII", console.StderrText);
        Assert.Empty(console.Prompts);
        Assert.Empty(_kit.OutEntries());
    }

    [Fact]
    public void CombineChecksTheSlip39PassphraseFileBeforeAskingForShares()
    {
        var console = new TestConsole();
        Assert.Equal(ExitCode.BadInput, console.Run("combine", "--reveal-format", "hex", "--out", "-", "--slip39-passphrase-file", _kit.Write("p.txt", "naïve\n")));
        Assert.Contains("outside printable ASCII (at byte 3)", console.StderrText);
        Assert.Empty(console.Prompts);
    }

    [Fact]
    public void AWrongKeyFilePassphraseExits3AndWritesNothing()
    {
        var console = new TestConsole();
        Assert.Equal(ExitCode.AuthenticationFailed, console.Run("split", _kit.KeyFile, "--out-dir", _kit.OutDir, "--threshold", "2", "--shares", "3",
            "--passphrase-file", _kit.Write("wrong.txt", "not it\n")));
        Assert.Empty(_kit.OutEntries());
        Assert.Equal("", console.StdoutText);
    }

    [Theory]
    [InlineData("4", "3", "a threshold of 4 is not possible with 3 shares; it must be 2 to 3")]
    [InlineData("0", "3", "a threshold of 0 is not possible with 3 shares")]
    [InlineData("2", "17", "17 shares is not possible")]
    [InlineData("1", "3", "SLIP-0039 refuses 1-of-3")]
    public void ImpossibleLayoutsExit2AskNothingAndWriteNothing(string k, string n, string messagePart)
    {
        var console = new TestConsole();   // interactive, with no answers queued: any prompt would be recorded
        int rc = console.Run("split", _kit.KeyFile, "--out-dir", _kit.OutDir, "--threshold", k, "--shares", n);
        Assert.Equal(ExitCode.BadInput, rc);
        Assert.Empty(console.Prompts);
        Assert.Empty(_kit.OutEntries());
        var lines = console.StderrText.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("keyvault: error: ", lines[0]);
        Assert.Contains(messagePart, lines[0], StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("keyvault: hint: ", lines[1]);
    }

    [Theory]
    [InlineData(ExitCode.Usage, "--threshold and --shares are not used with --group", "--group", "2/3", "--threshold", "2", "--group-threshold", "1")]
    [InlineData(ExitCode.Usage, "--group-threshold is missing", "--group", "2/3", "--group", "2/2")]
    [InlineData(ExitCode.Usage, "is not of the form K/N", "--group", "2-3", "--group-threshold", "1")]
    [InlineData(ExitCode.Usage, "say how to split", "--custodian", "Alice")]
    [InlineData(ExitCode.Usage, "--threshold was given without --shares", "--threshold", "2")]
    [InlineData(ExitCode.BadInput, "group threshold", "--group", "2/3", "--group-threshold", "2")]
    [InlineData(ExitCode.BadInput, "2 custodian names were given for 3 shares", "--threshold", "2", "--shares", "3", "--custodian", "A", "--custodian", "B")]
    [InlineData(ExitCode.BadInput, "--iteration-exponent 16", "--threshold", "2", "--shares", "3", "--iteration-exponent", "16")]
    [InlineData(ExitCode.Usage, "--paper was not given", "--threshold", "2", "--shares", "3", "--png")]
    public void OptionErrorsAreCaughtBeforeAnythingIsAsked(int code, string messagePart, params string[] args)
    {
        var console = new TestConsole();
        Assert.Equal(code, console.Run(["split", _kit.KeyFile, "--out-dir", _kit.OutDir, .. args]));
        Assert.Contains(messagePart, console.StderrText);
        Assert.Empty(console.Prompts);
        Assert.Empty(_kit.OutEntries());
    }

    [Fact]
    public void AnExistingOutputFileMakesSplitWriteNothingAtAll()
    {
        var existing = Path.Combine(_kit.OutDir, "share-3.txt");
        File.WriteAllText(existing, "keep me");
        var console = new TestConsole();
        Assert.Equal(ExitCode.OutputFailure, console.Run("split", _kit.KeyFile, "--out-dir", _kit.OutDir, "--threshold", "2", "--shares", "4"));
        Assert.Contains("share-3.txt already exists", console.StderrText);
        Assert.Empty(console.Prompts);
        Assert.Equal(["share-3.txt"], _kit.OutEntries());
        Assert.Equal("keep me", File.ReadAllText(existing));

        var paper = new TestConsole();
        File.Delete(existing);
        File.WriteAllText(Path.Combine(_kit.OutDir, "share-2.pdf"), "keep me");
        Assert.Equal(ExitCode.OutputFailure, paper.Run("split", _kit.KeyFile, "--out-dir", _kit.OutDir, "--threshold", "2", "--shares", "4", "--paper"));
        Assert.Equal(["share-2.pdf"], _kit.OutEntries());
    }

    [Fact]
    public void AMissingOutDirIsRefusedBeforeThePassphrase()
    {
        var console = new TestConsole();
        Assert.Equal(ExitCode.OutputFailure, console.Run("split", _kit.KeyFile, "--out-dir", _kit.Dir.File("nowhere"), "--threshold", "2", "--shares", "3"));
        Assert.Contains("does not exist", console.StderrText);
        Assert.Empty(console.Prompts);
    }

    [Fact]
    public void ACustodianNameTheFontsCannotPrintFailsBeforeThePassphrase()
    {
        var console = new TestConsole();
        int rc = console.Run("split", _kit.KeyFile, "--out-dir", _kit.OutDir, "--threshold", "2", "--shares", "2", "--paper",
            "--custodian", "Alice", "--custodian", "王小明");
        Assert.Equal(ExitCode.OutputFailure, rc);
        Assert.Contains("custodian name", console.StderrText);
        Assert.Empty(console.Prompts);
        Assert.Empty(_kit.OutEntries());
    }

    [Fact]
    public void AWriteThatFailsHalfwayRemovesEveryFileAlreadyWritten()
    {
        // The command checks names first, so this drives the writer directly with a failure only rendering finds:
        // the third custodian's name has no glyphs, after two shares and the third text file are on disk.
        using var key = SecretKey.FromBytes(Convert.FromHexString(TestKeys.Key1));
        using var set = Slip39.Split(key, SplitLayout.Single(2, 4));
        using var renderer = new SheetRenderer();
        var options = new ShareOutputOptions(["Alice", "Bob", "王小明", "Dave"], Paper: true, Png: false, PaperSize.A4,
            StacksNetwork.Mainnet, new DateOnly(2025, 6, 1), PassphraseProtected: false);
        var console = new TestConsole();
        var ex = Assert.Throws<KeyVault.Errors.KeyVaultException>(() =>
        {
            using var files = new KeyVault.IO.FileSet(_kit.OutDir);
            ShareWriter.WriteAll(console, files, set, key.PublicKey, options, renderer);
        });
        Assert.Equal(KeyVault.Errors.ErrorKind.OutputFailure, ex.Kind);
        Assert.Contains("wrote share-2.txt, share-2.pdf", console.StderrText);
        Assert.Empty(_kit.OutEntries());
    }

    [Fact]
    public void CombineIntoAKeyFileAsksForItsPassphraseAndPrintsTheIdentity()
    {
        _kit.Split("--threshold", "2", "--shares", "3");
        var console = new TestConsole();
        console.Secrets.Enqueue("new file pass velvet orbit canyon");
        console.Secrets.Enqueue("new file pass velvet orbit canyon");
        var outPath = _kit.Dir.File("restored.kvk");
        int rc = console.Run(["combine", "--share-file", _kit.Share("share-3"), "--share-file", _kit.Share("share-1"), "--out", outPath,
            "--label", "restored", .. ShareCommandKit.WeakKdf]);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Equal(["Enter new passphrase: ", "Repeat new passphrase: "], console.Prompts);
        FileModes.AssertOwnerOnly(outPath);
        Assert.Contains(TestKeys.Key1PeerId, console.StdoutText);
        Assert.Contains("label          restored", console.StdoutText);
        Assert.Equal(TestKeys.Key1PublicKey, EncryptedKeyFile.Parse(File.ReadAllBytes(outPath)).PublicKey.Hex66);

        var reveal = new TestConsole();
        reveal.Secrets.Enqueue("new file pass velvet orbit canyon");
        Assert.Equal(ExitCode.Success, reveal.Run("reveal", outPath, "--out", "-"));
        Assert.Equal(TestKeys.Key1 + "\n", reveal.StdoutText);
    }

    [Fact]
    public void TypedSharesAreReAskedWhenMistypedAndAcceptUpperCasePrefixes()
    {
        _kit.Split("--threshold", "2", "--shares", "3");
        var share1 = ShareCommandKit.Mnemonic(_kit.Share("share-1"));
        var share2 = ShareCommandKit.Mnemonic(_kit.Share("share-2"));
        var words = share2.Split(' ');
        // One word replaced by another list word: every word is valid, only the checksum can tell.
        words[7] = words[7] == "academic" ? "acid" : "academic";
        var mistyped = string.Join(' ', words);
        var prefixes = string.Join("  ", share1.Split(' ').Select(w => w[..Math.Min(4, w.Length)].ToUpperInvariant()));

        var console = new TestConsole();
        console.Secrets.Enqueue(mistyped);
        console.Secrets.Enqueue(prefixes);
        console.Secrets.Enqueue(share2);
        console.Secrets.Enqueue("restored pass velvet orbit canyon");
        console.Secrets.Enqueue("restored pass velvet orbit canyon");
        var outPath = _kit.Dir.File("typed.kvk");
        int rc = console.Run(["combine", "--out", outPath, .. ShareCommandKit.WeakKdf]);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Equal(["Share 1: ", "Share 2: ", "Share 3: ", "Enter new passphrase: ", "Repeat new passphrase: "], console.Prompts);
        Assert.Contains("keyvault: error: share 1 has an invalid checksum", console.StderrText);
        Assert.Contains("1 of 2 shares; need 1 more share", console.StderrText);
        Assert.Contains("2 of 2 shares; enough shares", console.StderrText);
        Assert.Contains(TestKeys.Key1Mainnet, console.StdoutText);
        Assert.Equal(TestKeys.Key1PublicKey, EncryptedKeyFile.Parse(File.ReadAllBytes(outPath)).PublicKey.Hex66);
        // Nothing typed is echoed back.
        Assert.DoesNotContain(string.Join(' ', share1.Split(' ')[4..7]), console.StderrText + console.StdoutText);
        Assert.DoesNotContain(prefixes[..14], console.StderrText + console.StdoutText);
    }

    [Fact]
    public void AShareOfAnotherBackupTypedAtTheTerminalIsRefusedAndReAsked()
    {
        _kit.Split("--threshold", "2", "--shares", "3");
        var share1 = ShareCommandKit.Mnemonic(_kit.Share("share-1"));
        var share3 = ShareCommandKit.Mnemonic(_kit.Share("share-3"));
        using var otherKey = KeyVault.Keys.KeyGenerator.Generate();
        using var other = KeyVault.Shares.Slip39.Split(otherKey, KeyVault.Shares.SplitLayout.Single(2, 3), iterationExponent: 0);

        var console = new TestConsole();
        console.Secrets.Enqueue(share1);
        console.Secrets.Enqueue(other.Shares[1].Mnemonic);
        console.Secrets.Enqueue(share3);
        var outPath = _kit.Dir.File("key.hex");
        int rc = console.Run("combine", "--out", outPath, "--reveal-format", "hex");
        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Equal(["Share 1: ", "Share 2: ", "Share 3: "], console.Prompts);
        Assert.Contains("keyvault: error: ", console.StderrText);
        Assert.Equal(TestKeys.Key1 + "\n", File.ReadAllText(outPath));
    }

    [Fact]
    public void AnEmptyLineAtTheTerminalIsAskedAgainAndTheEndOfInputSaysHowManyAreMissing()
    {
        _kit.Split("--threshold", "3", "--shares", "3");
        var console = new TestConsole();
        console.Secrets.Enqueue(ShareCommandKit.Mnemonic(_kit.Share("share-2")));
        console.Secrets.Enqueue("");
        console.Secrets.Enqueue(ShareCommandKit.Mnemonic(_kit.Share("share-3")));
        console.Secrets.Enqueue(null);
        Assert.Equal(ExitCode.RebuildFailed, console.Run(["combine", "--out", _kit.Dir.File("never.kvk"), .. ShareCommandKit.WeakKdf]));
        // The empty line lost nothing: the share typed before it still counts, and so does the one after.
        Assert.Contains("nothing was typed; type the next share, or press Ctrl-D to stop (1 kept so far)", console.StderrText);
        Assert.Equal(["Share 1: ", "Share 2: ", "Share 2: ", "Share 3: "], console.Prompts);
        Assert.Contains("need 1 more share (3 required, 2 given)", console.StderrText);
        Assert.False(File.Exists(_kit.Dir.File("never.kvk")));
    }

    [Fact]
    public void PipedSharesOnePerLineRevealTheKey()
    {
        _kit.Split("--threshold", "3", "--shares", "4");
        var lines = new[] { 4, 1, 3 }.Select(i => ShareCommandKit.Mnemonic(_kit.Share($"share-{i}"))).ToArray();
        var console = new TestConsole { Interactive = false }.WithStdin($"{lines[0]}\r\n\n{lines[1].ToUpperInvariant()}\n{lines[2]}");
        Assert.Equal(ExitCode.Success, console.Run("combine", "--reveal-format", "stacks", "--out", "-"));
        Assert.Equal(TestKeys.Key1 + "01\n", console.StdoutText);
        Assert.Contains(TestKeys.Key1Mainnet, console.StderrText);
        Assert.Empty(console.Prompts);

        var few = new TestConsole { Interactive = false }.WithStdin(lines[0] + "\n" + lines[1] + "\n");
        Assert.Equal(ExitCode.RebuildFailed, few.Run("combine", "--reveal-format", "hex", "--out", "-"));
        Assert.Contains("need 1 more share (3 required, 2 given)", few.StderrText);
        Assert.Equal("", few.StdoutText);
    }

    [Fact]
    public void A_scanned_barcode_among_piped_shares_is_named_not_read_as_a_bad_word()
    {
        // zbarimg with every symbology on prints a linear barcode it found in a sheet's text as one more line of digits.
        _kit.Split("--threshold", "2", "--shares", "3");
        var lines = new[] { 1, 2 }.Select(i => ShareCommandKit.Mnemonic(_kit.Share($"share-{i}"))).ToArray();
        var console = new TestConsole { Interactive = false }.WithStdin($"{lines[0]}\n4006381333931\n{lines[1]}\n");
        Assert.Equal(ExitCode.BadInput, console.Run("combine", "--reveal-format", "hex", "--out", "-"));
        Assert.Contains("share 2 holds no words", console.StderrText);
        Assert.Contains("-Sqrcode.enable", console.StderrText);
        Assert.Equal("", console.StdoutText);

        // At the terminal the line is explained and the next one asked for; nothing collected is lost.
        var typed = new TestConsole();
        foreach (var line in new[] { lines[0], "4006381333931", lines[1] }) typed.Secrets.Enqueue(line);
        Assert.True(ExitCode.Success == typed.Run("combine", "--reveal-format", "hex", "--out", "-"), typed.StderrText);
        Assert.Contains("holds no words", typed.StderrText);
        Assert.Equal(TestKeys.Key1 + "\n", typed.StdoutText);
    }

    [Fact]
    public void PipedSharesIntoAKeyFileNeedAPassphraseFileAndFailBeforeReadingShares()
    {
        var console = new TestConsole { Interactive = false }.WithStdin("not read\n");
        Assert.Equal(ExitCode.Usage, console.Run(["combine", "--out", _kit.Dir.File("k.kvk"), .. ShareCommandKit.WeakKdf]));
        Assert.Contains("no terminal to ask for the new key file's passphrase", console.StderrText);
        Assert.DoesNotContain("accepted", console.StderrText);

        var twoStdin = new TestConsole { Interactive = false };
        Assert.Equal(ExitCode.Usage, twoStdin.Run(["combine", "--out", _kit.Dir.File("k.kvk"), "--passphrase-file", "-", .. ShareCommandKit.WeakKdf]));
        Assert.Contains("only one input can come from standard input", twoStdin.StderrText);
    }

    [Fact]
    public void RevealToAFileIsNewAnd0600AndKeyFileOptionsDoNotMixWithIt()
    {
        _kit.Split("--threshold", "2", "--shares", "2");
        string[] files = [_kit.Share("share-1"), _kit.Share("share-2")];
        var outPath = _kit.Dir.File("signer.env");
        var (rc, console) = ShareCommandKit.RevealFrom(files);
        Assert.Equal(ExitCode.Success, rc);

        var env = new TestConsole();
        Assert.Equal(ExitCode.Success, env.Run("combine", "--share-file", files[0], "--share-file", files[1], "--reveal-format", "env", "--out", outPath));
        Assert.Equal($"SIGNER_SIGNER__PRIVATE_KEY={TestKeys.Key1}\n", File.ReadAllText(outPath));
        FileModes.AssertOwnerOnly(outPath);
        Assert.Contains(TestKeys.Key1PublicKey, env.StdoutText);

        var again = new TestConsole();
        Assert.Equal(ExitCode.OutputFailure, again.Run("combine", "--share-file", files[0], "--share-file", files[1], "--reveal-format", "env", "--out", outPath));
        Assert.DoesNotContain("accepted", again.StderrText);

        var mixed = new TestConsole();
        Assert.Equal(ExitCode.Usage, mixed.Run("combine", "--share-file", files[0], "--reveal-format", "hex", "--out", "-", "--armor"));
        Assert.Contains("--armor applies to the encrypted key file", mixed.StderrText);

        var keyFileToStdout = new TestConsole();
        Assert.Equal(ExitCode.Usage, keyFileToStdout.Run("combine", "--share-file", files[0], "--out", "-"));
    }

    [Fact]
    public void CombineToAnExistingKeyFileIsRefusedBeforeAnyShareIsAsked()
    {
        var existing = _kit.Write("exists.kvk", "x");
        var console = new TestConsole();
        Assert.Equal(ExitCode.OutputFailure, console.Run(["combine", "--out", existing, .. ShareCommandKit.WeakKdf]));
        Assert.Empty(console.Prompts);
        Assert.Equal("x", File.ReadAllText(existing));
    }

    [Fact]
    public void AMalformedShareFileIsBadInputAndNamesTheFile()
    {
        _kit.Split("--threshold", "2", "--shares", "2");
        var text = File.ReadAllText(_kit.Share("share-2"));
        var broken = _kit.Write("broken.txt", text.Replace("# share: 2 of 2", "# share: 1 of 2"));
        var (rc, console) = ShareCommandKit.RevealFrom([_kit.Share("share-1"), broken]);
        Assert.Equal(ExitCode.BadInput, rc);
        Assert.Contains("broken.txt, line 2", console.StderrText);
        Assert.Equal("", console.StdoutText);
    }

    [Fact]
    public void SharesOfAnotherKeyAreAnIdentityMismatchNotAKey()
    {
        _kit.Split("--threshold", "2", "--shares", "2");
        var text = File.ReadAllText(_kit.Share("share-1"));
        var other = PublicKey.ParseHex(TestKeys.Key2PublicKey);
        var relabelled = text.Replace(TestKeys.Key1PublicKey, TestKeys.Key2PublicKey)
            .Replace(PublicKey.ParseHex(TestKeys.Key1PublicKey).Fingerprint, other.Fingerprint);
        var file = _kit.Write("relabelled.txt", relabelled);
        var (rc, console) = ShareCommandKit.RevealFrom([file, _kit.Share("share-2")]);
        Assert.Equal(ExitCode.IdentityMismatch, rc);
        Assert.Equal("", console.StdoutText);
    }
}
