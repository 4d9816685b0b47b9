using KeyVault.Keys;

namespace KeyVault.Signers;

/// <summary>What <see cref="SignerSetAttestation.Verify"/> found.</summary>
/// <param name="Attestation">The attestation as read.</param>
/// <param name="Signer">The key named as its signer.</param>
/// <param name="Valid">The signature verifies and the signer is in the set it attests.</param>
/// <param name="Problem">Why it is not valid, or null.</param>
public sealed record SignerSetAttestationVerification(SignerSetAttestation Attestation, PublicKey Signer, bool Valid, string? Problem);
