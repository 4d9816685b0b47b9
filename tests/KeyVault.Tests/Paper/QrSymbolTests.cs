using KeyVault.Paper;
using KeyVault.Sheets;

namespace KeyVault.Tests.Paper;

public class QrSymbolTests
{
    [Fact]
    public void A33WordShareIsVersion11AtLevelQBecauseItUsesAlphanumericMode()
    {
        foreach (var mnemonic in PaperFixtures.Shares256)
        {
            var upper = QrSymbol.Encode(QrPayload.ForMnemonic(mnemonic.Split(' ')));
            Assert.Equal(11, upper.Version);
            Assert.Equal(17 + 4 * 11, upper.Size);
            // The same text in lower case can only be byte mode, which needs a bigger symbol.
            var lower = QrSymbol.Encode(mnemonic);
            Assert.True(lower.Version >= 13, $"byte mode gave version {lower.Version}");
        }
    }

    [Fact]
    public void A20WordShareIsVersion8AtLevelQ()
    {
        foreach (var mnemonic in PaperFixtures.Shares128)
            Assert.Equal(8, QrSymbol.Encode(QrPayload.ForMnemonic(mnemonic.Split(' '))).Version);
    }

    [Fact]
    public void TheLongestPossible33WordShareStillFitsInVersion12()
    {
        // Every word eight letters long (the longest in the list): 33·8 + 32 = 296 characters, exactly the
        // alphanumeric capacity of version 12 at level Q (206 data codewords: (1648 − 4 − 11) / 5.5 = 296).
        var words = Enumerate(33, "ACADEMIC").ToArray();
        Assert.Equal(12, QrSymbol.Encode(string.Join(' ', words)).Version);
    }

    [Fact]
    public void TheTestKeyFileFitsInVersion17()
    {
        Assert.Equal(17, QrSymbol.Encode(QrPayload.ForArmoredText(PaperFixtures.ArmoredLines())).Version);
    }

    [Fact]
    public void RunsCoverExactlyTheDarkModulesAndAreMaximal()
    {
        var symbol = QrSymbol.Encode(QrPayload.ForMnemonic(PaperFixtures.Shares256[0].Split(' ')));
        var rebuilt = new bool[symbol.Size, symbol.Size];
        var runs = symbol.DarkRuns().ToList();
        foreach (var (row, column, length) in runs)
        {
            Assert.True(length >= 1);
            // Maximal: the modules just outside a run are light (or off the edge).
            Assert.True(column == 0 || !symbol.IsDark(row, column - 1));
            Assert.True(column + length == symbol.Size || !symbol.IsDark(row, column + length));
            for (var c = column; c < column + length; c++)
            {
                Assert.False(rebuilt[row, c], "modules covered twice");
                rebuilt[row, c] = true;
            }
        }
        for (var r = 0; r < symbol.Size; r++)
            for (var c = 0; c < symbol.Size; c++)
                Assert.Equal(symbol.IsDark(r, c), rebuilt[r, c]);
        // The three finder patterns' corners are dark: the crop removed QRCoder's quiet zone and nothing more.
        Assert.True(symbol.IsDark(0, 0) && symbol.IsDark(0, symbol.Size - 1) && symbol.IsDark(symbol.Size - 1, 0));
        var darkModules = runs.Sum(r => r.Length);
        Assert.True(runs.Count < darkModules * 3 / 4, $"{runs.Count} runs for {darkModules} dark modules: neighbours are not merged");
    }

    [Fact]
    public void WipeClearsTheMatrix()
    {
        var symbol = QrSymbol.Encode("WIPE ME");
        symbol.Wipe();
        Assert.Empty(symbol.DarkRuns());
    }

    private static IEnumerable<string> Enumerate(int n, string word)
    {
        for (var i = 0; i < n; i++) yield return word;
    }
}
