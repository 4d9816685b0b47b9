using KeyVault.Errors;
using KeyVault.IO;
using KeyVault.Interaction;
using KeyVault.KeyFile;
using KeyVault.Keys;
using KeyVault.Manifest;
using KeyVault.Shares;
using KeyVault.Signers;
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
    int? Group, string? KeyFile, string? KeyPassphraseFile, string? Slip39PassphraseFile)
{
    /// <summary>Identity files that open the sealed (.age) files among <see cref="ShareFiles"/>, as <c>age -d -i</c>.</summary>
    public IReadOnlyList<string> IdentityFiles { get; init; } = [];

    /// <summary>The recipient (age1… or an SSH public key line) to seal the new share to, or null (see <see cref="CustodiansFile"/>).</summary>
    public string? SealTo { get; init; }

    /// <summary>
    /// A custodians file naming <see cref="Custodian"/>: their line says whether the new share is sealed (and to which
    /// key) or written for paper, and gives their contact and time zone. Null when not given.
    /// </summary>
    public string? CustodiansFile { get; init; }

    /// <summary>The share number of a custodian who leaves, replaced by the new share: marked departed in the manifest; or null.</summary>
    public int? Replaces { get; init; }

    /// <summary>With a sealed new share: write it ASCII-armored.</summary>
    public bool Armor { get; init; }
}

/// <summary>What a reissue wrote.</summary>
/// <param name="Share">The new share's public metadata.</param>
/// <param name="Recreated">True when a registered share was re-created (a lost sheet), false for a new number.</param>
/// <param name="ShareFile">The new share's file: a plain share file, or a sealed .age file.</param>
/// <param name="Sheet">Its sheet (a share sheet, or a sealed sheet), or null.</param>
/// <param name="Custodian">Who received it, as the manifest records the name.</param>
/// <param name="ManifestPath">The updated, re-signed manifest.</param>
/// <param name="Manifest">The updated manifest.</param>
/// <param name="ManifestJson">The text of the updated manifest.</param>
/// <param name="SealedTo">The recipient the new share was sealed to, or null when it was written plain.</param>
public sealed record ReissueWritten(ShareInfo Share, bool Recreated, string ShareFile, string? Sheet, string Custodian, string ManifestPath,
    BackupManifest Manifest, string ManifestJson, string? SealedTo);

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

        // How the new share goes out: sealed to --seal-to, or as the custodians file says for this custodian, or plain.
        var fromFile = request.CustodiansFile is null ? null : CustodianIn(op, request.CustodiansFile, request.Custodian);
        var recipient = request.SealTo is not null ? ParseRecipient(request.SealTo) : fromFile?.Recipient;
        if (request.Armor && recipient is null) throw CustodyError.ArmorWithoutSeal();
        var identities = OneShare.ReadIdentities(op, request.IdentityFiles);

        var mnemonics = new List<string>();
        try
        {
            foreach (var path in request.ShareFiles)
                mnemonics.Add(OneShare.ReadFile(op, path, identities, (content, source) =>
                {
                    using var file = ShareFile.Parse(content, source);
                    return new string(file.Mnemonic.AsSpan());
                }));
            // Everything that needs no passphrase is refused before one is asked: the name, the number, the shares, the
            // file names the new share would take.
            var reissue = new ReissueRequest(request.Number, request.Custodian, request.Reason, request.Group, recipient?.Text,
                fromFile?.Contact, fromFile?.TimeZone, request.Replaces);
            var (group, _) = ManifestReissue.Precheck(manifest, mnemonics, reissue);
            bool hasGroups = manifest.Groups.Count > 1;
            var plannedNames = recipient is null
                ? ShareWriter.FileNames(hasGroups, group, request.Number, options).ToList()
                : [ShareWriter.BaseName(hasGroups, group, request.Number) + ".age", .. options.Paper ? [ShareWriter.BaseName(hasGroups, group, request.Number) + ".pdf"] : Array.Empty<string>()];
            FileSet.RemoveTemporaries(op, files.Dir, plannedNames);
            files.RequireFree(plannedNames);
            using var slip39 = Slip39Passphrase.Read(op, request.Slip39PassphraseFile, allowEmpty: true);
            using var key = header is null ? null : OpenKey(op, request.KeyFile!, header, request.KeyPassphraseFile);
            using var outcome = ManifestReissue.Reissue(manifest, mnemonics, reissue, DateTimeOffset.UtcNow, key, slip39);
            var publicKey = PublicKey.ParseHex(manifest.Identity.PublicKey);
            // The name as the manifest records it (trimmed), on the share file and the sheet alike.
            var entry = outcome.Manifest.ShareAt(outcome.Share.Info.GroupNumber, outcome.Share.Info.MemberNumber)!;
            // The sheet's "of N" counts the shares custodians hold, as the other sheets of the backup do.
            int held = outcome.Manifest.HeldCount(outcome.Share.Info.GroupNumber);
            string shareFile;
            string? sheet;
            if (recipient is null)
            {
                var written = ShareWriter.WriteOne(op, files, outcome.Share.AsMnemonicShare, publicKey, entry.Custodian, options, renderer, held);
                (shareFile, sheet) = (written.TextFile, written.PdfFile);
            }
            else
            {
                var date = options.Date;
                using var sealedShare = new SealedShare(outcome.Share.AsMnemonicShare, new Age.Custodian(entry.Custodian, recipient, 0), publicKey, date,
                    manifest.Slip39Passphrase, request.Armor);
                (shareFile, sheet) = SealedShares.Write(op, files, sealedShare, publicKey, date,
                    options.Paper ? new SealedSheets(renderer ?? throw new ArgumentException("sheets need a renderer", nameof(renderer)), options.PaperSize, options.Origin) : null,
                    held);
                // The set has read the file back; this proves what it holds: addressed to this recipient alone, holding this share.
                using (sealedShare.Verify(sealedShare.File)) { }
            }
            var manifestPath = ManifestFiles.Write(files, outcome.ManifestJson);
            return new ReissueWritten(outcome.Share.Info, outcome.Recreated, shareFile, sheet, entry.Custodian, manifestPath, outcome.Manifest,
                outcome.ManifestJson, recipient?.Text);
        }
        finally
        {
            foreach (var m in mnemonics) SecretBuffers.WipeString(m);
        }
    }

    private static Age.Custodian CustodianIn(IOperator op, string path, string name)
    {
        var all = SealedShares.ReadCustodians(op, path);
        return all.FirstOrDefault(c => Text.CustodianNames.Same(c.Name, name.Trim()))
               ?? throw CustodyError.CustodianNotInFile(name, Inputs.Describe(path), all.Select(c => c.Name).ToList());
    }

    private static Age.AgeRecipient ParseRecipient(string text)
    {
        try
        {
            return Age.AgeRecipient.Parse(text.Trim());
        }
        catch (KeyVaultException ex)
        {
            throw new KeyVaultException(ErrorKind.BadInput, $"the recipient to seal the new share to is malformed: {ex.Message}",
                "give an age recipient (age1…) or an SSH public key line (ssh-ed25519 AAAA…), as the custodian's key prints it");
        }
    }

    /// <summary>
    /// Records in the new backup's manifest (<paramref name="newManifestFile"/>, replaced atomically) that the backup
    /// of <paramref name="oldManifestFile"/> is retired, re-signed by the key from <paramref name="keyFile"/> or rebuilt
    /// from <paramref name="shareFiles"/> (shares of the new backup, or for one key of either backup).
    /// A backup of the previous key needs the <paramref name="rotation"/>: with its successor statement alone it is
    /// recorded as superseded and still needed; it is retired only with a drill report of the new key that proves DKG
    /// shares (<see cref="RotationRetirement"/>). Everything that can be refused is, before the key is opened.
    /// </summary>
    public static BackupManifest Retire(IOperator op, string oldManifestFile, string newManifestFile, string? reason,
        string? keyFile, string? keyPassphraseFile, IReadOnlyList<string> shareFiles, string? slip39PassphraseFile,
        RetireAcrossRotation? rotation = null)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(shareFiles);
        var (old, oldJson) = ManifestFiles.ReadAuthentic(op, oldManifestFile);
        var (current, newJson) = ManifestFiles.ReadAuthentic(op, newManifestFile);
        if (keyFile is null && shareFiles.Count == 0) throw CustodyError.SigningKeyNeeded();
        bool acrossKeys = old.Identity.PublicKey != current.Identity.PublicKey;
        if (!acrossKeys && rotation is not null) throw CustodyError.RotationNotInvolved(current.Identity.Fingerprint);
        if (acrossKeys && rotation is null) throw CustodyError.RotationStatementNeeded(old.BackupId, old.Identity.Fingerprint, current.Identity.Fingerprint);

        string? statementJson = null;
        RotationDrill? proof = null;
        if (rotation is not null)
        {
            statementJson = ReadText(op, rotation.SuccessorStatementFile);
            BackupRetirement.PrecheckRotation(old, current, statementJson, retiring: rotation.DrillReportFile is not null);
            if (rotation.DrillReportFile is { } report)
                proof = RotationRetirement.Proof(Inputs.ReadAll(op, report), PublicKey.ParseHex(current.Identity.PublicKey), Inputs.Describe(report));
            else if (!rotation.StillNeeded)
                throw CustodyError.RotationDrillNeeded(old.BackupId, old.Identity.Fingerprint);
        }
        else
        {
            BackupRetirement.Precheck(old, current);
        }

        var why = reason ?? (rotation is null ? $"replaced by backup {current.BackupId}"
            : proof is null ? $"superseded by backup {current.BackupId} of key {current.Identity.Fingerprint}; still needed"
            : $"replaced by backup {current.BackupId} of key {current.Identity.Fingerprint}; its DKG shares of aggregate key {proof.AggregateKey} are proven");
        var header = keyFile is null ? null : KeyHeader(op, keyFile, current);
        using var key = header is not null
            ? OpenKey(op, keyFile!, header, keyPassphraseFile)
            : RestoreFlow.FromShares(op, shareFiles, slip39PassphraseFile, out _);
        var (updated, json) = statementJson is null
            ? BackupRetirement.Retire(oldJson, newJson, key, why, DateTimeOffset.UtcNow)
            : BackupRetirement.AcrossRotation(oldJson, newJson, statementJson, proof, key, why, DateTimeOffset.UtcNow);
        ManifestFiles.Replace(newManifestFile, json);
        op.Note(rotation is not null && proof is null
            ? $"backup {old.BackupId} of key {old.Identity.Fingerprint} is recorded as superseded, still needed, in {newManifestFile} (backup {updated.BackupId}, key {updated.Identity.Fingerprint}): keep its sheets"
            : $"backup {old.BackupId} is retired in {newManifestFile} (backup {updated.BackupId}, key {updated.Identity.Fingerprint})");
        return updated;
    }

    private static string ReadText(IOperator op, string path)
    {
        try
        {
            return new System.Text.UTF8Encoding(false, true).GetString(Inputs.ReadAll(op, path));
        }
        catch (System.Text.DecoderFallbackException)
        {
            throw new KeyVaultException(ErrorKind.DamagedFile, $"{Inputs.Describe(path)} is not UTF-8 text, so not a successor statement",
                "give the statement file as the rotation wrote it");
        }
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
