using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;

namespace KeyVault.KeyFile.Argon2;

/// <summary>The operations of the 128-bit kernel that differ between instruction sets.</summary>
internal interface IVector128Ops
{
    /// <summary>The product of the low 32-bit halves of each 64-bit element, as 64-bit numbers.</summary>
    static abstract Vector128<ulong> MulLow(Vector128<ulong> x, Vector128<ulong> y);

    /// <summary>[a.upper, b.lower]: the step that moves words between vectors for the diagonal half of a round.</summary>
    static abstract Vector128<ulong> Join(Vector128<ulong> a, Vector128<ulong> b);
}

/// <summary>Only cross-platform <see cref="Vector128"/> calls: the fallback for any machine with 128-bit SIMD.</summary>
internal readonly struct PortableOps : IVector128Ops
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> MulLow(Vector128<ulong> x, Vector128<ulong> y) =>
        (x & Vector128.Create(0xFFFFFFFFUL)) * (y & Vector128.Create(0xFFFFFFFFUL));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> Join(Vector128<ulong> a, Vector128<ulong> b) =>
        Vector128.Create(a.GetElement(1), b.GetElement(0));
}

/// <summary>Arm64 NEON: widening multiply of the narrowed halves, and EXT for the join.</summary>
internal readonly struct AdvSimdOps : IVector128Ops
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> MulLow(Vector128<ulong> x, Vector128<ulong> y) =>
        AdvSimd.MultiplyWideningLower(AdvSimd.ExtractNarrowingLower(x), AdvSimd.ExtractNarrowingLower(y));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> Join(Vector128<ulong> a, Vector128<ulong> b) => AdvSimd.ExtractVector128(a, b, 1);
}

/// <summary>
/// Two 64-bit words per vector, 64 vectors per block. A row of 16 words is 8 vectors; a column of 2-word pairs is the
/// vectors at the same position in each row, so both halves of the compression use the same round.
/// </summary>
internal readonly unsafe struct Vector128Kernel<TOps> : IBlockKernel where TOps : struct, IVector128Ops
{

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Fill(ulong* state, ulong* scratch, ulong* refBlock, ulong* next, bool withXor)
    {
        var s = (Vector128<ulong>*)state;
        var x = (Vector128<ulong>*)scratch;
        var r = (Vector128<ulong>*)refBlock;
        var n = (Vector128<ulong>*)next;
        if (withXor)
        {
            for (var i = 0; i < 64; i++)
            {
                var t = Vector128.Load((ulong*)(s + i)) ^ Vector128.Load((ulong*)(r + i));
                t.Store((ulong*)(s + i));
                (t ^ Vector128.Load((ulong*)(n + i))).Store((ulong*)(x + i));
            }
        }
        else
        {
            for (var i = 0; i < 64; i++)
            {
                var t = Vector128.Load((ulong*)(s + i)) ^ Vector128.Load((ulong*)(r + i));
                t.Store((ulong*)(s + i));
                t.Store((ulong*)(x + i));
            }
        }
        for (var i = 0; i < 8; i++) Round(s + 8 * i, 1);
        for (var i = 0; i < 8; i++) Round(s + i, 8);
        for (var i = 0; i < 64; i++)
        {
            var t = Vector128.Load((ulong*)(s + i)) ^ Vector128.Load((ulong*)(x + i));
            t.Store((ulong*)(s + i));
            t.Store((ulong*)(n + i));
        }
    }

    /// <summary>P on the 16 words held by the vectors p[0], p[stride], …, p[7·stride].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round(Vector128<ulong>* p, int stride)
    {
        // Words v0..v15 of P: A0 = v0,v1  A1 = v2,v3  B0 = v4,v5  B1 = v6,v7  C0 = v8,v9  C1 = v10,v11  D0 = v12,v13  D1 = v14,v15.
        var a0 = p[0]; var a1 = p[stride];
        var b0 = p[2 * stride]; var b1 = p[3 * stride];
        var c0 = p[4 * stride]; var c1 = p[5 * stride];
        var d0 = p[6 * stride]; var d1 = p[7 * stride];

        G(ref a0, ref b0, ref c0, ref d0);
        G(ref a1, ref b1, ref c1, ref d1);

        // Diagonals: (v0,v5,v10,v15) (v1,v6,v11,v12) with A0, (v2,v7,v8,v13) (v3,v4,v9,v14) with A1.
        var tb0 = TOps.Join(b0, b1); var tb1 = TOps.Join(b1, b0);
        var td0 = TOps.Join(d1, d0); var td1 = TOps.Join(d0, d1);
        G(ref a0, ref tb0, ref c1, ref td0);
        G(ref a1, ref tb1, ref c0, ref td1);
        b0 = TOps.Join(tb1, tb0); b1 = TOps.Join(tb0, tb1);
        d0 = TOps.Join(td0, td1); d1 = TOps.Join(td1, td0);

        p[0] = a0; p[stride] = a1;
        p[2 * stride] = b0; p[3 * stride] = b1;
        p[4 * stride] = c0; p[5 * stride] = c1;
        p[6 * stride] = d0; p[7 * stride] = d1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void G(ref Vector128<ulong> a, ref Vector128<ulong> b, ref Vector128<ulong> c, ref Vector128<ulong> d)
    {
        var m = TOps.MulLow(a, b);
        a = a + b + m + m;
        d = Rotr32(d ^ a);
        m = TOps.MulLow(c, d);
        c = c + d + m + m;
        b = Rotr24(b ^ c);
        m = TOps.MulLow(a, b);
        a = a + b + m + m;
        d = Rotr16(d ^ a);
        m = TOps.MulLow(c, d);
        c = c + d + m + m;
        b = Rotr63(b ^ c);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> Rotr32(Vector128<ulong> v) =>
        Vector128.Shuffle(v.AsUInt32(), Vector128.Create(1u, 0, 3, 2)).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> Rotr24(Vector128<ulong> v) =>
        Vector128.Shuffle(v.AsByte(), Vector128.Create((byte)3, 4, 5, 6, 7, 0, 1, 2, 11, 12, 13, 14, 15, 8, 9, 10)).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> Rotr16(Vector128<ulong> v) =>
        Vector128.Shuffle(v.AsByte(), Vector128.Create((byte)2, 3, 4, 5, 6, 7, 0, 1, 10, 11, 12, 13, 14, 15, 8, 9)).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> Rotr63(Vector128<ulong> v) => Vector128.ShiftRightLogical(v, 63) ^ (v + v);
}
