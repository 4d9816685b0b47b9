using KeyVault.Dkg;

namespace KeyVault.Tests.Drill;

/// <summary>Which rows the signer loads, as signer/src/storage/postgres.rs queries them.</summary>
public class DkgSignerRowsTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static DkgShareRow Row(int i, string? status, int day) =>
        new([2, (byte)i, .. new byte[31]], new byte[40], status, T0.AddDays(day));

    [Fact]
    public void TheNewestTheNewestVerifiedAndTheNewestNotFailedAreLoadedAndNothingElse()
    {
        var rows = new[] { Row(1, "verified", 0), Row(2, "verified", 1), Row(3, "unverified", 2), Row(4, "failed", 3), Row(5, "verified", -5) };
        var roles = DkgSignerRows.Roles(rows);
        Assert.Empty(roles[0]);
        Assert.Equal([DkgSignerRows.NewestVerified], roles[1]);
        Assert.Equal([DkgSignerRows.NewestNotFailed], roles[2]);
        Assert.Equal([DkgSignerRows.Newest], roles[3]);
        Assert.Empty(roles[4]);
    }

    [Fact]
    public void WithoutAStatusColumnOnlyTheNewestIsLoaded()
    {
        var roles = DkgSignerRows.Roles([Row(1, null, 0), Row(2, null, 1)]);
        Assert.Empty(roles[0]);
        Assert.Equal([DkgSignerRows.Newest], roles[1]);
    }

    [Fact]
    public void NamedAggregateKeysMatchOnTheXCoordinateAndReplaceTheSignersOwnChoice()
    {
        var rows = new[] { Row(1, "verified", 0), Row(2, "verified", 1) };
        var xOnly = rows[0].AggregateKey[1..];
        var roles = DkgSignerRows.Roles(rows, [xOnly]);
        Assert.Equal([DkgSignerRows.Named], roles[0]);
        Assert.Empty(roles[1]);
        Assert.Single(DkgSignerRows.Missing(rows, [[3, 9, .. new byte[31]]]));
        Assert.Empty(DkgSignerRows.Missing(rows, [rows[1].AggregateKey]));
    }

    [Theory]
    [InlineData("04" + "11111111111111111111111111111111111111111111111111111111111111111")]
    [InlineData("0211")]
    [InlineData("zz11111111111111111111111111111111111111111111111111111111111111")]
    public void AMalformedAggregateKeyIsRefused(string text) =>
        Assert.Throws<KeyVault.Errors.KeyVaultException>(() => DkgSignerRows.ParseAggregateKey(text));
}
