using KeyVault.Errors;

namespace KeyVault.Dkg;

/// <summary>
/// The operator-facing errors of reading a signer's DKG shares blob. None includes the blob's bytes: they name
/// lengths and positions instead.
/// </summary>
internal static class DkgError
{
    public static KeyVaultException BlobEmpty() => new(ErrorKind.BadInput,
        "the DKG shares blob is empty",
        "give the hex of one encrypted_private_shares value, e.g. from: psql -Atc \"SELECT encrypted_private_shares FROM sbtc_signer.dkg_shares\"");

    public static KeyVaultException BlobOddLength(int digits) => new(ErrorKind.BadInput,
        $"the DKG shares blob has {digits} hex digits, an odd number",
        "the value was cut short; copy the whole encrypted_private_shares value");

    public static KeyVaultException BlobNotHex(int position) => new(ErrorKind.BadInput,
        $"the DKG shares blob has a non-hex character at position {position}",
        "give hex only, optionally starting with \\x (as psql prints bytea) or 0x", facts: ErrorFacts.Of((ErrorFacts.Position, position)));

    public static KeyVaultException BlobTooLarge(long bytes, long limit) => new(ErrorKind.BadInput,
        $"the DKG shares blob is {bytes} bytes; a signer's shares are far smaller than the {limit}-byte limit",
        "check that the file holds one encrypted_private_shares value and nothing else");
}
