using KeyVault.Errors;
using KeyVault.Keys;
using KeyVault.Shares;
using KeyVault.Text;

namespace KeyVault.Manifest;

/// <summary>What to reissue: the share number (1 to 16, as printed), who receives it and why.</summary>
/// <param name="ShareNumber">The share number within its group, 1 to 16.</param>
/// <param name="Custodian">Who receives the share (<see cref="CustodianNames"/>: trimmed, and unlike every other custodian's name, case ignored). For a number already registered it must be the registered custodian (re-creating a lost sheet).</param>
/// <param name="Reason">Why, recorded in the manifest's history.</param>
/// <param name="Group">The group number; null when the backup has one group or all shares given are of one group.</param>
/// <param name="AgeRecipient">The new custodian's public age recipient, or null.</param>
/// <param name="Contact">How to reach the custodian, or null.</param>
/// <param name="TimeZone">The custodian's time zone, or null.</param>
/// <param name="Replaces">The share number (same group) of a custodian who leaves: marked departed, so their sheet is to be destroyed; or null.</param>
public sealed record ReissueRequest(int ShareNumber, string Custodian, string Reason, int? Group = null, string? AgeRecipient = null,
    string? Contact = null, string? TimeZone = null, int? Replaces = null);

/// <summary>The reissued share and the updated, signed manifest. Dispose wipes the share's words.</summary>
public sealed class ReissueOutcome : IDisposable
{
    internal ReissueOutcome(ReissuedShare share, BackupManifest manifest, string manifestJson, bool recreated)
    {
        Share = share;
        Manifest = manifest;
        ManifestJson = manifestJson;
        Recreated = recreated;
    }

    /// <summary>The new share (the words for the sheet).</summary>
    public ReissuedShare Share { get; }

    /// <summary>The updated manifest.</summary>
    public BackupManifest Manifest { get; }

    /// <summary>The updated manifest, signed: the text of the new manifest.json.</summary>
    public string ManifestJson { get; }

    /// <summary>True when the number was already registered (a lost sheet re-created: the same words as the original).</summary>
    public bool Recreated { get; }

    /// <summary>Wipes the share's words.</summary>
    public void Dispose() => Share.Dispose();
}

/// <summary>
/// Reissue against a manifest: every share given must be registered in it; the number must be free or registered to
/// the same custodian; the new share is computed (<see cref="ShareReissue"/>), registered with its commitment and a
/// history entry, and the manifest is re-signed by the backed-up key.
/// </summary>
internal static class ManifestReissue
{
    /// <summary>
    /// Reissues a share. The signing key is <paramref name="signingKey"/> when given (e.g. opened from the key file);
    /// otherwise it is rebuilt from the shares given, which then must reach the backup's threshold (the SLIP-0039
    /// passphrase is needed for that when the backup has one), and is wiped before returning.
    /// </summary>
    /// <param name="manifest">The current manifest, already verified authentic by the caller (<see cref="BackupManifest.ReadAuthentic"/>).</param>
    /// <param name="mnemonics">Shares of the backup: at least the member threshold of the share's group.</param>
    /// <param name="request">Which number, for whom, why.</param>
    /// <param name="at">When (recorded in the history).</param>
    /// <param name="signingKey">The backed-up key, or null to rebuild it from <paramref name="mnemonics"/>.</param>
    /// <param name="slip39Passphrase">The SLIP-0039 passphrase, for rebuilding the key.</param>
    /// <exception cref="KeyVaultException">
    /// BadInput (malformed share, number out of range or taken, bad name), IdentityMismatch (a share not registered in the
    /// manifest or of a retired backup; a key that is not the manifest's), RebuildFailed (too few shares, shares that do
    /// not fit, not enough to rebuild the signing key), Usage (group not named).
    /// </exception>
    public static ReissueOutcome Reissue(BackupManifest manifest, IReadOnlyList<string> mnemonics, ReissueRequest request,
        DateTimeOffset at, SecretKey? signingKey = null, ReadOnlySpan<byte> slip39Passphrase = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(mnemonics);
        ArgumentNullException.ThrowIfNull(request);
        using var collector = new RecoveryState();
        var (custodian, reason, recipient, group, existing, slot) = Checked(manifest, mnemonics, request, collector);
        var contact = request.Contact is null ? null : ManifestText.Accept(request.Contact, $"the contact of {custodian}");
        var timeZone = request.TimeZone is null ? null : ManifestText.Accept(request.TimeZone, $"the time zone of {custodian}", ManifestText.MaxTimeZoneBytes);
        var replaced = request.Replaces is int r ? manifest.ShareAt(group, r) : null;
        int memberCount = manifest.Groups[group - 1].MemberCount + (existing is null ? 1 : 0);

        var share2 = ShareReissue.Compute(collector, request.ShareNumber, group, memberCount);
        try
        {
            if (existing is not null && existing.Commitment != share2.Commitment) throw ManifestError.RecreateMismatch(slot);
            var shares = manifest.Shares.ToList();
            var groups = manifest.Groups.ToList();
            var when = BackupManifest.Truncate(at);
            var history = manifest.History.ToList();
            if (existing is null)
            {
                shares.Add(new ManifestShare(group, request.ShareNumber, custodian, share2.Commitment, recipient, contact, timeZone));
                shares = shares.OrderBy(s => s.Group).ThenBy(s => s.Member).ToList();
                groups[group - 1] = groups[group - 1] with { MemberCount = memberCount };
            }
            else
            {
                shares[shares.IndexOf(existing)] = existing with
                {
                    AgeRecipient = recipient ?? existing.AgeRecipient,
                    Contact = contact ?? existing.Contact,
                    TimeZone = timeZone ?? existing.TimeZone,
                };
            }
            if (replaced is not null)
            {
                int at2 = shares.FindIndex(s => s.Group == replaced.Group && s.Member == replaced.Member);
                shares[at2] = replaced with { Departed = new ManifestDeparture(when, reason) };
                history.Add(new ManifestEvent(when, "depart", reason, group, replaced.Member, replaced.Custodian));
            }
            history.Add(new ManifestEvent(when, "reissue", reason, group, request.ShareNumber, custodian));
            var updated = manifest.NextRevision() with { Groups = groups, Shares = shares, History = history };
            var json = SignWith(updated, collector, signingKey, slip39Passphrase);
            return new ReissueOutcome(share2, updated, json, existing is not null);
        }
        catch
        {
            share2.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Everything a reissue can be refused for without a key or a passphrase: the custodian name (the one rule, unlike
    /// every other custodian), the texts, the number and group, every share registered in the manifest, a number taken
    /// by someone else. Returns the group and whether the number is already registered (a lost sheet re-created). A front
    /// end calls this before it asks for a passphrase; <see cref="Reissue"/> checks the same again.
    /// </summary>
    public static (int Group, bool Recreate) Precheck(BackupManifest manifest, IReadOnlyList<string> mnemonics, ReissueRequest request)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(mnemonics);
        ArgumentNullException.ThrowIfNull(request);
        using var collector = new RecoveryState();
        var c = Checked(manifest, mnemonics, request, collector);
        return (c.Group, c.Existing is not null);
    }

    private static (string Custodian, string Reason, string? Recipient, int Group, ManifestShare? Existing, string Slot) Checked(
        BackupManifest manifest, IReadOnlyList<string> mnemonics, ReissueRequest request, RecoveryState collector)
    {
        // The one rule for custodian names (trimmed, 60 characters, nothing invisible), then the manifest's own text rule.
        var custodian = ManifestText.Accept(CustodianNames.Check(request.Custodian, $"share {request.ShareNumber}"), "the custodian name");
        var reason = ManifestText.Accept(request.Reason, "the reason", ManifestText.MaxLongBytes);
        var recipient = request.AgeRecipient is null ? null : ManifestText.Accept(request.AgeRecipient, "the age recipient", ManifestText.MaxRecipientBytes);
        if (request.ShareNumber is < 1 or > SplitLayout.MaxCount) throw ShareErrors.NumberOutOfRange(request.ShareNumber);
        if (request.Group is int g0 && (g0 < 1 || g0 > manifest.Groups.Count)) throw ShareErrors.GroupOutOfRange(g0, manifest.Groups.Count);

        foreach (var m in mnemonics) collector.Add(m);
        foreach (var share in collector.Accepted)
        {
            var check = ShareCheck.Against(manifest, share);
            if (check.Verdict != ShareCheckVerdict.Registered)
                throw new KeyVaultException(ErrorKind.IdentityMismatch, $"{share.Label}: {check.Message}",
                    "give only shares registered in this manifest");
        }
        var first = collector.Accepted.Count > 0 ? collector.Accepted[0] : throw ShareErrors.NoShares();
        int group = request.Group ?? (collector.Accepted.Select(s => s.GroupIndex).Distinct().Count() == 1
            ? first.GroupIndex + 1 : throw ShareErrors.GroupAmbiguous());

        string slot = ShareCheck.Slot(manifest.Groups.Count, group, request.ShareNumber);
        var existing = manifest.ShareAt(group, request.ShareNumber);
        if (existing?.Departed is { } gone)
            throw ManifestError.NumberDeparted(slot, existing.Custodian, gone);
        if (request.Replaces is int replaces)
        {
            string leaving = ShareCheck.Slot(manifest.Groups.Count, group, replaces);
            var old = manifest.ShareAt(group, replaces) ?? throw ManifestError.ReplacesUnknown(leaving, manifest.BackupId);
            if (old.Departed is { } left) throw ManifestError.NumberDeparted(leaving, old.Custodian, left);
            if (replaces == request.ShareNumber || existing is not null) throw ManifestError.ReplacesNeedsNewNumber(leaving, slot);
        }
        if (existing is not null && existing.Custodian != custodian) throw ManifestError.NumberTaken(slot, existing.Custodian);
        // One key holding two shares would let its holder count twice towards the threshold, as a custodians file forbids.
        if (recipient is not null && SameKey(manifest, recipient, existing) is { } holder)
            throw ManifestError.RecipientTaken(ShareCheck.Slot(manifest.Groups.Count, holder.Group, holder.Member), holder.Custodian);
        // Re-creating a lost sheet keeps its custodian; anyone else must be told apart from every other custodian.
        CustodianNames.RequireDistinct(custodian, $"share {slot}", manifest.Shares.Where(s => s != existing)
            .Select(s => ($"share {ShareCheck.Slot(manifest.Groups.Count, s.Group, s.Member)}", s.Custodian)));
        return (custodian, reason, recipient, group, existing, slot);
    }

    private static ManifestShare? SameKey(BackupManifest manifest, string recipient, ManifestShare? existing)
    {
        var key = Age.AgeRecipient.Parse(recipient);
        foreach (var s in manifest.Shares)
        {
            if (s == existing || s.AgeRecipient is null) continue;
            try
            {
                if (key.Equals(Age.AgeRecipient.Parse(s.AgeRecipient))) return s;
            }
            catch (KeyVaultException)
            {
                // A recipient the manifest records but this version cannot read is not this key.
            }
        }
        return null;
    }

    private static string SignWith(BackupManifest manifest, RecoveryState collector, SecretKey? signingKey, ReadOnlySpan<byte> slip39Passphrase)
    {
        if (signingKey is not null) return manifest.Sign(signingKey);
        if (!collector.CanRecover)
        {
            int complete = collector.Accepted.GroupBy(s => s.GroupIndex).Count(g => g.Count() >= g.First().MemberThreshold);
            throw ManifestError.CannotSign(complete, manifest.GroupThreshold);
        }
        using var secret = collector.Recover(slip39Passphrase);
        using var key = SecretKey.TryFromBytes(secret.Bytes);
        if (key is null || key.PublicKey.Hex66 != manifest.Identity.PublicKey)
            throw ShareErrors.KeyMismatch("the manifest", manifest.Identity.Fingerprint,
                key?.PublicKey.Fingerprint ?? "(not a valid key)", manifest.Slip39Passphrase);
        return manifest.Sign(key);
    }
}
