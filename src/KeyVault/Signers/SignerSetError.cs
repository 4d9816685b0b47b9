using KeyVault.Errors;

namespace KeyVault.Signers;

/// <summary>Every operator-facing error message about signer sets and attestations, in one place. None holds a secret.</summary>
internal static class SignerSetError
{
    private const string SourceHint =
        "give the signer's config (signer-config.toml), a signer-set attestation, or a plain list of public keys, one per line";

    public static KeyVaultException NoSigningSet(string source) => new(ErrorKind.BadInput,
        $"{source} has no [signer] bootstrap_signing_set", SourceHint);

    public static KeyVaultException Field(string source, string field, string rule) => new(ErrorKind.BadInput,
        $"{source}: {field} {rule}", "correct the file; the sBTC signer refuses it too");

    public static KeyVaultException BadKey(string source, string where) => new(ErrorKind.BadInput,
        $"{source}: {where} is not a compressed secp256k1 public key (66 hex characters starting 02 or 03)",
        "copy the key again exactly as the operator's identity states it");

    public static KeyVaultException Empty(string source) => new(ErrorKind.BadInput, $"{source} names no public key", SourceHint);

    public static KeyVaultException TooMany(string source, int count) => new(ErrorKind.BadInput,
        $"{source} names {count} signers; an sBTC signer set has at most {SignerSet.MaxSigners}",
        "remove the keys that are not in the set");

    public static KeyVaultException ThresholdNeeded(string source) => new(ErrorKind.Usage,
        $"{source} is a plain list of keys, which does not say how many signatures are required",
        "give the number of signatures required with the list (the bootstrap_signatures_required of the signers' configs)");

    public static KeyVaultException ThresholdTwice() => new(ErrorKind.Usage,
        "this file states its own signatures required; a separate number is only for a plain list of keys",
        "leave out the separate number");

    public static KeyVaultException ThresholdRange(int threshold, int count) => new(ErrorKind.BadInput,
        $"the signatures required ({threshold}) must be from 1 to the number of signers ({count})",
        "give the bootstrap_signatures_required of the signers' configs");

    public static KeyVaultException NetworkDeployer(string network, string deployer) => new(ErrorKind.BadInput,
        $"the deployer {deployer} is not a {(network == "mainnet" ? "mainnet (SP…/SM…)" : "testnet (ST…/SN…)")} address, and the network is {network}",
        "correct deployer or network; the sBTC signer refuses this config");

    public static KeyVaultException AttestationMalformed(string detail) => new(ErrorKind.DamagedFile,
        $"the signer-set attestation is malformed: {detail}", "ask the operator for the attestation file again, exactly as KeyVault wrote it");

    public static KeyVaultException AttestationNotJson(long line, long position) => new(ErrorKind.DamagedFile,
        $"the signer-set attestation is not valid JSON (line {line + 1}, byte {position + 1})",
        "ask the operator for the attestation file again, exactly as KeyVault wrote it");
}
