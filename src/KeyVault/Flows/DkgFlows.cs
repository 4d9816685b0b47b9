using System.Security.Cryptography;
using System.Text;
using KeyVault.Age;
using KeyVault.Codecs;
using KeyVault.Dkg;
using KeyVault.Drill;
using KeyVault.Errors;
using KeyVault.IO;
using KeyVault.Interaction;
using KeyVault.Keys;
using KeyVault.Sheets;

namespace KeyVault.Flows;

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
        // A run killed outright where the file system names temporaries leaves the export's under a hidden name.
        var full = Path.GetFullPath(request.Output);
        FileSet.RemoveTemporaries(op, Path.GetDirectoryName(full)!, [Path.GetFileName(full)]);
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
        var source = Inputs.Describe(request.From);
        var content = OpenExport(op, request.From, request.Identity);
        IReadOnlyList<DkgExportRow> rows;
        if (content.AsSpan().StartsWith(DkgPrivatePart.Magic))
        {
            var own = DkgPrivatePart.Read(content, source).Rows;
            if (request.PublicFrom is null) throw DkgPrivatePart.NeedsPublicColumns(source, own);
            var publicSource = Inputs.Describe(request.PublicFrom);
            var others = DkgExport.Read(OpenExport(op, request.PublicFrom, request.Identity), publicSource).Rows;
            rows = DkgPrivatePart.Complete(own, others, source, publicSource);
        }
        else
        {
            rows = DkgExport.Read(content, source).Rows;
            if (request.PublicFrom is not null)
                throw new KeyVaultException(ErrorKind.Usage, $"{source} is a whole DKG export: it has its public columns, which are taken from another export for a private part only",
                    "restore the export alone", code: ErrorCodes.DkgPublicColumnsNotNeeded);
        }
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
        var identities = OneShare.ReadIdentities(op, identityFile is null ? null : [identityFile]) ?? [];
        try
        {
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
