using System.Text;
using System.Text.Json;
using KeyVault.Shares;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Shares;

/// <summary>
/// The promise on every sheet: the shares restore with another SLIP-0039 implementation, and that implementation's
/// shares restore with KeyVault. The peer is the independent npm package "slip39" (tests/interop), driven through
/// Node.js; .ci/run installs it with `npm ci --prefix tests/interop`.
/// </summary>
public class IndependentImplementationTests
{
    private static readonly string InteropDir = Path.Combine(External.RepoRoot, "tests", "interop");

    public static TheoryData<string, int, int[][], string, int, bool> Layouts => new()
    {
        // name, group threshold, groups (member threshold, member count), passphrase, iteration exponent, extendable
        { "3-of-5", 1, [[3, 5]], "", 1, true },
        { "2-of-3 with passphrase", 1, [[2, 3]], "TREZOR", 0, true },
        { "5-of-16, not extendable", 1, [[5, 16]], "", 0, false },
        { "2 of groups 1/1, 2/3, 3/5", 2, [[1, 1], [2, 3], [3, 5]], "correct horse", 1, true },
        { "1-of-1", 1, [[1, 1]], "", 2, false },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void KeyVault_shares_restore_with_the_independent_implementation(string name, int groupThreshold, int[][] groups,
        string passphrase, int exponent, bool extendable)
    {
        var rng = new Random(name.GetHashCode(StringComparison.Ordinal));
        foreach (var length in new[] { 32, 16 })
        {
            var secret = new byte[length];
            System.Security.Cryptography.RandomNumberGenerator.Fill(secret);
            var layout = new SplitLayout(groupThreshold, groups.Select(g => new GroupSpec(g[0], g[1])).ToList());
            using var set = Slip39.Split(secret, layout, Encoding.ASCII.GetBytes(passphrase), exponent, extendable);

            // A random threshold subset: groupThreshold random groups, memberThreshold random members of each.
            var chosen = Enumerable.Range(1, groups.Length).OrderBy(_ => rng.Next()).Take(groupThreshold)
                .SelectMany(g => set.Group(g).OrderBy(_ => rng.Next()).Take(groups[g - 1][0]))
                .Select(s => s.Mnemonic).OrderBy(_ => rng.Next()).ToList();
            var recovered = Peer(new { op = "recover", mnemonics = chosen, passphrase });
            Assert.Equal(Convert.ToHexStringLower(secret), recovered.Trim());
        }
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Shares_of_the_independent_implementation_restore_with_KeyVault(string name, int groupThreshold, int[][] groups,
        string passphrase, int exponent, bool extendable)
    {
        var rng = new Random(name.GetHashCode(StringComparison.Ordinal) ^ 0x5a5a);
        var secret = new byte[32];
        System.Security.Cryptography.RandomNumberGenerator.Fill(secret);
        var answer = Peer(new
        {
            op = "split", secret = Convert.ToHexStringLower(secret), passphrase, groupThreshold, groups,
            iterationExponent = exponent, extendable,
        });
        var peerGroups = JsonSerializer.Deserialize<string[][]>(answer)!;
        Assert.Equal(groups.Length, peerGroups.Length);

        var chosen = Enumerable.Range(0, groups.Length).OrderBy(_ => rng.Next()).Take(groupThreshold)
            .SelectMany(g => peerGroups[g].OrderBy(_ => rng.Next()).Take(groups[g][0])).ToList();
        using var recovered = Slip39.Combine(chosen, Encoding.ASCII.GetBytes(passphrase));
        Assert.Equal(secret, recovered.Bytes.ToArray());
        Assert.All(chosen, m => Assert.Equal(extendable, Slip39.Decode(m).Extendable));
    }

    [Fact]
    public void The_committed_vectors_restore_with_the_independent_implementation()
    {
        // KeyVault's own vector files; vectors.json, wordlist.txt and the licence beside them are the standard's (OfficialVectorTests).
        var files = Slip39VectorGenerator.Cases.Select(c => Path.Combine(Slip39VectorGenerator.Directory, c.File)).ToArray();
        Assert.Equal(3, files.Length);
        foreach (var file in files)
        {
            var v = VectorFile.Read(file);
            int groupThreshold = int.Parse(v["group threshold"], System.Globalization.CultureInfo.InvariantCulture);
            var thresholds = v["groups"].Split(", ").Select(g => int.Parse(g.Split("-of-")[0], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            var mnemonics = v.BodyText.TrimEnd('\n').Split("\n\n").Take(groupThreshold)
                .SelectMany((g, i) => g.Split('\n').Take(thresholds[i])).ToList();
            var passphrase = Encoding.ASCII.GetString(KeyVault.Codecs.Hex.TryDecode(v["passphrase"])!);
            var recovered = Peer(new { op = "recover", mnemonics, passphrase });
            Assert.True(v["master secret"] == recovered.Trim(), Path.GetFileName(file));
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
