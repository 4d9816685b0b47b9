using System.Text;
using KeyVault.Text;

namespace KeyVault.Tests.Text;

public class PassphraseStrengthTests
{
    private static StrengthEstimate Of(string text) => PassphraseStrength.Estimate(Encoding.UTF8.GetBytes(text));

    [Theory]
    [InlineData("x")]
    [InlineData("pw1")]
    [InlineData("password123")]
    [InlineData("Tr0ub4dor&3")]
    [InlineData("qwertyuiop")]
    [InlineData("1234567890")]
    [InlineData("correcthorse")]
    [InlineData("correct horse")]
    [InlineData("P@ssw0rd!")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("abcabcabcabcabcabc")]
    [InlineData("19/07/1987")]
    [InlineData("old pass")]
    public void RefusesCommonChoices(string weak)
    {
        var estimate = Of(weak);
        Assert.True(estimate.BelowFloor, $"{weak}: 10^{estimate.Log10Guesses:F1} guesses, {string.Join(", ", estimate.Segments)}");
    }

    [Theory]
    // Four and five words drawn from the EFF diceware list, and random strings.
    [InlineData("correct horse battery staple")]
    [InlineData("correcthorsebatterystaple")]
    [InlineData("stove unwashed scorpion grumbling")]
    [InlineData("gorilla pacify unfold tributary viral")]
    [InlineData("k9#Xq!mP2wLr7@vZ")]
    [InlineData("wq4n-8fhs-zp2t-v6ke")]
    [InlineData("Фёдор пишет письма вечером")]
    // The passphrases of demo.sh, docs/ceremony.md and the ceremony benchmark, which must keep running.
    [InlineData("correct horse battery staple (demo only)")]
    [InlineData("rehearsal passphrase, not a real one")]
    [InlineData("benchmark passphrase, not a real one")]
    public void AcceptsStrongPassphrases(string strong)
    {
        var estimate = Of(strong);
        Assert.False(estimate.BelowFloor, $"10^{estimate.Log10Guesses:F1} guesses, {string.Join(", ", estimate.Segments)}");
    }

    [Theory]
    // Expected figures worked by hand from the rules in docs/passphrase-strength.md (within a factor of 2).
    [InlineData("x", 1.415)]            // one lowercase character alone: 26
    [InlineData("pw1", 3.830)]           // 26 × 26 × 10 = 6,760
    [InlineData("aaaaaaaa", 2.318)]      // repeat: base "a" (26) × 8 = 208
    [InlineData("abcdefgh", 1.505)]      // sequence from an obvious start: 4 × 8 = 32
    [InlineData("9876543210", 1.903)]    // descending sequence from 9: 4 × 2 × 10 = 80
    [InlineData("qwertyuiop", 1.362)]    // rank 23 in the password list
    public void EstimatesKnownExamples(string text, double log10)
    {
        var estimate = Of(text);
        Assert.InRange(estimate.Log10Guesses, log10 - 0.3, log10 + 0.3);
    }

    [Fact]
    public void DecomposesIntoRecognisedPieces()
    {
        var estimate = Of("Horse1987battery");
        Assert.Equal([StrengthPattern.Dictionary, StrengthPattern.Date, StrengthPattern.Dictionary], estimate.Segments.Select(s => s.Pattern));
        Assert.Equal([0, 5, 9], estimate.Segments.Select(s => s.Start));
        Assert.Equal([5, 4, 7], estimate.Segments.Select(s => s.Length));
        // horse (rank 914, capitalised: × 2), 1987 (39 years from 2026), battery (rank 3,896), × 3! pieces.
        double expected = Math.Log10(914 * 2.0 * Math.Max(Math.Abs(1987 - DateTime.UtcNow.Year), 20) * 3896 * 6);
        Assert.InRange(estimate.Log10Guesses, expected - 0.3, expected + 0.3);
    }

    [Fact]
    public void RecognisesLeetAndReversedWords()
    {
        var leet = Of("p4ssw0rd");
        Assert.Single(leet.Segments);
        Assert.Equal(StrengthPattern.Dictionary, leet.Segments[0].Pattern);
        var reversed = Of("drowssap");
        Assert.Equal(StrengthPattern.Dictionary, Assert.Single(reversed.Segments).Pattern);
        Assert.True(reversed.Log10Guesses > Of("password").Log10Guesses);
    }

    [Fact]
    public void RatesARandomStringByItsAlphabet()
    {
        // 16 characters with no recognised piece: 26^4 × 26^4 × 10^4 × 33^4 … counted per class, not at 10 each.
        var estimate = Of("zjxqvkwpZJXQVKWP");
        Assert.Equal(StrengthPattern.BruteForce, Assert.Single(estimate.Segments).Pattern);
        Assert.InRange(estimate.Log10Guesses, 16 * Math.Log10(26) - 0.01, 16 * Math.Log10(26) + 0.01);
    }

    [Fact]
    public void HandlesTheLongestPassphrase()
    {
        var random = new Random(7);
        var text = new string(Enumerable.Range(0, 1024).Select(_ => (char)random.Next(0x21, 0x7f)).ToArray());
        var repeated = new string('a', 1024);
        Assert.False(Of(text).BelowFloor);
        Assert.True(Of(repeated).BelowFloor);
        // Only the start is analysed: a weak start is refused whatever follows.
        Assert.Equal(PassphraseStrength.MaxAnalysedCharacters, Of(repeated).Segments.Sum(s => s.Length));
        Assert.True(Of(new string('a', 200) + text).BelowFloor);
    }
}
