using KeyVault.Keys;

namespace KeyVault.Manifest;

/// <summary>What <see cref="BackupManifest.Verify"/> found.</summary>
/// <param name="Manifest">The manifest as read.</param>
/// <param name="SignatureValid">The signature is a valid Stacks signed-message signature over the manifest by <see cref="Signer"/>.</param>
/// <param name="Signer">The public key the signature names.</param>
/// <param name="SignerIsIdentity">The signer is the key the manifest backs up (identity.publicKey).</param>
/// <param name="Problem">Why the manifest is not authentic, or null.</param>
public sealed record ManifestVerification(BackupManifest Manifest, bool SignatureValid, PublicKey Signer, bool SignerIsIdentity, string? Problem)
{
    /// <summary>True when the signature is valid and was made by the backed-up key itself.</summary>
    public bool Authentic => SignatureValid && SignerIsIdentity;
}
