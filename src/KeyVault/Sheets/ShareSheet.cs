using KeyVault.Keys;

namespace KeyVault.Sheets;

/// <summary>
/// Everything printed on one custodian's share sheet. The words are the only secret; everything else is public
/// and lets a custodian tell, without the secret, which key and which backup the sheet belongs to.
/// </summary>
public sealed record ShareSheet
{
    /// <summary>The SLIP-0039 mnemonic, one lowercase word per entry, in order.</summary>
    public required IReadOnlyList<string> Words { get; init; }

    /// <summary>This share's number, 1-based (the member index + 1 within its group).</summary>
    public required int ShareNumber { get; init; }

    /// <summary>How many shares were made (within this share's group when groups are used).</summary>
    public required int ShareCount { get; init; }

    /// <summary>How many shares (of this group) are needed to restore.</summary>
    public required int Threshold { get; init; }

    /// <summary>The SLIP-0039 backup identifier (15 bits), the same on every share of one backup.</summary>
    public required int Identifier { get; init; }

    /// <summary>The public identity of the key the backup restores.</summary>
    public required SignerIdentity Identity { get; init; }

    /// <summary>Which Stacks address of the key to print.</summary>
    public required StacksNetwork Network { get; init; }

    /// <summary>The date printed on the sheet (the ceremony date).</summary>
    public required DateOnly Date { get; init; }

    /// <summary>Group information for multi-group backups; null for a single group.</summary>
    public ShareGroup? Group { get; init; }

    /// <summary>The custodian's name, or null to leave it out.</summary>
    public string? Custodian { get; init; }

    /// <summary>Whether the backup needs a SLIP-0039 passphrase; the sheet then has a line for a hint.</summary>
    public bool PassphraseProtected { get; init; }

    /// <summary>The share's SLIP-0039 extendable-backup flag: such shares need a tool that knows the 2024 revision, and the sheet says so.</summary>
    public bool Extendable { get; init; } = true;

    /// <summary>The key's label (from the key file or the manifest), or null: the sheet then says "not recorded".</summary>
    public string? Label { get; init; }

    /// <summary>Whom to tell if the sheet is lost or exposed and which executable made it; null as <see cref="SheetOrigin.None"/>.</summary>
    public SheetOrigin? Origin { get; init; }

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
