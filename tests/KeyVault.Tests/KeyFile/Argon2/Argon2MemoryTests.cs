using KeyVault.Interaction;
using KeyVault.KeyFile;
using KeyVault.KeyFile.Argon2;

namespace KeyVault.Tests.KeyFile.Argon2;

/// <summary>
/// The block memory holds values derived from the passphrase; it must be zero when it goes back to the system,
/// however the derivation ended. The hooks let the test look at the memory while it is filled and just before it is freed.
/// </summary>
public class Argon2MemoryTests
{
    // 2 MiB over 2 lanes, 2 passes: 16 segments, several workers on a multi-core machine.
    private const uint MemoryKiB = 2048, Passes = 2, Lanes = 2;
    private static readonly byte[] Password = "correct horse battery staple"u8.ToArray();
    private static readonly byte[] Salt = Enumerable.Range(0, 16).Select(i => (byte)i).ToArray();

    private sealed class Observation
    {
        public readonly Lock Gate = new();
        public long NonZeroWhileFilling;
        public long FreedLength = -1;
        public long NonZeroAtFree = -1;
        public int Segments;
    }

    private static unsafe long CountNonZero(nint address, long length)
    {
        var span = new ReadOnlySpan<byte>((byte*)address, checked((int)length));
        return span.Length - span.Count((byte)0);
    }

    private static Argon2TestHooks Watch(Observation o, Action<int>? afterSegment = null) => new()
    {
        AfterSegment = (address, length) =>
        {
            int n;
            lock (o.Gate)
            {
                o.NonZeroWhileFilling = Math.Max(o.NonZeroWhileFilling, CountNonZero(address, length));
                n = ++o.Segments;
            }
            afterSegment?.Invoke(n);
        },
        BeforeFree = (address, length) =>
        {
            o.FreedLength = length;
            o.NonZeroAtFree = CountNonZero(address, length);
        },
    };

    [Fact]
    public void MemoryIsZeroWhenACompletedDerivationFreesIt()
    {
        var o = new Observation();
        var tag = new byte[32];
        Argon2Core.Argon2id(Password, Salt, [], [], MemoryKiB, Passes, Lanes, tag, TestContext.Current.CancellationToken, hooks: Watch(o));
        Assert.Equal(Passes * 4 * Lanes, (uint)o.Segments);
        // Proof the check below can fail: the blocks were filled with non-zero data.
        Assert.True(o.NonZeroWhileFilling > MemoryKiB * 1024L / 2, $"only {o.NonZeroWhileFilling} non-zero bytes seen while filling");
        Assert.Equal(MemoryKiB * 1024L, o.FreedLength);
        Assert.Equal(0, o.NonZeroAtFree);
        Assert.NotEqual(new byte[32], tag);
    }

    [Fact]
    public void MemoryIsZeroWhenACancelledDerivationFreesIt()
    {
        var o = new Observation();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var tag = new byte[32];
        Assert.ThrowsAny<OperationCanceledException>(() =>
            Argon2Core.Argon2id(Password, Salt, [], [], MemoryKiB, Passes, Lanes, tag, cts.Token,
                hooks: Watch(o, afterSegment: n => { if (n == 3) cts.Cancel(); })));
        Assert.True(o.Segments < Passes * 4 * Lanes, "the derivation ran to the end although it was cancelled");
        Assert.True(o.NonZeroWhileFilling > 0);
        Assert.Equal(MemoryKiB * 1024L, o.FreedLength);
        Assert.Equal(0, o.NonZeroAtFree);
        Assert.Equal(new byte[32], tag);
    }

    [Fact]
    public void MemoryIsZeroWhenAWorkerFails()
    {
        var o = new Observation();
        var tag = new byte[32];
        var e = Assert.Throws<InvalidOperationException>(() =>
            Argon2Core.Argon2id(Password, Salt, [], [], MemoryKiB, Passes, Lanes, tag, TestContext.Current.CancellationToken,
                hooks: Watch(o, afterSegment: n => { if (n == 5) throw new InvalidOperationException("injected"); })));
        Assert.Equal("injected", e.Message);
        Assert.True(o.NonZeroWhileFilling > 0);
        Assert.Equal(0, o.NonZeroAtFree);
        Assert.Equal(new byte[32], tag);
    }

    [Fact]
    public void ProgressReachesOneAndTheFileKeyCallReportsItLast()
    {
        var progress = new Argon2Progress();
        var tag = new byte[32];
        Argon2Core.Argon2id(Password, Salt, [], [], MemoryKiB, Passes, Lanes, tag, TestContext.Current.CancellationToken, progress);
        Assert.Equal(1.0, progress.Fraction);

        var reports = new List<KdfProgress>();
        var sink = new Sink(reports);
        var key = Argon2Kdf.DeriveFileKey(Password, Salt, new KdfParameters(MemoryKiB, Passes, Lanes), sink, TestContext.Current.CancellationToken);
        Assert.Equal(32, key.Length);
        lock (reports)
        {
            Assert.True(reports[^1].Finished);
            Assert.Equal(1.0, reports[^1].Fraction);
            Assert.All(reports.Take(reports.Count - 1), r => Assert.False(r.Finished));
        }
    }

    private sealed class Sink(List<KdfProgress> reports) : IProgress<KdfProgress>
    {
        public void Report(KdfProgress value)
        {
            lock (reports) reports.Add(value);
        }
    }
}
