using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace KeyVault.KeyFile.Argon2;

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
