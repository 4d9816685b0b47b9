using KeyVault.Errors;
using KeyVault.Shares;

namespace KeyVault.Tests.Shares;

public class ShareReissueTests
{
    public static TheoryData<string, int, int[][]> Layouts => new()
    {
        // name, group threshold, groups (member threshold, member count)
        { "2-of-3", 1, [[2, 3]] },
        { "3-of-5", 1, [[3, 5]] },
        { "5-of-15", 1, [[5, 15]] },
        { "2 of groups 1/1, 2/3, 3/5", 2, [[1, 1], [2, 3], [3, 5]] },
        { "3 of groups 2/2, 2/4, 4/6", 3, [[2, 2], [2, 4], [4, 6]] },
    };

    private static SplitLayout Layout(int gt, int[][] groups) => new(gt, groups.Select(g => new GroupSpec(g[0], g[1])).ToList());

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Re_creating_a_share_from_the_others_gives_the_original_words(string name, int gt, int[][] groups)
    {
        var secret = ShareTestKit.Bytes(name, 32);
        using var set = ShareTestKit.Split(secret, Layout(gt, groups), "reissue recreate " + name);
        for (int g = 1; g <= groups.Length; g++)
        {
            var members = set.Group(g);
            int t = groups[g - 1][0];
            foreach (var target in members)
            {
                // Threshold shares other than the target when there are enough, so the value is really interpolated.
                var others = members.Where(m => m != target).Take(t).ToList();
                if (others.Count < t) others = members.Take(t).ToList();
                using var again = ShareReissue.Compute(others.Select(m => m.Mnemonic).ToList(), target.Info.MemberNumber, g);
                Assert.Equal(target.Mnemonic, again.Mnemonic);
                Assert.Equal(target.Info, again.Info);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void A_share_at_a_new_number_combines_with_threshold_minus_one_originals(string name, int gt, int[][] groups)
    {
        var secret = ShareTestKit.Bytes(name, 32);
        using var set = ShareTestKit.Split(secret, Layout(gt, groups), "reissue new " + name);
        bool tested = false;
        for (int g = 1; g <= groups.Length; g++)
        {
            int t = groups[g - 1][0], count = groups[g - 1][1];
            if (t == 1 || count == 16) continue;
            var members = set.Group(g);
            int number = count + 1; // the first unused number
            using var fresh = ShareReissue.Compute(members.Take(t).Select(m => m.Mnemonic).ToList(), number);
            Assert.Equal(number, fresh.Info.MemberNumber);
            Assert.False(fresh.WasGiven);
            // The new share and the *last* t−1 originals, plus full other groups until the group threshold is met.
            var chosen = new List<string> { fresh.Mnemonic };
            chosen.AddRange(members.Skip(count - (t - 1)).Select(m => m.Mnemonic));
            for (int o = 1, extra = 0; o <= groups.Length && extra < gt - 1; o++)
            {
                if (o == g) continue;
                chosen.AddRange(set.Group(o).Take(groups[o - 1][0]).Select(m => m.Mnemonic));
                extra++;
            }
            using var rebuilt = Slip39.Combine(chosen);
            Assert.Equal(secret, rebuilt.Bytes.ToArray());
            tested = true;
        }
        Assert.True(tested);
    }

    [Fact]
    public void Refuses_too_few_shares_an_out_of_range_number_and_mixed_backups()
    {
        var secret = ShareTestKit.Bytes("refuse", 32);
        using var set = ShareTestKit.Split(secret, SplitLayout.Single(3, 5), "reissue refuse");
        using var other = ShareTestKit.Split(secret, SplitLayout.Single(3, 5), "reissue refuse other");
        var m = set.Shares.Select(s => s.Mnemonic).ToList();

        Assert.Equal(ErrorKind.RebuildFailed, Assert.Throws<KeyVaultException>(() => ShareReissue.Compute(m.Take(2).ToList(), 7)).Kind);
        Assert.Equal(ErrorKind.BadInput, Assert.Throws<KeyVaultException>(() => ShareReissue.Compute(m.Take(3).ToList(), 17)).Kind);
        Assert.Equal(ErrorKind.BadInput, Assert.Throws<KeyVaultException>(() => ShareReissue.Compute(m.Take(3).ToList(), 0)).Kind);
        Assert.Equal(ErrorKind.RebuildFailed, Assert.Throws<KeyVaultException>(() =>
            ShareReissue.Compute([m[0], m[1], other.Shares[2].Mnemonic], 7)).Kind);
        Assert.Equal(ErrorKind.BadInput, Assert.Throws<KeyVaultException>(() => ShareReissue.Compute([m[0], m[1], m[2] + " academic"], 7)).Kind);
    }

    [Fact]
    public void Refuses_shares_that_do_not_lie_on_one_polynomial()
    {
        var secret = ShareTestKit.Bytes("unfit", 32);
        using var set = ShareTestKit.Split(secret, SplitLayout.Single(3, 5), "reissue unfit");
        var m = set.Shares.Select(s => s.Mnemonic).ToList();
        var forged = ShareTestKit.Tamper(m[1], 3);
        Assert.Equal(ErrorKind.RebuildFailed, Assert.Throws<KeyVaultException>(() => ShareReissue.Compute([m[0], forged, m[2]], 9)).Kind);
        var ex = Assert.Throws<KeyVaultException>(() => ShareReissue.Compute([m[0], m[2], m[3], forged], 9));
        Assert.Contains("share 2 (given 4th)", ex.Message);
    }

    [Fact]
    public void A_threshold_one_group_gets_no_second_share_but_its_share_can_be_re_created()
    {
        var secret = ShareTestKit.Bytes("one", 32);
        using var set = ShareTestKit.Split(secret, new SplitLayout(2, [new GroupSpec(1, 1), new GroupSpec(2, 3)]), "reissue one");
        var g1 = set.Group(1)[0].Mnemonic;
        Assert.Equal(ErrorKind.BadInput, Assert.Throws<KeyVaultException>(() => ShareReissue.Compute([g1], 2)).Kind);
        using var same = ShareReissue.Compute([g1], 1);
        Assert.Equal(g1, same.Mnemonic);
        Assert.True(same.WasGiven);
    }

    [Fact]
    public void Shares_of_several_groups_need_the_group_named()
    {
        var secret = ShareTestKit.Bytes("groups", 32);
        using var set = ShareTestKit.Split(secret, new SplitLayout(2, [new GroupSpec(2, 2), new GroupSpec(2, 3)]), "reissue groups");
        var all = set.Shares.Select(s => s.Mnemonic).ToList();
        Assert.Equal(ErrorKind.Usage, Assert.Throws<KeyVaultException>(() => ShareReissue.Compute(all, 5)).Kind);
        using var s = ShareReissue.Compute(all, 5, groupNumber: 2);
        Assert.Equal(2, s.Info.GroupNumber);
        Assert.Equal(ErrorKind.BadInput, Assert.Throws<KeyVaultException>(() => ShareReissue.Compute(all, 5, groupNumber: 3)).Kind);
    }
}
