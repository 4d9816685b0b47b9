using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace KeyVault.KeyFile.Argon2;

/// <summary>
/// Unkeyed BLAKE2b (RFC 7693) with a digest of 1 to 64 bytes: the hash H of RFC 9106 §3.1, and the variable-length
/// hash H' of §3.3 built on it. Argon2 calls it a few times per lane (H0, the first two blocks of each lane, the tag),
/// against millions of calls to the compression function G, so it is plain scalar code: vectorising it would not
/// change a derivation's time measurably. The state holds passphrase bytes, so it is wiped by <see cref="Dispose"/>.
/// </summary>
internal unsafe struct Blake2b : IDisposable
{
    private const int BlockBytes = 128;

    private static ReadOnlySpan<ulong> Iv =>
    [
        0x6a09e667f3bcc908UL, 0xbb67ae8584caa73bUL, 0x3c6ef372fe94f82bUL, 0xa54ff53a5f1d36f1UL,
        0x510e527fade682d1UL, 0x9b05688c2b3e6c1fUL, 0x1f83d9abfb41bd6bUL, 0x5be0cd19137e2179UL,
    ];

    private static ReadOnlySpan<byte> Sigma =>
    [
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
        14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3,
        11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4,
        7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8,
        9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13,
        2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9,
        12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11,
        13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10,
        6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5,
        10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0,
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
        14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3,
    ];

    private fixed ulong _h[8];
    private fixed byte _buffer[BlockBytes];
    private ulong _counter;
    private int _filled;
    private readonly int _outLength;

    /// <summary>Starts a hash with a digest of <paramref name="outLength"/> bytes (1 to 64).</summary>
    public Blake2b(int outLength)
    {
        if (outLength is < 1 or > 64) throw new ArgumentOutOfRangeException(nameof(outLength));
        _outLength = outLength;
        for (var i = 0; i < 8; i++) _h[i] = Iv[i];
        // Parameter block: digest length, key length 0, fanout 1, depth 1; the rest is zero.
        _h[0] ^= 0x01010000UL ^ (ulong)outLength;
    }

    /// <summary>Absorbs <paramref name="data"/>.</summary>
    public void Update(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            // The last block must be compressed with the final flag, so a full buffer waits until more data comes.
            if (_filled == BlockBytes)
            {
                _counter = unchecked(_counter + BlockBytes);
                Compress(final: false);
                _filled = 0;
            }
            var n = Math.Min(BlockBytes - _filled, data.Length);
            fixed (byte* b = _buffer) data[..n].CopyTo(new Span<byte>(b + _filled, n));
            _filled += n;
            data = data[n..];
        }
    }

    /// <summary>Absorbs a 32-bit little-endian integer, the way RFC 9106 frames lengths and parameters.</summary>
    public void UpdateLe32(uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        Update(b);
    }

    /// <summary>Writes the digest (exactly the length given at construction) and wipes the state.</summary>
    public void Final(Span<byte> output)
    {
        if (output.Length != _outLength) throw new ArgumentException("output length differs from the digest length", nameof(output));
        _counter = unchecked(_counter + (ulong)_filled);
        fixed (byte* b = _buffer) new Span<byte>(b + _filled, BlockBytes - _filled).Clear();
        Compress(final: true);
        Span<byte> full = stackalloc byte[64];
        for (var i = 0; i < 8; i++) BinaryPrimitives.WriteUInt64LittleEndian(full[(8 * i)..], _h[i]);
        full[.._outLength].CopyTo(output);
        CryptographicOperations.ZeroMemory(full);
        Dispose();
    }

    /// <summary>Wipes the chaining value and the buffered input.</summary>
    public void Dispose()
    {
        fixed (ulong* h = _h) new Span<ulong>(h, 8).Clear();
        fixed (byte* b = _buffer) CryptographicOperations.ZeroMemory(new Span<byte>(b, BlockBytes));
        _filled = 0;
        _counter = 0;
    }

    private void Compress(bool final)
    {
        unchecked
        {
            ulong* v = stackalloc ulong[16];
            ulong* m = stackalloc ulong[16];
            fixed (byte* b = _buffer)
                for (var i = 0; i < 16; i++) m[i] = BinaryPrimitives.ReadUInt64LittleEndian(new ReadOnlySpan<byte>(b + 8 * i, 8));
            for (var i = 0; i < 8; i++)
            {
                v[i] = _h[i];
                v[i + 8] = Iv[i];
            }
            v[12] ^= _counter; // inputs here are far below 2^64 bytes, so the high counter word stays zero
            if (final) v[14] = ~v[14];

            var sigma = Sigma;
            for (var r = 0; r < 12; r++)
            {
                var s = sigma.Slice(16 * r, 16);
                Mix(v, 0, 4, 8, 12, m[s[0]], m[s[1]]);
                Mix(v, 1, 5, 9, 13, m[s[2]], m[s[3]]);
                Mix(v, 2, 6, 10, 14, m[s[4]], m[s[5]]);
                Mix(v, 3, 7, 11, 15, m[s[6]], m[s[7]]);
                Mix(v, 0, 5, 10, 15, m[s[8]], m[s[9]]);
                Mix(v, 1, 6, 11, 12, m[s[10]], m[s[11]]);
                Mix(v, 2, 7, 8, 13, m[s[12]], m[s[13]]);
                Mix(v, 3, 4, 9, 14, m[s[14]], m[s[15]]);
            }
            for (var i = 0; i < 8; i++) _h[i] ^= v[i] ^ v[i + 8];
            new Span<ulong>(v, 16).Clear();
            new Span<ulong>(m, 16).Clear();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Mix(ulong* v, int a, int b, int c, int d, ulong x, ulong y)
    {
        unchecked
        {
            v[a] = v[a] + v[b] + x;
            v[d] = ulong.RotateRight(v[d] ^ v[a], 32);
            v[c] = v[c] + v[d];
            v[b] = ulong.RotateRight(v[b] ^ v[c], 24);
            v[a] = v[a] + v[b] + y;
            v[d] = ulong.RotateRight(v[d] ^ v[a], 16);
            v[c] = v[c] + v[d];
            v[b] = ulong.RotateRight(v[b] ^ v[c], 63);
        }
    }

    /// <summary>
    /// H'^T(A) of RFC 9106 §3.3: a digest of any length T = <c>output.Length</c> from the concatenation
    /// <paramref name="a"/> ‖ <paramref name="b"/>. Up to 64 bytes it is BLAKE2b-T(LE32(T) ‖ A); longer outputs chain
    /// 64-byte BLAKE2b digests and keep the first 32 bytes of each, then a last digest of the remaining length.
    /// </summary>
    public static void HPrime(Span<byte> output, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b = default)
    {
        var t = output.Length;
        if (t <= 64)
        {
            var h = new Blake2b(t);
            h.UpdateLe32((uint)t);
            h.Update(a);
            h.Update(b);
            h.Final(output);
            return;
        }

        Span<byte> v = stackalloc byte[64];
        try
        {
            var first = new Blake2b(64);
            first.UpdateLe32((uint)t);
            first.Update(a);
            first.Update(b);
            first.Final(v);
            // r = ceil(T/32) - 2 digests contribute 32 bytes each; the last one is T - 32r bytes long.
            var r = (t + 31) / 32 - 2;
            v[..32].CopyTo(output);
            var written = 32;
            for (var i = 2; i <= r; i++)
            {
                var next = new Blake2b(64);
                next.Update(v);
                next.Final(v);
                v[..32].CopyTo(output[written..]);
                written += 32;
            }
            var last = new Blake2b(t - written);
            last.Update(v);
            last.Final(output[written..]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(v);
        }
    }
}
