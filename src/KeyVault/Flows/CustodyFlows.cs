using KeyVault.Errors;
using KeyVault.IO;
using KeyVault.Interaction;
using KeyVault.KeyFile;
using KeyVault.Keys;
using KeyVault.Manifest;
using KeyVault.Shares;
using KeyVault.Sheets;

namespace KeyVault.Flows;

/// <summary>A reissue as a front end asks for it.</summary>
/// <param name="ShareFiles">Share files of the backup (at least the member threshold of the new share's group).</param>
/// <param name="ManifestFile">The backup's current manifest.json.</param>
/// <param name="Number">The share number as printed on the sheets (1 to 16).</param>
/// <param name="Custodian">Who receives the share.</param>
/// <param name="Reason">Why, recorded in the manifest's history.</param>
/// <param name="Group">The group of the new share, or null when the shares given are all of one group.</param>
/// <param name="KeyFile">The encrypted key file that re-signs the manifest, or null to rebuild the key from the shares.</param>
/// <param name="KeyPassphraseFile">The key file's passphrase file, or null to ask.</param>
/// <param name="Slip39PassphraseFile">The backup's SLIP-0039 passphrase file (to rebuild the key from shares), or null.</param>
public sealed record ReissueFlowRequest(IReadOnlyList<string> ShareFiles, string ManifestFile, int Number, string Custodian, string Reason,
    int? Group, string? KeyFile, string? KeyPassphraseFile, string? Slip39PassphraseFile);

/// <summary>What a reissue wrote.</summary>
/// <param name="Share">The new share's public metadata.</param>
/// <param name="Recreated">True when a registered share was re-created (a lost sheet), false for a new number.</param>
/// <param name="ShareOutput">The share file (and sheet) written.</param>
/// <param name="ManifestPath">The updated, re-signed manifest.</param>
/// <param name="Manifest">The updated manifest.</param>
public sealed record ReissueWritten(ShareInfo Share, bool Recreated, ShareOutput ShareOutput, string ManifestPath, BackupManifest Manifest);

/// <summary>
/// The custody flows that change a backup's record: reissuing one share (a lost sheet, a new custodian) and retiring
/// a whole backup in favour of a new split. Both re-sign the manifest with the backed-up key.
/// </summary>
public static class CustodyFlows
{
    /// <summary>
    /// Computes the share at <see cref="ReissueFlowRequest.Number"/> from the shares given, and writes it (with its
    /// sheet, as <paramref name="options"/> say) and the updated, re-signed manifest.json into <paramref name="files"/>,
    /// which the caller completes or discards: both or neither. A front end opens the set staged on the output
    /// folder and hands it to its signal handler before calling this, so an interrupted
    /// reissue leaves no share behind; temporaries a killed earlier run left are removed, with a note. The sheet prints
    /// the manifest's label, organisation and contact where <paramref name="options"/> gives none.
    /// </summary>
    public static ReissueWritten Reissue(IOperator op, ReissueFlowRequest request, ShareOutputOptions options, FileSet files, ISheetRenderer? renderer)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(files);
        var (manifest, _) = ManifestFiles.ReadAuthentic(op, request.ManifestFile);
        // The sheet names the backup's label, organisation and contact as the manifest records them, unless the caller gave others.
        var origin = options.Origin ?? SheetOrigin.None;
        options = options with
        {
            PassphraseProtected = manifest.Slip39Passphrase,
            Label = options.Label ?? manifest.Label,
            Origin = origin with { Org = origin.Org ?? manifest.Org, Contact = origin.Contact ?? manifest.Contact },
        };
        FileSet.RemoveTemporaries(op, files.Dir, [BackupManifest.FileName]);
        files.RequireFree([BackupManifest.FileName]);
        var header = request.KeyFile is null ? null : KeyHeader(op, request.KeyFile, manifest);

        var mnemonics = new List<string>();
        try
        {
            foreach (var path in request.ShareFiles)
            {
                var bytes = Inputs.ReadAll(op, path);
                try
                {
                    using var file = ShareFile.Parse(bytes, Inputs.Describe(path));
                    mnemonics.Add(new string(file.Mnemonic.AsSpan()));
                }
                finally
                {
                    SecretBuffers.Wipe(bytes);
                }
            }
            // Everything that needs no passphrase is refused before one is asked: the name, the number, the shares, the
            // file names the new share would take.
            var reissue = new ReissueRequest(request.Number, request.Custodian, request.Reason, request.Group);
            var (group, _) = ManifestReissue.Precheck(manifest, mnemonics, reissue);
            var plannedNames = ShareWriter.FileNames(manifest.Groups.Count > 1, group, request.Number, options).ToList();
            FileSet.RemoveTemporaries(op, files.Dir, plannedNames);
            files.RequireFree(plannedNames);
            using var slip39 = Slip39Passphrase.Read(op, request.Slip39PassphraseFile, allowEmpty: true);
            using var key = header is null ? null : OpenKey(op, request.KeyFile!, header, request.KeyPassphraseFile);
            using var outcome = ManifestReissue.Reissue(manifest, mnemonics, reissue, DateTimeOffset.UtcNow, key, slip39);
            var publicKey = PublicKey.ParseHex(manifest.Identity.PublicKey);
            // The name as the manifest records it (trimmed), on the share file and the sheet alike.
            var custodian = outcome.Manifest.ShareAt(outcome.Share.Info.GroupNumber, outcome.Share.Info.MemberNumber)!.Custodian;
            var written = ShareWriter.WriteOne(op, files, outcome.Share.AsMnemonicShare, publicKey, custodian, options, renderer);
            var manifestPath = ManifestFiles.Write(files, outcome.ManifestJson);
            return new ReissueWritten(outcome.Share.Info, outcome.Recreated, written, manifestPath, outcome.Manifest);
        }
        finally
        {
            foreach (var m in mnemonics) SecretBuffers.WipeString(m);
        }
    }

    /// <summary>
    /// Records in the new backup's manifest (<paramref name="newManifestFile"/>, replaced atomically) that the backup
    /// of <paramref name="oldManifestFile"/> is retired, re-signed by the key from <paramref name="keyFile"/> or rebuilt
    /// from <paramref name="shareFiles"/> (shares of either backup).
    /// </summary>
    public static BackupManifest Retire(IOperator op, string oldManifestFile, string newManifestFile, string? reason,
        string? keyFile, string? keyPassphraseFile, IReadOnlyList<string> shareFiles, string? slip39PassphraseFile)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(shareFiles);
        var (old, oldJson) = ManifestFiles.ReadAuthentic(op, oldManifestFile);
        var (current, newJson) = ManifestFiles.ReadAuthentic(op, newManifestFile);
        if (keyFile is null && shareFiles.Count == 0) throw CustodyError.SigningKeyNeeded();
        BackupRetirement.Precheck(old, current);
        var why = reason ?? $"replaced by backup {current.BackupId}";
        var header = keyFile is null ? null : KeyHeader(op, keyFile, current);
        using var key = header is not null
            ? OpenKey(op, keyFile!, header, keyPassphraseFile)
            : RestoreFlow.FromShares(op, shareFiles, slip39PassphraseFile, out _);
        var (updated, json) = BackupRetirement.Retire(oldJson, newJson, key, why, DateTimeOffset.UtcNow);
        AtomicFile.Write(newManifestFile, System.Text.Encoding.UTF8.GetBytes(json), overwrite: true);
        op.Note($"backup {old.BackupId} is retired in {newManifestFile} (backup {updated.BackupId}, key {updated.Identity.Fingerprint})");
        return updated;
    }

    private static KeyFileHeader KeyHeader(IOperator op, string path, BackupManifest manifest)
    {
        var header = EncryptedKeyFile.Parse(Inputs.ReadAll(op, path));
        if (header.PublicKey.Hex66 != manifest.Identity.PublicKey)
            throw new KeyVaultException(ErrorKind.IdentityMismatch,
                $"{Inputs.Describe(path)} holds key {header.PublicKey.Fingerprint}, and the manifest is of key {manifest.Identity.Fingerprint}",
                "give the key file of the backed-up key");
        return header;
    }

    private static SecretKey OpenKey(IOperator op, string keyFile, KeyFileHeader header, string? passphraseFile)
    {
        using var passphrase = Inputs.ExistingPassphrase(op, passphraseFile, Inputs.KeyFilePrompt(keyFile));
        return header.Decrypt(passphrase, op.KdfProgress("decrypting"));
    }
}
