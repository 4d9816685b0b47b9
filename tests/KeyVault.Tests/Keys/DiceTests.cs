using KeyVault.Errors;
using KeyVault.Keys;

namespace KeyVault.Tests.Keys;

public class DiceTests
{
    private static DiceRolls Rolls(string text)
    {
        var d = new DiceRolls();
        d.Add(text);
        return d;
    }

    [Fact]
    public void Rolls_are_counted_and_the_remaining_number_is_reported()
    {
        using var d = Rolls("1 2 3,4\n5 6");
        Assert.Equal(6, d.Count);
        Assert.Equal(DiceRolls.MinimumRolls - 6, d.Remaining);
        Assert.False(d.IsEnough);
        var ex = Assert.Throws<KeyVaultException>(d.RequireEnough);
        Assert.Contains("roll 94 more", ex.Hint);
        d.Add(new string('3', 94));
        Assert.True(d.IsEnough);
        Assert.Equal(0, d.Remaining);
    }

    [Theory]
    [InlineData("1237", 4)]
    [InlineData("0", 1)]
    [InlineData("12 a", 4)]
    public void A_character_that_is_not_a_roll_rejects_the_whole_line(string line, int position)
    {
        using var d = Rolls("66");
        var ex = Assert.Throws<KeyVaultException>(() => d.Add(line));
        Assert.Contains($"position {position}", ex.Message);
        Assert.Equal(2, d.Count);
    }

    [Fact]
    public void Mixing_depends_on_both_the_dice_and_the_random_bytes()
    {
        var random = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var otherRandom = (byte[])random.Clone();
        otherRandom[31] ^= 1;
        using var dice = Rolls(new string('1', 100));
        using var otherDice = Rolls(new string('1', 99) + "2");

        using var a = KeyGenerator.GenerateMixed(random, dice);
        using var again = KeyGenerator.GenerateMixed(random, dice);
        using var b = KeyGenerator.GenerateMixed(otherRandom, dice);
        using var c = KeyGenerator.GenerateMixed(random, otherDice);
        Assert.Equal(a.PublicKey, again.PublicKey);
        Assert.NotEqual(a.PublicKey, b.PublicKey);
        Assert.NotEqual(a.PublicKey, c.PublicKey);
    }

    [Fact]
    public void Dispose_wipes_the_rolls()
    {
        var d = Rolls("123456");
        d.Dispose();
        Assert.Equal(0, d.Count);
    }
}
