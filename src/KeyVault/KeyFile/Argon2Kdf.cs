using System.Diagnostics;
using System.Security.Cryptography;
using KeyVault.Interaction;
using KeyVault.KeyFile.Argon2;

namespace KeyVault.KeyFile;

/// <summary>
/// The single Argon2id call of the library (KeyVault's own implementation, <see cref="Argon2Core"/>, version 0x13).
/// The RFC 9106 vector test goes through <see cref="Argon2id"/> too, so the code that opens key files is the code that
/// is checked against the RFC.
/// </summary>
internal static class Argon2Kdf
{
    /// <summary>Length of the derived AES-256 key.</summary>
    public const int KeyLength = 32;

    private static readonly TimeSpan ReportEvery = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Argon2id(password, salt, secret K, associated data X, m, t, p, tag length). Returns the tag in a pinned array
    /// the caller wipes. Nothing else keeps a copy of the password: it is hashed straight from the caller's span, and
    /// the block memory is wiped before it is freed.
    /// </summary>
    public static byte[] Argon2id(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> secret,
        ReadOnlySpan<byte> associatedData, KdfParameters p, int tagLength, CancellationToken cancellationToken = default,
        Argon2Progress? progress = null)
    {
        var tag = GC.AllocateArray<byte>(tagLength, pinned: true);
        try
        {
            Argon2Core.Argon2id(password, salt, secret, associatedData, checked((uint)p.MemoryKiB), checked((uint)p.Iterations),
                checked((uint)p.Parallelism), tag, cancellationToken, progress);
            return tag;
        }
        catch
        {
            CryptographicOperations.ZeroMemory(tag);
            throw;
        }
    }

    /// <summary>
    /// The file key: Argon2id(passphrase, salt) with no secret and no associated data, 32 bytes. While it runs, a
    /// timer reports the elapsed time and the fraction of the work done every 100 ms; a final report with
    /// <c>Finished</c> follows when it is done, cancelled or failed.
    /// </summary>
    public static byte[] DeriveFileKey(ReadOnlySpan<byte> passphrase, ReadOnlySpan<byte> salt, KdfParameters p,
        IProgress<KdfProgress>? progress, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var done = new Argon2Progress();
        Timer? timer = progress is null ? null
            : new Timer(_ => progress.Report(new KdfProgress(clock.Elapsed, false) { Fraction = done.Fraction }), null, ReportEvery, ReportEvery);
        try
        {
            return Argon2id(passphrase, salt, [], [], p, KeyLength, cancellationToken, done);
        }
        finally
        {
            if (timer is not null)
            {
                // Wait for a callback already running, so the final report is really the last one.
                using var stopped = new ManualResetEvent(false);
                if (timer.Dispose(stopped)) stopped.WaitOne();
                progress!.Report(new KdfProgress(clock.Elapsed, true) { Fraction = done.Fraction });
            }
        }
    }
}
