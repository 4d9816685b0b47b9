using KeyVault.Shares;

namespace KeyVault.Manifest;

/// <summary>One group of the backup: <paramref name="MemberThreshold"/> of its <paramref name="MemberCount"/> registered shares complete it.</summary>
/// <param name="MemberThreshold">Shares needed from this group.</param>
/// <param name="MemberCount">Shares registered in this group (grows when a share is reissued at a new number).</param>
public sealed record ManifestGroup(int MemberThreshold, int MemberCount);

/// <summary>One registered share: who holds it, where it sits, and its commitment.</summary>
/// <param name="Group">Group number, 1-based (as printed).</param>
/// <param name="Member">Share number within the group, 1 to 16 (as printed; the member index is one less).</param>
/// <param name="Custodian">The holder's name.</param>
/// <param name="Commitment">The share's <see cref="ShareCommitment"/>, 64 lowercase hex characters.</param>
/// <param name="AgeRecipient">The holder's public age recipient (age1… or an SSH public key line) for a share sealed to them, or null for a paper share.</param>
/// <param name="Contact">How to reach the holder, or null.</param>
/// <param name="TimeZone">The holder's time zone, or null.</param>
/// <param name="Departed">When and why the holder left the backup (their share was replaced), or null while they hold it.</param>
public sealed record ManifestShare(int Group, int Member, string Custodian, string Commitment, string? AgeRecipient = null,
    string? Contact = null, string? TimeZone = null, ManifestDeparture? Departed = null)
{
    /// <summary>
    /// The age stanza type the share is sealed with (X25519, ssh-ed25519, p256tag, piv-p256 or mlkem768x25519), from
    /// <see cref="AgeRecipient"/>; null for a paper share.
    /// </summary>
    public string? RecipientType => AgeRecipient is null ? null : Age.AgeRecipient.Parse(AgeRecipient).StanzaType;
}

/// <summary>A custodian who left the backup: their sheet is to be destroyed, and a new share number replaced theirs.</summary>
/// <param name="At">When (UTC, whole seconds).</param>
/// <param name="Reason">Why, in the operator's words.</param>
public sealed record ManifestDeparture(DateTimeOffset At, string Reason);

/// <summary>Who holds one share of a new backup, as the manifest records them.</summary>
/// <param name="Name">The custodian's name.</param>
/// <param name="AgeRecipient">The recipient the share is sealed to, or null for a paper share.</param>
/// <param name="Contact">How to reach them, or null.</param>
/// <param name="TimeZone">Their time zone, or null.</param>
public sealed record ManifestCustodian(string Name, string? AgeRecipient = null, string? Contact = null, string? TimeZone = null);

/// <summary>
/// An older backup this manifest replaces. Of the same key (<paramref name="Rotation"/> null), or of the key this one
/// succeeded (<paramref name="Rotation"/> set): then it is retired only once a drill of this key proved DKG shares, and
/// until then superseded but still needed. A retired backup's sheets must be destroyed; a superseded one's are kept.
/// </summary>
/// <param name="BackupId">The older backup's SLIP-0039 identifier.</param>
/// <param name="RetiredAt">When it was retired, or superseded while it still is (UTC, whole seconds).</param>
/// <param name="Reason">Why.</param>
/// <param name="Commitments">The commitments of the older backup's shares, so a sheet is recognised exactly, not by its 15-bit identifier alone.</param>
/// <param name="Rotation">For a backup of the previous key: the rotation that links the two keys; null for a backup of this key.</param>
public sealed record RetiredBackup(int BackupId, DateTimeOffset RetiredAt, string Reason, IReadOnlyList<string> Commitments,
    BackupRotation? Rotation = null)
{
    /// <summary>True for a backup of the previous key that is still needed: its sheets are kept, not destroyed.</summary>
    public bool StillNeeded => Rotation is { Drill: null };
}

/// <summary>How a backup of the previous key is linked to this manifest's key (docs/manifest.md, <c>rotation</c>).</summary>
/// <param name="PreviousPublicKey">The previous key, compressed, 66 lowercase hex.</param>
/// <param name="PreviousManifest">The hash of the older backup's manifest as given (<see cref="BackupManifest.Hash"/>).</param>
/// <param name="SuccessorStatement">The successor statement from the previous key to this manifest's key, as RFC 8785 canonical JSON.</param>
/// <param name="Drill">The drill of this key that proved DKG shares, or null while the older backup is still needed.</param>
public sealed record BackupRotation(string PreviousPublicKey, string PreviousManifest, string SuccessorStatement, RotationDrill? Drill);

/// <summary>The drill report that allowed a backup of the previous key to be retired.</summary>
/// <param name="ReportSha256">SHA-256 of the drill report file's bytes, 64 lowercase hex.</param>
/// <param name="CreatedAt">When the drill ran (UTC, whole seconds).</param>
/// <param name="AggregateKey">The aggregate key whose DKG shares the drill opened with this manifest's key, 66 lowercase hex.</param>
public sealed record RotationDrill(string ReportSha256, DateTimeOffset CreatedAt, string AggregateKey);

/// <summary>One entry of the manifest's history.</summary>
/// <param name="At">When (UTC, whole seconds).</param>
/// <param name="Action">"split", "reissue", "depart", "retire" or "supersede".</param>
/// <param name="Reason">Why, in the operator's words.</param>
/// <param name="Group">For a reissue or a departure: the group number.</param>
/// <param name="Member">For a reissue or a departure: the share number.</param>
/// <param name="Custodian">For a reissue: who received the share; for a departure: who left.</param>
/// <param name="BackupId">For a retire or a supersede: the older backup.</param>
public sealed record ManifestEvent(DateTimeOffset At, string Action, string Reason, int? Group = null, int? Member = null,
    string? Custodian = null, int? BackupId = null);

/// <summary>What a caller supplies for a new manifest besides the shares and the key.</summary>
/// <param name="CreatedAt">When the backup was made (whole seconds are recorded, in UTC).</param>
/// <param name="Slip39Passphrase">True when the split used a SLIP-0039 passphrase.</param>
/// <param name="ExecutableSha256">SHA-256 of the running keyvault executable, lowercase hex, or null when unknown.</param>
/// <param name="Label">The key's label, or null.</param>
/// <param name="Org">The organisation, or null.</param>
/// <param name="Contact">Whom to contact about a sheet, or null.</param>
/// <param name="Reason">The history entry's reason for the split.</param>
public sealed record ManifestOptions(DateTimeOffset CreatedAt, bool Slip39Passphrase, string? ExecutableSha256 = null,
    string? Label = null, string? Org = null, string? Contact = null, string Reason = "new backup");
