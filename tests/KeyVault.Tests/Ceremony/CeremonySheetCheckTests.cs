using KeyVault.Errors;
using KeyVault.Flows;
using KeyVault.Keys;
using KeyVault.Shares;
using KeyVault.Sheets;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Ceremony;

/// <summary>
/// Step 5 at the terminal: each custodian reads the sheet back (the whole share, or four random words) before the
/// next sheet is printed; a sheet that cannot be confirmed is printed again or the ceremony is aborted, leaving nothing.
/// </summary>
public sealed class CeremonySheetCheckTests : CeremonyFlowFixture
{
    [Fact]
    public void TheCheckAcceptsTheSheetsQrCodeAsAScannerTypesIt()
    {
        SheetTools.RequireTools();
        var op = Operator("yes", "yes", "2", "2", "Alice", "Bob", "yes", "no");
        op.SecretResponder = prompt => SheetTools.Scan(Path.Combine(Out, $"share-{ShareAsked(prompt)}.pdf"), Dir.Path);
        Run(op, Settings() with { PaperSize = PaperSize.Letter });
        Assert.Contains("note: share 1 confirmed: Alice holds a readable sheet", op.Transcript);
        Assert.Contains("note: share 2 confirmed: Bob holds a readable sheet", op.Transcript);
    }

    [Fact]
    public void WordsModeAsksFourRandomWordsAndAcceptsFourLetterPrefixes()
    {
        var op = Operator("yes", "yes", "3", "2", "Alice", "Bob", "Carol", "yes", "yes");
        op.SecretResponder = prompt => ShareText(ShareAsked(prompt)).Split(' ')[WordAsked(prompt) - 1][..4].ToUpperInvariant();
        Run(op, Settings() with { Check = CheckMode.Words });

        foreach (var c in TranscriptJson().GetProperty("custodians").EnumerateArray())
        {
            var check = c.GetProperty("sheetCheck");
            Assert.Equal("words", check.GetProperty("method").GetString());
            var positions = check.GetProperty("wordPositions").EnumerateArray().Select(p => p.GetInt32()).ToList();
            Assert.Equal(SheetCheck.WordsAsked, positions.Distinct().Count());
            Assert.All(positions, p => Assert.InRange(p, SheetCheck.FirstDistinctWord, 33));
            Assert.Equal(positions.Order(), positions);
        }
        Assert.Equal(3 * SheetCheck.WordsAsked, op.Questions.Count(IsWordQuestion));
        // Shredded at the operator's word: the shares now exist only on paper.
        Assert.DoesNotContain(OutEntries(), e => e.StartsWith("share-"));
    }

    [Fact]
    public void AWrongWordIsNamedAndAskedAgain()
    {
        var op = Operator("yes", "yes", "1", "1", "Solo", "yes", "no");
        bool first = true;
        op.SecretResponder = prompt =>
        {
            var word = ShareText(1).Split(' ')[WordAsked(prompt) - 1];
            if (!first) return word;
            first = false;
            return word == "zero" ? "acid" : "zero";
        };
        Run(op, Settings() with { Check = CheckMode.Words });
        var problem = Assert.Single(op.Problems);
        Assert.Matches(@"^share 1: word \d+ does not match the sheet$", problem.Message);
        Assert.Equal(2 * SheetCheck.WordsAsked, op.Questions.Count(IsWordQuestion));
    }

    [Fact]
    public void AbortAfterThreeFailedChecksLeavesNothingBehind()
    {
        var op = Operator("yes", "yes", "3", "2", "Alice", "Bob", "Carol", "yes", "a");
        op.SecretResponder = prompt =>
        {
            int n = ShareAsked(prompt);
            return n == 2 ? Mistype(ShareText(2)) : ShareText(n);
        };
        var ex = Stopped(op, Settings());
        Assert.Equal(ErrorKind.Cancelled, ex.Kind);
        Assert.Contains("the sheet of share 2 (Bob) could not be confirmed", ex.Message);
        Assert.Equal(3, op.Questions.Count(p => p.StartsWith("Share 2 (Bob)")));
        Assert.Empty(OutEntries());
        Assert.Contains("note: shred every sheet printed during this run: it belongs to no recorded key", op.Transcript);
        Assert.DoesNotContain("== Step 6 of 7", op.Text);
    }

    [Fact]
    public void ReprintGivesThreeMoreAttemptsAndIsRecorded()
    {
        var op = Operator("yes", "yes", "2", "2", "Alice", "Bob", "yes", "r", "no");
        int attempts = 0;
        op.SecretResponder = prompt =>
        {
            int n = ShareAsked(prompt);
            return n == 1 && ++attempts <= 3 ? "" : ShareText(n);
        };
        Run(op, Settings());
        // The choice comes after exactly three attempts, and the new print gets its own.
        var choice = op.Questions.FindIndex(q => q.Contains("[r = print it again and check again / a = abort the ceremony]"));
        Assert.Equal(3, op.Questions.Take(choice).Count(q => q.StartsWith("Share 1 (Alice)", StringComparison.Ordinal)));
        Assert.Contains(op.Transcript, l => l.StartsWith("note: print share-1.pdf again", StringComparison.Ordinal));
        var alice = TranscriptJson().GetProperty("custodians")[0].GetProperty("sheetCheck");
        Assert.Equal(4, alice.GetProperty("attempts").GetInt32());
        Assert.Equal(2, alice.GetProperty("prints").GetInt32());
    }

    [Fact]
    public void EndOfInputAtACheckStopsAndDeletesEverything()
    {
        var op = Operator("yes", "yes", "3", "2", "Alice", "Bob", "Carol", "yes");
        op.SecretResponder = prompt => ShareAsked(prompt) == 3 ? null : ShareText(ShareAsked(prompt));
        var ex = Stopped(op, Settings());
        Assert.Equal(ErrorKind.Cancelled, ex.Kind);
        Assert.Contains("the input ended before the ceremony was complete", ex.Message);
        Assert.Contains(op.Questions, q => q.StartsWith("Share 3 (Carol)", StringComparison.Ordinal));
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
