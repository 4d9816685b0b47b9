namespace KeyVault.Signing;

/// <summary>A signer's vote on a SIP, with the number the signed message carries.</summary>
internal enum SipVote : byte
{
    /// <summary>For the SIP (0).</summary>
    Yes = 0,

    /// <summary>Against the SIP (1).</summary>
    No = 1,
}
