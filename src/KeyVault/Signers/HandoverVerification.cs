namespace KeyVault.Signers;

/// <summary>What <see cref="HandoverRecord.Verify"/> found.</summary>
/// <param name="Record">The record as read.</param>
/// <param name="SignatureProblem">Null when the signer key's signature is valid; otherwise why not.</param>
public sealed record HandoverVerification(HandoverRecord Record, string? SignatureProblem)
{
    /// <summary>True when the record is signed by the key it names.</summary>
    public bool Valid => SignatureProblem is null;
}
