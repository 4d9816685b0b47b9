namespace KeyVault.Signing;

/// <summary>
/// The two structured-data messages the Stacks signer signs with its key (stacks-signer's
/// <c>generate-staking-signature</c> and <c>generate-vote</c>), hashed exactly as stacks-core hashes them, and the
/// signature layouts it prints. docs/signing.md specifies them; test-vectors/sign pins them.
/// </summary>
internal static class SignerMessages
{
    /// <summary>Stacks mainnet's chain id.</summary>
    public const uint MainnetChainId = 0x0000_0001;

    /// <summary>Stacks testnet's chain id (also the signer's mocknet).</summary>
    public const uint TestnetChainId = 0x8000_0000;

    /// <summary>
    /// The pox-5 <c>grant-authorization</c> hash: a signer key's consent that <paramref name="signerManager"/> registers
    /// it. Domain <c>{name "pox-5-signer", version "1.0.0", chain-id}</c>; message
    /// <c>{topic "grant-authorization", signer-manager, auth-id}</c>.
    /// </summary>
    public static byte[] SignerGrantHash(StacksPrincipal signerManager, UInt128 authId, uint chainId) =>
        StructuredData.MessageHash(
            StructuredData.Domain("pox-5-signer", "1.0.0", chainId),
            ClarityValue.Tuple(
                ("topic", ClarityValue.StringAscii("grant-authorization")),
                ("signer-manager", ClarityValue.Principal(signerManager)),
                ("auth-id", ClarityValue.UInt(authId))));

    /// <summary>
    /// A SIP vote's hash. Domain <c>{name "signer-sip-voting", version "1.0.0", chain-id 1}</c> (the signer always
    /// uses mainnet's chain id here); message <c>{sip, vote}</c>, both uints, the vote 0 for yes and 1 for no.
    /// </summary>
    public static byte[] VoteHash(uint sip, SipVote vote) =>
        StructuredData.MessageHash(
            StructuredData.Domain("signer-sip-voting", "1.0.0", MainnetChainId),
            ClarityValue.Tuple(
                ("sip", ClarityValue.UInt(sip)),
                ("vote", ClarityValue.UInt((byte)vote))));

    /// <summary>Parses a vote as the signer does: <c>yes</c> or <c>no</c>, in any case.</summary>
    public static SipVote? ParseVote(string text) => text.ToLowerInvariant() switch
    {
        "yes" => SipVote.Yes,
        "no" => SipVote.No,
        _ => null,
    };

    /// <summary>r || s || v (the order Clarity and the staking signature use) to v || r || s (what the vote prints).</summary>
    public static byte[] ToVrs(ReadOnlySpan<byte> rsv)
    {
        if (rsv.Length != StacksMessageSigning.SignatureLength) throw new ArgumentException("a signature is 65 bytes", nameof(rsv));
        return [rsv[64], .. rsv[..64]];
    }

    /// <summary>v || r || s to r || s || v.</summary>
    public static byte[] FromVrs(ReadOnlySpan<byte> vrs)
    {
        if (vrs.Length != StacksMessageSigning.SignatureLength) throw new ArgumentException("a signature is 65 bytes", nameof(vrs));
        return [.. vrs[1..], vrs[0]];
    }
}
