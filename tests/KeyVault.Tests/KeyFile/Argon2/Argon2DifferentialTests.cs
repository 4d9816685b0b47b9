using System.Diagnostics;
using System.Text;
using System.Text.Json;
using KeyVault.KeyFile.Argon2;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.KeyFile.Argon2;

/// <summary>
/// KeyVault's Argon2id against independent implementations on the same 200 random parameter sets: Konscious (managed,
/// a package only the tests reference), the Debian <c>argon2</c> program, and the reference C library as the npm
/// <c>argon2</c> module packages it (tests/interop), which alone accepts every set (Konscious and the Debian program
/// refuse an empty password). The sets are drawn from a fixed seed, so a failure names a case that can be rerun.
/// </summary>
public class Argon2DifferentialTests(ITestOutputHelper output)
{
    private const int Seed = 9106;
    private const int Count = 200;

    /// <summary>One parameter set. Memory is in KiB; the tag is always 32 bytes.</summary>
    public sealed record Case(int Index, byte[] Password, byte[] Salt, uint MemoryKiB, uint Passes, uint Lanes)
    {
        public override string ToString() =>
            $"case {Index}: m = {MemoryKiB} KiB, t = {Passes}, p = {Lanes}, |P| = {Password.Length}, S = {Convert.ToHexStringLower(Salt)}";
    }

    /// <summary>
    /// m from 8p KiB to 64 MiB, skewed toward small memory so the run stays short: 180 sets log-uniform up to 4 MiB,
    /// 12 from 4 to 64 MiB, 8 at exactly 64 MiB. t 1–5, p 1–16, salt 16–64 bytes, password 0–128 bytes.
    /// </summary>
    public static IReadOnlyList<Case> Cases { get; } = Generate();

    private static List<Case> Generate()
    {
        var random = new Random(Seed);
        var cases = new List<Case>(Count);
        for (var i = 0; i < Count; i++)
        {
            var lanes = (uint)random.Next(1, 17);
            var passes = (uint)random.Next(1, 6);
            var floor = 8.0 * lanes;
            var memory = (i % 25) switch
            {
                0 => 64u * 1024,
                1 or 2 when i < 150 => LogUniform(random, 4 * 1024, 64 * 1024),
                _ => LogUniform(random, floor, 4 * 1024),
            };
            var password = new byte[random.Next(0, 129)];
            random.NextBytes(password);
            var salt = new byte[random.Next(16, 65)];
            random.NextBytes(salt);
            // The edges of the ranges, on sets the draw would rarely hit: least memory, empty and longest password.
            if (i == 5) memory = (uint)floor;
            if (i == 6) password = [];
            if (i == 7) password = [.. password, .. new byte[128 - password.Length]];
            cases.Add(new Case(i, password, salt, Math.Max(memory, (uint)floor), passes, lanes));
        }
        return cases;
    }

    private static uint LogUniform(Random random, double low, double high) =>
        (uint)Math.Round(Math.Exp(Math.Log(low) + random.NextDouble() * (Math.Log(high) - Math.Log(low))));

    /// <summary>KeyVault's tags, computed once for the three comparisons.</summary>
    private static readonly Lazy<string[]> OurTags = new(() => Cases.Select(c =>
    {
        var tag = new byte[32];
        Argon2Core.Argon2id(c.Password, c.Salt, [], [], c.MemoryKiB, c.Passes, c.Lanes, tag, TestContext.Current.CancellationToken);
        return Convert.ToHexStringLower(tag);
    }).ToArray());

    private static string Ours(Case c) => OurTags.Value[c.Index];

    [Fact]
    public void TheParameterSetsCoverTheAskedRanges()
    {
        Assert.Equal(Count, Cases.Count);
        Assert.Equal(8, Cases.Count(c => c.MemoryKiB == 64 * 1024));
        Assert.Contains(Cases, c => c.MemoryKiB == 8 * c.Lanes);
        Assert.Contains(Cases, c => c.Password.Length == 128);
        Assert.All(Cases, c => Assert.InRange(c.MemoryKiB, 8 * c.Lanes, 64u * 1024));
        Assert.Equal(new uint[] { 1, 2, 3, 4, 5 }, Cases.Select(c => c.Passes).Distinct().Order());
        Assert.Equal(Enumerable.Range(1, 16).Select(i => (uint)i), Cases.Select(c => c.Lanes).Distinct().Order());
        Assert.Contains(Cases, c => c.Password.Length == 0);
        Assert.All(Cases, c => Assert.InRange(c.Salt.Length, 16, 64));
        Assert.All(Cases, c => Assert.InRange(c.Password.Length, 0, 128));
        // m not a multiple of 4p exercises the rounding down to whole segments.
        Assert.Contains(Cases, c => c.MemoryKiB % (4 * c.Lanes) != 0);
    }

    /// <summary>Konscious refuses an empty password; those sets are compared with the npm reference library only.</summary>
    [Fact]
    public void AgreesWithKonsciousOnEveryParameterSetItAccepts()
    {
        var clock = Stopwatch.StartNew();
        var mismatches = new List<string>();
        var refused = new List<int>();
        foreach (var c in Cases)
        {
            TestContext.Current.CancellationToken.ThrowIfCancellationRequested();
            if (c.Password.Length == 0)
            {
                refused.Add(c.Index);
                continue;
            }
            using var k = new Konscious.Security.Cryptography.Argon2id(c.Password)
            {
                Salt = c.Salt,
                MemorySize = (int)c.MemoryKiB,
                Iterations = (int)c.Passes,
                DegreeOfParallelism = (int)c.Lanes,
            };
            var theirs = Convert.ToHexStringLower(k.GetBytes(32));
            var ours = Ours(c);
            if (ours != theirs) mismatches.Add($"{c}: ours {ours}, Konscious {theirs}");
        }
        output.WriteLine($"{Cases.Count - refused.Count} parameter sets compared with Konscious in {clock.Elapsed.TotalSeconds:F1} s; " +
            $"empty password, which it refuses: {string.Join(", ", refused)}");
        Assert.True(refused.Count <= 5, "the draw should leave nearly every set to Konscious");
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    [Fact]
    public void AgreesWithTheReferenceLibraryFromNpmOnEveryParameterSet()
    {
        var node = External.RequireTool("node", "nodejs");
        var interop = Path.Combine(External.RepoRoot, "tests", "interop");
        if (!Directory.Exists(Path.Combine(interop, "node_modules", "argon2")))
            External.Unavailable($"the npm argon2 module is not installed (npm ci --prefix {interop})");
        var clock = Stopwatch.StartNew();
        var request = JsonSerializer.Serialize(Cases.Select(c => new
        {
            password = Convert.ToHexStringLower(c.Password),
            salt = Convert.ToHexStringLower(c.Salt),
            m = c.MemoryKiB,
            t = c.Passes,
            p = c.Lanes,
            length = 32,
        }));
        var (code, stdout, stderr) = External.RunWithInput(node, request, Path.Combine(interop, "argon2-peer.js"));
        Assert.True(code == 0, $"the reference library failed: {stderr}");
        var theirs = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Cases.Count, theirs.Length);
        var mismatches = Cases.Where(c => Ours(c) != theirs[c.Index]).Select(c => $"{c}: ours {Ours(c)}, npm argon2 {theirs[c.Index]}").ToList();
        output.WriteLine($"{Cases.Count} parameter sets compared with the npm argon2 module in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    /// <summary>
    /// The Debian program reads the password from standard input (1 to 127 bytes: it refuses an empty one and stops at
    /// 128) and takes the salt as a command-line argument, which cannot hold a zero byte. Sets it cannot express are
    /// compared only with Konscious (above); the count is printed, and most sets remain.
    /// </summary>
    [Fact]
    public void AgreesWithTheReferenceCProgramWhereItCanExpressTheSet()
    {
        var argon2 = External.RequireTool("argon2", "argon2");
        var bash = External.RequireTool("bash", "bash");
        var clock = Stopwatch.StartNew();
        var mismatches = new List<string>();
        var compared = 0;
        var notExpressible = new List<int>();
        foreach (var c in Cases)
        {
            TestContext.Current.CancellationToken.ThrowIfCancellationRequested();
            if (c.Password.Length is 0 or >= 128 || c.Salt.Contains((byte)0))
            {
                notExpressible.Add(c.Index);
                continue;
            }
            var theirs = RunCli(bash, argon2, c);
            var ours = Ours(c);
            compared++;
            if (ours != theirs) mismatches.Add($"{c}: ours {ours}, argon2 {theirs}");
        }
        output.WriteLine($"{compared} parameter sets compared with {argon2} in {clock.Elapsed.TotalSeconds:F1} s; " +
            $"{notExpressible.Count} it cannot express (empty or 128-byte password, zero byte in the salt): {string.Join(", ", notExpressible)}");
        Assert.True(compared >= 150, $"only {compared} sets could be compared");
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    private static string RunCli(string bash, string argon2, Case c)
    {
        // bash's printf turns \xHH escapes into the salt's raw bytes; the trailing x keeps a final newline byte.
        var saltEscaped = new StringBuilder();
        foreach (var b in c.Salt) saltEscaped.Append($"\\x{b:x2}");
        var psi = new ProcessStartInfo(bash)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[]
                 {
                     "-c", "s=\"$(printf \"$1\"; printf x)\"; exec \"$0\" \"${s%x}\" -id -t \"$2\" -k \"$3\" -p \"$4\" -l 32 -r",
                     argon2, saltEscaped.ToString(), c.Passes.ToString(), c.MemoryKiB.ToString(), c.Lanes.ToString(),
                 })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.StandardInput.BaseStream.Write(c.Password);
        p.StandardInput.Close();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{c}: argon2 exited {p.ExitCode}: {stderr.Result.Trim()}");
        return stdout.Result.Trim();
    }
}
