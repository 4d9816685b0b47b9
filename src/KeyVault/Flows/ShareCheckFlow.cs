using KeyVault.Age;
using KeyVault.Errors;
using KeyVault.IO;
using KeyVault.Interaction;
using KeyVault.Manifest;

namespace KeyVault.Flows;

/// <summary>What a custodian's check was given.</summary>
/// <param name="ShareFile">A share file, plain or sealed (a path or "-"), or null to type or scan the share.</param>
/// <param name="ManifestFile">The backup's manifest.json, or null.</param>
/// <param name="IdentityFile">For a sealed share: the custodian's age identity or OpenSSH private key, or null.</param>
public sealed record ShareCheckRequest(string? ShareFile, string? ManifestFile, string? IdentityFile);

/// <summary>A sealed share checked without the identity: which registered custodians it can be addressed to.</summary>
/// <param name="File">The age file's public structure.</param>
/// <param name="Manifest">The authentic manifest.</param>
/// <param name="Matches">Registered shares whose recipient's SSH tag is in the file: it is sealed to them.</param>
/// <param name="Undecidable">Registered shares with X25519 recipients: the file may be sealed to them, which only their identity can tell.</param>
public sealed record SealedShareCheck(AgeFileInfo File, BackupManifest Manifest, IReadOnlyList<ManifestShare> Matches,
    IReadOnlyList<ManifestShare> Undecidable);

/// <summary>What a custodian's check found: a share's report, or for a sealed share without identity what its header says.</summary>
/// <param name="Report">The share opened and checked, or null for a sealed share checked without identity.</param>
/// <param name="Sealed">The header-only check, or null.</param>
/// <param name="Lines">What to show, one line each.</param>
public sealed record ShareCheckOutcome(ShareCheckReport? Report, SealedShareCheck? Sealed, IReadOnlyList<string> Lines);

/// <summary>
/// A custodian's yearly check of their own sheet, alone: one share (never more) from a file, a sealed file or the
/// keyboard; its checksum and structure; with a manifest, whether it is the share registered for them, or a share
/// of a retired backup. Writes nothing.
/// </summary>
public static class ShareCheckFlow
{
    /// <summary>Runs the check.</summary>
    /// <exception cref="KeyVaultException">
    /// BadInput (a malformed share), DamagedFile (a manifest that is malformed or not authentic, a damaged age file),
    /// AuthenticationFailed (the identity does not open the sealed file), IdentityMismatch (a sealed file addressed to
    /// none of the manifest's recipients), Cancelled (no share typed).
    /// </exception>
    public static ShareCheckOutcome Run(IOperator op, ShareCheckRequest request)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(request);
        // The manifest and the identity are read first: a bad one is reported before anyone types a share.
        var manifestJson = request.ManifestFile is null ? null : ManifestFiles.Read(op, request.ManifestFile);
        if (manifestJson is not null) BackupManifest.ReadAuthentic(manifestJson);
        var identities = request.IdentityFile is null ? null : OneShare.ReadIdentities(op, [request.IdentityFile]);
        try
        {
            if (request.ShareFile is null)
                return Describe(OneShare.Typed(op, "Share: ", words => ShareCheck.Check(words, manifestJson), CustodyError.NoShare));

            var source = Inputs.Describe(request.ShareFile);
            var content = Inputs.ReadAll(op, request.ShareFile);
            try
            {
                if (!OneShare.IsSealed(content))
                    return Describe(OneShare.FromFile(content, source, words => ShareCheck.Check(words, manifestJson)));
                if (identities is not null)
                    return Describe(OneShare.FromSealed(content, source, identities, words => ShareCheck.Check(words, manifestJson)), sealedIn: source);
                if (manifestJson is null) throw CustodyError.SealedNeedsManifestOrIdentity(source);
                return Header(content, source, BackupManifest.ReadAuthentic(manifestJson));
            }
            finally
            {
                SecretBuffers.Wipe(content);
            }
        }
        finally
        {
            if (identities is not null) foreach (var id in identities) id.Dispose();
        }
    }

    private static ShareCheckOutcome Describe(ShareCheckReport report, string? sealedIn = null)
    {
        var s = report.Share;
        var lines = new List<string>();
        if (sealedIn is not null) lines.Add($"sealed file:        {sealedIn} opened with the identity given");
        lines.Add($"backup id:          {s.Identifier}");
        lines.Add($"share:              {ShareCheck.Slot(s.GroupCount, s.GroupNumber, s.MemberNumber)}" +
                  (s.HasGroups ? $" (group {s.GroupNumber} of {s.GroupCount})" : ""));
        lines.Add($"member threshold:   {s.MemberThreshold} share{(s.MemberThreshold == 1 ? "" : "s")} of {(s.HasGroups ? "its group" : "the backup")} needed");
        if (s.HasGroups) lines.Add($"group threshold:    {s.GroupThreshold} of {s.GroupCount} groups needed");
        lines.Add($"extendable:         {(s.Extendable ? "yes" : "no")}");
        lines.Add($"iteration exponent: {s.IterationExponent}");
        lines.Add("checksum:           valid");
        if (report.Manifest is { } m)
        {
            lines.Add($"manifest:           authentic, backup {m.BackupId}, key {m.Identity.Fingerprint}");
            lines.Add($"result:             {report.Result!.Message}");
        }
        else
        {
            lines.Add("result:             a well-formed share (no manifest given, so not matched to a custodian)");
        }
        return new ShareCheckOutcome(report, null, lines);
    }

    private static ShareCheckOutcome Header(ReadOnlySpan<byte> content, string source, BackupManifest manifest)
    {
        var info = AgeFile.Inspect(content);
        var withRecipient = manifest.Shares.Where(s => s.AgeRecipient is not null).ToList();
        if (withRecipient.Count == 0) throw CustodyError.ManifestHasNoRecipients(manifest.BackupId);
        var matches = new List<ManifestShare>();
        var undecidable = new List<ManifestShare>();
        foreach (var share in withRecipient)
        {
            switch (info.AddressedTo(AgeRecipient.Parse(share.AgeRecipient!)))
            {
                case AgeAddressing.TagMatches: matches.Add(share); break;
                case AgeAddressing.CannotTell: undecidable.Add(share); break;
            }
        }
        if (matches.Count == 0 && undecidable.Count == 0) throw CustodyError.SealedNotAddressed(source, manifest.BackupId);

        var lines = new List<string>
        {
            $"sealed file:        {source}: a well-formed age v1 file ({(info.Armored ? "armored" : "binary")}), " +
            $"{info.Stanzas.Count} recipient stanza{(info.Stanzas.Count == 1 ? "" : "s")} ({string.Join(", ", info.Stanzas.Select(x => x.Type))})",
            $"manifest:           authentic, backup {manifest.BackupId}, key {manifest.Identity.Fingerprint}",
        };
        string Names(IEnumerable<ManifestShare> shares) => string.Join(", ", shares.Select(s =>
            $"{s.Custodian} (share {ShareCheck.Slot(manifest.Groups.Count, s.Group, s.Member)})"));
        if (matches.Count > 0)
            lines.Add($"addressed to:       {Names(matches)}: the file's ssh-ed25519 stanza carries that key's tag");
        if (undecidable.Count > 0)
            lines.Add($"cannot tell:        X25519 stanzas do not name their recipient, so whether it is sealed to {Names(undecidable)} " +
                      "cannot be told without the identity");
        lines.Add("not checked:        the header MAC, the payload and the share inside need the custodian's identity");
        return new ShareCheckOutcome(null, new SealedShareCheck(info, manifest, matches, undecidable), lines);
    }
}
