using System.Text;
using KeyVault.Errors;
using KeyVault.IO;

namespace KeyVault.Tests.IO;

public class PassphraseTests
{
    [Fact]
    public void One_trailing_newline_is_removed_from_a_file_and_no_more()
    {
        using var a = Passphrase.FromFileContent("secret\n"u8);
        using var b = Passphrase.FromFileContent("secret\r\n"u8);
        using var c = Passphrase.FromFileContent("secret\n\n"u8);
        Assert.Equal("secret"u8.ToArray(), a.Utf8.ToArray());
        Assert.Equal("secret"u8.ToArray(), b.Utf8.ToArray());
        Assert.Equal("secret\n"u8.ToArray(), c.Utf8.ToArray());
    }

    [Fact]
    public void Passphrases_are_normalised_to_NFC()
    {
        using var composed = Passphrase.FromChars("caf\u00e9");
        using var decomposed = Passphrase.FromChars("cafe\u0301");
        Assert.True(composed.SameAs(decomposed));
        Assert.Equal(Encoding.UTF8.GetBytes("caf\u00e9"), decomposed.Utf8.ToArray());
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x0a })]
    public void Empty_passphrases_are_rejected(byte[] content)
    {
        var ex = Assert.Throws<KeyVaultException>(() => Passphrase.FromFileContent(content));
        Assert.Contains("empty", ex.Message);
    }

    [Fact]
    public void Non_utf8_bytes_are_rejected()
    {
        var ex = Assert.Throws<KeyVaultException>(() => Passphrase.FromFileContent(new byte[] { 0x70, 0xc3, 0x28 }));
        Assert.Contains("UTF-8", ex.Message);
    }

    [Fact]
    public void Dispose_wipes_the_bytes()
    {
        var p = Passphrase.FromChars("hunter2");
        var view = p.Utf8;
        Assert.NotEqual(0, view[0]);
        p.Dispose();
        Assert.True(p.Utf8.IndexOfAnyExcept((byte)0) < 0);
        Assert.DoesNotContain("hunter2", p.ToString());
    }
}
