using KeyVault.Keys;
using KeyVault.Signing;

namespace KeyVault.Manifest;

/// <summary>
/// Records on the new backup's manifest that an older backup is retired: its backup ID, when, why and the commitments
/// of its shares (so its sheets are recognised exactly). For a backup of the same key, also what the old manifest had
/// retired; for a backup of the previous key, the rotation that links the keys, and whether it is still needed.
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

    /// <summary>
    /// Records a backup of the previous key on the new key's manifest, linked by the successor statement between the
    /// two keys: superseded and still needed while <paramref name="drill"/> is null (its sheets are kept), retired once
    /// a drill of the new key proved DKG shares. A superseded entry is turned into a retired one by a later call with
    /// the drill. What the old manifest had retired is not copied: it stays on record there, named by its hash.
    /// </summary>
    /// <param name="oldManifestJson">The manifest of the previous key's backup.</param>
    /// <param name="newManifestJson">The manifest of the new key's backup; <paramref name="key"/> re-signs it.</param>
    /// <param name="successorStatementJson">The successor statement from the previous key to the new one, accepted by the new key.</param>
    /// <param name="drill">What the drill of the new key proved, or null to record the old backup as still needed.</param>
    /// <param name="key">The new key.</param>
    /// <param name="reason">Why.</param>
    /// <param name="at">When.</param>
    /// <exception cref="Errors.KeyVaultException">
    /// DamagedFile (a manifest or the statement malformed or not authentic), IdentityMismatch (the statement links other
    /// keys, or <paramref name="key"/> is not the new key), BadInput (the same key, already recorded, a bad reason).
    /// </exception>
    public static (BackupManifest Manifest, string Json) AcrossRotation(string oldManifestJson, string newManifestJson, string successorStatementJson,
        RotationDrill? drill, SecretKey key, string reason, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(key);
        var old = BackupManifest.ReadAuthentic(oldManifestJson);
        var current = BackupManifest.ReadAuthentic(newManifestJson);
        var why = ManifestText.Accept(reason, "the reason", ManifestText.MaxLongBytes);
        var statement = PrecheckRotation(old, current, successorStatementJson, retiring: drill is not null);

        var when = BackupManifest.Truncate(at);
        var rotation = new BackupRotation(old.Identity.PublicKey, BackupManifest.Hash(oldManifestJson), statement, drill);
        var entry = new RetiredBackup(old.BackupId, when, why, old.Shares.Select(s => s.Commitment).ToList(), rotation);
        var retired = current.Retired.Any(r => r.BackupId == old.BackupId)
            ? current.Retired.Select(r => r.BackupId == old.BackupId ? entry : r).ToList()
            : [.. current.Retired, entry];
        var updated = current.NextRevision() with
        {
            Retired = retired,
            History = [.. current.History, new ManifestEvent(when, drill is null ? "supersede" : "retire", why, BackupId: old.BackupId)],
        };
        return (updated, updated.Sign(key));
    }

    /// <summary>
    /// What can be refused before the new key is opened: manifests of one key, a statement that does not hold or links
    /// other keys, an old backup already recorded (retired, or superseded when <paramref name="retiring"/> is false).
    /// Returns the statement as RFC 8785 canonical JSON, as the manifest embeds it.
    /// </summary>
    public static string PrecheckRotation(BackupManifest old, BackupManifest current, string successorStatementJson, bool retiring)
    {
        ArgumentNullException.ThrowIfNull(old);
        ArgumentNullException.ThrowIfNull(current);
        if (old.Identity.PublicKey == current.Identity.PublicKey) throw ManifestError.RotationOfOneKey(old.Identity.Fingerprint);
        var statement = SuccessorStatement.Verify(successorStatementJson);
        if ((statement.OldKeyProblem ?? statement.AcceptanceProblem) is { } problem) throw ManifestError.StatementDoesNotHold(problem);
        if (statement.OldKey.Hex66 != old.Identity.PublicKey || statement.NewKey.Hex66 != current.Identity.PublicKey)
            throw ManifestError.StatementOfOtherKeys(statement.OldKey.Fingerprint, statement.NewKey.Fingerprint, old.Identity.Fingerprint, current.Identity.Fingerprint);
        if (old.BackupId == current.BackupId) throw ManifestError.SameIdentifierAcrossKeys(old.BackupId);
        if (current.Retired.FirstOrDefault(r => r.BackupId == old.BackupId) is { } recorded && !(retiring && recorded.StillNeeded))
            throw recorded.StillNeeded ? ManifestError.AlreadySuperseded(old.BackupId) : ManifestError.AlreadyRetired(old.BackupId);
        if (old.Retired.Any(r => r.BackupId == current.BackupId)) throw ManifestError.RetireOldIsNewer(old.BackupId, current.BackupId);
        using var doc = System.Text.Json.JsonDocument.Parse(successorStatementJson);
        return System.Text.Encoding.UTF8.GetString(CanonicalJson.Serialize(doc.RootElement));
    }
}
