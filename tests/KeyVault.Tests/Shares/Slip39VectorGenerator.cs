using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
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
        new("3-of-5.json", "single group, 3 of 5 shares, no passphrase", TestKeys.Key1, "", 1, [new GroupSpec(3, 5)]),
        new("2-of-3-passphrase.json", "single group, 2 of 3 shares, SLIP-0039 passphrase", TestKeys.Key2,
            "correct horse battery staple", 1, [new GroupSpec(2, 3)]),
        new("groups-2-of-3.json", "two levels: 2 of 3 groups, which are 1-of-1, 2-of-3 and 3-of-5", TestKeys.Key3, "", 2,
            [new GroupSpec(1, 1), new GroupSpec(2, 3), new GroupSpec(3, 5)]),
    ];

    public static byte[] Generate(Case c)
    {
        var secret = Hex.TryDecode(c.SecretHex)!;
        var random = new DeterministicRandom(c.Seed);
        using var set = Slip39.Split(secret, c.Layout, Encoding.ASCII.GetBytes(c.Passphrase), Slip39.DefaultIterationExponent,
            extendable: true, random.Fill);

        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions
        {
            Indented = true,
            NewLine = "\n",
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            json.WriteStartObject();
            json.WriteString("description", c.Description);
            json.WriteString("random_seed", c.Seed);
            json.WriteString("master_secret", c.SecretHex);
            json.WriteString("passphrase", c.Passphrase);
            json.WriteNumber("iteration_exponent", Slip39.DefaultIterationExponent);
            json.WriteBoolean("extendable", true);
            json.WriteNumber("identifier", set.Identifier);
            json.WriteNumber("group_threshold", c.GroupThreshold);
            json.WriteStartArray("groups");
            for (int g = 0; g < c.Groups.Length; g++)
            {
                json.WriteStartObject();
                json.WriteNumber("member_threshold", c.Groups[g].MemberThreshold);
                json.WriteNumber("member_count", c.Groups[g].MemberCount);
                json.WriteStartArray("shares");
                foreach (var share in set.Group(g + 1)) json.WriteStringValue(share.Mnemonic);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }

    public static string Directory => Path.Combine(External.RepoRoot, "test-vectors", "slip39");
}

public class Slip39VectorTests
{
    public static TheoryData<string> Files => new(Slip39VectorGenerator.Cases.Select(c => c.File));

    /// <summary>Rewrites the committed vectors. Run on purpose only: dotnet test --filter Category=VectorGenerator -- xUnit.Explicit=only</summary>
    [Fact(Explicit = true)]
    [Trait("Category", "VectorGenerator")]
    public void WriteVectors()
    {
        System.IO.Directory.CreateDirectory(Slip39VectorGenerator.Directory);
        foreach (var c in Slip39VectorGenerator.Cases)
            File.WriteAllBytes(Path.Combine(Slip39VectorGenerator.Directory, c.File), Slip39VectorGenerator.Generate(c));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void CommittedFileReproducesByteForByte(string file)
    {
        var c = Slip39VectorGenerator.Cases.Single(x => x.File == file);
        var committed = File.ReadAllBytes(Path.Combine(Slip39VectorGenerator.Directory, file));
        Assert.Equal(Encoding.UTF8.GetString(committed), Encoding.UTF8.GetString(Slip39VectorGenerator.Generate(c)));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void CommittedFileRecoversItsSecret(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Slip39VectorGenerator.Directory, file)));
        var root = doc.RootElement;
        var passphrase = Encoding.ASCII.GetBytes(root.GetProperty("passphrase").GetString()!);
        int groupThreshold = root.GetProperty("group_threshold").GetInt32();
        var groups = root.GetProperty("groups").EnumerateArray().Select(g => (
            Threshold: g.GetProperty("member_threshold").GetInt32(),
            Shares: g.GetProperty("shares").EnumerateArray().Select(s => s.GetString()!).ToArray())).ToArray();

        // The last shares of the last qualifying groups: a different selection from the first-in-order default.
        var minimal = groups.Reverse().Take(groupThreshold).SelectMany(g => g.Shares.Reverse().Take(g.Threshold)).ToArray();
        using var secret = Slip39.Combine(minimal, passphrase);
        Assert.Equal(root.GetProperty("master_secret").GetString(), Hex.Encode(secret.Bytes));

        using var all = Slip39.Combine(groups.SelectMany(g => g.Shares), passphrase);
        Assert.Equal(root.GetProperty("master_secret").GetString(), Hex.Encode(all.Bytes));

        foreach (var (g, index) in groups.Select((g, i) => (g, i)))
            foreach (var (mnemonic, member) in g.Shares.Select((m, i) => (m, i)))
            {
                var info = Slip39.Decode(mnemonic);
                Assert.Equal((index + 1, member + 1, root.GetProperty("identifier").GetInt32()), (info.GroupNumber, info.MemberNumber, info.Identifier));
                Assert.True(info.Extendable);
            }
    }
}
