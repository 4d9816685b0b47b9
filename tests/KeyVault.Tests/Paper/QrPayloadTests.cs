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
}
