using KeyVault.Keys;

namespace KeyVault.Manifest;

/// <summary>
/// Records on the new backup's manifest that an older backup of the same key is retired: its backup ID, when, why and
/// the commitments of its shares (so its sheets are recognised exactly), plus what the old manifest had retired.
/// </summary>
internal static class BackupRetirement
{
    /// <summary>
    /// Returns the new manifest, updated and re-signed by <paramref name="key"/>. Both manifests must be authentic and
    /// of the same key, which <paramref name="key"/> must be.
    /// </summary>
    /// <param name="oldManifestJson">The text of the retired backup's manifest.json.</param>
    /// <param name="newManifestJson">The text of the replacing backup's manifest.json.</param>
    /// <param name="key">The backed-up key (both manifests' identity).</param>
    /// <param name="reason">Why the old backup is retired.</param>
    /// <param name="at">When.</param>
    /// <exception cref="Errors.KeyVaultException">
    /// DamagedFile (a manifest malformed or not authentic), IdentityMismatch (different keys, or <paramref name="key"/>
    /// is another key), BadInput (the same backup ID, already retired, or a bad reason).
    /// </exception>
    public static (BackupManifest Manifest, string Json) Retire(string oldManifestJson, string newManifestJson, SecretKey key,
        string reason, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(key);
        var old = BackupManifest.ReadAuthentic(oldManifestJson);
        var current = BackupManifest.ReadAuthentic(newManifestJson);
        var why = ManifestText.Accept(reason, "the reason", ManifestText.MaxLongBytes);
        Precheck(old, current);

        var when = BackupManifest.Truncate(at);
        var retired = current.Retired.ToList();
        retired.Add(new RetiredBackup(old.BackupId, when, why, old.Shares.Select(s => s.Commitment).ToList()));
        // What the old backup had retired stays retired: the newest manifest is the one custodians check against.
        foreach (var earlier in old.Retired)
            if (retired.All(r => r.BackupId != earlier.BackupId)) retired.Add(earlier);

        var updated = current.NextRevision() with
        {
            Retired = retired,
            History = [.. current.History, new ManifestEvent(when, "retire", why, BackupId: old.BackupId)],
        };
        return (updated, updated.Sign(key));
    }

    /// <summary>
    /// What can be refused before the key is needed: two keys, one backup, a backup already retired, or the order
    /// reversed. A retirement run twice then says so without a passphrase and a key derivation.
    /// </summary>
    public static void Precheck(BackupManifest old, BackupManifest current)
    {
        ArgumentNullException.ThrowIfNull(old);
        ArgumentNullException.ThrowIfNull(current);
        if (old.Identity.PublicKey != current.Identity.PublicKey)
            throw ManifestError.RetireDifferentKeys(old.Identity.Fingerprint, current.Identity.Fingerprint);
        if (old.BackupId == current.BackupId) throw ManifestError.RetireSameBackup(old.BackupId);
        if (current.Retired.Any(r => r.BackupId == old.BackupId)) throw ManifestError.AlreadyRetired(old.BackupId);
        if (old.Retired.Any(r => r.BackupId == current.BackupId)) throw ManifestError.RetireOldIsNewer(old.BackupId, current.BackupId);
    }
}
