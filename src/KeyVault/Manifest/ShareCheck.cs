using KeyVault.Errors;
using KeyVault.Shares;

namespace KeyVault.Manifest;

/// <summary>What a manifest says about one share.</summary>
public enum ShareCheckVerdict
{
    /// <summary>The share is the one registered for a custodian at its number.</summary>
    Registered,
    /// <summary>No registered share of the manifest has this share's commitment.</summary>
    NotRegistered,
    /// <summary>The share belongs to a backup this manifest retires: the sheet must be destroyed.</summary>
    Retired,
    /// <summary>The share belongs to the previous key's backup, which this manifest supersedes but still needs: the sheet is kept.</summary>
    Superseded,
}

/// <summary>The outcome of checking one share against a manifest. Holds no secret.</summary>
/// <param name="Share">The share's public metadata.</param>
/// <param name="Verdict">What the manifest says about it.</param>
/// <param name="Registration">For <see cref="ShareCheckVerdict.Registered"/>: the manifest's entry (custodian, number).</param>
/// <param name="RetiredBackup">For <see cref="ShareCheckVerdict.Retired"/> and <see cref="ShareCheckVerdict.Superseded"/>: the older backup's record.</param>
/// <param name="Message">One line for the custodian.</param>
public sealed record ShareCheckResult(ShareInfo Share, ShareCheckVerdict Verdict, ManifestShare? Registration, RetiredBackup? RetiredBackup, string Message)
{
    /// <summary>Throws IdentityMismatch unless the share is registered, with <see cref="Message"/> as the error.</summary>
    public void ThrowUnlessRegistered()
    {
        if (Verdict == ShareCheckVerdict.Registered) return;
        throw new KeyVaultException(ErrorKind.IdentityMismatch, Message,
            Verdict switch
            {
                ShareCheckVerdict.Retired => "a retired backup's sheets must not be used; give shares of the current backup",
                ShareCheckVerdict.Superseded => "this is a share of the previous key; use it only with the previous key's manifest",
                _ => "check the share against its sheet; a share of another backup, or an altered one, cannot be used here",
            });
    }
}

/// <summary>What a custodian's check found: the share's metadata and, with a manifest, the manifest and its verdict.</summary>
/// <param name="Share">The share's public metadata (checksum and structure verified).</param>
/// <param name="Manifest">The authentic manifest checked against, or null when none was given.</param>
/// <param name="Result">The verdict against <paramref name="Manifest"/>, or null when none was given.</param>
public sealed record ShareCheckReport(ShareInfo Share, BackupManifest? Manifest, ShareCheckResult? Result);

/// <summary>
/// A custodian's check of their own share, alone: its checksum and structure, and, with an authentic manifest,
/// whether it is exactly the share registered for them, or a share of a retired backup.
/// </summary>
public static class ShareCheck
{
    /// <summary>
    /// A custodian's whole check in one call: decodes one share (checksum, structure) and, when <paramref name="manifestJson"/>
    /// is given, requires the manifest to be authentic and says whether the share is registered, retired or absent.
    /// </summary>
    /// <exception cref="KeyVaultException">BadInput for a malformed share; DamagedFile for a manifest that is malformed or not authentic.</exception>
    public static ShareCheckReport Check(ReadOnlySpan<char> mnemonic, string? manifestJson)
    {
        using var share = ShareCodec.Decode(mnemonic, position: 0);
        if (manifestJson is null) return new ShareCheckReport(share.Info, null, null);
        var manifest = BackupManifest.ReadAuthentic(manifestJson);
        return new ShareCheckReport(share.Info, manifest, Against(manifest, share));
    }

    /// <summary>Checks <paramref name="mnemonic"/> (typed or scanned words) against <paramref name="manifest"/>, which the caller has verified.</summary>
    /// <exception cref="KeyVaultException">BadInput when the share itself is malformed (bad word, checksum, padding).</exception>
    public static ShareCheckResult Against(BackupManifest manifest, ReadOnlySpan<char> mnemonic)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        using var share = ShareCodec.Decode(mnemonic, position: 0);
        return Against(manifest, share);
    }

    internal static ShareCheckResult Against(BackupManifest manifest, Share share)
    {
        var info = share.Info;
        var commitment = ShareCommitment.Of(share);
        string slot = Slot(info.GroupCount, info.GroupNumber, info.MemberNumber);

        if (info.Identifier == manifest.BackupId && manifest.ShareWithCommitment(commitment) is { } entry)
            return new(info, ShareCheckVerdict.Registered, entry, null,
                $"share {slot} of backup {manifest.BackupId} is registered for {entry.Custodian}, key {manifest.Identity.Fingerprint}");

        foreach (var r in manifest.Retired)
            if (r.BackupId == info.Identifier && r.Commitments.Contains(commitment))
                return r.StillNeeded
                    ? new(info, ShareCheckVerdict.Superseded, null, r,
                        $"share {slot} belongs to backup {r.BackupId} of the previous key {PublicKeyFingerprint(r.Rotation!.PreviousPublicKey)}, "
                        + $"superseded on {r.RetiredAt:yyyy-MM-dd} ({r.Reason}) and still needed: keep this sheet")
                    : new(info, ShareCheckVerdict.Retired, null, r,
                        $"share {slot} belongs to backup {r.BackupId}, which was retired on {r.RetiredAt:yyyy-MM-dd} ({r.Reason}): destroy this sheet");

        string why;
        if (info.Identifier != manifest.BackupId)
            why = $"it is a share of backup {info.Identifier}, and the manifest is of backup {manifest.BackupId}"
                  + (manifest.Retired.Any(r => r.BackupId == info.Identifier) ? " (a retired backup has that identifier, but not this share)" : "");
        else if (manifest.ShareAt(info.GroupNumber, info.MemberNumber) is { } registered)
            why = $"the manifest registers a different share {slot} (for {registered.Custodian}): this one was altered, "
                  + "or belongs to another backup with the same identifier";
        else
            why = $"the manifest registers no share {slot} in backup {manifest.BackupId}";
        return new(info, ShareCheckVerdict.NotRegistered, null, null, $"share {slot} is not in this manifest: {why}");
    }

    private static string PublicKeyFingerprint(string hex) => Keys.PublicKey.TryParseLowerHex(hex)!.Fingerprint;

    /// <summary>How sheets print a share's place: "#3" in a one-group backup, "2-3" (group 2, share 3) otherwise.</summary>
    public static string Slot(int groupCount, int group, int member) => groupCount > 1 ? $"{group}-{member}" : $"#{member}";
}
