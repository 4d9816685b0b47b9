using KeyVault.Keys;

namespace KeyVault.Drill;

/// <summary>The encrypted key file a drill rebuilt the key from.</summary>
/// <param name="Path">The path as the operator gave it.</param>
/// <param name="Sha256">SHA-256 of the file's bytes, lowercase hex.</param>
public sealed record KeyFileTested(string Path, string Sha256);

/// <summary>One SLIP-0039 share used by a drill, by the index fields encoded in the share (0-based).</summary>
/// <param name="GroupIndex">The share's group index field.</param>
/// <param name="MemberIndex">The share's member index field.</param>
/// <param name="MemberThreshold">The share's member threshold.</param>
public sealed record ShareUsed(int GroupIndex, int MemberIndex, int MemberThreshold);

/// <summary>The SLIP-0039 share set a drill rebuilt the key from.</summary>
/// <param name="Identifier">The 15-bit identifier common to the set's shares.</param>
/// <param name="GroupThreshold">Number of groups needed.</param>
/// <param name="GroupCount">Number of groups in the set.</param>
/// <param name="Shares">The shares used, in the order given.</param>
public sealed record SharesTested(int Identifier, int GroupThreshold, int GroupCount, IReadOnlyList<ShareUsed> Shares);

/// <summary>The expected identity as a report records it.</summary>
/// <param name="Kind">publicKey, stacksAddress, identityFile or signerConfig.</param>
/// <param name="Value">The compressed public key in hex, or the address.</param>
public sealed record DrillExpected(string Kind, string Value)
{
    /// <summary>The record of an <see cref="ExpectedIdentity"/>.</summary>
    public static DrillExpected From(ExpectedIdentity expected) => new(expected.KindName, expected.Value);
}

/// <summary>The signer set a drill was made against (docs/signer-set.md): its fingerprint and size.</summary>
/// <param name="Fingerprint">SHA-256 of the set's canonical form, 64 lowercase hex.</param>
/// <param name="SignaturesRequired">The set's bootstrap_signatures_required.</param>
/// <param name="Signers">How many keys the set has.</param>
public sealed record DrillSignerSet(string Fingerprint, int SignaturesRequired, int Signers);

/// <summary>What <see cref="DrillReport.Verify"/> found.</summary>
/// <param name="Report">The report as read.</param>
/// <param name="SignatureValid">The signature is a valid Stacks signed-message signature over the report by <see cref="Signer"/>.</param>
/// <param name="Signer">The public key the report names as its signer.</param>
/// <param name="SignerIsDerivedIdentity">The signer is the key the report says the backup rebuilt.</param>
/// <param name="Problem">Why verification failed, or null.</param>
public sealed record DrillReportVerification(DrillReport Report, bool SignatureValid, PublicKey Signer, bool SignerIsDerivedIdentity, string? Problem)
{
    /// <summary>True when the signature is valid and was made by the rebuilt key.</summary>
    public bool Valid => SignatureValid && SignerIsDerivedIdentity;
}
