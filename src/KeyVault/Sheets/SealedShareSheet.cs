using KeyVault.Keys;

namespace KeyVault.Sheets;

/// <summary>
/// Everything printed on a sealed share sheet (docs/paper.md, "Sealed share sheet"): the armored age file that holds
/// one custodian's share, as a QR code and as text, with the public facts that say whose it is and how to open it.
/// Nothing on it is readable without the custodian's private key; the armored text is public in that sense.
/// </summary>
public sealed record SealedShareSheet
{
    /// <summary>The armored age file, one entry per line without line endings (BEGIN line to END line).</summary>
    public required IReadOnlyList<string> ArmoredLines { get; init; }

    /// <summary>The custodian the share is sealed to.</summary>
    public required string Custodian { get; init; }

    /// <summary>The custodian's public key as the custodians file gives it (age1… or ssh-ed25519 …).</summary>
    public required string Recipient { get; init; }

    /// <summary>This share's number, 1-based (within its group when groups are used).</summary>
    public required int ShareNumber { get; init; }

    /// <summary>How many shares were made (within this share's group).</summary>
    public required int ShareCount { get; init; }

    /// <summary>How many shares (of this group) are needed to restore.</summary>
    public required int Threshold { get; init; }

    /// <summary>The SLIP-0039 backup identifier (15 bits).</summary>
    public required int Identifier { get; init; }

    /// <summary>The public identity of the key the backup restores.</summary>
    public required SignerIdentity Identity { get; init; }

    /// <summary>The date printed on the sheet.</summary>
    public required DateOnly Date { get; init; }

    /// <summary>Group information for multi-group backups; null for a single group.</summary>
    public ShareGroup? Group { get; init; }

    /// <summary>Whom to tell if the sheet is lost or exposed and which executable made it (the sheet's second page); null records none.</summary>
    public SheetOrigin? Origin { get; init; }

    /// <summary>The sheet of an armored age file: its lines, split at LF (a final LF ends the last line).</summary>
    public static IReadOnlyList<string> Lines(ReadOnlySpan<byte> armored) =>
        System.Text.Encoding.ASCII.GetString(armored).Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
