using KeyVault.Cli;
using KeyVault.Codecs;
using KeyVault.Keys;
using KeyVault.Shares;
using KeyVault.Tests.Shares;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Cli;

/// <summary>
/// A high SLIP-0039 iteration exponent makes combining take minutes: the operator is told what is running and how long
/// it should take, sees it progress, and split warns above the default. Exponent 3 keeps the test fast while being above
/// the default (1).
/// </summary>
public class IterationExponentTimingTests : IDisposable
{
    private const int AboveDefault = 3;
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string[] ShareFiles(int exponent)
    {
        using var key = SecretKey.FromBytes(Hex.TryDecode(TestKeys.Key1)!);
        using var set = ShareTestKit.Split(Hex.TryDecode(TestKeys.Key1)!, SplitLayout.Single(2, 3), $"timing {exponent}", exponent: exponent);
        return set.Shares.Take(2).Select(share =>
        {
            var path = _dir.File($"e{exponent}-{share.Info.MemberNumber}.txt");
            File.WriteAllBytes(path, ShareFile.Format(share, new ShareFileHeader(key.PublicKey, null, new DateOnly(2025, 5, 1))));
            return path;
        }).ToArray();
    }

    [Fact]
    public void Combining_shares_with_a_high_exponent_says_how_long_it_takes_and_reports_progress()
    {
        var console = new TestConsole();
        int rc = console.Run(["combine", .. ShareFiles(AboveDefault).SelectMany(f => new[] { "--share-file", f }), "--reveal-format", "hex", "--out", _dir.File("k.hex")]);

        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Contains($"decrypting the master secret: SLIP-0039 iteration exponent {AboveDefault} means 1 × 80,000 PBKDF2 iterations; expected to take ", console.StderrText);
        Assert.Contains("keyvault: decrypting the master secret: derived key in ", console.StderrText);
    }

    [Fact]
    public void Combining_shares_at_the_default_exponent_stays_quiet_about_time()
    {
        var console = new TestConsole();
        int rc = console.Run(["combine", .. ShareFiles(Slip39.DefaultIterationExponent).SelectMany(f => new[] { "--share-file", f }), "--reveal-format", "hex", "--out", _dir.File("k.hex")]);

        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.DoesNotContain("iteration exponent", console.StderrText);
    }

    [Fact]
    public void Split_above_the_default_exponent_warns_and_announces_the_expected_time()
    {
        var console = new TestConsole();
        var from = _dir.File("key.hex");
        File.WriteAllText(from, TestKeys.Key1 + "\n");
        var pass = _dir.File("pass.txt");
        File.WriteAllText(pass, "timing pass velvet orbit canyon\n");
        Assert.Equal(ExitCode.Success, console.Run("import", "--from", from, "--out", _dir.File("k.kvk"), "--passphrase-file", pass,
            "--kdf-memory", "8KiB", "--kdf-iterations", "1", "--kdf-parallelism", "1"));
        var outDir = Directory.CreateDirectory(_dir.File("out")).FullName;

        var split = new TestConsole();
        int rc = split.Run("split", _dir.File("k.kvk"), "--out-dir", outDir, "--threshold", "2", "--shares", "3",
            "--passphrase-file", pass, "--iteration-exponent", AboveDefault.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.True(rc == ExitCode.Success, split.StderrText);
        Assert.Contains($"keyvault: warning: iteration exponent {AboveDefault} is above the default (1): every restore from these shares will take ", split.StderrText);
        Assert.Contains("encrypting and checking the master secret: SLIP-0039 iteration exponent 3 means 2 × 80,000 PBKDF2 iterations", split.StderrText);
    }

    [Fact]
    public void The_iteration_count_follows_the_specification()
    {
        Assert.Equal(10_000, Slip39Timing.Iterations(0));
        Assert.Equal(10_000L << 15, Slip39Timing.Iterations(15));
        Assert.Equal("under a second", Slip39Timing.Describe(TimeSpan.FromMilliseconds(300)));
        Assert.Equal("about 1 min 17 s", Slip39Timing.Describe(TimeSpan.FromSeconds(77)));
    }
}
