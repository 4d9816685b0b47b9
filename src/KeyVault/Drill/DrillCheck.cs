using KeyVault.Dkg;
using KeyVault.Signing;

namespace KeyVault.Drill;

/// <summary>Whether one drill check passed.</summary>
public enum DrillCheckResult
{
    /// <summary>The check passed ("pass").</summary>
    Pass,
    /// <summary>The check failed ("fail").</summary>
    Fail,
    /// <summary>A fact recorded for the operator that does not count toward the outcome ("info"): a DKG row the signer never loads.</summary>
    Info,
}

/// <summary>The overall outcome of a drill, from which the CLI chooses its exit code.</summary>
public enum DrillOutcome
{
    /// <summary>Every check passed ("pass").</summary>
    Passed,
    /// <summary>An identity check failed: the backup rebuilds a different key ("identity-mismatch").</summary>
    IdentityMismatch,
    /// <summary>The identity matched but a DKG shares blob did not open with the key ("dkg-shares-not-opened").</summary>
    DkgSharesNotOpened,
    /// <summary>Another check failed ("fail").</summary>
    Failed,
}

/// <summary>One check of a drill: what was checked, about what, whether it passed, and a one-line detail.</summary>
/// <param name="Name">The kind of check: "identity", "dkg-shares", or a name the caller chooses for others.</param>
/// <param name="Subject">What it is about: an identity field name, an aggregate key in hex, a blob file name.</param>
/// <param name="Result">Pass or fail.</param>
/// <param name="Detail">One line for a human; never secret material.</param>
public sealed record DrillCheck(string Name, string Subject, DrillCheckResult Result, string Detail)
{
    /// <summary>Name of identity checks.</summary>
    public const string IdentityName = "identity";

    /// <summary>Name of DKG shares checks.</summary>
    public const string DkgSharesName = "dkg-shares";

    /// <summary>One identity check per compared field.</summary>
    public static IReadOnlyList<DrillCheck> FromIdentity(IdentityMatch match) =>
        match.Fields.Select(f => new DrillCheck(IdentityName, f.Field, f.Equal ? DrillCheckResult.Pass : DrillCheckResult.Fail,
            f.Equal ? $"matches {f.Expected}" : $"expected {f.Expected}, the backup gives {f.Derived}")).ToList();

    /// <summary>
    /// The check for one row of sbtc_signer.dkg_shares. A row the signer loads (<paramref name="loadedAs"/> names the
    /// signer's queries that return it) passes or fails; any other row is recorded as information only.
    /// </summary>
    public static DrillCheck FromDkgRow(DkgShareResult result, IReadOnlyList<string>? loadedAs = null)
    {
        var row = result.Row;
        var context = RowContext(row);
        bool opened = result.Outcome == DkgBlobOutcome.Opened;
        if (loadedAs is { Count: 0 })
            return new DrillCheck(DkgSharesName, row.AggregateKeyHex, DrillCheckResult.Info,
                opened ? $"not loaded by the signer; {Describe(result.Outcome)} ({context})"
                       : $"not loaded by the signer; does not open: encrypted under another key, e.g. before a key change ({context})");
        var loaded = loadedAs is null ? "" : $"loaded by the signer as the {string.Join(", the ", loadedAs)}; ";
        return new DrillCheck(DkgSharesName, row.AggregateKeyHex, opened ? DrillCheckResult.Pass : DrillCheckResult.Fail,
            $"{loaded}{Describe(result.Outcome)} ({context})");
    }

    /// <summary>
    /// What the detail of a row's check says of the row, in parentheses at its end: the blob's length, the status and
    /// when the signer wrote it ("300 bytes, status verified, created 2026-01-31T12:00:00Z").
    /// </summary>
    internal static string RowContext(DkgShareRow row) =>
        $"{row.EncryptedPrivateShares.Length} bytes, status {row.Status ?? "(none)"}, created {SignedDocument.FormatTime(row.CreatedAt)}";

    /// <summary>The check for one blob given as a file; <paramref name="subject"/> names it (the file name).</summary>
    public static DrillCheck FromDkgBlob(string subject, DkgBlobOutcome outcome, int blobLength) =>
        new(DkgSharesName, subject, outcome == DkgBlobOutcome.Opened ? DrillCheckResult.Pass : DrillCheckResult.Fail,
            $"{Describe(outcome)} ({blobLength} bytes)");

    /// <summary>The outcome a list of checks amounts to: identity failures first, then DKG failures, then any other.</summary>
    public static DrillOutcome OutcomeOf(IEnumerable<DrillCheck> checks)
    {
        var failed = checks.Where(c => c.Result == DrillCheckResult.Fail).ToList();
        if (failed.Count == 0) return DrillOutcome.Passed;
        if (failed.Any(c => c.Name == IdentityName)) return DrillOutcome.IdentityMismatch;
        if (failed.Any(c => c.Name == DkgSharesName)) return DrillOutcome.DkgSharesNotOpened;
        return DrillOutcome.Failed;
    }

    private static string Describe(DkgBlobOutcome outcome) => outcome switch
    {
        DkgBlobOutcome.Opened => "opened: the AES-256-GCM tag verifies with this key",
        DkgBlobOutcome.NotOpened => "not opened: the AES-256-GCM tag does not verify with this key",
        _ => "not opened: too short or too long to be an encrypted_private_shares value",
    };
}
