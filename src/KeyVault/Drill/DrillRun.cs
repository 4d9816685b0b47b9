using System.Security.Cryptography;
using System.Text;
using KeyVault.Codecs;
using KeyVault.Errors;
using KeyVault.Interaction;
using KeyVault.IO;
using KeyVault.KeyFile;
using KeyVault.Keys;
using KeyVault.Shares;

namespace KeyVault.Drill;

/// <summary>What a drill is asked to prove (docs/drill.md).</summary>
public sealed record DrillRequest
{
    /// <summary>The identity the backup must rebuild.</summary>
    public required ExpectedIdentity Expected { get; init; }
    /// <summary>An encrypted key file to test (a path, or "-"), or null.</summary>
    public string? KeyFile { get; init; }
    /// <summary>Where the key file's passphrase comes from, or null to ask without echo.</summary>
    public string? PassphraseFile { get; init; }
    /// <summary>Share files to test; empty with <see cref="TypedShares"/> to collect them line by line.</summary>
    public IReadOnlyList<string> ShareFiles { get; init; } = [];
    /// <summary>Collect shares typed, scanned or piped, one per line.</summary>
    public bool TypedShares { get; init; }
    /// <summary>The shares' SLIP-0039 passphrase file, or null for none.</summary>
    public string? Slip39PassphraseFile { get; init; }
    /// <summary>Where the signer's DKG share rows come from, or null.</summary>
    public IDkgShareSource? DkgRows { get; init; }
    /// <summary>Aggregate keys whose rows the signer would load; empty for the signer's own choice (newest, newest verified).</summary>
    public IReadOnlyList<byte[]> DkgAggregateKeys { get; init; } = [];
    /// <summary>Files each holding one encrypted_private_shares value in hex.</summary>
    public IReadOnlyList<string> DkgBlobFiles { get; init; } = [];
    /// <summary>The executable that runs the drill and its self-test, recorded in the report; null when unknown.</summary>
    public SelfTest.ExecutableRecord? Executable { get; init; }
    /// <summary>Where to write the signed report, or null.</summary>
    public string? ReportPath { get; init; }

    /// <summary>True when shares are part of the drill.</summary>
    public bool WithShares => TypedShares || ShareFiles.Count > 0;
}

/// <summary>A finished drill: the report (signed when a path was given), and the summary for the operator.</summary>
/// <param name="Report">What was checked, and the outcome.</param>
/// <param name="Summary">The human summary: expected against derived for every source and field, each DKG check, one result line.</param>
public sealed record DrillResult(DrillReport Report, string Summary);

/// <summary>One backup source and the key it gave.</summary>
/// <param name="Source">"key file" or "shares".</param>
/// <param name="Description">Path and SHA-256, or the share identifier and numbers.</param>
/// <param name="Key">The rebuilt key (the caller disposes it).</param>
/// <param name="Match">The comparison with the expected identity.</param>
/// <param name="Shares">What a rebuild from shares used, or null.</param>
public sealed record RebuiltKey(string Source, string Description, SecretKey Key, IdentityMatch Match, SharesRebuilt? Shares);

/// <summary>
/// The restore drill, used by the drill command and by the ceremony: rebuild the key from the key file and/or the
/// shares in memory, compare it with the expected identity, try it on the signer's DKG shares, assemble and sign the
/// report, wipe the key. It never writes or shows the key.
/// </summary>
public static class DrillRun
{
    /// <summary>Runs <paramref name="request"/>; the report is written (signed) when a path was given.</summary>
    public static DrillResult Execute(IOperator op, DrillRequest request)
    {
        var r = request;
        (string Path, string Sha256, KeyFileHeader Header)? keyFile = r.KeyFile is null ? null : ReadKeyFile(op, r.KeyFile);
        var blobs = r.DkgBlobFiles.Select(path => ReadBlob(op, path)).ToList();
        // The rows are public data: reading them first means a database problem is found before custodians type shares.
        var rows = r.DkgRows?.ReadRows();

        var rebuilt = new List<RebuiltKey>();
        try
        {
            if (keyFile is not null) rebuilt.Add(RebuildFromKeyFile(op, keyFile.Value, r.PassphraseFile, r.Expected));
            if (r.WithShares) rebuilt.Add(RebuildFromShares(op, r.ShareFiles, r.Slip39PassphraseFile, r.Expected));
            var keyFileTested = keyFile is { } k ? new KeyFileTested(k.Path, k.Sha256) : null;
            var report = Conclude(r.Expected, rebuilt, keyFileTested, rows, blobs, [], TruncateToSeconds(DateTimeOffset.UtcNow), r.DkgAggregateKeys)
                with { Executable = r.Executable };
            var primary = Primary(rebuilt);
            var summary = new StringWriter();
            DrillSummary.Print(summary, report, r.Expected,
                rebuilt.Select(s => new DrillSummary.Source(s.Source, s.Description, s.Key.PublicKey.Identity(), s.Match)).ToList(),
                report.Checks.Where(c => c.Name == DrillCheck.DkgSharesName).ToList());
            if (r.ReportPath is not null)
            {
                AtomicFile.Write(r.ReportPath, Encoding.UTF8.GetBytes(report.Sign(primary.Key)));
                op.Note($"wrote the drill report {r.ReportPath}, signed by key {primary.Key.PublicKey.Fingerprint}");
            }
            op.Note("the rebuilt key was wiped from memory; nothing secret was written");
            return new DrillResult(report, summary.ToString());
        }
        finally
        {
            foreach (var k in rebuilt) k.Key.Dispose();
        }
    }

    /// <summary>
    /// Assembles the report from keys already rebuilt: identity checks for every source, the DKG checks with the key
    /// that is the expected one (else the first), and <paramref name="extraChecks"/> (the ceremony's key-file check).
    /// </summary>
    public static DrillReport Conclude(ExpectedIdentity expected, IReadOnlyList<RebuiltKey> rebuilt, KeyFileTested? keyFile,
        IReadOnlyList<DkgShareRow>? rows, IReadOnlyList<(string Name, byte[] Blob)> blobs, IReadOnlyList<DrillCheck> extraChecks,
        DateTimeOffset createdAt, IReadOnlyList<byte[]>? aggregateKeys = null)
    {
        var primary = Primary(rebuilt);
        var checks = new List<DrillCheck>();
        foreach (var r in rebuilt)
            checks.AddRange(DrillCheck.FromIdentity(r.Match).Select(c => c with { Detail = $"{r.Source}: {c.Detail}" }));
        checks.AddRange(extraChecks);
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
            ToolVersion = DrillReport.CurrentToolVersion,
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
    public static RebuiltKey Primary(IReadOnlyList<RebuiltKey> rebuilt) => rebuilt.FirstOrDefault(r => r.Match.Matches) ?? rebuilt[0];

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
    public static SharesTested ToTested(SharesRebuilt used) => new(used.Identifier, used.GroupThreshold, used.GroupCount,
        used.Shares.Select(s => new ShareUsed(s.GroupNumber - 1, s.MemberNumber - 1, s.MemberThreshold)).ToList());

    /// <summary>A public key (66 hex) or a Stacks address is a value; anything else names a file.</summary>
    private static bool LooksInline(string text)
    {
        var t = text.Trim();
        if (t.Length == 66 && Hex.IsHex(t)) return true;
        return t.Length is >= 20 and <= 50 && t[0] is 'S' or 's' && t.All(char.IsAsciiLetterOrDigit) && !File.Exists(text);
    }

    private static (string Path, string Sha256, KeyFileHeader Header) ReadKeyFile(IOperator op, string path)
    {
        var content = Inputs.ReadAll(op, path);
        var sha = Hex.Encode(SHA256.HashData(content));
        try
        {
            return (path, sha, EncryptedKeyFile.Parse(content));
        }
        catch (KeyVaultException ex) when (IsBackupFault(ex))
        {
            throw SourceFailed($"the key file {Inputs.Describe(path)}", ex);
        }
    }

    private static RebuiltKey RebuildFromKeyFile(IOperator op, (string Path, string Sha256, KeyFileHeader Header) file,
        string? passphraseFile, ExpectedIdentity expected)
    {
        const string source = "key file";
        op.Note($"{source} {Inputs.Describe(file.Path)}: names key {file.Header.PublicKey.Fingerprint}" +
                (file.Header.Label is null ? "" : $" ({file.Header.Label})"));
        using var passphrase = Inputs.ExistingPassphrase(op, passphraseFile, "Key file passphrase: ");
        SecretKey key;
        try
        {
            key = file.Header.Decrypt(passphrase, op.KdfProgress(source));
        }
        catch (KeyVaultException ex) when (IsBackupFault(ex))
        {
            // A wrong passphrase is, for a drill, a backup that cannot be rebuilt: not an authentication error.
            throw SourceFailed($"the key file {Inputs.Describe(file.Path)}", ex);
        }
        return new RebuiltKey(source, $"{Inputs.Describe(file.Path)}, sha256 {file.Sha256}", key, expected.Match(key.PublicKey), null);
    }

    private static RebuiltKey RebuildFromShares(IOperator op, IReadOnlyList<string> shareFiles, string? slip39PassphraseFile, ExpectedIdentity expected)
    {
        SecretKey key;
        SharesRebuilt used;
        try
        {
            key = ShareRestore.Rebuild(op, shareFiles, slip39PassphraseFile, out used);
        }
        catch (KeyVaultException ex) when (IsBackupFault(ex))
        {
            throw SourceFailed("the shares", ex);
        }
        var numbers = string.Join(", ", used.Shares.Select(s => s.HasGroups ? $"{s.GroupNumber}-{s.MemberNumber}" : $"#{s.MemberNumber}"));
        var description = $"identifier {used.Identifier}, shares {numbers}" +
                          (used.GroupCount > 1 ? $", {used.GroupThreshold} of {used.GroupCount} groups" : $", {used.Shares[0].MemberThreshold} needed");
        return new RebuiltKey("shares", description, key, expected.Match(key.PublicKey), used);
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
