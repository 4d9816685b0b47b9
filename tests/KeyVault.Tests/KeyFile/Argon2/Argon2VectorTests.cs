using KeyVault.KeyFile.Argon2;

namespace KeyVault.Tests.KeyFile.Argon2;

/// <summary>
/// Published Argon2id vectors on every compression engine: the one derivations use is chosen at run time, so each is
/// forced here in turn. Only the engines this CPU can run are forced (the others are listed with the hardware reason
/// by <see cref="EnginesThisMachineCannotRunAreNamedAndNeverChosen"/>); the known-answer check in
/// <see cref="Argon2Engines"/> guards an engine on the machines where it does run.
/// </summary>
public class Argon2VectorTests(ITestOutputHelper output)
{
    private static IEnumerable<string> Supported =>
        Enum.GetValues<Argon2Engine>().Where(e => Argon2Engines.WhyUnsupported(e) is null).Select(e => e.ToString());

    public static TheoryData<string> Engines => new(Supported);

    private static Argon2Engine Require(string name) => Enum.Parse<Argon2Engine>(name);

    [Fact]
    public void EnginesThisMachineCannotRunAreNamedAndNeverChosen()
    {
        Assert.Contains(nameof(Argon2Engine.Scalar), Supported);
        foreach (var engine in Enum.GetValues<Argon2Engine>())
        {
            var why = Argon2Engines.WhyUnsupported(engine);
            output.WriteLine($"{engine}: {why ?? "tested on this machine"}");
            if (why is not null) Assert.NotEqual(engine, Argon2Engines.Best);
        }
    }

    private static byte[] Derive(Argon2Engine engine, byte[] password, byte[] salt, byte[] secret, byte[] ad, uint m, uint t, uint p, int tagLength)
    {
        var tag = new byte[tagLength];
        Argon2Core.Argon2id(password, salt, secret, ad, m, t, p, tag, TestContext.Current.CancellationToken, engine: engine);
        return tag;
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Rfc9106Section53Vector(string engineName)
    {
        var engine = Require(engineName);
        // RFC 9106 §5.3: Argon2id v=0x13, m = 32 KiB, t = 3, p = 4, P = 32×01, S = 16×02, K = 8×03, X = 12×04, T = 32.
        var tag = Derive(engine, Enumerable.Repeat((byte)1, 32).ToArray(), Enumerable.Repeat((byte)2, 16).ToArray(),
            Enumerable.Repeat((byte)3, 8).ToArray(), Enumerable.Repeat((byte)4, 12).ToArray(), 32, 3, 4, 32);
        Assert.Equal("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659", Convert.ToHexStringLower(tag));
    }

    /// <summary>
    /// The Argon2id (v=0x13) cases of the reference implementation's own test suite (P-H-C/phc-winner-argon2,
    /// src/test.c), as password, PHC string; the last field of the PHC string is the base64 tag (T = 32).
    /// </summary>
    public static TheoryData<string, string, string> ReferenceVectors
    {
        get
        {
            string[][] cases =
            [
                ["password", "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"],
                ["password", "$argon2id$v=19$m=262144,t=2,p=1$c29tZXNhbHQ$eP4eyR+zqlZX1y5xCFTkw9m5GYx0L5YWwvCFvtlbLow"],
                ["password", "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4"],
                ["password", "$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc"],
                ["password", "$argon2id$v=19$m=65536,t=1,p=1$c29tZXNhbHQ$9qWtwbpyPd3vm1rB1GThgPzZ3/ydHL92zKL+15XZypg"],
                ["password", "$argon2id$v=19$m=65536,t=4,p=1$c29tZXNhbHQ$kCXUjmjvc5XMqQedpMTsOv+zyJEf5PhtGiUghW9jFyw"],
                ["differentpassword", "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$C4TWUs9rDEvq7w3+J4umqA32aWKB1+DSiRuBfYxFj94"],
                ["password", "$argon2id$v=19$m=65536,t=2,p=1$ZGlmZnNhbHQ$vfMrBczELrFdWP0ZsfhWsRPaHppYdP3MVEMIVlqoFBw"],
            ];
            var data = new TheoryData<string, string, string>();
            foreach (var engine in Supported)
                foreach (var c in cases)
                    data.Add(engine, c[0], c[1]);
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(ReferenceVectors))]
    public void ReferenceImplementationVectors(string engineName, string password, string phc)
    {
        var engine = Require(engineName);
        var fields = phc.Split('$');
        Assert.Equal("argon2id", fields[1]);
        Assert.Equal("v=19", fields[2]);
        var parameters = fields[3].Split(',').Select(kv => kv.Split('=')).ToDictionary(kv => kv[0], kv => uint.Parse(kv[1]));
        var salt = Base64Unpadded(fields[4]);
        var expected = Base64Unpadded(fields[5]);
        var tag = Derive(engine, System.Text.Encoding.ASCII.GetBytes(password), salt, [], [], parameters["m"], parameters["t"], parameters["p"], expected.Length);
        Assert.Equal(Convert.ToHexStringLower(expected), Convert.ToHexStringLower(tag));
    }

    private static byte[] Base64Unpadded(string s) => Convert.FromBase64String(s + new string('=', (4 - s.Length % 4) % 4));

    [Fact]
    public void KnownAnswerConstantsAreTheScalarCodesOwn()
    {
        var scalar = Argon2Engines.KnownAnswerFingerprints(Argon2Engine.Scalar);
        output.WriteLine($"scalar fingerprints: 0x{scalar[0]:X16}UL, 0x{scalar[1]:X16}UL");
        Assert.Equal(scalar, Argon2Engines.KnownAnswer);
    }

    [Fact]
    public void DerivationsUseTheFastestEngineThisMachineRuns()
    {
        var expected = Argon2Engines.InPreferenceOrder.First(e => Argon2Engines.WhyUnsupported(e) is null
            && (e != Argon2Engine.Vector128 || System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated));
        output.WriteLine($"engine in use: {Argon2Engines.Best}");
        foreach (var e in Argon2Engines.InPreferenceOrder)
            output.WriteLine($"  {e}: {Argon2Engines.WhyUnsupported(e) ?? "supported"}");
        // A supported engine that failed its known-answer check would be passed over; that must not happen silently.
        Assert.Equal(expected, Argon2Engines.Best);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public unsafe void EveryEngineCompressesRandomBlocksLikeTheScalarCode(string engineName)
    {
        var engine = Require(engineName);
        const int w = Argon2Core.BlockWords;
        var random = new Random(12);
        var buffer = new ulong[8 * w];
        fixed (ulong* b = buffer)
        {
            ulong* prev = b, refBlock = b + w, old = b + 2 * w, s1 = b + 3 * w, s2 = b + 4 * w, scratch = b + 5 * w, n1 = b + 6 * w, n2 = b + 7 * w;
            for (var round = 0; round < 200; round++)
            {
                for (var i = 0; i < 3 * w; i++) b[i] = (ulong)random.NextInt64() ^ ((ulong)random.Next() << 63);
                var withXor = round % 2 == 1;
                for (var i = 0; i < w; i++)
                {
                    s1[i] = s2[i] = prev[i];
                    n1[i] = n2[i] = old[i];
                }
                ScalarKernel.Fill(s1, scratch, refBlock, n1, withXor);
                Argon2Core.Compress(engine, s2, scratch, refBlock, n2, withXor);
                Assert.Equal(new Span<ulong>(n1, w).ToArray(), new Span<ulong>(n2, w).ToArray());
                Assert.Equal(new Span<ulong>(n1, w).ToArray(), new Span<ulong>(s2, w).ToArray());
            }
        }
    }
}
