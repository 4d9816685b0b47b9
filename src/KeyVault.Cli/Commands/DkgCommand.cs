using System.CommandLine;
using KeyVault.Age;
using KeyVault.Cli.Infrastructure;
using KeyVault.Drill;
using KeyVault.Errors;
using KeyVault.IO;
using KeyVault.Keys;
using KeyVault.Paper;
using KeyVault.Postgres;

namespace KeyVault.Cli.Commands;

/// <summary>
/// <c>keyvault dkg export | restore | from-paper</c>: the signer's DKG shares table as a small file for cold storage
/// beside the key file, back into a signer database, and back from its printed QR codes (docs/dkg-export-format.md,
/// docs/database-backup.md).
/// </summary>
internal sealed class DkgCommand : Command
{
    public DkgCommand(CliConsole console)
        : base("dkg", "Back up the signer's DKG shares table to a small file, and restore it")
    {
        Add(new ExportCommand(console));
        Add(new RestoreCommand(console));
        Add(new FromPaperCommand(console));
    }

    /// <summary>The database from --db or --from-config (the config's key is wiped at once).</summary>
    private static string Connection(CliConsole console, string? db, string? fromConfig)
    {
        if ((db is null) == (fromConfig is null))
            throw new KeyVaultException(ErrorKind.Usage, "give the signer's database with exactly one of --db and --from-config",
                "--db postgresql://reader@host:5432/signer, or --from-config signer-config.toml");
        if (db is not null) return db;
        var content = Inputs.ReadAll(console, fromConfig!);
        try
        {
            return SignerConfig.ReadDbEndpoint(content, Inputs.Describe(fromConfig!));
        }
        finally
        {
            SecretBuffers.Wipe(content);
        }
    }

    private sealed class ExportCommand : Command
    {
        private readonly Option<string?> _db = new("--db") { Description = "The signer's database: its db_endpoint URL or an Npgsql string (read-only)", HelpName = "URL" };
        private readonly Option<string?> _fromConfig = new("--from-config") { Description = "Take the database from [signer] db_endpoint of this signer-config.toml", HelpName = "FILE" };
        private readonly Option<string> _out = new("--out") { Description = "The export file (created new, mode 0600)", HelpName = "FILE", Required = true };
        private readonly Option<string?> _sealTo = new("--seal-to") { Description = "Seal the export to this age recipient (age1…) or ssh-ed25519 public key", HelpName = "RECIPIENT" };
        private readonly Option<bool> _armor = new("--armor") { Description = "With --seal-to: write the sealed export as ASCII armor" };

        public ExportCommand(CliConsole console) : base("export", "Every row of sbtc_signer.dkg_shares, every column, in one small checked file")
        {
            Add(_db);
            Add(_fromConfig);
            Add(_out);
            Add(_sealTo);
            Add(_armor);
            SetAction(parse => Reporter.Run(console, () =>
            {
                var sealTo = parse.GetValue(_sealTo);
                if (parse.GetValue(_armor) && sealTo is null)
                    throw new KeyVaultException(ErrorKind.Usage, "--armor applies to a sealed export", "add --seal-to RECIPIENT, or leave out --armor");
                var recipient = sealTo is null ? null : AgeRecipient.Parse(sealTo);
                var output = parse.GetValue(_out)!;
                AtomicFile.RequireAbsent(output, overwrite: false);
                var rows = DkgTable.Export(Connection(console, parse.GetValue(_db), parse.GetValue(_fromConfig)));
                var export = DkgExport.Write(rows, DateTimeOffset.UtcNow);
                var file = recipient is null ? export : DkgExportFile.Seal(export, recipient, parse.GetValue(_armor));
                AtomicFile.Write(output, file);
                console.Error.WriteLine($"keyvault: wrote {output}: {rows.Count} DKG shares row{(rows.Count == 1 ? "" : "s")}, {file.Length} bytes" +
                                        (recipient is null ? "" : $", sealed to {recipient.Text}"));
                return ExitCode.Success;
            }));
        }
    }

    private sealed class RestoreCommand : Command
    {
        private readonly Option<string> _from = new("--from") { Description = "The export file (bare or sealed)", HelpName = "FILE", Required = true };
        private readonly Option<string?> _db = new("--db") { Description = "A signer database created by the signer's migrations", HelpName = "URL" };
        private readonly Option<string?> _identity = new("--identity") { Description = "The age identity or OpenSSH key that opens a sealed export", HelpName = "FILE" };

        public RestoreCommand(CliConsole console) : base("restore", "Put an export's rows back into a signer database: idempotent, one transaction, never changes a row")
        {
            Add(_from);
            Add(_db);
            Add(_identity);
            SetAction(parse => Reporter.Run(console, () =>
            {
                var from = parse.GetValue(_from)!;
                var rows = Read(console, from, parse.GetValue(_identity));
                var result = DkgTable.Restore(Connection(console, parse.GetValue(_db), null), rows);
                foreach (var hex in result.Written) console.Out.WriteLine($"written    {hex}");
                foreach (var hex in result.AlreadyThere) console.Out.WriteLine($"unchanged  {hex}");
                console.Error.WriteLine($"keyvault: restored {result.Written.Count} row{(result.Written.Count == 1 ? "" : "s")}; " +
                                        $"{result.AlreadyThere.Count} {(result.AlreadyThere.Count == 1 ? "was" : "were")} already there");
                return ExitCode.Success;
            }));
        }
    }

    private sealed class FromPaperCommand : Command
    {
        private readonly Option<string> _scans = new("--scans") { Description = "The scanned codes, one per line, in any order (zbarimg --raw output; - for standard input)", HelpName = "FILE", Required = true };
        private readonly Option<string> _out = new("--out") { Description = "The file the codes carry (created new, mode 0600)", HelpName = "FILE", Required = true };

        public FromPaperCommand(CliConsole console) : base("from-paper", "Put the QR codes of paper --dkg-export sheets back together into the file they carry")
        {
            Add(_scans);
            Add(_out);
            SetAction(parse => Reporter.Run(console, () =>
            {
                var output = parse.GetValue(_out)!;
                AtomicFile.RequireAbsent(output, overwrite: false);
                var scans = Inputs.ReadAll(console, parse.GetValue(_scans)!);
                var (content, payload) = DkgQrParts.Join(System.Text.Encoding.ASCII.GetString(scans).Split('\n'));
                // The parts' set checksum matched; the file's own checksum is checked too before it is written.
                var source = "the scanned codes";
                var what = content == DkgPaperContent.PrivatePart ? $"the private part of a DKG export, {DkgPrivatePart.Read(payload, source).Rows.Count} rows"
                    : DkgExportFile.IsSealed(payload) ? "a sealed DKG export"
                    : $"a DKG export, {DkgExport.Read(payload, source).Rows.Count} rows";
                AtomicFile.Write(output, payload);
                console.Error.WriteLine($"keyvault: wrote {output}: {what}, {payload.Length} bytes, SHA-256 {KeyVault.Codecs.Hex.Encode(System.Security.Cryptography.SHA256.HashData(payload))}");
                return ExitCode.Success;
            }));
        }
    }

    /// <summary>An export file's rows, opening a sealed one with the identity file.</summary>
    internal static IReadOnlyList<DkgExportRow> Read(CliConsole console, string path, string? identityFile) =>
        DkgExport.Read(Open(console, path, identityFile), Inputs.Describe(path)).Rows;

    /// <summary>The bare export in an export file, opening a sealed one with the identity file.</summary>
    internal static byte[] Open(CliConsole console, string path, string? identityFile)
    {
        var content = Inputs.ReadAll(console, path);
        var identities = new List<AgeIdentity>();
        try
        {
            if (identityFile is not null)
            {
                var idBytes = Inputs.ReadAll(console, identityFile);
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
}
