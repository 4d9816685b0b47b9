using KeyVault.Errors;
using KeyVault.Sheets;

namespace KeyVault.Tests.Paper;

public class QrPayloadTests
{
    [Fact]
    public void MnemonicBecomesUpperCaseWordsSeparatedBySingleSpaces()
    {
        var mnemonic = PaperFixtures.Shares256[0];
        var payload = QrPayload.ForMnemonic(mnemonic.Split(' '));
        Assert.Equal(mnemonic.ToUpperInvariant(), payload);
        Assert.DoesNotContain("  ", payload);
        Assert.All(payload, c => Assert.True(c == ' ' || c is >= 'A' and <= 'Z'));
    }

    [Theory]
    [InlineData("acad3mic")]
    [InlineData("acade mic")]
    [InlineData("académic")]
    [InlineData("abc")]
    [InlineData("academics")]
    [InlineData("")]
    public void AWordThatIsNotFourToEightLettersIsRejectedWithoutEchoingIt(string bad)
    {
        var words = PaperFixtures.Shares128[0].Split(' ');
        words[6] = bad;
        var e = Assert.Throws<KeyVaultException>(() => QrPayload.ForMnemonic(words));
        Assert.Equal(ErrorKind.BadInput, e.Kind);
        Assert.Contains("word 7", e.Message);
        if (bad.Length > 0) Assert.DoesNotContain(bad, e.Message);
        Assert.NotNull(e.Hint);
    }

    [Fact]
    public void ArmoredTextIsTheLinesJoinedByLineFeedsWithAFinalOne()
    {
        Assert.Equal("-----A-----\nAAAA\n-----B-----\n", QrPayload.ForArmoredText(["-----A-----", "AAAA", "-----B-----"]));
    }

    [Theory]
    [InlineData("caf\u00e9")]
    [InlineData("tab\there")]
    [InlineData("")]
    public void ArmoredLinesMustBePrintableAscii(string bad)
    {
        var e = Assert.Throws<KeyVaultException>(() => QrPayload.ForArmoredText(["-----BEGIN-----", bad, "-----END-----"]));
        Assert.Equal(ErrorKind.BadInput, e.Kind);
        Assert.Contains("line 2", e.Message);
    }

    [Fact]
    public void ArmoredHalvesAreTwoRunsOfWholeLinesCutWhereTheLargerIsSmallest()
    {
        // BEGIN (35 bytes with its LF), 50 lines of 65, a last line of 21, END (33): 3,339 bytes.
        var lines = new List<string> { "-----BEGIN AGE ENCRYPTED FILE-----" };
        for (var i = 0; i < 50; i++) lines.Add(new string((char)('A' + i % 26), 64));
        lines.Add(new string('z', 20));
        lines.Add("-----END AGE ENCRYPTED FILE-----");
        var whole = QrPayload.ForArmoredText(lines);
        var halves = QrPayload.ForArmoredHalves(lines, 1700)!;
        Assert.Equal(2, halves.Count);
        Assert.Equal(whole, halves[0] + halves[1]);
        Assert.StartsWith("-----BEGIN AGE ENCRYPTED FILE-----\n", halves[0]);
        Assert.EndsWith("-----END AGE ENCRYPTED FILE-----\n", halves[1]);
        Assert.EndsWith("\n", halves[0]);
        // The best cut: after 25 lines of base64, 35 + 25 * 65 = 1,660 bytes against 1,679; one line later 1,725 against 1,614.
        Assert.Equal(1660, halves[0].Length);
        Assert.Equal(1679, halves[1].Length);
        // No cut leaves both within 1,670 bytes.
        Assert.Null(QrPayload.ForArmoredHalves(lines, 1670));
    }
}
