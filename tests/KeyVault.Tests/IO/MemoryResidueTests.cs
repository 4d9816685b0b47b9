using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using KeyVault.IO;
using KeyVault.Keys;
using KeyVault.Signing;
using Microsoft.Win32.SafeHandles;

namespace KeyVault.Tests.IO;

/// <summary>
/// After Dispose, no copy of a key or of a passphrase is left in the process's writable anonymous memory (the GC
/// heap, native heaps, thread stacks). Scans /proc/self/mem, so Linux only. The patterns searched for are random and
/// kept only XOR-masked, so a match can come from nothing but a copy the code under test left behind.
/// </summary>
public class MemoryResidueTests
{
    // Letters whose NFC form is one precomposed code point; typed decomposed, so only normalisation produces the NFC text.
    private static readonly (char Base, char Mark, char Nfc)[] Decomposed =
    [
        ('e', '\u0301', '\u00E9'), ('a', '\u0300', '\u00E0'), ('o', '\u0308', '\u00F6'), ('u', '\u0302', '\u00FB'),
        ('n', '\u0303', '\u00F1'), ('c', '\u0327', '\u00E7'), ('\u0391', '\u0301', '\u0386'),
    ];

    [Fact]
    public void NoCopyOfTheKeyOrTheNormalisedPassphraseSurvivesDispose()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "reads /proc/self/maps and /proc/self/mem, which only Linux has");

        var mask = RandomNumberGenerator.GetBytes(4096);
        var (maskedKey, maskedUtf16, maskedUtf8, maskedUtf32) = UseAndDispose(mask);

        // A full collection first, so what the scan sees is what a heap dump taken later would see.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);

        var found = Scan(mask, [("key", maskedKey), ("passphrase UTF-16", maskedUtf16), ("passphrase UTF-8", maskedUtf8),
            ("passphrase code points (the strength estimator's scratch)", maskedUtf32)]);
        Assert.True(found.Count == 0, "left in memory after Dispose: " + string.Join("; ", found));
    }

    // Kept out of the test method so no local of the caller's frame holds a live reference to the secrets.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static (byte[] Key, byte[] Utf16, byte[] Utf8, byte[] Utf32) UseAndDispose(byte[] mask)
    {
        var scalar = GC.AllocateArray<byte>(SecretKey.Length, pinned: true);
        var typed = GC.AllocateArray<char>(48, pinned: true);
        var nfc16 = GC.AllocateArray<byte>(48, pinned: true);
        var nfc8 = GC.AllocateArray<byte>(96, pinned: true);
        var nfc32 = GC.AllocateArray<byte>(96, pinned: true);
        try
        {
            do RandomNumberGenerator.Fill(scalar); while (!Secp256k1.IsValidScalar(scalar));
            int nfcChars = 0, nfc8Length = 0;
            for (int i = 0; i < 24; i++)
            {
                var (b, m, composed) = Decomposed[RandomNumberGenerator.GetInt32(Decomposed.Length)];
                typed[2 * i] = b;
                typed[2 * i + 1] = m;
                MemoryMarshal.Write(nfc32.AsSpan(4 * nfcChars), (int)composed);
                MemoryMarshal.Write(nfc16.AsSpan(2 * nfcChars++), composed);
                nfc8Length += Encoding.UTF8.GetBytes([composed], nfc8.AsSpan(nfc8Length));
            }
            var masked = (Mask(scalar, mask), Mask(nfc16.AsSpan(0, 2 * nfcChars), mask), Mask(nfc8.AsSpan(0, nfc8Length), mask),
                Mask(nfc32.AsSpan(0, 4 * nfcChars), mask));

            using (var key = SecretKey.FromBytes(scalar))
            {
                CryptographicOperations.ZeroMemory(scalar);
                var signature = StacksMessageSigning.Sign(key, "memory residue");
                Assert.True(StacksMessageSigning.Verify(key.PublicKey, "memory residue", signature));
            }
            using (var passphrase = Passphrase.FromChars(typed))
            {
                Assert.True(passphrase.Utf8.SequenceEqual(nfc8.AsSpan(0, nfc8Length)));
                // The estimator decodes the passphrase into code points: that scratch must be wiped too.
                Assert.False(KeyVault.Text.PassphraseStrength.Estimate(passphrase.Utf8).BelowFloor);
            }
            return masked;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(scalar);
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(typed.AsSpan()));
            CryptographicOperations.ZeroMemory(nfc16);
            CryptographicOperations.ZeroMemory(nfc8);
            CryptographicOperations.ZeroMemory(nfc32);
        }
    }

    private static byte[] Mask(ReadOnlySpan<byte> secret, byte[] mask)
    {
        var masked = new byte[secret.Length];
        for (int i = 0; i < secret.Length; i++) masked[i] = (byte)(secret[i] ^ mask[i]);
        return masked;
    }

    /// <summary>Names of the patterns found, with the address, in rw-p anonymous mappings; unreadable ones are skipped.</summary>
    private static List<string> Scan(byte[] mask, (string Name, byte[] Masked)[] patterns)
    {
        var found = new List<string>();
        using SafeFileHandle mem = File.OpenHandle("/proc/self/mem", FileMode.Open, FileAccess.Read);
        const int chunk = 1 << 20, overlap = 256;
        var buffer = new byte[chunk + overlap];
        foreach (var line in File.ReadAllLines("/proc/self/maps"))
        {
            var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 5 || fields[1] != "rw-p") continue;
            var path = fields.Length == 6 ? fields[5].Trim() : "";
            if (path.Length != 0 && !path.StartsWith('[')) continue; // file-backed: not where a copy is made
            if (path is "[vvar]" or "[vsyscall]" or "[vdso]") continue;
            var range = fields[0].Split('-');
            long start = Convert.ToInt64(range[0], 16), end = Convert.ToInt64(range[1], 16);
            for (long at = start; at < end; at += chunk)
            {
                int length = (int)Math.Min(chunk + overlap, end - at);
                int read;
                try
                {
                    read = RandomAccess.Read(mem, buffer.AsSpan(0, length), at);
                }
                catch (IOException)
                {
                    break; // a region that cannot be read (a guard page, unmapped since) is skipped
                }
                var data = buffer.AsSpan(0, read);
                foreach (var (name, masked) in patterns)
                    if (Contains(data, masked, mask, out int offset))
                        found.Add($"{name} at 0x{at + offset:x} ({path})");
            }
        }
        return found;
    }

    private static bool Contains(ReadOnlySpan<byte> data, byte[] masked, byte[] mask, out int offset)
    {
        byte first = (byte)(masked[0] ^ mask[0]);
        for (int i = data.IndexOf(first); i >= 0 && i <= data.Length - masked.Length;)
        {
            int j = 1;
            while (j < masked.Length && (data[i + j] ^ mask[j]) == masked[j]) j++;
            if (j == masked.Length)
            {
                offset = i;
                return true;
            }
            int next = data[(i + 1)..].IndexOf(first);
            if (next < 0) break;
            i += 1 + next;
        }
        offset = -1;
        return false;
    }
}
