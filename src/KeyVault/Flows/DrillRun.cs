using System.Security.Cryptography;
using System.Text;
using KeyVault.Codecs;
using KeyVault.Dkg;
using KeyVault.Drill;
using KeyVault.Errors;
using KeyVault.IO;
using KeyVault.Interaction;
using KeyVault.KeyFile;
using KeyVault.Keys;
using KeyVault.Shares;
using KeyVault.Signing;

namespace KeyVault.Flows;

/// <summary>One backup source and the key it gave.</summary>
/// <param name="Source">"key file" or "shares".</param>
/// <param name="Description">Path and SHA-256, or the share identifier and numbers.</param>
/// <param name="Key">The rebuilt key (the caller disposes it).</param>
/// <param name="Match">The comparison with the expected identity.</param>
/// <param name="Shares">What a rebuild from shares used, or null.</param>
internal sealed record RebuiltKey(string Source, string Description, SecretKey Key, IdentityMatch Match, SharesRebuilt? Shares);

/// <summary>
/// The restore drill, used by the drill command and by the ceremony: rebuild the key from the key file and/or the
/// shares in memory, compare it with the expected identity, try it on the signer's DKG shares, assemble and sign the
/// report, wipe the key. It never writes or shows the key.
/// </summary>
public static class DrillRun
{
    /// <summary>The name of a key file source in <see cref="DrillResult.Sources"/> and the report's check details.</summary>
    public const string KeyFileSource = "key file";

    /// <summary>The name of a shares source.</summary>
    public const string SharesSource = "shares";

    /// <summary>
    /// Runs <paramref name="request"/>: rebuilds the key from every source given, compares it, tries it on the DKG
    /// shares, and writes the signed report when a path was given. <paramref name="database"/> reaches a live signer
    /// database (<see cref="DrillRequest.DkgDatabase"/>); a front end passes KeyVault.Postgres's implementation.
    /// </summary>
    public static DrillResult Execute(IOperator op, DrillRequest request, ISignerDatabase? database = null)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(request);
        var r = request;
        if (r.KeyFile is null && !r.WithShares) throw new ArgumentException("a drill needs a key file or shares", nameof(request));
        if (r.SealedShareFiles.Count > 0 && r.TypedShares)
            throw new ArgumentException("sealed share files are read back with share files, not with typed shares", nameof(request));
        if (new object?[] { r.DkgRows, r.DkgDatabase, r.DkgDump, r.DkgExport }.Count(x => x is not null) > 1)
            throw new ArgumentException("the DKG rows come from at most one source", nameof(request));
        if (r.DkgDatabase is not null && database is null) throw new ArgumentNullException(nameof(database), "a database source needs a signer database");
        var rowSource = r.DkgRows
            ?? (r.DkgDatabase is not null ? database!.DkgShares(DkgFlows.Connection(op, r.DkgDatabase, database))
                : r.DkgDump is not null ? new PgDumpSource(r.DkgDump)
                : r.DkgExport is not null ? new DkgExportSource(DkgFlows.OpenExport(op, r.DkgExport, r.DkgExportIdentity), Inputs.Describe(r.DkgExport))
                : null);
        (string Path, string Sha256, KeyFileHeader Header)? keyFile = r.KeyFile is null ? null : ReadKeyFile(op, r.KeyFile, r.KeyFileName);
        var blobs = r.DkgBlobFiles.Select(path => ReadBlob(op, path)).ToList();
        // The rows are public data: reading them first means a database problem is found before custodians type shares.
        var rows = rowSource?.ReadRows();

        var rebuilt = new List<RebuiltKey>();
        try
        {
            if (keyFile is not null) rebuilt.Add(RebuildFromKeyFile(op, keyFile.Value, r.PassphraseFile, r.KeyFilePassphrase, r.Expected));
            if (r.WithShares) rebuilt.Add(RebuildFromShares(op, r.ShareFiles, r.SealedShareFiles, r.Slip39PassphraseFile, r.Expected));
            var keyFileTested = keyFile is { } k ? new KeyFileTested(k.Path, k.Sha256) : null;
            var report = Conclude(r.Expected, rebuilt, keyFileTested, rows, blobs, TruncateToSeconds(DateTimeOffset.UtcNow), r.DkgAggregateKeys)
                with
                {
                    Executable = r.Executable,
                    SignerSet = r.SignerSet is { } set ? new DrillSignerSet(set.Fingerprint, set.SignaturesRequired, set.Keys.Count) : null,
                };
            var primary = Primary(rebuilt);
            var sources = rebuilt.Select(s => new TestedSource(s.Source, s.Description, s.Key.PublicKey.Identity(), s.Match)).ToList();
            var summary = new StringWriter();
            DrillSummary.Print(summary, report, r.Expected, sources.Select(s => new DrillSummary.Source(s.Name, s.Description, s.Derived, s.Match)).ToList(),
                report.Checks.Where(c => c.Name == DrillCheck.DkgSharesName).ToList());
            var signed = report.Sign(primary.Key);
            if (r.ReportPath is not null)
            {
                AtomicFile.Write(r.ReportPath, Encoding.UTF8.GetBytes(signed));
                op.Note($"wrote the drill report {r.ReportPath}, signed by key {primary.Key.PublicKey.Fingerprint}");
            }
            return new DrillResult(report, summary.ToString()) { Sources = sources, SignedReport = signed };
        }
        finally
        {
            foreach (var k in rebuilt) k.Key.Dispose();
        }
    }

    /// <summary>
    /// Assembles the report from the keys rebuilt: identity checks for every source, then the DKG checks with the key
    /// that is the expected one (else the first). The one place a drill's checks are put together.
    /// </summary>
    private static DrillReport Conclude(ExpectedIdentity expected, IReadOnlyList<RebuiltKey> rebuilt, KeyFileTested? keyFile,
        IReadOnlyList<DkgShareRow>? rows, IReadOnlyList<(string Name, byte[] Blob)> blobs, DateTimeOffset createdAt, IReadOnlyList<byte[]>? aggregateKeys)
    {
        var primary = Primary(rebuilt);
        var checks = new List<DrillCheck>();
        foreach (var r in rebuilt)
            checks.AddRange(DrillCheck.FromIdentity(r.Match).Select(c => c with { Detail = $"{r.Source}: {c.Detail}" }));
        if (rows is not null)
        {
            // The verdict follows the signer: only the rows it loads must open; the others are listed for information.
            var roles = DkgSignerRows.Roles(rows, aggregateKeys);
            var results = DkgShareRows.CheckAll(primary.Key, rows);
            for (int i = 0; i < rows.Count; i++) checks.Add(DrillCheck.FromDkgRow(results[i], roles[i]));
            foreach (var missing in aggregateKeys is { Count: > 0 } ? DkgSignerRows.Missing(rows, aggregateKeys) : [])
                checks.Add(new DrillCheck(DrillCheck.DkgSharesName, Hex.Encode(missing), DrillCheckResult.Fail,
                    "not opened: no row has this aggregate key, so the signer could not load its shares"));
            // Asked for a proof and given nothing to prove it with: an empty table is most often the wrong database.
            if (rows.Count == 0)
                checks.Add(new DrillCheck(DrillCheck.DkgSharesName, "sbtc_signer.dkg_shares", DrillCheckResult.Fail,
                    "not opened: the table has no rows, so nothing proves this key opens the signer's shares"));
        }
        foreach (var (name, blob) in blobs)
            checks.Add(DrillCheck.FromDkgBlob(name, DkgShares.Check(primary.Key, blob), blob.Length));

        return new DrillReport
        {
            CreatedAt = createdAt,
            ToolVersion = SignedDocument.ToolVersion,
            KeyFile = keyFile,
            Shares = rebuilt.Select(r => r.Shares).OfType<SharesRebuilt>().Select(ToTested).FirstOrDefault(),
            Expected = DrillExpected.From(expected),
            Derived = primary.Key.PublicKey.Identity(),
            Checks = checks,
        };
    }

    /// <summary>
    /// The key that signs the report and opens the DKG shares: the first that is the expected key, else the first
    /// rebuilt, so a mismatch report is signed by (and names) the key the backup really holds.
    /// </summary>
    private static RebuiltKey Primary(IReadOnlyList<RebuiltKey> rebuilt) => rebuilt.FirstOrDefault(r => r.Match.Matches) ?? rebuilt[0];

    /// <summary>An expected identity given as a value (a public key or a Stacks address) or as a file (identity JSON or signer config).</summary>
    public static ExpectedIdentity ReadExpected(IOperator op, string text)
    {
        if (LooksInline(text)) return ExpectedIdentity.ParseValue(text);
        var content = Inputs.ReadAll(op, text);
        try
        {
            return ExpectedIdentity.FromFileContent(content);
        }
        finally
        {
            SecretBuffers.Wipe(content); // a signer config holds the live key
        }
    }

    /// <summary>The shares a rebuild used, as the report records them.</summary>
    private static SharesTested ToTested(SharesRebuilt used) => new(used.Identifier, used.GroupThreshold, used.GroupCount,
        used.Shares.Select(s => new ShareUsed(s.GroupNumber - 1, s.MemberNumber - 1, s.MemberThreshold)).ToList());

    /// <summary>A public key (66 hex) or a Stacks address is a value; anything else names a file.</summary>
    private static bool LooksInline(string text)
    {
        var t = text.Trim();
        if (t.Length == 66 && Hex.IsHex(t)) return true;
        return t.Length is >= 20 and <= 50 && t[0] is 'S' or 's' && t.All(char.IsAsciiLetterOrDigit) && !File.Exists(text);
    }

    private static (string Path, string Sha256, KeyFileHeader Header) ReadKeyFile(IOperator op, string path, string? name)
    {
        var content = Inputs.ReadAll(op, path);
        var sha = Hex.Encode(SHA256.HashData(content));
        try
        {
            return (name ?? path, sha, EncryptedKeyFile.Parse(content));
        }
        catch (KeyVaultException ex) when (IsBackupFault(ex))
        {
            throw SourceFailed($"the key file {Inputs.Describe(path)}", ex);
        }
    }

    private static RebuiltKey RebuildFromKeyFile(IOperator op, (string Path, string Sha256, KeyFileHeader Header) file,
        string? passphraseFile, Passphrase? held, ExpectedIdentity expected)
    {
        const string source = KeyFileSource;
        op.Note($"{source} {Inputs.Describe(file.Path)}: names key {file.Header.PublicKey.Fingerprint}" +
                (file.Header.Label is null ? "" : $" ({file.Header.Label})"));
        using var asked = held is null ? Inputs.ExistingPassphrase(op, passphraseFile, Inputs.KeyFilePrompt(file.Path)) : null;
        SecretKey key;
        try
        {
            key = file.Header.Decrypt(held ?? asked!, op.KdfProgress(source));
        }
        catch (KeyVaultException ex) when (IsBackupFault(ex))
        {
            // A wrong passphrase is, for a drill, a backup that cannot be rebuilt: not an authentication error.
            throw SourceFailed($"the key file {Inputs.Describe(file.Path)}", ex);
        }
        return new RebuiltKey(source, $"{Inputs.Describe(file.Path)}, sha256 {file.Sha256}", key, expected.Match(key.PublicKey), null);
    }

    private static RebuiltKey RebuildFromShares(IOperator op, IReadOnlyList<string> shareFiles, IReadOnlyList<SealedShareFile> sealedFiles,
        string? slip39PassphraseFile, ExpectedIdentity expected)
    {
        SecretKey key;
        SharesRebuilt used;
        try
        {
            key = sealedFiles.Count > 0 ? RebuildFromSealed(op, sealedFiles, shareFiles, slip39PassphraseFile, out used)
                : RestoreFlow.FromShares(op, shareFiles, slip39PassphraseFile, out used);
        }
        catch (KeyVaultException ex) when (IsBackupFault(ex))
        {
            throw SourceFailed("the shares", ex);
        }
        var numbers = string.Join(", ", used.Shares.Select(s => s.HasGroups ? $"{s.GroupNumber}-{s.MemberNumber}" : $"#{s.MemberNumber}"));
        var description = $"identifier {used.Identifier}, shares {numbers}" +
                          (used.GroupCount > 1 ? $", {used.GroupThreshold} of {used.GroupCount} groups" : $", {used.Shares[0].MemberThreshold} needed");
        return new RebuiltKey(SharesSource, description, key, expected.Match(key.PublicKey), used);
    }

    // Sealed files (a ceremony's, opened with the file keys it kept) and, for a backup of mixed custody, plain share files beside them.
    private static SecretKey RebuildFromSealed(IOperator op, IReadOnlyList<SealedShareFile> files, IReadOnlyList<string> plainFiles,
        string? slip39PassphraseFile, out SharesRebuilt used)
    {
        using var restore = new ShareRestore();
        RestoreFlow.AddFiles(op, restore, plainFiles, identities: null);
        foreach (var file in files)
        {
            // Proves the file on disk, not the copy in memory: addressed as sealed, intact under the file key, the same share.
            using var plain = file.Share.Verify(File.ReadAllBytes(file.Path));
            op.Note($"{file.Share.FileName}: read back, opened with the file key kept since sealing; " +
                    restore.AddFile(plain.Span, file.Share.FileName).Message);
        }
        restore.RequireEnough();
        using var passphrase = Slip39Passphrase.Read(op, slip39PassphraseFile, allowEmpty: true);
        return restore.Finish(passphrase, out used, op);
    }

    /// <summary>Failures that mean "this backup does not rebuild", as opposed to the operator's usage or a cancel.</summary>
    private static bool IsBackupFault(KeyVaultException ex) => ex.Kind is ErrorKind.BadInput or ErrorKind.AuthenticationFailed
        or ErrorKind.DamagedFile or ErrorKind.CostTooHigh or ErrorKind.RebuildFailed or ErrorKind.IdentityMismatch;

    /// <summary>A source could not give a key: the reason, prefixed with which source, as RebuildFailed.</summary>
    private static KeyVaultException SourceFailed(string source, KeyVaultException inner) => new(
        inner.Kind == ErrorKind.IdentityMismatch ? ErrorKind.IdentityMismatch : ErrorKind.RebuildFailed,
        $"{source} could not be rebuilt: {inner.Message}", inner.Hint, inner, inner.Code);

    private static (string Name, byte[] Blob) ReadBlob(IOperator op, string path)
    {
        var content = Inputs.ReadAll(op, path);
        try
        {
            return (Inputs.Describe(path), DkgShares.ParseBlobHex(Encoding.UTF8.GetString(content)));
        }
        catch (KeyVaultException ex)
        {
            throw new KeyVaultException(ex.Kind, $"{Inputs.Describe(path)}: {ex.Message}", ex.Hint, ex, ex.Code);
        }
    }

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset t) =>
        new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
}
