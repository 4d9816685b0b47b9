using KeyVault.IO;
using KeyVault.Interaction;
using KeyVault.KeyFile;
using KeyVault.Keys;
using KeyVault.Manifest;
using KeyVault.Shares;
using KeyVault.Sheets;

namespace KeyVault.Flows;

/// <summary>A split as a front end asks for it.</summary>
/// <param name="KeyFile">The encrypted key file to back up (a path, or "-" for standard input).</param>
/// <param name="Layout">The k-of-n layout, already checked by <see cref="SplitLayout"/>.</param>
/// <param name="PassphraseFile">The key file's passphrase file, or null to ask.</param>
/// <param name="Slip39PassphraseFile">A SLIP-0039 passphrase file, or null for none.</param>
/// <param name="IterationExponent">SLIP-0039 iteration exponent (0 to <see cref="Slip39.MaxIterationExponent"/>).</param>
/// <param name="Extendable">Whether the shares carry the extendable-backup flag.</param>
/// <param name="CustodiansFile">A custodians file (docs/custodians.md: one custodian per share, in share order; "NAME = RECIPIENT"
/// seals that share, "NAME" or "NAME = paper" writes it plain, for paper), or null for plain share files.</param>
/// <param name="Armor">With <paramref name="CustodiansFile"/>: write the sealed files ASCII-armored.</param>
/// <param name="KeyFilePassphrase">The key file's passphrase when the caller already holds it (it stays the caller's to
/// dispose); otherwise <paramref name="PassphraseFile"/> or a question.</param>
public sealed record SplitRequest(string KeyFile, SplitLayout Layout, string? PassphraseFile, string? Slip39PassphraseFile,
    int IterationExponent, bool Extendable, string? CustodiansFile = null, bool Armor = false, Passphrase? KeyFilePassphrase = null);

/// <summary>What a split wrote.</summary>
/// <param name="Identifier">The backup's SLIP-0039 identifier.</param>
/// <param name="Shares">How many shares were written.</param>
/// <param name="PublicKey">The key that was split.</param>
/// <param name="Label">The key file's label, or null.</param>
/// <param name="Sealed">How many of the shares were sealed to their custodians' keys (the others are plain share files).</param>
public sealed record SplitWritten(int Identifier, int Shares, PublicKey PublicKey, string? Label, int Sealed);

/// <summary>
/// <c>split</c>: a key file's key as SLIP-0039 shares, each share file (or sealed file) with its sheet, and the signed
/// manifest.json, written as one set: all of them or none.
/// </summary>
public static class SplitFlow
{
    /// <summary>
    /// Checks everything that needs no secret (the custodians file, the folder, fonts and every sheet's fields) before it
    /// asks for a passphrase, then opens the key, splits it, proves the shares rebuild it, and writes the shares, their
    /// sheets and the manifest into <paramref name="files"/>, which the caller completes or discards (a front end hands
    /// the set to its signal handler before calling this).
    /// </summary>
    /// <param name="op">The person at the keyboard.</param>
    /// <param name="request">What to split, and how.</param>
    /// <param name="options">How shares and sheets are written; its custodian names are used unless the shares are sealed.</param>
    /// <param name="manifest">Organisation, contact and executable recorded in manifest.json (the label and passphrase flag are filled in here).</param>
    /// <param name="files">The staged file set of the output folder.</param>
    /// <param name="renderer">Draws the sheets, or null when <see cref="ShareOutputOptions.Paper"/> is off.</param>
    public static SplitWritten Run(IOperator op, SplitRequest request, ShareOutputOptions options, ManifestOptions manifest, FileSet files, ISheetRenderer? renderer)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(files);
        if (options.Paper && renderer is null) throw new ArgumentException("sheets need a renderer", nameof(renderer));
        var layout = request.Layout;
        int exponent = request.IterationExponent;
        if (exponent > Slip39.DefaultIterationExponent)
            op.Warn($"iteration exponent {exponent} is above the default ({Slip39.DefaultIterationExponent}): every restore from these " +
                    $"shares will take {Slip39Timing.Describe(Slip39Timing.Estimate(exponent))} on this machine, and longer on a slower one");
        var custodians = request.CustodiansFile is null ? null : SealedShares.ReadCustodians(op, request.CustodiansFile, layout.ShareCount);
        if (custodians is not null) options = options with { Custodians = custodians.Select(c => c.Name).ToList() };
        bool IsSealed(int position) => custodians is not null && custodians[position].Sealed;
        bool slip39 = request.Slip39PassphraseFile is not null;
        options = options with { PassphraseProtected = slip39 };

        var planned = ShareWriter.Planned(layout, request.Extendable);
        string[] names = [.. planned.SelectMany((p, i) => IsSealed(i)
                ? (options.Paper ? [SealedShares.FileName(p), SealedShares.SheetName(p)] : [SealedShares.FileName(p)])
                : ShareWriter.FileNames(p, options)),
            BackupManifest.FileName];
        FileSet.RemoveTemporaries(op, files.Dir, names);

        var header = EncryptedKeyFile.Parse(Inputs.ReadAll(op, request.KeyFile));
        manifest = manifest with { Slip39Passphrase = slip39, Label = header.Label };
        var recorded = custodians is null ? ManifestFiles.Record(options.Custodians) : ManifestFiles.Record(custodians);
        ManifestFiles.Precheck(manifest, recorded);
        options = options with { Label = header.Label };
        // Fonts and every sheet's fields are checked before the key is opened, so a machine that cannot print fails early.
        files.RequireFree(names);
        ShareWriter.Precheck(files, planned, layout.Groups.Select(g => g.MemberCount).ToArray(), header.PublicKey, options,
            options.Paper || options.Png ? renderer : null, include: i => !IsSealed(i));
        if (custodians is not null && options.Paper) SealedShares.CheckSheets(renderer!, custodians, options.Date, options.Origin);

        using var slip39Passphrase = Slip39Passphrase.Read(op, request.Slip39PassphraseFile, allowEmpty: false);
        using var asked = request.KeyFilePassphrase is null ? Inputs.ExistingPassphrase(op, request.PassphraseFile, Inputs.KeyFilePrompt(request.KeyFile)) : null;
        using var key = header.Decrypt(request.KeyFilePassphrase ?? asked!, op.KdfProgress("decrypting"));

        op.Note($"splitting key {key.PublicKey.Fingerprint} {layout}{(slip39 ? " with a SLIP-0039 passphrase" : "")}");
        ShareSet set;
        using (Slip39Timing.Announce(op, exponent, "encrypting and checking the master secret", passes: 2))
        {
            set = Slip39.Split(key, layout, slip39Passphrase, exponent, request.Extendable);
            try
            {
                set.CheckRebuilds(slip39Passphrase, key.PublicKey);
            }
            catch
            {
                set.Dispose();
                throw;
            }
        }
        using var owned = set;
        // Every sealed share is sealed before anything is written; each is then written in share order beside the plain ones.
        var sealedShares = custodians is null ? null : SealedShares.Seal(set, key.PublicKey, custodians, options.Date, slip39, request.Armor);
        try
        {
            var sheets = options.Paper ? new SealedSheets(renderer!, options.PaperSize, options.Origin) : null;
            for (int i = 0; i < set.Shares.Count; i++)
            {
                if (sealedShares?[i] is { } sealedShare) SealedShares.Write(op, files, sealedShare, key.PublicKey, options.Date, sheets);
                else ShareWriter.WriteOne(op, files, set.Shares[i], key.PublicKey, i < options.Custodians.Count ? options.Custodians[i] : null, options, renderer);
            }
        }
        finally
        {
            if (sealedShares is not null) foreach (var x in sealedShares) x?.Dispose();
        }
        // The manifest goes into the same set: a split that fails or is interrupted leaves no manifest either.
        ManifestFiles.Write(files, ManifestFiles.ForSplit(set, recorded, key, manifest));
        int sealedCount = custodians?.Count(c => c.Sealed) ?? 0;
        return new SplitWritten(set.Identifier, set.Shares.Count, key.PublicKey, header.Label, sealedCount);
    }
}
