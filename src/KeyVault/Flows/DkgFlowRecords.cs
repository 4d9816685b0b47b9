namespace KeyVault.Flows;

/// <summary>How a signer database is named.</summary>
public enum DkgDatabaseKind
{
    /// <summary>A connection string given directly: the signer's db_endpoint URL or an Npgsql string.</summary>
    Connection,
    /// <summary>A file holding the connection string, so it stays off the command line.</summary>
    ConnectionFile,
    /// <summary>A signer-config.toml whose [signer] db_endpoint names the database (its key is wiped at once).</summary>
    SignerConfig,
}

/// <summary>Where a flow finds the signer's database.</summary>
/// <param name="Kind">How <paramref name="Value"/> names it.</param>
/// <param name="Value">The connection string, or the path of the file (or "-").</param>
public sealed record DkgDatabase(DkgDatabaseKind Kind, string Value);

/// <summary>A DKG export as a front end asks for it.</summary>
/// <param name="Database">The signer's database.</param>
/// <param name="Output">The export file, created new (mode 0600).</param>
/// <param name="SealTo">An age recipient (age1…) or ssh-ed25519 public key to seal the export to, or null for a bare export.</param>
/// <param name="Armor">With <paramref name="SealTo"/>: write the sealed export as ASCII armor.</param>
public sealed record DkgExportRequest(DkgDatabase Database, string Output, string? SealTo = null, bool Armor = false);

/// <summary>What a DKG export wrote.</summary>
/// <param name="Output">The file written.</param>
/// <param name="Rows">How many rows it holds.</param>
/// <param name="Bytes">Its size.</param>
/// <param name="SealedTo">The recipient it is sealed to, as given, or null.</param>
public sealed record DkgExportWritten(string Output, int Rows, int Bytes, string? SealedTo);

/// <summary>A restore of the DKG shares table as a front end asks for it.</summary>
/// <param name="From">The export file, bare or sealed, or its private part (as <c>dkg from-paper</c> writes it).</param>
/// <param name="Identity">The age identity or OpenSSH key file that opens a sealed export, or null.</param>
/// <param name="Database">A signer database created by the signer's migrations.</param>
/// <param name="PublicFrom">With a private part: the export of another signer of the same rounds, whose rows give the public columns.</param>
public sealed record DkgRestoreRequest(string From, string? Identity, DkgDatabase Database, string? PublicFrom = null);

/// <summary>What the QR codes of DKG sheets carried.</summary>
public enum DkgPaperFile
{
    /// <summary>A bare DKG export.</summary>
    Export,
    /// <summary>A DKG export sealed to an age recipient (its rows are not readable here).</summary>
    SealedExport,
    /// <summary>The private part of a DKG export.</summary>
    PrivatePart,
}

/// <summary>What <see cref="DkgFlows.FromPaper"/> wrote.</summary>
/// <param name="Output">The file written.</param>
/// <param name="File">What the file is.</param>
/// <param name="Rows">How many rows it holds, or null for a sealed export.</param>
/// <param name="Bytes">Its size.</param>
/// <param name="Sha256">The SHA-256 of its bytes, lowercase hex.</param>
public sealed record DkgFromPaperWritten(string Output, DkgPaperFile File, int? Rows, int Bytes, string Sha256);
