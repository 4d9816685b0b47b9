using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace KeyVault.KeyFile.Argon2;

/// <summary>
/// One implementation of Argon2's block compression (RFC 9106 §3.5 and §3.6): next = G(prev, ref), or, from the
/// second pass on, next ^= G(prev, ref). Each implementation is a struct so the segment loop is compiled once per
/// kernel, with direct calls, as C compiles one loop per instruction set. The hot methods are marked
/// AggressiveOptimization: compiled optimized at first call, because the JIT's first tier (and ReadyToRun, which targets
/// a baseline CPU without AVX2) would run the first fraction of a second of a derivation in slow code.
/// </summary>
internal unsafe interface IBlockKernel
{
    /// <summary>
    /// <paramref name="state"/> holds the previous block (128 words) on entry and the new block on return; the new block
    /// is also stored at <paramref name="next"/>. <paramref name="scratch"/> is 128 words of working space.
    /// </summary>
    static abstract void Fill(ulong* state, ulong* scratch, ulong* refBlock, ulong* next, bool withXor);
}

/// <summary>Word-at-a-time compression: the fallback without SIMD, and the reference the vector kernels are checked against.</summary>
internal readonly unsafe struct ScalarKernel : IBlockKernel
{

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Fill(ulong* state, ulong* scratch, ulong* refBlock, ulong* next, bool withXor)
    {
        for (var i = 0; i < 128; i++)
        {
            state[i] ^= refBlock[i];
            scratch[i] = withXor ? state[i] ^ next[i] : state[i];
        }
        // P on each row of 16 words, then on each column of 2-word pairs (RFC 9106 §3.6).
        for (var i = 0; i < 8; i++)
        {
            var r = state + 16 * i;
            P(ref r[0], ref r[1], ref r[2], ref r[3], ref r[4], ref r[5], ref r[6], ref r[7],
              ref r[8], ref r[9], ref r[10], ref r[11], ref r[12], ref r[13], ref r[14], ref r[15]);
        }
        for (var i = 0; i < 8; i++)
        {
            var c = state + 2 * i;
            P(ref c[0], ref c[1], ref c[16], ref c[17], ref c[32], ref c[33], ref c[48], ref c[49],
              ref c[64], ref c[65], ref c[80], ref c[81], ref c[96], ref c[97], ref c[112], ref c[113]);
        }
        for (var i = 0; i < 128; i++)
        {
            state[i] ^= scratch[i];
            next[i] = state[i];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void P(ref ulong v0, ref ulong v1, ref ulong v2, ref ulong v3, ref ulong v4, ref ulong v5, ref ulong v6, ref ulong v7,
        ref ulong v8, ref ulong v9, ref ulong v10, ref ulong v11, ref ulong v12, ref ulong v13, ref ulong v14, ref ulong v15)
    {
        GB(ref v0, ref v4, ref v8, ref v12);
        GB(ref v1, ref v5, ref v9, ref v13);
        GB(ref v2, ref v6, ref v10, ref v14);
        GB(ref v3, ref v7, ref v11, ref v15);
        GB(ref v0, ref v5, ref v10, ref v15);
        GB(ref v1, ref v6, ref v11, ref v12);
        GB(ref v2, ref v7, ref v8, ref v13);
        GB(ref v3, ref v4, ref v9, ref v14);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GB(ref ulong a, ref ulong b, ref ulong c, ref ulong d)
    {
        unchecked
        {
            a = a + b + 2 * (a & 0xFFFFFFFF) * (b & 0xFFFFFFFF);
            d = ulong.RotateRight(d ^ a, 32);
            c = c + d + 2 * (c & 0xFFFFFFFF) * (d & 0xFFFFFFFF);
            b = ulong.RotateRight(b ^ c, 24);
            a = a + b + 2 * (a & 0xFFFFFFFF) * (b & 0xFFFFFFFF);
            d = ulong.RotateRight(d ^ a, 16);
            c = c + d + 2 * (c & 0xFFFFFFFF) * (d & 0xFFFFFFFF);
            b = ulong.RotateRight(b ^ c, 63);
        }
    }
}

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

/// <summary>Rotations of 64-bit elements, which AVX-512 has as one instruction and AVX2 builds from shuffles.</summary>
internal interface IRotate256
{
    static abstract Vector256<ulong> Rotr32(Vector256<ulong> v);
    static abstract Vector256<ulong> Rotr24(Vector256<ulong> v);
    static abstract Vector256<ulong> Rotr16(Vector256<ulong> v);
    static abstract Vector256<ulong> Rotr63(Vector256<ulong> v);
}

/// <summary>AVX2 rotations: dword shuffle for 32, byte shuffles for 24 and 16, shift-and-add for 63.</summary>
internal readonly struct Avx2Rotate : IRotate256
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> Rotr32(Vector256<ulong> v) => Avx2.Shuffle(v.AsUInt32(), 0b10_11_00_01).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> Rotr24(Vector256<ulong> v) => Avx2.Shuffle(v.AsByte(), Vector256.Create((byte)
        3, 4, 5, 6, 7, 0, 1, 2, 11, 12, 13, 14, 15, 8, 9, 10, 3, 4, 5, 6, 7, 0, 1, 2, 11, 12, 13, 14, 15, 8, 9, 10)).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> Rotr16(Vector256<ulong> v) => Avx2.Shuffle(v.AsByte(), Vector256.Create((byte)
        2, 3, 4, 5, 6, 7, 0, 1, 10, 11, 12, 13, 14, 15, 8, 9, 2, 3, 4, 5, 6, 7, 0, 1, 10, 11, 12, 13, 14, 15, 8, 9)).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> Rotr63(Vector256<ulong> v) => Avx2.ShiftRightLogical(v, 63) ^ Avx2.Add(v, v);
}

/// <summary>AVX-512VL rotations (VPRORQ) on 256-bit vectors: one instruction each.</summary>
internal readonly struct Avx512Rotate : IRotate256
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> Rotr32(Vector256<ulong> v) => Avx512F.VL.RotateRight(v, 32);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> Rotr24(Vector256<ulong> v) => Avx512F.VL.RotateRight(v, 24);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> Rotr16(Vector256<ulong> v) => Avx512F.VL.RotateRight(v, 16);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> Rotr63(Vector256<ulong> v) => Avx512F.VL.RotateRight(v, 63);
}

/// <summary>
/// Four 64-bit words per vector, 32 vectors per block. Row rounds take two rows at a time (8 vectors) and rotate
/// lanes within a vector for the diagonals; column rounds take two columns at a time, spread over the 8 rows, and
/// exchange words between the vectors of neighbouring rows for the diagonals.
/// </summary>
internal readonly unsafe struct Avx2Kernel<TRot> : IBlockKernel where TRot : struct, IRotate256
{

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Fill(ulong* state, ulong* scratch, ulong* refBlock, ulong* next, bool withXor)
    {
        var s = (Vector256<ulong>*)state;
        var x = (Vector256<ulong>*)scratch;
        var r = (Vector256<ulong>*)refBlock;
        var n = (Vector256<ulong>*)next;
        if (withXor)
        {
            for (var i = 0; i < 32; i++)
            {
                var t = Avx.LoadVector256((ulong*)(s + i)) ^ Avx.LoadVector256((ulong*)(r + i));
                Avx.Store((ulong*)(s + i), t);
                Avx.Store((ulong*)(x + i), t ^ Avx.LoadVector256((ulong*)(n + i)));
            }
        }
        else
        {
            for (var i = 0; i < 32; i++)
            {
                var t = Avx.LoadVector256((ulong*)(s + i)) ^ Avx.LoadVector256((ulong*)(r + i));
                Avx.Store((ulong*)(s + i), t);
                Avx.Store((ulong*)(x + i), t);
            }
        }
        for (var i = 0; i < 4; i++) RowRound(s + 8 * i);
        for (var i = 0; i < 4; i++) ColumnRound(s + i);
        for (var i = 0; i < 32; i++)
        {
            var t = Avx.LoadVector256((ulong*)(s + i)) ^ Avx.LoadVector256((ulong*)(x + i));
            Avx.Store((ulong*)(s + i), t);
            Avx.Store((ulong*)(n + i), t);
        }
    }

    /// <summary>P on two rows: p[0..3] and p[4..7] are the words v0..v15 of each.</summary>
    /// <remarks>Not inlined: eight inlined rounds made one method the JIT took tens of milliseconds to compile, at every start.</remarks>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void RowRound(Vector256<ulong>* p)
    {
        var a0 = p[0]; var b0 = p[1]; var c0 = p[2]; var d0 = p[3];
        var a1 = p[4]; var b1 = p[5]; var c1 = p[6]; var d1 = p[7];
        G(ref a0, ref b0, ref c0, ref d0);
        G(ref a1, ref b1, ref c1, ref d1);
        // Diagonals: B becomes v5,v6,v7,v4; C v10,v11,v8,v9; D v15,v12,v13,v14.
        b0 = Avx2.Permute4x64(b0, 0b00_11_10_01); c0 = Avx2.Permute4x64(c0, 0b01_00_11_10); d0 = Avx2.Permute4x64(d0, 0b10_01_00_11);
        b1 = Avx2.Permute4x64(b1, 0b00_11_10_01); c1 = Avx2.Permute4x64(c1, 0b01_00_11_10); d1 = Avx2.Permute4x64(d1, 0b10_01_00_11);
        G(ref a0, ref b0, ref c0, ref d0);
        G(ref a1, ref b1, ref c1, ref d1);
        b0 = Avx2.Permute4x64(b0, 0b10_01_00_11); c0 = Avx2.Permute4x64(c0, 0b01_00_11_10); d0 = Avx2.Permute4x64(d0, 0b00_11_10_01);
        b1 = Avx2.Permute4x64(b1, 0b10_01_00_11); c1 = Avx2.Permute4x64(c1, 0b01_00_11_10); d1 = Avx2.Permute4x64(d1, 0b00_11_10_01);
        p[0] = a0; p[1] = b0; p[2] = c0; p[3] = d0;
        p[4] = a1; p[5] = b1; p[6] = c1; p[7] = d1;
    }

    /// <summary>
    /// P on two columns (2-word pairs 2k and 2k+1): p[4·row] holds both pairs of a row. Rows 0, 2, 4, 6 are the words
    /// v0,v1 / v4,v5 / v8,v9 / v12,v13 of P (A0, B0, C0, D0); rows 1, 3, 5, 7 are v2,v3 / v6,v7 / v10,v11 / v14,v15.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void ColumnRound(Vector256<ulong>* p)
    {
        var a0 = p[0]; var a1 = p[4];
        var b0 = p[8]; var b1 = p[12];
        var c0 = p[16]; var c1 = p[20];
        var d0 = p[24]; var d1 = p[28];
        G(ref a0, ref b0, ref c0, ref d0);
        G(ref a1, ref b1, ref c1, ref d1);
        // Diagonals (v0,v5,v10,v15) (v1,v6,v11,v12) go with A0: B0 = [v5, v6], C0 = C1, D0 = [v15, v12];
        // (v2,v7,v8,v13) (v3,v4,v9,v14) with A1: B1 = [v7, v4], C1 = C0, D1 = [v13, v14] (per column pair).
        var tb0 = SwapPairs(Blend(b0, b1, 0b0011_0011));
        var tb1 = SwapPairs(Blend(b0, b1, 0b1100_1100));
        var td0 = SwapPairs(Blend(d0, d1, 0b1100_1100));
        var td1 = SwapPairs(Blend(d0, d1, 0b0011_0011));
        G(ref a0, ref tb0, ref c1, ref td0);
        G(ref a1, ref tb1, ref c0, ref td1);
        b0 = SwapPairs(Blend(tb0, tb1, 0b1100_1100));
        b1 = SwapPairs(Blend(tb0, tb1, 0b0011_0011));
        d0 = SwapPairs(Blend(td0, td1, 0b0011_0011));
        d1 = SwapPairs(Blend(td0, td1, 0b1100_1100));
        p[0] = a0; p[4] = a1;
        p[8] = b0; p[12] = b1;
        p[16] = c0; p[20] = c1;
        p[24] = d0; p[28] = d1;
    }

    /// <summary>32-bit lanes whose bit is set in <paramref name="mask"/> come from <paramref name="b"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Blend(Vector256<ulong> a, Vector256<ulong> b, [ConstantExpected] byte mask) =>
        Avx2.Blend(a.AsUInt32(), b.AsUInt32(), mask).AsUInt64();

    /// <summary>Swaps the two 64-bit words in each 128-bit half.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> SwapPairs(Vector256<ulong> v) => Avx2.Shuffle(v.AsUInt32(), 0b01_00_11_10).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void G(ref Vector256<ulong> a, ref Vector256<ulong> b, ref Vector256<ulong> c, ref Vector256<ulong> d)
    {
        var m = Avx2.Multiply(a.AsUInt32(), b.AsUInt32());
        a = Avx2.Add(Avx2.Add(a, b), Avx2.Add(m, m));
        d = TRot.Rotr32(d ^ a);
        m = Avx2.Multiply(c.AsUInt32(), d.AsUInt32());
        c = Avx2.Add(Avx2.Add(c, d), Avx2.Add(m, m));
        b = TRot.Rotr24(b ^ c);
        m = Avx2.Multiply(a.AsUInt32(), b.AsUInt32());
        a = Avx2.Add(Avx2.Add(a, b), Avx2.Add(m, m));
        d = TRot.Rotr16(d ^ a);
        m = Avx2.Multiply(c.AsUInt32(), d.AsUInt32());
        c = Avx2.Add(Avx2.Add(c, d), Avx2.Add(m, m));
        b = TRot.Rotr63(b ^ c);
    }
}
