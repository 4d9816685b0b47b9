using KeyVault.Keys;

namespace KeyVault.Paper;

/// <summary>
/// Everything printed on a sealed share sheet (docs/paper.md, "Sealed share sheet"): the armored age file that holds
/// one custodian's share, as a QR code and as text, with the public facts that say whose it is and how to open it.
/// Nothing on it is readable without the custodian's private key; the armored text is public in that sense.
/// </summary>
/// <param name="ArmoredLines">The armored age file, one entry per line without line endings (BEGIN line to END line).</param>
/// <param name="Custodian">The custodian the share is sealed to.</param>
/// <param name="Recipient">The custodian's public key as the custodians file gives it (age1… or ssh-ed25519 …).</param>
/// <param name="ShareNumber">This share's number, 1-based (within its group when groups are used).</param>
/// <param name="ShareCount">How many shares were made (within this share's group).</param>
/// <param name="Threshold">How many shares (of this group) are needed to restore.</param>
/// <param name="Identifier">The SLIP-0039 backup identifier (15 bits).</param>
/// <param name="Identity">The public identity of the key the backup restores.</param>
/// <param name="Date">The date printed on the sheet.</param>
/// <param name="Group">Group information for multi-group backups; null for a single group.</param>
/// <param name="Origin">Whom to tell if the sheet is lost or exposed and which executable made it (the sheet's second page); null records none.</param>
public sealed record SealedShareSheet(
    IReadOnlyList<string> ArmoredLines,
    string Custodian,
    string Recipient,
    int ShareNumber,
    int ShareCount,
    int Threshold,
    int Identifier,
    SignerIdentity Identity,
    DateOnly Date,
    ShareGroup? Group = null,
    SheetOrigin? Origin = null)
{
    /// <summary>The sheet of an armored age file: its lines, split at LF (a final LF ends the last line).</summary>
    public static IReadOnlyList<string> Lines(ReadOnlySpan<byte> armored) =>
        System.Text.Encoding.ASCII.GetString(armored).Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
