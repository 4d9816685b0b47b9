using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace KeyVault.KeyFile.Argon2;

/// <summary>The instruction sets the compression function can run on. All give the same bytes.</summary>
internal enum Argon2Engine
{
    /// <summary>64-bit words one at a time; runs anywhere.</summary>
    Scalar,
    /// <summary>Cross-platform 128-bit vectors (whatever the JIT maps them to).</summary>
    Vector128,
    /// <summary>Arm64 NEON.</summary>
    AdvSimd,
    /// <summary>x64 AVX2, 256-bit vectors.</summary>
    Avx2,
    /// <summary>x64 AVX2 layout with the AVX-512VL rotate instruction.</summary>
    Avx512,
}

/// <summary>Which <see cref="Argon2Engine"/> this machine can run, and which one derivations use.</summary>
internal static unsafe class Argon2Engines
{
    private static readonly Lazy<Argon2Engine> Selected = new(Select);

    /// <summary>The engines from fastest to the fallback.</summary>
    public static IReadOnlyList<Argon2Engine> InPreferenceOrder { get; } =
        [Argon2Engine.Avx512, Argon2Engine.Avx2, Argon2Engine.AdvSimd, Argon2Engine.Vector128, Argon2Engine.Scalar];

    /// <summary>The engine derivations use: the first supported one whose output matches the scalar code.</summary>
    public static Argon2Engine Best => Selected.Value;

    /// <summary>Null when <paramref name="engine"/> can run here, otherwise the hardware fact that prevents it.</summary>
    public static string? WhyUnsupported(Argon2Engine engine) => engine switch
    {
        Argon2Engine.Avx512 => Avx512F.VL.IsSupported && Avx2.IsSupported ? null : "this CPU (or the runtime) has no AVX-512F/VL",
        Argon2Engine.Avx2 => Avx2.IsSupported ? null : "this CPU (or the runtime) has no AVX2",
        Argon2Engine.AdvSimd => AdvSimd.IsSupported ? null : "AdvSimd (NEON) exists only on Arm64",
        Argon2Engine.Vector128 or Argon2Engine.Scalar => null,
        _ => "unknown engine",
    };

    private static Argon2Engine Select()
    {
        foreach (var engine in InPreferenceOrder)
        {
            if (WhyUnsupported(engine) is not null) continue;
            // Vector128 without hardware acceleration is emulated and slower than the scalar code.
            if (engine == Argon2Engine.Vector128 && !Vector128.IsHardwareAccelerated) continue;
            if (engine == Argon2Engine.Scalar || AgreesWithScalar(engine)) return engine;
        }
        return Argon2Engine.Scalar;
    }

    /// <summary>
    /// Fingerprints of one compression of the fixed blocks of <see cref="KnownAnswerFingerprints"/>, without and with the
    /// XOR into the old block, as the scalar code computes them (a test recomputes them from the scalar code).
    /// </summary>
    internal static readonly ulong[] KnownAnswer = [0x4876275B55797C68UL, 0xF50D35D830BBF0CCUL];

    /// <summary>
    /// A known-answer check on this machine before an engine is trusted with key files, so an engine the tests could
    /// not run (AVX-512 on a machine without it) can never write a key file that other machines do not open.
    /// Constants rather than a run of the scalar code, so a cold process does not compile the scalar kernel.
    /// </summary>
    internal static bool AgreesWithScalar(Argon2Engine engine) => KnownAnswerFingerprints(engine).AsSpan().SequenceEqual(KnownAnswer);

    /// <summary>One compression of fixed pseudo-random blocks, without and with XOR, each folded into 64 bits.</summary>
    internal static ulong[] KnownAnswerFingerprints(Argon2Engine engine)
    {
        const int words = Argon2Core.BlockWords;
        var result = new ulong[2];
        var buffer = new ulong[6 * words];
        fixed (ulong* b = buffer)
        {
            ulong x = 0x9E3779B97F4A7C15UL;
            for (var i = 0; i < 3 * words; i++)
            {
                x = unchecked(x * 6364136223846793005UL + 1442695040888963407UL);
                b[i] = x;
            }
            ulong* prev = b, refBlock = b + words, old = b + 2 * words, state = b + 3 * words, scratch = b + 4 * words, next = b + 5 * words;
            for (var k = 0; k < 2; k++)
            {
                new Span<ulong>(prev, words).CopyTo(new Span<ulong>(state, words));
                new Span<ulong>(old, words).CopyTo(new Span<ulong>(next, words));
                Argon2Core.Compress(engine, state, scratch, refBlock, next, withXor: k == 1);
                ulong f = 0xCBF29CE484222325UL;
                for (var i = 0; i < words; i++) f = unchecked((f ^ next[i]) * 0x100000001B3UL);
                result[k] = f;
            }
        }
        return result;
    }
}
