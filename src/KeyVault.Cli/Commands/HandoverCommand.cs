using System.CommandLine;
using System.Text;
using KeyVault.Cli.Infrastructure;
using KeyVault.Errors;
using KeyVault.Flows;
using KeyVault.Interaction;
using KeyVault.IO;
using KeyVault.Signers;
using KeyVault.Signing;

namespace KeyVault.Cli.Commands;

/// <summary>
/// <c>keyvault handover</c>: a signer's move to a new host in writing (docs/migration.md, docs/migration.md).
/// <c>record</c> signs, with the signer key, what the old instance's stop and its final, drilled dump were;
/// <c>verify</c> checks a record, and with the dump and the drill report, that they are the ones it names.
/// </summary>
internal sealed class HandoverCommand : Command
{
    public HandoverCommand(CliConsole console)
        : base("handover", "Move the signer to a new host: a record, signed by the key, of the old instance's stop and the drilled dump")
    {
        Add(new RecordCommand(console));
        Add(new VerifyCommand(console));
    }

    private static byte[] ReadFile(string path, string what, string hint)
    {
        if (Directory.Exists(path) || !File.Exists(path)) throw new KeyVaultException(ErrorKind.Usage, $"{path}: no such file", $"name {what} ({hint})");
        return File.ReadAllBytes(path);
    }

    private sealed class RecordCommand : Command
    {
        private readonly Option<string> _dump = new("--dump")
        {
            Description = "The final pg_dump of the old instance's database, taken after it stopped (one file: plain, custom or tar format)",
            HelpName = "FILE",
            Required = true,
        };
        private readonly Option<string> _report = new("--drill-report")
        {
            Description = "The report of the drill of that dump (keyvault drill --dkg-dump FILE --report REPORT)",
            HelpName = "REPORT",
            Required = true,
        };
        private readonly Option<string> _stoppedAt = new("--stopped-at")
        {
            Description = "When the old instance stopped, UTC (e.g. 2026-01-31T12:00:00Z)",
            HelpName = "TIME",
            Required = true,
        };
        private readonly Option<long> _block = new("--stopped-at-block")
        {
            Description = "The Bitcoin block height the old instance had processed last when it stopped",
            HelpName = "HEIGHT",
            Required = true,
        };
        private readonly Option<string?> _blockHash = new("--stopped-at-block-hash")
        {
            Description = "That block's hash (64 hex digits)",
            HelpName = "HEX",
        };
        private readonly Option<string> _newHost = new("--new-host")
        {
            Description = "The new host's name, as the operators know it (printable ASCII, at most 100 characters)",
            HelpName = "NAME",
            Required = true,
        };
        private readonly Option<string> _out = new("--out") { Description = "Write the record to FILE (created new)", HelpName = "FILE", Required = true };
        private readonly SigningKeyOptions _key = new();

        public RecordCommand(CliConsole console)
            : base("record", "Sign, with the signer key, the record of a move to a new host: the stop, the drilled final dump, the new host")
        {
            Add(_dump);
            Add(_report);
            Add(_stoppedAt);
            Add(_block);
            Add(_blockHash);
            Add(_newHost);
            Add(_out);
            _key.AddTo(this);
            SetAction(parse => Reporter.Run(console, () => Execute(console, parse)));
        }

        private int Execute(CliConsole console, ParseResult parse)
        {
            var outPath = parse.GetValue(_out)!;
            var source = _key.Read(parse);
            AtomicFile.RequireAbsent(outPath, overwrite: false);
            var stoppedText = parse.GetValue(_stoppedAt)!.Trim();
            if (!SignedDocument.TryParseTime(stoppedText, out var stoppedAt))
                throw new KeyVaultException(ErrorKind.Usage, $"--stopped-at {stoppedText} is not a UTC time of the form 2026-01-31T12:00:00Z",
                    "give the time the old instance stopped, in UTC, to the second (journalctl -o short-iso-precise shows it)");
            var dump = parse.GetValue(_dump)!;
            if (!Directory.Exists(dump) && !File.Exists(dump))
                throw new KeyVaultException(ErrorKind.Usage, $"{dump}: no such file", "name the final pg_dump of the old instance's database");
            var report = ReadFile(parse.GetValue(_report)!, "the drill report", "keyvault drill --dkg-dump DUMP --report REPORT wrote it");
            var op = (IOperator)console;
            // Everything public is checked before the key is opened: a wrong dump or drill costs no passphrase.
            var record = HandoverRecord.Prepare(new HandoverRequest
            {
                DumpPath = dump,
                DrillReport = report,
                StoppedAt = stoppedAt,
                StoppedAtBlockHeight = parse.GetValue(_block),
                StoppedAtBlockHash = parse.GetValue(_blockHash),
                NewHost = parse.GetValue(_newHost)!,
                Now = DateTimeOffset.UtcNow,
            });
            Show(op, record);
            using var key = SigningKeys.Open(op, source, record.SignerKey);
            var signed = record.Sign(key);
            AtomicFile.Write(outPath, Encoding.UTF8.GetBytes(signed));
            op.Note($"wrote {outPath}");
            op.Note("signed by the signer key, which was wiped from memory; give the record, the dump and the drill report to the other operators " +
                    "(keyvault handover verify RECORD --dump DUMP --drill-report REPORT), restore the dump on the new host, and only then start it");
            return ExitCode.Success;
        }

        private static void Show(IOperator op, HandoverRecord r)
        {
            op.Show($"keyvault: signer key {r.SignerKey.Fingerprint}  {r.SignerKey.Hex66}");
            op.Show($"keyvault: old instance stopped at {SignedDocument.FormatTime(r.StoppedAt)}, Bitcoin block {r.StoppedAtBlockHeight}");
            op.Show($"keyvault: dump {r.Dump.FileName} ({r.Dump.Format}, {r.Dump.Size} bytes, sha256 {r.Dump.Sha256})");
            op.Show($"keyvault: {r.Dump.DkgShareRows} DKG shares rows; newest verified aggregate key {r.Dump.NewestVerifiedAggregateKey}; " +
                    (r.Dump.P2pPeers ? "the signer's peers came along" : "no data of sbtc_signer.p2p_peers: the new host finds its peers again"));
            op.Show($"keyvault: drill of {SignedDocument.FormatTime(r.Drill.CreatedAt)} passed; new host {r.NewHost}");
        }
    }

    private sealed class VerifyCommand : Command
    {
        private readonly Argument<string> _file = new("RECORD") { Description = "The handover record" };
        private readonly Option<string?> _dump = new("--dump") { Description = "Check that FILE is the dump the record names (its SHA-256)", HelpName = "FILE" };
        private readonly Option<string?> _report = new("--drill-report")
        {
            Description = "Check that REPORT is the drill report the record names, and that it verifies",
            HelpName = "REPORT",
        };
        private readonly Option<string?> _key = new("--public-key")
        {
            Description = "Require this signer key (the one in your signer-set config), 66 hex digits",
            HelpName = "HEX",
        };

        public VerifyCommand(CliConsole console)
            : base("verify", "Check a handover record: signed by the signer key, and naming this dump and this drill report")
        {
            Add(_file);
            Add(_dump);
            Add(_report);
            Add(_key);
            SetAction(parse => Reporter.Run(console, () => Execute(console, parse)));
        }

        private int Execute(CliConsole console, ParseResult parse)
        {
            var text = ReadFile(parse.GetValue(_file)!, "the handover record", "keyvault handover record wrote it");
            var dump = parse.GetValue(_dump);
            var reportPath = parse.GetValue(_report);
            var report = reportPath is null ? null : ReadFile(reportPath, "the drill report", "the record's maker gives it with the record");
            string json;
            try
            {
                json = new UTF8Encoding(false, true).GetString(text);
            }
            catch (DecoderFallbackException)
            {
                throw new KeyVaultException(ErrorKind.DamagedFile, "the handover record is not UTF-8 text", "use the record file as it was written and signed");
            }
            var read = HandoverRecord.Verify(json);
            var r = read.Record;
            if (parse.GetValue(_key) is { } expected && !string.Equals(expected.Trim(), r.SignerKey.Hex66, StringComparison.OrdinalIgnoreCase))
                throw new KeyVaultException(ErrorKind.IdentityMismatch, $"the record is of signer key {r.SignerKey.Fingerprint}, not {expected.Trim()}",
                    "check that this is the record of the signer you expect");
            var dumpProblem = dump is null ? null : r.DumpProblem(dump);
            var drillProblem = report is null ? null : r.DrillReportProblem(report);
            bool matches = dumpProblem is null && drillProblem is null;
            var op = (IOperator)console;
            console.Out.WriteLine(read.Valid && matches ? "VALID" : "INVALID");
            console.Out.WriteLine($"signer-key   {r.SignerKey.Hex66}");
            console.Out.WriteLine($"stopped-at   {SignedDocument.FormatTime(r.StoppedAt)} block {r.StoppedAtBlockHeight}{(r.StoppedAtBlockHash is null ? "" : " " + r.StoppedAtBlockHash)}");
            console.Out.WriteLine($"dump         {r.Dump.FileName} {r.Dump.Format} {r.Dump.Size} sha256 {r.Dump.Sha256}{Checked(dump, dumpProblem)}");
            console.Out.WriteLine($"tables       dkg_shares {(r.Dump.DkgShares ? "yes" : "no")} ({r.Dump.DkgShareRows} rows), p2p_peers {(r.Dump.P2pPeers ? "yes" : "no")}");
            console.Out.WriteLine($"aggregate    {r.Dump.NewestVerifiedAggregateKey}");
            console.Out.WriteLine($"drill        {r.Drill.Result} {SignedDocument.FormatTime(r.Drill.CreatedAt)} sha256 {r.Drill.ReportSha256}{Checked(reportPath, drillProblem)}");
            console.Out.WriteLine($"new-host     {r.NewHost}");
            console.Out.WriteLine($"created-at   {SignedDocument.FormatTime(r.CreatedAt)}");
            foreach (var p in new[] { read.SignatureProblem, dumpProblem, drillProblem }.OfType<string>()) op.Note(p);
            if (!read.Valid) return ExitCode.InvalidSignature;
            if (!matches) return ExitCode.IdentityMismatch;
            op.Note($"the signer key {r.SignerKey.Fingerprint} signed this handover to {r.NewHost}" +
                    (dump is null || report is null ? "; give --dump and --drill-report to check the files too" : ", of this dump and this drill"));
            return ExitCode.Success;
        }

        private static string Checked(string? path, string? problem) => path is null ? "" : problem is null ? " (matches)" : " (DOES NOT MATCH)";
    }
}
