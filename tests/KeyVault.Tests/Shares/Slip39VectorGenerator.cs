using System.Text;
using KeyVault.Codecs;
using KeyVault.Shares;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Shares;

/// <summary>
/// Produces test-vectors/slip39/*.json from fixed inputs and a fixed random stream (<see cref="DeterministicRandom"/>),
/// so the committed files can be regenerated and checked byte for byte. test-vectors/README.md describes the files.
/// </summary>
internal static class Slip39VectorGenerator
{
    public sealed record Case(string File, string Description, string SecretHex, string Passphrase, int GroupThreshold, GroupSpec[] Groups)
    {
        public string Seed => $"KeyVault SLIP-0039 test vector {File}";
        public SplitLayout Layout => new(GroupThreshold, Groups);
    }

    // The master secrets are the published development keys of the signer repositories (docs: sbtc-facts.md).
    public static readonly Case[] Cases =
    [
        new("3-of-5", "single group, 3 of 5 shares, no passphrase", TestKeys.Key1, "", 1, [new GroupSpec(3, 5)]),
        new("2-of-3-passphrase", "single group, 2 of 3 shares, SLIP-0039 passphrase", TestKeys.Key2,
            "correct horse battery staple", 1, [new GroupSpec(2, 3)]),
        new("groups-2-of-3", "two levels: 2 of 3 groups, which are 1-of-1, 2-of-3 and 3-of-5", TestKeys.Key3, "", 2,
            [new GroupSpec(1, 1), new GroupSpec(2, 3), new GroupSpec(3, 5)]),
    ];

    public static byte[] Generate(Case c)
    {
        var secret = Hex.TryDecode(c.SecretHex)!;
        var random = new DeterministicRandom(c.Seed);
        using var set = Slip39.Split(secret, c.Layout, Encoding.ASCII.GetBytes(c.Passphrase), Slip39.DefaultIterationExponent,
            extendable: true, random.Fill);

        // One case a file (test-vectors/README.md, "One layout"): the set's facts as header lines, then every share,
        // one per line, group by group, an empty line between groups.
        var header = new List<(string, string)>
        {
            ("expect", "success"),
            ("master secret", c.SecretHex),
            ("passphrase", Hex.Encode(Encoding.ASCII.GetBytes(c.Passphrase))),
            ("iteration exponent", $"{Slip39.DefaultIterationExponent}"),
            ("extendable", "true"),
            ("identifier", $"{set.Identifier}"),
            ("group threshold", $"{c.GroupThreshold}"),
            ("groups", string.Join(", ", c.Groups.Select(g => $"{g.MemberThreshold}-of-{g.MemberCount}"))),
            ("random seed", c.Seed),
            ("comment", c.Description),
        };
        var body = string.Join("\n", Enumerable.Range(1, c.Groups.Length).Select(g => string.Concat(set.Group(g).Select(x => x.Mnemonic + "\n"))));
        return VectorFile.Format(header, body);
    }

    public static string Directory => Path.Combine(External.RepoRoot, "test-vectors", "slip39");
}

public class Slip39VectorTests
{
    public static TheoryData<string> Files => new(Slip39VectorGenerator.Cases.Select(c => c.File));

    /// <summary>Rewrites the committed vectors. Run on purpose only: dotnet test --filter Category=VectorGenerator -- xUnit.Explicit=only</summary>
    [Theory]
    [MemberData(nameof(Files))]
    public void CommittedFileReproducesByteForByte(string file)
    {
        var c = Slip39VectorGenerator.Cases.Single(x => x.File == file);
        var path = Path.Combine(Slip39VectorGenerator.Directory, file);
        if (Environment.GetEnvironmentVariable("KEYVAULT_WRITE_VECTORS") == "1") File.WriteAllBytes(path, Slip39VectorGenerator.Generate(c));
        var committed = File.ReadAllBytes(path);
        Assert.Equal(Encoding.UTF8.GetString(committed), Encoding.UTF8.GetString(Slip39VectorGenerator.Generate(c)));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void CommittedFileRecoversItsSecret(string file)
    {
        var v = VectorFile.Read(Path.Combine(Slip39VectorGenerator.Directory, file));
        var passphrase = Hex.TryDecode(v["passphrase"])!;
        int groupThreshold = int.Parse(v["group threshold"], System.Globalization.CultureInfo.InvariantCulture);
        var layouts = v["groups"].Split(", ").Select(g => int.Parse(g.Split("-of-")[0], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var groups = v.BodyText.TrimEnd('\n').Split("\n\n").Select((g, i) => (
            Threshold: layouts[i],
            Shares: g.Split('\n'))).ToArray();
        Assert.Equal(layouts.Length, groups.Length);

        // The last shares of the last qualifying groups: a different selection from the first-in-order default.
        var minimal = groups.Reverse().Take(groupThreshold).SelectMany(g => g.Shares.Reverse().Take(g.Threshold)).ToArray();
        using var secret = Slip39.Combine(minimal, passphrase);
        Assert.Equal(v["master secret"], Hex.Encode(secret.Bytes));

        using var all = Slip39.Combine(groups.SelectMany(g => g.Shares), passphrase);
        Assert.Equal(v["master secret"], Hex.Encode(all.Bytes));

        foreach (var (g, index) in groups.Select((g, i) => (g, i)))
            foreach (var (mnemonic, member) in g.Shares.Select((m, i) => (m, i)))
            {
                var info = Slip39.Decode(mnemonic);
                Assert.Equal((index + 1, member + 1, int.Parse(v["identifier"], System.Globalization.CultureInfo.InvariantCulture)), (info.GroupNumber, info.MemberNumber, info.Identifier));
                Assert.True(info.Extendable);
            }
    }
}
