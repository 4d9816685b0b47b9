using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using KeyVault.Interaction;

namespace KeyVault.Shares;

/// <summary>
/// What a high SLIP-0039 iteration exponent costs: every encryption or decryption of the master secret runs
/// 10000 × 2^e PBKDF2-HMAC-SHA256 iterations (exponent 15: over a minute on a laptop). The estimate comes from
/// timing a small PBKDF2 run on this machine, so an operator is told how long to wait instead of facing silence.
/// </summary>
internal static class Slip39Timing
{
    /// <summary>PBKDF2 iterations of one encryption or decryption at <paramref name="iterationExponent"/>.</summary>
    public static long Iterations(int iterationExponent) =>
        (long)MasterSecretCipher.Rounds * MasterSecretCipher.BaseIterationsPerRound << iterationExponent;

    /// <summary>Expected time of one encryption or decryption on this machine, from a timed sample of PBKDF2.</summary>
    public static TimeSpan Estimate(int iterationExponent)
    {
        const int sample = 20_000;
        Span<byte> output = stackalloc byte[16];
        var watch = Stopwatch.StartNew();
        Rfc2898DeriveBytes.Pbkdf2("sample"u8, "slip39 timing"u8, output, sample, HashAlgorithmName.SHA256);
        watch.Stop();
        return TimeSpan.FromTicks((long)(watch.Elapsed.Ticks * (Iterations(iterationExponent) / (double)sample)));
    }

    /// <summary>"about 1 min 17 s", "about 3 s", "under a second".</summary>
    public static string Describe(TimeSpan t) => t.TotalSeconds switch
    {
        < 1 => "under a second",
        < 60 => $"about {Math.Round(t.TotalSeconds).ToString(CultureInfo.InvariantCulture)} s",
        _ => $"about {(int)t.TotalMinutes} min {t.Seconds.ToString(CultureInfo.InvariantCulture)} s",
    };

    /// <summary>
    /// Above the default exponent, tells <paramref name="op"/> what is about to take time and how long it should take,
    /// and shows the elapsed time until the returned object is disposed; at or below it, does nothing (returns null).
    /// </summary>
    /// <param name="op">Who is told; null for nobody.</param>
    /// <param name="iterationExponent">The backup's iteration exponent e.</param>
    /// <param name="what">The step, as the operator reads it ("decrypting the master secret").</param>
    /// <param name="passes">How many encryptions or decryptions the step runs (a split encrypts, then checks by decrypting).</param>
    public static IDisposable? Announce(IOperator? op, int iterationExponent, string what, int passes = 1)
    {
        if (op is null || iterationExponent <= Slip39.DefaultIterationExponent) return null;
        var expected = Estimate(iterationExponent) * passes;
        op.Note($"{what}: SLIP-0039 iteration exponent {iterationExponent} means {passes} × {Iterations(iterationExponent).ToString("N0", CultureInfo.InvariantCulture)} " +
                $"PBKDF2 iterations; expected to take {Describe(expected)} on this machine");
        return new Ticker(op.KdfProgress(what));
    }

    private sealed class Ticker : IDisposable
    {
        private readonly IProgress<KdfProgress> _progress;
        private readonly Stopwatch _watch = Stopwatch.StartNew();
        private readonly Timer _timer;
        private int _disposed;

        public Ticker(IProgress<KdfProgress> progress)
        {
            _progress = progress;
            _timer = new Timer(_ => { if (Volatile.Read(ref _disposed) == 0) _progress.Report(new KdfProgress(_watch.Elapsed, false)); },
                null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            _timer.Dispose();
            _progress.Report(new KdfProgress(_watch.Elapsed, true));
        }
    }
}
