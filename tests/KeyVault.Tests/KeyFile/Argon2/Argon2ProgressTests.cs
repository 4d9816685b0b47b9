using KeyVault.KeyFile.Argon2;

namespace KeyVault.Tests.KeyFile.Argon2;

/// <summary>
/// Progress is counted in work, not time: one unit per segment filled (lanes × 4 slices × passes) and one per segment
/// of fresh memory the first pass needs (lanes × 4). The first pass, which pays for the memory, then moves the figure
/// as far as its work is worth, and the figure never goes back.
/// </summary>
public class Argon2ProgressTests
{
    private static readonly byte[] Password = "correct horse battery staple"u8.ToArray();
    private static readonly byte[] Salt = Enumerable.Range(0, 16).Select(i => (byte)i).ToArray();

    [Theory]
    [InlineData(1u, 3u)]
    [InlineData(1u, 1u)]
    [InlineData(2u, 2u)]
    public void ProgressFollowsTheWorkDoneAndNeverGoesBack(uint lanes, uint passes)
    {
        var progress = new Argon2Progress();
        var seen = new List<(long Filled, double Fraction)>();
        var hooks = new Argon2TestHooks
        {
            AfterSegment = (_, _) =>
            {
                lock (seen) seen.Add((progress.SegmentsFilled, progress.Fraction));
            },
        };
        var tag = new byte[32];
        Argon2Core.Argon2id(Password, Salt, [], [], 64 * lanes, passes, lanes, tag, TestContext.Current.CancellationToken, progress, hooks: hooks);

        long segments = 4L * lanes * passes, memory = 4L * lanes, total = segments + memory;
        Assert.Equal(segments, seen.Count);
        Assert.Equal(1.0, progress.Fraction);
        var ordered = seen.OrderBy(s => s.Filled).ToList();
        for (int i = 0; i < ordered.Count; i++)
        {
            var (filled, fraction) = ordered[i];
            // At least the segments filled and the memory they stand in; at most that plus all the memory.
            Assert.InRange(fraction, (filled + Math.Min(filled, memory)) / (double)total - 1e-9, (filled + memory) / (double)total + 1e-9);
        }
        if (lanes == 1)
        {
            // One worker reports in order: the figure rises with every segment.
            for (int i = 1; i < seen.Count; i++) Assert.True(seen[i].Fraction > seen[i - 1].Fraction, $"segment {i + 1}: {seen[i].Fraction} after {seen[i - 1].Fraction}");
            // The first pass, which brings the memory in, is worth two of the t + 1 parts of the work.
            Assert.True(seen[3].Fraction >= 2.0 / (passes + 1) - 1e-9, $"after the first pass: {seen[3].Fraction}");
        }
    }
}
