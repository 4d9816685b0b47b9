using System.Text;
using KeyVault.Shares;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Shares;

public class WordListTests
{
    [Fact]
    public void EmbeddedListEqualsTheStandardsFileByteForByte()
    {
        var path = External.RepoFile("test-vectors/slip39/wordlist.txt");
        var expected = File.ReadAllBytes(path);
        var sb = new StringBuilder();
        foreach (var w in WordList.Words) sb.Append(w).Append('\n');
        Assert.Equal(expected, Encoding.ASCII.GetBytes(sb.ToString()));
    }

    [Fact]
    public void WordsAreSortedAndUniqueInTheirFirstFourLetters()
    {
        var words = WordList.Words.ToArray();
        Assert.Equal(1024, words.Length);
        Assert.Equal(words.Order(StringComparer.Ordinal), words);
        Assert.Equal(1024, words.Select(w => w[..4]).Distinct().Count());
    }

    [Fact]
    public void EveryWordIsFoundByItselfAndByEachPrefixOfAtLeastFourLetters()
    {
        var words = WordList.Words;
        for (int i = 0; i < words.Length; i++)
            for (int len = 4; len <= words[i].Length; len++)
                Assert.Equal(i, ShareCodec.Lookup(words[i].AsSpan(0, len)));
    }

    [Theory]
    [InlineData("aca")]      // too short to be unique
    [InlineData("acadx")]    // right prefix, wrong continuation
    [InlineData("academics")]
    [InlineData("zzzz")]
    [InlineData("")]
    public void NonWordsAreNotFound(string token) => Assert.Equal(-1, ShareCodec.Lookup(token));
}
