using KeyVault.Keys;

namespace KeyVault.Paper;

/// <summary>
/// Everything printed on one custodian's share sheet. The words are the only secret; everything else is public
/// and lets a custodian tell, without the secret, which key and which backup the sheet belongs to.
/// </summary>
/// <param name="Words">The SLIP-0039 mnemonic, one lowercase word per entry, in order.</param>
/// <param name="ShareNumber">This share's number, 1-based (the member index + 1 within its group).</param>
/// <param name="ShareCount">How many shares were made (within this share's group when groups are used).</param>
/// <param name="Threshold">How many shares (of this group) are needed to restore.</param>
/// <param name="Identifier">The SLIP-0039 backup identifier (15 bits), the same on every share of one backup.</param>
/// <param name="Identity">The public identity of the key the backup restores.</param>
/// <param name="Network">Which Stacks address of the key to print.</param>
/// <param name="Date">The date printed on the sheet (the ceremony date).</param>
/// <param name="Group">Group information for multi-group backups; null for a single group.</param>
/// <param name="Custodian">The custodian's name, or null to leave it out.</param>
/// <param name="PassphraseProtected">Whether the backup needs a SLIP-0039 passphrase; the sheet then has a line for a hint.</param>
/// <param name="Extendable">The share's SLIP-0039 extendable-backup flag: such shares need a tool that knows the 2024 revision, and the sheet says so.</param>
/// <param name="Label">The key's label (from the key file or the manifest), or null: the sheet then says "not recorded".</param>
/// <param name="Origin">Whom to tell if the sheet is lost or exposed and which executable made it; null as <see cref="SheetOrigin.None"/>.</param>
public sealed record ShareSheet(
    IReadOnlyList<string> Words,
    int ShareNumber,
    int ShareCount,
    int Threshold,
    int Identifier,
    SignerIdentity Identity,
    StacksNetwork Network,
    DateOnly Date,
    ShareGroup? Group = null,
    string? Custodian = null,
    bool PassphraseProtected = false,
    bool Extendable = true,
    string? Label = null,
    SheetOrigin? Origin = null)
{
    /// <summary>Largest mnemonic a sheet lays out: 33 words, a 256-bit secret.</summary>
    public const int MaxWords = 33;

    /// <summary>Smallest SLIP-0039 mnemonic: 20 words, a 128-bit secret.</summary>
    public const int MinWords = 20;

    /// <inheritdoc />
    // The words are secret: keep them out of logs and debugger displays that print records.
    public override string ToString() =>
        $"ShareSheet {{ share {ShareNumber} of {ShareCount}, threshold {Threshold}, backup {Identifier}, {Words.Count} words }}";
}

/// <summary>Where a share sits in a multi-group SLIP-0039 backup.</summary>
/// <param name="Number">This share's group, 1-based (the group index + 1).</param>
/// <param name="Count">How many groups the backup has.</param>
/// <param name="Threshold">How many groups are needed to restore.</param>
public sealed record ShareGroup(int Number, int Count, int Threshold);
