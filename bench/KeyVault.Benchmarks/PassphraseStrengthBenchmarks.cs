using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using KeyVault.Text;

namespace KeyVault.Benchmarks;

/// <summary>
/// The passphrase strength estimator (docs/passphrase-strength.md): a four-word passphrase, and a random string of
/// the 100 characters analysed at most. The cold-start job runs each in fresh processes, so its first iteration
/// includes loading the word lists, as a command does once; the default job gives the steady cost. The numbers go
/// into docs/passphrase-strength.md.
/// </summary>
[SimpleJob(RunStrategy.ColdStart, launchCount: 5, warmupCount: 0, iterationCount: 1, id: "cold")]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 3, iterationCount: 10, id: "warm")]
[MemoryDiagnoser]
public class PassphraseStrengthBenchmarks
{
    private static readonly byte[] FourWords = "stove unwashed scorpion grumbling"u8.ToArray();
    private static readonly byte[] Random100 =
        "k9#Xq!mP2wLr7@vZ4t$Hn8&Bc3^Jy6*Df1(Gs5)Wk0-Ue9=Ra2+Tm7[Lp4]Qz8{Vx3}Ni6;Ob1:Yc5'Ej0,Hu9.Ks4/Gf7?Pw2|Az8<".Substring(0, 100).Select(c => (byte)c).ToArray();

    /// <summary>A diceware-style passphrase of four words.</summary>
    [Benchmark]
    public double FourWordPhrase() => PassphraseStrength.Estimate(FourWords).Log10Guesses;

    /// <summary>100 random printable ASCII characters: the longest text analysed, with no long word in it.</summary>
    [Benchmark]
    public double Random100Characters() => PassphraseStrength.Estimate(Random100).Log10Guesses;
}
