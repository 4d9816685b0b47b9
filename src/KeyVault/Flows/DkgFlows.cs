using System.Security.Cryptography;
using System.Text;
using KeyVault.Age;
using KeyVault.Codecs;
using KeyVault.Interaction;
using KeyVault.IO;
using KeyVault.Keys;
using KeyVault.Paper;
using KeyVault.Dkg;
using KeyVault.Drill;

namespace KeyVault.Flows;

/// <summary>
/// The signer's PostgreSQL database as the core reaches it. The core draws on no database library; KeyVault.Postgres
/// implements this with Npgsql, and a front end hands that implementation to the flows that need a database.
/// </summary>
public interface ISignerDatabase
{
    /// <summary>The drill's view of sbtc_signer.dkg_shares at <paramref name="connection"/> (read-only transaction).</summary>
    IDkgShareSource DkgShares(string connection);

    /// <summary>Every row of sbtc_signer.dkg_shares, every column, oldest first (read-only transaction).</summary>
    IReadOnlyList<DkgExportRow> ExportDkgShares(string connection);

    /// <summary>Puts <paramref name="rows"/> back in one transaction: missing rows inserted, identical ones left, none ever changed.</summary>
    DkgRestoreResult RestoreDkgShares(string connection, IReadOnlyList<DkgExportRow> rows);

    /// <summary>True when <paramref name="connection"/> carries a password.</summary>
    bool HasPassword(string connection);
}

/// <summary>What a restore of the DKG shares table did, row by row.</summary>
/// <param name="Written">Aggregate keys (hex) of the rows inserted.</param>
/// <param name="AlreadyThere">Aggregate keys of the rows already present with the same values.</param>
public sealed record DkgRestoreResult(IReadOnlyList<string> Written, IReadOnlyList<string> AlreadyThere);

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
/// <param name="From">The export file, bare or sealed (its private part alone is not enough: a restore needs every column).</param>
/// <param name="Identity">The age identity or OpenSSH key file that opens a sealed export, or null.</param>
/// <param name="Database">A signer database created by the signer's migrations.</param>
public sealed record DkgRestoreRequest(string From, string? Identity, DkgDatabase Database);

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

/// <summary>
/// The flows of the signer's DKG shares table (docs/dkg-export-format.md, docs/database-backup.md): out of the
/// database into a small checked file, back into a database, and back from the QR codes of its printed sheets.
/// </summary>
public static class DkgFlows
{
    /// <summary>
    /// Reads every row of the table and writes them, bare or sealed, to a new file. Everything that needs no database
    /// (the recipient, the output name) is checked before it connects.
    /// </summary>
    public static DkgExportWritten Export(IOperator op, DkgExportRequest request, ISignerDatabase database)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(database);
        if (request.Armor && request.SealTo is null) throw new ArgumentException("armor applies to a sealed export", nameof(request));
        var recipient = request.SealTo is null ? null : AgeRecipient.Parse(request.SealTo);
        AtomicFile.RequireAbsent(request.Output, overwrite: false);
        var rows = database.ExportDkgShares(Connection(op, request.Database, database));
        var export = DkgExport.Write(rows, DateTimeOffset.UtcNow);
        var file = recipient is null ? export : DkgExportFile.Seal(export, recipient, request.Armor);
        AtomicFile.Write(request.Output, file);
        return new DkgExportWritten(request.Output, rows.Count, file.Length, recipient?.Text);
    }

    /// <summary>Puts an export's rows back into a signer database: idempotent, one transaction, never changes a row.</summary>
    public static DkgRestoreResult Restore(IOperator op, DkgRestoreRequest request, ISignerDatabase database)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(database);
        var rows = DkgExport.Read(OpenExport(op, request.From, request.Identity), Inputs.Describe(request.From)).Rows;
        return database.RestoreDkgShares(Connection(op, request.Database, database), rows);
    }

    /// <summary>
    /// Puts the scanned QR codes of DKG sheets (one per line, any order) back together and writes the file they carry
    /// to a new file, after checking the parts' set checksum and the file's own checksum.
    /// </summary>
    public static DkgFromPaperWritten FromPaper(IOperator op, string scans, string output)
    {
        ArgumentNullException.ThrowIfNull(op);
        AtomicFile.RequireAbsent(output, overwrite: false);
        var text = Inputs.ReadAll(op, scans);
        var (content, payload) = DkgQrParts.Join(Encoding.ASCII.GetString(text).Split('\n'));
        // The parts' set checksum matched; the file's own checksum is checked too before it is written.
        const string source = "the scanned codes";
        var (file, rows) = content == DkgPaperContent.PrivatePart ? (DkgPaperFile.PrivatePart, DkgPrivatePart.Read(payload, source).Rows.Count)
            : DkgExportFile.IsSealed(payload) ? (DkgPaperFile.SealedExport, (int?)null)
            : (DkgPaperFile.Export, DkgExport.Read(payload, source).Rows.Count);
        AtomicFile.Write(output, payload);
        return new DkgFromPaperWritten(output, file, rows, payload.Length, Hex.Encode(SHA256.HashData(payload)));
    }

    /// <summary>The bare export in an export file, opening a sealed one with the identity file (an age identity or OpenSSH key).</summary>
    public static byte[] OpenExport(IOperator op, string path, string? identityFile)
    {
        ArgumentNullException.ThrowIfNull(op);
        var content = Inputs.ReadAll(op, path);
        var identities = new List<AgeIdentity>();
        try
        {
            if (identityFile is not null)
            {
                var idBytes = Inputs.ReadAll(op, identityFile);
                try
                {
                    identities.AddRange(AgeIdentity.ParseFile(idBytes, Inputs.Describe(identityFile)));
                }
                finally
                {
                    SecretBuffers.Wipe(idBytes);
                }
            }
            return DkgExportFile.Open(content, Inputs.Describe(path), identities);
        }
        finally
        {
            foreach (var id in identities) id.Dispose();
        }
    }

    /// <summary>The connection string <paramref name="name"/> stands for: given, read from a file, or a signer config's db_endpoint.</summary>
    public static string Connection(IOperator op, DkgDatabase name, ISignerDatabase database)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(database);
        return name.Kind switch
        {
            DkgDatabaseKind.Connection => name.Value,
            DkgDatabaseKind.ConnectionFile => ReadConnectionFile(op, name.Value, database),
            DkgDatabaseKind.SignerConfig => ReadConfigEndpoint(op, name.Value),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
    }

    private static string ReadConfigEndpoint(IOperator op, string path)
    {
        var content = Inputs.ReadAll(op, path);
        try
        {
            return SignerConfig.ReadDbEndpoint(content, Inputs.Describe(path));
        }
        finally
        {
            SecretBuffers.Wipe(content); // the config holds the live key
        }
    }

    private static string ReadConnectionFile(IOperator op, string path, ISignerDatabase database)
    {
        var content = Inputs.ReadAll(op, path);
        try
        {
            var text = Encoding.UTF8.GetString(content).Trim();
            if (text.Length == 0) throw DrillError.EmptyConnectionFile(Inputs.Describe(path));
            if (path != "-" && !OperatingSystem.IsWindows() && database.HasPassword(text)
                && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) != 0)
                op.Warn($"{path} holds a database password and others may read it; chmod 600 {path}");
            return text;
        }
        finally
        {
            SecretBuffers.Wipe(content);
        }
    }
}
