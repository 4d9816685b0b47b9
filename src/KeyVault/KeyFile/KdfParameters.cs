using KeyVault.Errors;

namespace KeyVault.KeyFile;

/// <summary>
/// Argon2id cost parameters as stored in a key file header. Values are kept as read (up to 2^32-1) so that
/// <c>inspect</c> can show exactly what a hostile or future file asks for; the rules live in
/// <see cref="EncryptedKeyFile"/> (format minimums) and <see cref="KdfLimits"/> (work caps).
/// </summary>
/// <param name="MemoryKiB">Argon2 memory size m, in KiB (1024-byte blocks).</param>
/// <param name="Iterations">Argon2 passes t.</param>
/// <param name="Parallelism">Argon2 lanes p.</param>
public sealed record KdfParameters(long MemoryKiB, long Iterations, long Parallelism)
{
    /// <summary>
    /// The defaults written by <c>keyvault generate</c>/<c>import</c>: 1 GiB, 3 passes, 4 lanes. Measured and justified
    /// in docs/key-file-format.md (a few seconds on a 2-core laptop; 3 GiB of memory traffic per guess for an attacker).
    /// </summary>
    public static KdfParameters Default { get; } = new(1024 * 1024, 3, 4);

    /// <summary>The cheapest parameters the format allows (8 KiB, 1 pass, 1 lane). Only for tests and vectors.</summary>
    public static KdfParameters Minimum { get; } = new(FormatMinimumMemoryPerLaneKiB, 1, 1);

    /// <summary>Argon2's own floor: at least 8 KiB of memory per lane.</summary>
    public const int FormatMinimumMemoryPerLaneKiB = 8;

    /// <summary>Memory in MiB for display (rounded down).</summary>
    public long MemoryMiB => MemoryKiB / 1024;

    /// <summary>True when the values satisfy the format's structural rules (t ≥ 1, p ≥ 1, m ≥ 8·p, all below 2^32).</summary>
    public bool IsStructurallyValid =>
        Iterations is >= 1 and <= uint.MaxValue
        && Parallelism is >= 1 and <= uint.MaxValue
        && MemoryKiB is >= 0 and <= uint.MaxValue
        && MemoryKiB >= FormatMinimumMemoryPerLaneKiB * Parallelism;

    /// <summary>True when these parameters cost less than <see cref="Default"/> in memory or passes.</summary>
    public bool IsWeakerThanDefault => MemoryKiB < Default.MemoryKiB || Iterations < Default.Iterations;

    /// <inheritdoc />
    public override string ToString() =>
        $"Argon2id, {FormatMemory(MemoryKiB)}, {Iterations} pass{(Iterations == 1 ? "" : "es")}, {Parallelism} lane{(Parallelism == 1 ? "" : "s")}";

    /// <summary>"1024 MiB" when a whole number of MiB, otherwise "8 KiB".</summary>
    public static string FormatMemory(long kib) => kib % 1024 == 0 && kib > 0 ? $"{kib / 1024} MiB" : $"{kib} KiB";
}

/// <summary>
/// The most key-derivation work a reader agrees to do. A file asking for more is refused before any work is done,
/// so a hostile file cannot make the tool run for an hour or exhaust memory. Writers refuse the same values, so
/// KeyVault never writes a file it would refuse to open.
/// </summary>
/// <param name="MaxMemoryKiB">Largest m accepted.</param>
/// <param name="MaxIterations">Largest t accepted.</param>
/// <param name="MaxParallelism">Largest p accepted.</param>
/// <param name="MaxWorkKiB">Largest m × t accepted.</param>
public sealed record KdfLimits(long MaxMemoryKiB, long MaxIterations, long MaxParallelism, long MaxWorkKiB)
{
    /// <summary>The documented caps: 4 GiB, 16 passes, 16 lanes, and m × t at most 16 GiB (docs/key-file-format.md).</summary>
    public static KdfLimits Default { get; } = new(4L * 1024 * 1024, 16, 16, 16L * 1024 * 1024);

    /// <summary>The parameters that cost the most while staying within these caps (for benchmarks): all memory, as many passes as the work cap allows, one lane.</summary>
    public KdfParameters Slowest => new(MaxMemoryKiB, Math.Min(MaxIterations, MaxWorkKiB / MaxMemoryKiB), 1);

    /// <summary>Returns the first cap <paramref name="p"/> exceeds, or null when it is within all of them.</summary>
    public string? Exceeded(KdfParameters p)
    {
        if (p.MemoryKiB > MaxMemoryKiB) return $"memory {KdfParameters.FormatMemory(p.MemoryKiB)} is above the limit of {KdfParameters.FormatMemory(MaxMemoryKiB)}";
        if (p.Iterations > MaxIterations) return $"{p.Iterations} passes are above the limit of {MaxIterations}";
        if (p.Parallelism > MaxParallelism) return $"{p.Parallelism} lanes are above the limit of {MaxParallelism}";
        if (p.MemoryKiB * p.Iterations > MaxWorkKiB)
            return $"memory × passes = {KdfParameters.FormatMemory(p.MemoryKiB * p.Iterations)} is above the limit of {KdfParameters.FormatMemory(MaxWorkKiB)}";
        return null;
    }

    /// <summary>Throws <see cref="ErrorKind.CostTooHigh"/> when <paramref name="p"/> exceeds a cap.</summary>
    internal void Enforce(KdfParameters p)
    {
        if (Exceeded(p) is { } why) throw KeyFileError.CostTooHigh(why);
    }
}
