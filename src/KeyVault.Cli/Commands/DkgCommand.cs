using System.CommandLine;
using KeyVault.Cli.Infrastructure;
using KeyVault.Errors;
using KeyVault.Flows;
using KeyVault.Postgres;
using KeyVault.Text;

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

    /// <summary>The database from --db or --from-config.</summary>
    private static DkgDatabase Database(string? db, string? fromConfig)
    {
        if ((db is null) == (fromConfig is null))
            throw new KeyVaultException(ErrorKind.Usage, "give the signer's database with exactly one of --db and --from-config",
                "--db postgresql://reader@host:5432/signer, or --from-config signer-config.toml");
        return db is not null ? new DkgDatabase(DkgDatabaseKind.Connection, db) : new DkgDatabase(DkgDatabaseKind.SignerConfig, fromConfig!);
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
                var database = Database(parse.GetValue(_db), parse.GetValue(_fromConfig));
                var written = DkgFlows.Export(console, new DkgExportRequest(database, parse.GetValue(_out)!, sealTo, parse.GetValue(_armor)),
                    new PostgresSignerDatabase());
                console.Error.WriteLine($"keyvault: wrote {written.Output}: {written.Rows} DKG shares row{(written.Rows == 1 ? "" : "s")}, {written.Bytes} bytes" +
                                        (written.SealedTo is null ? "" : $", sealed to {written.SealedTo}"));
                return ExitCode.Success;
            }));
        }
    }

    private sealed class RestoreCommand : Command
    {
        private readonly Option<string> _from = new("--from") { Description = "The export file (bare or sealed), or its private part from dkg from-paper", HelpName = "FILE", Required = true };
        private readonly Option<string> _db = new("--db") { Description = "A signer database created by the signer's migrations", HelpName = "URL", Required = true };
        private readonly Option<string?> _identity = new("--identity") { Description = "The age identity or OpenSSH key that opens a sealed export", HelpName = "FILE" };
        private readonly Option<string?> _publicFrom = new("--public-from") { Description = "With the private part of an export: another signer's export of the same rounds, for the public columns", HelpName = "FILE" };

        public RestoreCommand(CliConsole console) : base("restore", "Put an export's rows back into a signer database: idempotent, one transaction, never changes a row")
        {
            Add(_from);
            Add(_db);
            Add(_identity);
            Add(_publicFrom);
            SetAction(parse => Reporter.Run(console, () =>
            {
                var result = DkgFlows.Restore(console, new DkgRestoreRequest(parse.GetValue(_from)!, parse.GetValue(_identity),
                        new DkgDatabase(DkgDatabaseKind.Connection, parse.GetValue(_db)!), parse.GetValue(_publicFrom)),
                    new PostgresSignerDatabase());
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
                var w = DkgFlows.FromPaper(console, parse.GetValue(_scans)!, parse.GetValue(_out)!);
                var what = w.File switch
                {
                    DkgPaperFile.PrivatePart => $"the private part of a DKG export, {DisplayText.Count(w.Rows ?? 0, "row")}",
                    DkgPaperFile.SealedExport => "a sealed DKG export",
                    _ => $"a DKG export, {DisplayText.Count(w.Rows ?? 0, "row")}",
                };
                console.Error.WriteLine($"keyvault: wrote {w.Output}: {what}, {w.Bytes} bytes, SHA-256 {w.Sha256}");
                return ExitCode.Success;
            }));
        }
    }
}
