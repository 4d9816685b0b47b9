namespace KeyVault.Shares;

/// <summary>
/// The public metadata of one SLIP-0039 share, decoded from its words: nothing here reveals the secret.
/// Group and member numbers are 1-based, as printed on sheets (the mnemonic stores them 0-based).
/// </summary>
/// <param name="Identifier">The backup's random 15-bit identifier; every share of one backup has the same.</param>
/// <param name="Extendable">The extendable-backup flag: when set, the identifier is not part of the encryption salt.</param>
/// <param name="IterationExponent">e: the master secret's encryption uses 10000 × 2^e PBKDF2 iterations in total.</param>
/// <param name="GroupNumber">Which group this share belongs to, 1 to <paramref name="GroupCount"/>.</param>
/// <param name="GroupThreshold">How many groups must be complete to rebuild the secret.</param>
/// <param name="GroupCount">How many groups the backup has.</param>
/// <param name="MemberNumber">This share's number within its group, 1 to 16.</param>
/// <param name="MemberThreshold">How many shares of this group are needed to complete it.</param>
/// <param name="SecretLength">Length of the master secret in bytes (16 for 20-word shares, 32 for 33-word shares).</param>
public sealed record ShareInfo(
    int Identifier,
    bool Extendable,
    int IterationExponent,
    int GroupNumber,
    int GroupThreshold,
    int GroupCount,
    int MemberNumber,
    int MemberThreshold,
    int SecretLength)
{
    /// <summary>Number of words of the mnemonic.</summary>
    public int WordCount => Slip39.WordCountFor(SecretLength);

    /// <summary>True when the backup has more than one group (a two-level layout).</summary>
    public bool HasGroups => GroupCount > 1;
}
