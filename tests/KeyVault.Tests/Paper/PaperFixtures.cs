using System.Text.Json;
using KeyVault.Keys;
using KeyVault.Sheets;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Paper;

/// <summary>Sheet inputs built from the official SLIP-0039 vectors and the published development keys.</summary>
internal static class PaperFixtures
{
    public static readonly DateOnly Date = new(2025, 6, 1);

    /// <summary>The valid mnemonics of the named vector ("23." is "Basic sharing 2-of-3 (256 bits)").</summary>
    public static string[] VectorMnemonics(string numberPrefix)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(External.RepoFile("test-vectors/slip39/vectors.json")));
        foreach (var vector in doc.RootElement.EnumerateArray())
            if (vector[0].GetString()!.StartsWith(numberPrefix + " ", StringComparison.Ordinal))
                return vector[1].EnumerateArray().Select(m => m.GetString()!).ToArray();
        throw new InvalidOperationException($"vector {numberPrefix} not in vectors.json");
    }

    /// <summary>Two shares of a 2-of-3 backup of a 256-bit secret: 33 words each.</summary>
    public static string[] Shares256 => VectorMnemonics("23.");

    /// <summary>Two shares of a 2-of-3 backup of a 128-bit secret: 20 words each.</summary>
    public static string[] Shares128 => VectorMnemonics("4.");

    /// <summary>
    /// The share header fields a sheet prints, read from the first four words (40 bits: identifier 15,
    /// extendable 1, iteration exponent 4, group index 4, group threshold − 1 4, group count − 1 4,
    /// member index 4, member threshold − 1 4), so fixtures print what the mnemonic really says.
    /// </summary>
    public static (int Identifier, bool Extendable, int MemberNumber, int MemberThreshold) Header(string mnemonic)
    {
        var list = File.ReadAllLines(External.RepoFile("test-vectors/slip39/wordlist.txt"))
            .Select(w => w.Trim()).Where(w => w.Length > 0).ToList();
        var w = mnemonic.Split(' ').Take(4).Select(x => (long)list.IndexOf(x)).ToArray();
        Assert.DoesNotContain(-1L, w);
        var bits = (w[0] << 30) | (w[1] << 20) | (w[2] << 10) | w[3];
        return ((int)(bits >> 25), ((bits >> 24) & 1) == 1, (int)((bits >> 4) & 0xF) + 1, (int)(bits & 0xF) + 1);
    }

    public static SignerIdentity Identity => PublicKey.ParseHex(TestKeys.Key1PublicKey).Identity();

    /// <summary>A sheet for <paramref name="mnemonic"/>; number and threshold default to what its header says.</summary>
    public static ShareSheet Share(string mnemonic, int? number = null, int count = 3, int? threshold = null)
    {
        var header = Header(mnemonic);
        return new()
        {
            Words = mnemonic.Split(' '),
            ShareNumber = number ?? header.MemberNumber,
            ShareCount = count,
            Threshold = threshold ?? header.MemberThreshold,
            Identifier = header.Identifier,
            Identity = Identity,
            Network = StacksNetwork.Mainnet,
            Date = Date,
            Custodian = "Alice Example",
            Extendable = header.Extendable,
        };
    }

    /// <summary>An armored-looking key file: header, 64-column base64 of 200 bytes from a fixed seed, footer.</summary>
    public static string[] ArmoredLines()
    {
        var blob = new byte[200];
        new Random(20250601).NextBytes(blob);
        var b64 = Convert.ToBase64String(blob);
        var lines = new List<string> { "-----BEGIN KEYVAULT KEY FILE-----" };
        for (var i = 0; i < b64.Length; i += 64) lines.Add(b64.Substring(i, Math.Min(64, b64.Length - i)));
        lines.Add("-----END KEYVAULT KEY FILE-----");
        return lines.ToArray();
    }

    public static KeyFileSheet KeyFile() => new(ArmoredLines(), Identity, StacksNetwork.Testnet, Date,
        new KdfDisplay("Argon2id", "262144", "3", "4"), "signer-1");
}
