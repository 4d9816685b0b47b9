using System.Diagnostics;
using System.Security.Cryptography;
using Konscious.Security.Cryptography;

namespace KeyVault.KeyFile;

/// <summary>
/// The single Argon2id call of the library (Konscious, version 0x13). The RFC 9106 vector test goes through
/// <see cref="Argon2id"/> too, so the code that opens key files is the code that is checked against the RFC.
/// </summary>
internal static class Argon2Kdf
{
    /// <summary>Length of the derived AES-256 key.</summary>
    public const int KeyLength = 32;

    private static readonly TimeSpan ReportEvery = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Argon2id(password, salt, secret K, associated data X, m, t, p, tag length). Returns the tag in a pinned array
    /// the caller wipes. Konscious keeps its own copies of the password and its memory blocks in the managed heap,
    /// where they cannot be wiped; docs/key-file-format.md records that exposure.
    /// </summary>
    public static byte[] Argon2id(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> secret,
        ReadOnlySpan<byte> associatedData, KdfParameters p, int tagLength)
    {
        var pw = GC.AllocateArray<byte>(password.Length, pinned: true);
        byte[]? tag = null;
        try
        {
            password.CopyTo(pw);
            using var argon = new Konscious.Security.Cryptography.Argon2id(pw)
            {
                Salt = salt.ToArray(),
                MemorySize = checked((int)p.MemoryKiB),
                Iterations = checked((int)p.Iterations),
                DegreeOfParallelism = checked((int)p.Parallelism),
            };
            if (!secret.IsEmpty) argon.KnownSecret = secret.ToArray();
            if (!associatedData.IsEmpty) argon.AssociatedData = associatedData.ToArray();
            tag = argon.GetBytes(tagLength);
            var result = GC.AllocateArray<byte>(tagLength, pinned: true);
            tag.CopyTo(result, 0);
            return result;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pw);
            if (tag is not null) CryptographicOperations.ZeroMemory(tag);
        }
    }

    /// <summary>
    /// The file key: Argon2id(passphrase, salt) with no secret and no associated data, 32 bytes. While it runs, a
    /// timer reports the elapsed time every 100 ms; a final report with <c>Finished</c> follows when it is done.
    /// </summary>
    public static byte[] DeriveFileKey(ReadOnlySpan<byte> passphrase, ReadOnlySpan<byte> salt, KdfParameters p, IProgress<KdfProgress>? progress)
    {
        var clock = Stopwatch.StartNew();
        Timer? timer = progress is null ? null
            : new Timer(_ => progress.Report(new KdfProgress(clock.Elapsed, false)), null, ReportEvery, ReportEvery);
        try
        {
            return Argon2id(passphrase, salt, [], [], p, KeyLength);
        }
        finally
        {
            if (timer is not null)
            {
                // Wait for a callback already running, so the final report is really the last one.
                using var stopped = new ManualResetEvent(false);
                if (timer.Dispose(stopped)) stopped.WaitOne();
                progress!.Report(new KdfProgress(clock.Elapsed, true));
            }
        }
    }
}
