using System.Text.Json;
using KeyVault.Shares;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Shares;

/// <summary>
/// A reissued share is an ordinary SLIP-0039 share: the independent implementation (npm "slip39", tests/interop)
/// recovers the secret from it and threshold − 1 original shares of its group, for every layout of
/// <see cref="ShareReissueTests.Layouts"/>.
/// </summary>
public class ReissueInteropTests
{
    private static readonly string InteropDir = Path.Combine(External.RepoRoot, "tests", "interop");

    [Theory]
    [MemberData(nameof(ShareReissueTests.Layouts), MemberType = typeof(ShareReissueTests))]
    public void The_independent_implementation_recovers_from_a_reissued_share(string name, int gt, int[][] groups)
    {
        var secret = ShareTestKit.Bytes("interop " + name, 32);
        var layout = new SplitLayout(gt, groups.Select(g => new GroupSpec(g[0], g[1])).ToList());
        using var set = ShareTestKit.Split(secret, layout, "reissue interop " + name, passphrase: "TREZOR");
        for (int g = 1; g <= groups.Length; g++)
        {
            int t = groups[g - 1][0], count = groups[g - 1][1];
            if (t == 1 || count == 16) continue;
            var members = set.Group(g);
            using var fresh = ShareReissue.Compute(members.Take(t).Select(m => m.Mnemonic).ToList(), count + 1);
            var chosen = new List<string> { fresh.Mnemonic };
            chosen.AddRange(members.Skip(count - (t - 1)).Select(m => m.Mnemonic));
            for (int o = 1, extra = 0; o <= groups.Length && extra < gt - 1; o++)
            {
                if (o == g) continue;
                chosen.AddRange(set.Group(o).Take(groups[o - 1][0]).Select(m => m.Mnemonic));
                extra++;
            }
            Assert.Equal(Convert.ToHexStringLower(secret), Peer(new { op = "recover", mnemonics = chosen, passphrase = "TREZOR" }).Trim());
        }
    }

    private static string Peer(object request)
    {
        var node = External.RequireTool("node", "nodejs");
        if (!Directory.Exists(Path.Combine(InteropDir, "node_modules", "slip39")))
            External.Unavailable($"the independent SLIP-0039 implementation is not installed (npm ci --prefix {InteropDir})");
        var (code, stdout, stderr) = External.RunWithInput(node, JsonSerializer.Serialize(request), Path.Combine(InteropDir, "slip39-peer.js"));
        Assert.True(code == 0, $"the independent implementation failed: {stderr}");
        return stdout;
    }
}
