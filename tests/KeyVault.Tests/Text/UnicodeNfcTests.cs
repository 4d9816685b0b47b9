using KeyVault.IO;
using KeyVault.Tests.Support;
using KeyVault.Text;

namespace KeyVault.Tests.Text;

public class UnicodeNfcTests
{
    private static IEnumerable<(string Input, string Expected)> Cases()
    {
        var path = Path.Combine(External.RepoRoot, "tests", "KeyVault.Tests", "Text", "nfc-cases.txt");
        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith('#') || line.Length == 0) continue;
            var halves = line.Split(';');
            yield return (Decode(halves[0]), Decode(halves[1]));
        }
    }

    private static string Decode(string hex) =>
        string.Concat(hex.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(h => char.ConvertFromUtf32(Convert.ToInt32(h, 16))));

    [Fact]
    public void MatchesTheReferenceOnEveryGeneratedCase()
    {
        var failures = new List<string>();
        int count = 0;
        foreach (var (input, expected) in Cases())
        {
            count++;
            var actual = UnicodeNfc.Normalize(input);
            if (actual != expected && failures.Count < 10)
                failures.Add($"{Hex(input)} -> {Hex(actual)}, expected {Hex(expected)}");
        }
        Assert.True(count > 5000, $"only {count} cases read");
        Assert.Empty(failures);
    }

    private static string Hex(string s) => string.Join(' ', s.EnumerateRunes().Select(r => r.Value.ToString("X4")));

    [Theory]
    [InlineData("Zu\u0308rich", "Z\u00FCrich")]
    [InlineData("\u1100\u1161\u11A8", "\uAC01")]                 // Hangul jamo compose algorithmically
    [InlineData("a\u0323\u0302", "\u1EAD")]                      // marks reordered by class, then composed
    [InlineData("a\u0302\u0323", "\u1EAD")]
    [InlineData("\u212B", "\u00C5")]                             // singleton: Angstrom sign becomes A with ring
    [InlineData("\u0958", "\u0915\u093C")]                       // composition exclusion stays decomposed
    [InlineData("plain ascii", "plain ascii")]
    public void KnownExamples(string input, string expected) => Assert.Equal(expected, UnicodeNfc.Normalize(input));

    [Fact]
    public void LoneSurrogateIsRejected() => Assert.Throws<ArgumentException>(() => UnicodeNfc.Normalize("a\uD800b"));

    [Fact]
    public void PassphraseTypedDecomposedEqualsPassphraseTypedComposed()
    {
        using var nfd = Passphrase.FromChars("Zu\u0308rich".ToCharArray());
        using var nfc = Passphrase.FromChars("Z\u00FCrich".ToCharArray());
        Assert.True(nfd.SameAs(nfc));
        Assert.Equal("5ac3bc72696368", Convert.ToHexStringLower(nfd.Utf8));
    }
}
