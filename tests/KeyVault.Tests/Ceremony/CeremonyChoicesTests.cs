using KeyVault.Errors;
using KeyVault.IO;
using KeyVault.KeyFile;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Ceremony;

/// <summary>
/// Whole ceremonies with the operator's other choices: an imported key, dice, shredding at the end, and answers at
/// the terminal that are wrong at first. Each ends with a backup that restores the recorded key.
/// </summary>
public sealed class CeremonyChoicesTests : CeremonyFlowFixture
{
    [Fact]
    public void AnImportedKeyIsTheKeyTheSharesRestore()
    {
        var keyFile = WriteFile("signer-config.toml", $"[signer]\nprivate_key = \"{TestKeys.Key1}01\"\n");
        var op = Operator();
        Run(op, Settings("threshold = 3\ncustodians = [\"A\", \"B\", \"C\", \"D\", \"E\"]\nsheet-check = \"automated\"\n") with { ImportPath = keyFile });

        var transcript = TranscriptJson();
        Assert.Equal("imported", transcript.GetProperty("key").GetProperty("source").GetString());
        Assert.Equal(TestKeys.Key1PublicKey, transcript.GetProperty("key").GetProperty("identity").GetProperty("publicKey").GetString());
        Assert.Equal(TestKeys.Key1Mainnet, transcript.GetProperty("key").GetProperty("identity").GetProperty("stacksAddress").GetProperty("mainnet").GetString());
        using (var key = Restore([ShareText(5), ShareText(2), ShareText(4)]))
            Assert.Equal(TestKeys.Key1, KeyHex(key));
        var shares = Enumerable.Range(1, 5).Select(ShareText).ToList();
        AssertNoSecret(File.ReadAllText(Path.Combine(Out, "transcript.md")), TestKeys.Key1, shares);
        AssertNoSecret(File.ReadAllText(Path.Combine(Out, "transcript.json")), TestKeys.Key1, shares);
        AssertNoSecret(op.Text, TestKeys.Key1, shares);
        Assert.Throws<KeyVaultException>(() => Restore([ShareText(1), ShareText(3)]).Dispose());
    }

    [Fact]
    public void ShreddingAtTheEndLeavesOnlyTheKeyFileReportAndTranscript()
    {
        Run(Operator(), Settings(Answers2Of3 + "shred-share-files = true\n"));
        var transcript = TranscriptJson();
        var fingerprint = transcript.GetProperty("key").GetProperty("identity").GetProperty("fingerprint").GetString();
        Assert.Equal(["drill-report.json", "manifest.json", $"signer-key-{fingerprint}.kvk", $"signer-key-{fingerprint}.pdf", "transcript.json", "transcript.md"], OutEntries());
        Assert.True(transcript.GetProperty("shareFilesShredded").GetBoolean());
        // The transcript still records the checksums of the share files that were printed and then shredded.
        Assert.Equal(6, transcript.GetProperty("files").EnumerateArray().Count(f => f.GetProperty("name").GetString()!.StartsWith("share-")));
        Assert.Contains("the printed sheets are the only copies", File.ReadAllText(Path.Combine(Out, "transcript.md")));
    }

    [Fact]
    public void BadAnswersAndAMistypedShareAreExplainedAndAskedAgain()
    {
        // 0 and 17 custodians, thresholds 1 and 4 of 3, an empty and a repeated name are refused: each is asked again.
        var op = Operator("yes", "yes", "0", "17", "3", "1", "4", "2", "Alice", "", "alice", "Bob", "Carol", "yes", "no");
        op.Secrets.Enqueue(PassphraseText);
        op.Secrets.Enqueue(PassphraseText);
        int share2Attempts = 0;
        op.SecretResponder = prompt =>
        {
            int n = ShareAsked(prompt);
            if (n == 2 && ++share2Attempts == 1) return Mistype(ShareText(2));
            return ShareText(n).ToUpperInvariant(); // a QR scanner types upper case
        };
        Run(op, Settings() with { PassphraseFile = null });

        var problems = op.Problems.Select(p => p.Message).ToList();
        Assert.Contains(problems, p => p.Contains("0 shares is not possible"));
        Assert.Contains(problems, p => p.Contains("17 shares is not possible"));
        Assert.Contains(problems, p => p.Contains("a threshold of 1 with 3 shares"));
        Assert.Contains(problems, p => p.Contains("a threshold of 4 is not possible with 3 shares; it must be 2 to 3"));
        Assert.Contains(problems, p => p.Contains("the name of the custodian of share 2 is empty"));
        Assert.Contains(problems, p => p.Contains("the custodian of share 2 has the same name as the custodian of share 1"));
        Assert.Contains(problems, p => p.Contains("share 2: the share has an invalid checksum"));
        Assert.Equal(2, op.Questions.Count(p => p.StartsWith("Share 2 (Bob)")));
        for (int step = 1; step <= 7; step++) Assert.Contains(op.Transcript, l => l.StartsWith($"== Step {step} of 7:", StringComparison.Ordinal));

        var transcript = TranscriptJson();
        Assert.Equal("interactive", transcript.GetProperty("mode").GetString());
        var custodians = transcript.GetProperty("custodians").EnumerateArray().ToList();
        Assert.Equal(["Alice", "Bob", "Carol"], custodians.Select(c => c.GetProperty("name").GetString()));
        Assert.Equal([1, 2, 1], custodians.Select(c => c.GetProperty("sheetCheck").GetProperty("attempts").GetInt32()));
        Assert.All(custodians, c => Assert.Equal("full-share", c.GetProperty("sheetCheck").GetProperty("method").GetString()));
        Assert.False(transcript.GetProperty("shareFilesShredded").GetBoolean());

        var fingerprint = transcript.GetProperty("key").GetProperty("identity").GetProperty("fingerprint").GetString();
        using var passphrase = Passphrase.FromChars(PassphraseText);
        using var fromFile = EncryptedKeyFile.Parse(File.ReadAllBytes(Path.Combine(Out, $"signer-key-{fingerprint}.kvk"))).Decrypt(passphrase);
        using var fromShares = Restore([ShareText(1), ShareText(3)]);
        Assert.Equal(fromFile.PublicKey, fromShares.PublicKey);
    }

    [Fact]
    public void DiceRollsAreAskedWithoutEchoAndRecorded()
    {
        var op = Operator("yes", "yes", "2", "2", "Alice", "Bob", "yes", "no");
        op.Secrets.Enqueue(string.Concat(Enumerable.Repeat("123456", 17)));
        op.SecretResponder = prompt => ShareText(ShareAsked(prompt));
        Run(op, Settings() with { Dice = true });
        Assert.Equal("generated-with-dice", TranscriptJson().GetProperty("key").GetProperty("source").GetString());
        Assert.Contains(op.Questions, q => q.StartsWith("Rolls (", StringComparison.Ordinal));
        Assert.DoesNotContain("123456", op.Text);
        Assert.DoesNotContain(op.Questions, q => q.Contains("123456"));
    }
}
