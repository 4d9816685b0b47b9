using KeyVault.Dkg;
using KeyVault.Drill;
using KeyVault.IO;
using KeyVault.Keys;

namespace KeyVault.Flows;

/// <summary>What a drill is asked to prove (docs/drill.md).</summary>
public sealed record DrillRequest
{
    /// <summary>The identity the backup must rebuild.</summary>
    public required ExpectedIdentity Expected { get; init; }
    /// <summary>An encrypted key file to test (a path, or "-"), or null.</summary>
    public string? KeyFile { get; init; }
    /// <summary>Where the key file's passphrase comes from, or null to ask without echo.</summary>
    public string? PassphraseFile { get; init; }
    /// <summary>The key file's passphrase when the caller already holds it (it stays the caller's to dispose); nothing is asked.</summary>
    public Passphrase? KeyFilePassphrase { get; init; }
    /// <summary>How the report and summary name the key file; its path when null.</summary>
    public string? KeyFileName { get; init; }
    /// <summary>Share files to test; empty with <see cref="TypedShares"/> to collect them line by line.</summary>
    public IReadOnlyList<string> ShareFiles { get; init; } = [];
    /// <summary>Collect shares typed, scanned or piped, one per line.</summary>
    public bool TypedShares { get; init; }
    /// <summary>Sealed share files read back and opened with the file key kept since sealing (the ceremony's proof), instead of share files.</summary>
    public IReadOnlyList<SealedShareFile> SealedShareFiles { get; init; } = [];
    /// <summary>The shares' SLIP-0039 passphrase file, or null for none.</summary>
    public string? Slip39PassphraseFile { get; init; }
    /// <summary>Where the signer's DKG share rows come from, or null; at most one of this, <see cref="DkgDatabase"/>, <see cref="DkgDump"/> and <see cref="DkgExport"/>.</summary>
    public IDkgShareSource? DkgRows { get; init; }
    /// <summary>The signer's live database to read the DKG share rows from (read-only), or null.</summary>
    public DkgDatabase? DkgDatabase { get; init; }
    /// <summary>A pg_dump backup of the signer's database (a file, or a directory-format folder) to read the rows from, or null.</summary>
    public string? DkgDump { get; init; }
    /// <summary>A DKG export file (bare or sealed, or its private part) to read the rows from, or null.</summary>
    public string? DkgExport { get; init; }
    /// <summary>The age identity or OpenSSH key file that opens a sealed <see cref="DkgExport"/>, or null.</summary>
    public string? DkgExportIdentity { get; init; }
    /// <summary>Aggregate keys whose rows the signer would load; empty for the signer's own choice (newest, newest verified).</summary>
    public IReadOnlyList<byte[]> DkgAggregateKeys { get; init; } = [];
    /// <summary>Files each holding one encrypted_private_shares value in hex.</summary>
    public IReadOnlyList<string> DkgBlobFiles { get; init; } = [];
    /// <summary>The executable that runs the drill and its self-test, recorded in the report; null when unknown.</summary>
    public SelfTest.ExecutableRecord? Executable { get; init; }
    /// <summary>Where to write the signed report, or null.</summary>
    public string? ReportPath { get; init; }

    /// <summary>The signer set the drill is made against, recorded in the report (its fingerprint and size), or null.</summary>
    public Signers.SignerSet? SignerSet { get; init; }

    /// <summary>True when shares are part of the drill.</summary>
    public bool WithShares => TypedShares || ShareFiles.Count > 0 || SealedShareFiles.Count > 0;
}

/// <summary>A sealed share file to read back, and the sealed share (holding its file key) that opens and proves it.</summary>
/// <param name="Path">The sealed file on disk.</param>
/// <param name="Share">The share as it was sealed.</param>
public sealed record SealedShareFile(string Path, SealedShare Share);

/// <summary>One backup source a drill tested, and what it rebuilt.</summary>
/// <param name="Name">"key file" or "shares".</param>
/// <param name="Description">Path and SHA-256, or the share identifier and numbers.</param>
/// <param name="Derived">The identity of the key it rebuilt.</param>
/// <param name="Match">The comparison with the expected identity.</param>
public sealed record TestedSource(string Name, string Description, SignerIdentity Derived, IdentityMatch Match);

/// <summary>A finished drill: the report (signed when a path was given), and the summary for the operator.</summary>
/// <param name="Report">What was checked, and the outcome.</param>
/// <param name="Summary">The human summary: expected against derived for every source and field, each DKG check, one result line.</param>
public sealed record DrillResult(DrillReport Report, string Summary)
{
    /// <summary>Each backup source, in the order tested, with the identity it rebuilt and how it compares.</summary>
    public IReadOnlyList<TestedSource> Sources { get; init; } = [];
    /// <summary>The report as signed JSON (docs/drill-report.md), signed by the key the report derives.</summary>
    public string SignedReport { get; init; } = "";
}
