namespace KeyVault.Interaction;

/// <summary>A report while Argon2 runs: time so far, and whether it has finished.</summary>
/// <param name="Elapsed">Time since the derivation started.</param>
/// <param name="Finished">True for the single last report.</param>
public readonly record struct KdfProgress(TimeSpan Elapsed, bool Finished)
{
    /// <summary>The share of Argon2's memory passes done, 0 to 1 (segments filled over all segments).</summary>
    public double Fraction { get; init; }
}
