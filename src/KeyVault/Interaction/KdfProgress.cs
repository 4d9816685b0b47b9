namespace KeyVault.Interaction;

/// <summary>A report while Argon2 runs: time so far, and whether it has finished.</summary>
/// <param name="Elapsed">Time since the derivation started.</param>
/// <param name="Finished">True for the single last report.</param>
public readonly record struct KdfProgress(TimeSpan Elapsed, bool Finished)
{
    /// <summary>The share of the derivation's work done, 0 to 1: segments filled and fresh memory brought in.</summary>
    public double Fraction { get; init; }
}
