using KeyVault.Errors;
using KeyVault.Text;

namespace KeyVault.Tests.Shares;

/// <summary>The one rule for custodian names that split, the ceremony, sealed custodians files and reissue share.</summary>
public class CustodianNamesTests
{
    private static KeyVaultException Refused(Action check)
    {
        var e = Assert.Throws<KeyVaultException>(check);
        Assert.Equal(ErrorKind.BadInput, e.Kind);
        return e;
    }

    [Fact]
    public void A_name_is_trimmed()
    {
        Assert.Equal("Alice Example", CustodianNames.Check("  Alice Example \t", "share 1"));
        Assert.Equal(["Alice", "Bob"], CustodianNames.CheckAll([" Alice", "Bob "]));
    }

    [Fact]
    public void Sixty_characters_are_taken_and_sixty_one_refused_after_trimming()
    {
        var sixty = new string('a', CustodianNames.MaxLength);
        Assert.Equal(60, CustodianNames.MaxLength);
        Assert.Equal(sixty, CustodianNames.Check(" " + sixty + " ", "share 1"));
        Assert.Null(CustodianNames.Problem(sixty));
        Assert.Contains("longer than 60 characters", Refused(() => CustodianNames.Check(sixty + "a", "share 1")).Message);
        Assert.NotNull(CustodianNames.Problem(sixty + "a"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void An_empty_name_is_refused(string? name) =>
        Assert.Contains("the name of the custodian of share 2 is empty", Refused(() => CustodianNames.Check(name, "share 2")).Message);

    [Theory]
    [InlineData("Ali\u200Bce", "U+200B")]
    [InlineData("Ali\u00ADce", "U+00AD")]
    [InlineData("Ali\tce", "control character")]
    [InlineData("Alice\nBob", "control character")]
    public void Invisible_and_control_characters_are_refused(string name, string expected)
    {
        Assert.Contains(expected, Refused(() => CustodianNames.Check(name, "share 1")).Message);
        Assert.NotNull(CustodianNames.Problem(name));
    }

    [Fact]
    public void Duplicates_are_refused_ignoring_case_after_trimming()
    {
        var e = Refused(() => CustodianNames.CheckAll(["Alice", "Bob", " alice "]));
        Assert.Contains("the custodian of share 3 has the same name as the custodian of share 1", e.Message);
        Assert.True(CustodianNames.Same("ÉMILE", "émile"));
        Assert.False(CustodianNames.Same("Alice", "Alicia"));
        e = Refused(() => CustodianNames.RequireDistinct("BOB", "share #4", [("share #1", "Alice"), ("share #2", "Bob")]));
        Assert.Contains("the custodian of share #4 has the same name as the custodian of share #2 (Bob)", e.Message);
        CustodianNames.RequireDistinct("Dave", "share #4", [("share #1", "Alice"), ("share #2", "Bob")]);
    }
}
