using KeyVault.Codecs;
using KeyVault.Errors;
using KeyVault.Shares;
using KeyVault.Tests.Support;
using static KeyVault.Tests.Shares.ShareTestKit;

namespace KeyVault.Tests.Shares;

public class ShareCollectorTests
{
    private static readonly byte[] Key2 = Hex.TryDecode(TestKeys.Key2)!;

    [Fact]
    public void SingleLevelProgressIsReportedAfterEachShare()
    {
        using var set = Split(Key2, SplitLayout.Single(3, 5), "collector single");
        using var collector = new RecoveryState();

        var s1 = collector.Add(set.Shares[4].Mnemonic);
        Assert.Equal("share 5 (given 1st) accepted: 1 of 3 shares; need 2 more shares (3 required, 1 given)", s1.Message);
        Assert.False(s1.CanRecover);
        Assert.Equal(5, s1.Share.MemberNumber);

        var s2 = collector.Add(set.Shares[4].Mnemonic);
        Assert.Equal(1, s2.DuplicateOf);
        Assert.Equal("share 5 (given 2nd) is the same as the share given 1st; ignored: 1 of 3 shares; need 2 more shares (3 required, 1 given)", s2.Message);

        Assert.Throws<KeyVaultException>(() => collector.Add("not a share at all"));
        Assert.Equal(1, collector.Count);

        var s4 = collector.Add(set.Shares[0].Mnemonic);
        Assert.Equal(4, s4.Position);
        Assert.Equal("need 1 more share (3 required, 2 given)", s4.Need);
        Assert.False(collector.CanRecover);

        var s5 = collector.Add(set.Shares[2].Mnemonic);
        Assert.True(s5.CanRecover);
        Assert.Equal("", s5.Need);
        Assert.Equal("share 3 (given 5th) accepted: 3 of 3 shares; enough shares to rebuild the secret", s5.Message);
        Assert.True(collector.CanRecover);

        using var secret = collector.Recover();
        Assert.Equal(Key2, secret.Bytes.ToArray());
    }

    [Fact]
    public void GroupProgressNamesEachGroup()
    {
        var layout = new SplitLayout(2, [new GroupSpec(1, 1), new GroupSpec(2, 3), new GroupSpec(3, 5)]);
        using var set = Split(Key2, layout, "collector groups");
        using var collector = new RecoveryState();

        var s = collector.Add(set.Group(3)[0].Mnemonic);
        Assert.Equal("group 3, share 1 (given 1st) accepted: 0 of 2 groups complete (group 3 1 of 3); " +
            "need 2 more groups (2 of 3 groups must be complete, 0 are); need 2 more shares of group 3", s.Message);
        Assert.Equal([new GroupProgress(3, 3, 1)], s.Groups);

        s = collector.Add(set.Group(2)[1].Mnemonic);
        Assert.Equal("need 2 more groups (2 of 3 groups must be complete, 0 are); need 1 more share of group 2; need 2 more shares of group 3", s.Need);

        s = collector.Add(set.Group(1)[0].Mnemonic);
        Assert.Equal(1, s.CompleteGroups);
        Assert.Equal("need 1 more group (2 of 3 groups must be complete, 1 is); need 1 more share of group 2; need 2 more shares of group 3", s.Need);

        s = collector.Add(set.Group(2)[2].Mnemonic);
        Assert.True(s.CanRecover);
        Assert.Equal("group 2, share 3 (given 4th) accepted: 2 of 2 groups complete (group 1 1 of 1, group 2 2 of 2, group 3 1 of 3); enough shares to rebuild the secret", s.Message);

        // A share of an unneeded, incomplete group does not stand in the way.
        using var secret = collector.Recover();
        Assert.Equal(Key2, secret.Bytes.ToArray());
    }

    [Fact]
    public void RefusedSharesLeaveTheCollectorAsItWas()
    {
        using var a = Split(Key2, SplitLayout.Single(2, 3), "refuse a");
        using var b = Split(Key2, SplitLayout.Single(2, 3), "refuse b");
        using var collector = new RecoveryState();
        collector.Add(a.Shares[0].Mnemonic);
        var e = Assert.Throws<KeyVaultException>(() => collector.Add(b.Shares[1].Mnemonic));
        Assert.Contains("share 2 (given 2nd) is not from the same backup as share 1 (given 1st)", e.Message);
        e = Assert.Throws<KeyVaultException>(() => collector.Add(Tamper(a.Shares[0].Mnemonic)));
        Assert.Equal("share 1 (given 3rd) and share 1 (given 1st) have the same member index but different values (duplicate member index)", e.Message);
        Assert.Equal(1, collector.Count);
        var status = collector.Add(a.Shares[1].Mnemonic);
        Assert.Equal(4, status.Position);
        Assert.True(status.CanRecover);
        using var secret = collector.Recover();
        Assert.Equal(Key2, secret.Bytes.ToArray());
    }

    [Fact]
    public void RecoverBeforeEnoughSharesSaysWhatIsMissing()
    {
        using var set = Split(Key2, SplitLayout.Single(3, 5), "early");
        using var collector = new RecoveryState();
        Assert.Equal("no shares were given", Assert.Throws<KeyVaultException>(() => collector.Recover()).Message);
        collector.Add(set.Shares[1].Mnemonic);
        var e = Assert.Throws<KeyVaultException>(() => collector.Recover());
        Assert.Equal(ErrorKind.RebuildFailed, e.Kind);
        Assert.Equal("not enough shares to rebuild the secret: need 2 more shares (3 required, 1 given)", e.Message);
    }

    [Fact]
    public void DisposeWipesTheCollectedShares()
    {
        using var set = Split(Key2, SplitLayout.Single(2, 3), "collector wipe");
        var collector = new RecoveryState();
        collector.Add(set.Shares[0].Mnemonic);
        collector.Dispose();
        Assert.Equal(0, collector.Count);
    }
}
