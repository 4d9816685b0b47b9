using KeyVault.Errors;
using KeyVault.IO;
using KeyVault.Keys;
using KeyVault.Shares;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Errors;

/// <summary>
/// Errors name what they are about as facts a front end can point at without parsing the message, and the facts
/// restate the message: nothing in them that the message does not already show.
/// </summary>
public class ErrorFactsTests
{
    private static void FactsRestateTheMessage(KeyVaultException ex)
    {
        Assert.NotEmpty(ex.Facts);
        foreach (var (name, value) in ex.Facts)
            Assert.True(ex.Message.Contains(value, StringComparison.Ordinal), $"fact {name}={value} is not in \"{ex.Message}\"");
    }

    [Fact]
    public void AnUnknownWordNamesTheShareAndTheWord()
    {
        var ex = Assert.Throws<KeyVaultException>(() => ShareCodec.ParseWords("academic acid acne zzzzq", "share-2.txt"));
        Assert.Equal("share-2.txt", ex.Facts[ErrorFacts.Share]);
        Assert.Equal("4", ex.Facts[ErrorFacts.Word]);
        FactsRestateTheMessage(ex);
    }

    [Fact]
    public void AKeyWithANonHexCharacterNamesItsPositionButNotTheCharacter()
    {
        var text = new string('a', 40) + "g" + new string('b', 23);
        var ex = Assert.Throws<KeyVaultException>(() => SignerKeyFormats.ParseHex(text));
        Assert.Equal("41", ex.Facts[ErrorFacts.Position]);
        Assert.DoesNotContain(ex.Facts.Values, v => v.Contains('g'));
        FactsRestateTheMessage(ex);
    }

    [Fact]
    public void AnEnvFileLineAndATomlPositionAreFacts()
    {
        var env = Assert.Throws<KeyVaultException>(() => SignerKeyFormats.Import("# signer\nSIGNER_SIGNER__PRIVATE_KEY=\"unterminated\n"u8, KeyInputFormat.Env));
        Assert.Equal("2", env.Facts[ErrorFacts.Line]);
        FactsRestateTheMessage(env);
        var toml = Assert.Throws<KeyVaultException>(() => SignerKeyFormats.Import("[signer]\nprivate_key = = 1\n"u8, KeyInputFormat.SbtcToml));
        Assert.Equal("2", toml.Facts[ErrorFacts.Line]);
        FactsRestateTheMessage(toml);
    }

    [Fact]
    public void AnOutputThatExistsNamesThePath()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "taken.txt");
        File.WriteAllText(path, "x");
        var ex = Assert.Throws<KeyVaultException>(() => AtomicFile.Write(path, "y"u8));
        Assert.Equal(ErrorCodes.OutputExists, ex.Code);
        Assert.EndsWith("taken.txt", ex.Facts[ErrorFacts.Source]);
        FactsRestateTheMessage(ex);
    }

    [Fact]
    public void AnErrorWithoutFactsHasAnEmptySetNotNull()
    {
        var ex = new KeyVaultException(ErrorKind.BadInput, "something");
        Assert.Empty(ex.Facts);
    }
}
