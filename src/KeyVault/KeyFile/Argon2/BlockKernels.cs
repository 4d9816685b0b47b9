using System.Runtime.CompilerServices;

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
