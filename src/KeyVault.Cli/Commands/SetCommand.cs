using System.CommandLine;
using System.Globalization;
using System.Text;
using KeyVault.Cli.Infrastructure;
using KeyVault.Errors;
using KeyVault.Flows;
using KeyVault.Interaction;
using KeyVault.IO;
using KeyVault.Keys;
using KeyVault.Paper;
using KeyVault.Signers;

namespace KeyVault.Cli.Commands;

/// <summary><c>keyvault set</c>: the signer set across operators (docs/signer-set.md). Everything it reads is public.</summary>
internal sealed class SetCommand : Command
{
    public SetCommand(CliConsole console)
        : base("set", "The signer set across operators: backup health, signed set fingerprints, comparison")
    {
        Add(new HealthCommand(console));
        Add(new AttestCommand(console));
        Add(new CompareCommand(console));
    }

    private static Option<string?> SignerSetOption(string description) => new("--signer-set")
    {
        Description = description,
        HelpName = "FILE",
    };

    private static Option<int?> ThresholdOption() => new("--threshold")
    {
        Description = "The signatures required, when --signer-set is a plain list of keys (a config or attestation states its own)",
        HelpName = "N",
    };

    /// <summary>Reads a signer set from a file, wiping the bytes (a signer config holds the private key).</summary>
    internal static SignerSet ReadSet(IOperator op, string path, int? threshold)
    {
        if (path != "-" && !File.Exists(path))
            throw new KeyVaultException(ErrorKind.Usage, $"{path}: no such file", "name the signer config, attestation or key list");
        var content = Inputs.ReadAll(op, path);
        try
        {
            return SignerSetFile.Read(content, Inputs.Describe(path), threshold);
        }
        finally
        {
            SecretBuffers.Wipe(content);
        }
    }

    private static string ReadText(string path)
    {
        if (!File.Exists(path)) throw new KeyVaultException(ErrorKind.Usage, $"{path}: no such file", "check the path");
        return File.ReadAllText(path, new UTF8Encoding(false, true));
    }

    private sealed class HealthCommand : Command
    {
        private readonly Option<string?> _set = SignerSetOption(
            "The signer set: the signer's config (signer-config.toml; its key is wiped at once), an attestation, or a list of public keys (one per line, a name may follow)");
        private readonly Option<int?> _threshold = ThresholdOption();
        private readonly Argument<string[]> _reports = new("REPORT") { Description = "Drill reports of the signers (keyvault drill --report)", Arity = ArgumentArity.ZeroOrMore };
        private readonly Option<string?> _aggregateKey = new("--aggregate-key")
        {
            Description = "The current aggregate key (66 hex); default: the set's bootstrap_aggregate_key. After any DKG since the bootstrap, give the newest",
            HelpName = "HEX",
        };
        private readonly Option<int> _maxAge = new("--max-age") { Description = "Count drills at most this many days old", DefaultValueFactory = _ => 90, HelpName = "DAYS" };
        private readonly Option<string?> _asOf = new("--as-of") { Description = "Judge as of this UTC date (YYYY-MM-DD) instead of now", HelpName = "DATE" };
        private readonly Option<bool> _json = SharedOptions.Json();
        private readonly Option<string?> _chart = new("--chart")
        {
            Description = "Also draw the verdict as a chart to post: FILE ending .png (an image) or .pdf (one A4 page); an existing FILE is replaced",
            HelpName = "FILE",
        };

        public HealthCommand(CliConsole console)
            : base("health", "How many signers hold a drill-verified backup of the current aggregate key, against the threshold")
        {
            Add(_set);
            Add(_threshold);
            Add(_reports);
            Add(_aggregateKey);
            Add(_maxAge);
            Add(_asOf);
            Add(_json);
            Add(_chart);
            SetAction(parse => Reporter.Run(console, () => Execute(console, parse)));
        }

        private int Execute(CliConsole console, ParseResult parse)
        {
            var chart = parse.GetValue(_chart);
            bool png = chart is not null && ChartIsPng(chart);
            var setPath = parse.GetValue(_set) ?? throw new KeyVaultException(ErrorKind.Usage, "--signer-set is required",
                "give the signer config, an attestation, or a list of the set's public keys");
            int maxAge = parse.GetValue(_maxAge);
            if (maxAge < 0) throw new KeyVaultException(ErrorKind.Usage, "--max-age must be 0 or more days", "give --max-age 90, say");
            var asOf = DateTimeOffset.UtcNow;
            if (parse.GetValue(_asOf) is { } day)
            {
                if (!DateTime.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d))
                    throw new KeyVaultException(ErrorKind.Usage, $"--as-of {day} is not a date of the form 2026-12-31", "give the date as YYYY-MM-DD");
                asOf = new DateTimeOffset(d, TimeSpan.Zero).AddDays(1).AddSeconds(-1);
            }
            var set = ReadSet(console, setPath, parse.GetValue(_threshold));
            PublicKey aggregate;
            if (parse.GetValue(_aggregateKey) is { } hex) aggregate = SignerSetFile.ParseKey(hex.Trim(), "--aggregate-key", "the value");
            else aggregate = set.AggregateKey ?? throw new KeyVaultException(ErrorKind.Usage,
                "the signer set names no aggregate key, so nothing says which DKG shares a drill must prove",
                "give --aggregate-key HEX: the aggregate key of the signers' newest DKG");
            var reports = (parse.GetValue(_reports) ?? []).Select(p => (p, ReadText(p))).ToList();
            var result = BackupHealth.Evaluate(set, new HealthPolicy(aggregate, maxAge, asOf), reports);
            if (parse.GetValue(_json)) console.Out.WriteLine(result.ToJson());
            else WriteText(console.Out, result);
            if (chart is not null)
            {
                using var painter = new HealthChart();
                // Public data: replaced atomically, so a scheduled run refreshes the chart it posts, then made readable by all.
                AtomicFile.Replace(chart, png ? painter.RenderPng(result) : painter.RenderPdf(result));
                AtomicFile.MakePublic(chart);
                ((IOperator)console).Note($"wrote the chart to {chart}");
            }
            return result.MeetsThreshold ? ExitCode.Success : ExitCode.BelowThreshold;
        }

        private static bool ChartIsPng(string path)
        {
            if (path.EndsWith(".png", StringComparison.OrdinalIgnoreCase)) return true;
            if (path.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase)) return false;
            throw new KeyVaultException(ErrorKind.Usage, $"--chart {path}: the file's ending says the chart's format, and only .png and .pdf are drawn",
                "name the chart health.png or health.pdf, say");
        }

        private static void WriteText(TextWriter o, BackupHealthResult r)
        {
            o.WriteLine($"signer set   {r.Set.ShortFingerprint} ({r.Set.Keys.Count} signers, {r.Threshold} required)");
            o.WriteLine($"aggregate    {r.Policy.AggregateKey.Hex66}");
            o.WriteLine($"judged       {r.Policy.AsOf:yyyy-MM-dd}, drills up to {r.Policy.MaxAgeDays} days old");
            o.WriteLine();
            int width = Math.Max(8, r.Signers.Max(s => s.Name.Length));
            o.WriteLine($"{"signer".PadRight(width)}  {"drill",-10}  {"age",4}  {"standing",-19}  detail");
            foreach (var s in r.Signers)
                o.WriteLine($"{s.Name.PadRight(width)}  {(s.Report is null ? "-" : s.Report.CreatedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),-10}  "
                            + $"{(s.AgeDays is { } a ? a.ToString(CultureInfo.InvariantCulture) : "-"),4}  {BackupHealthResult.StandingName(s.Standing),-19}  {s.Detail}");
            foreach (var x in r.Rejected) o.WriteLine($"refused {x.Source}: {x.Reason}");
            o.WriteLine();
            o.WriteLine($"{(r.MeetsThreshold ? "OK" : "BELOW THRESHOLD")}: {r.Verified} of {r.Set.Keys.Count} signers hold a drill-verified backup of the aggregate key; "
                        + $"{r.Threshold} required, margin {r.Margin}");
        }
    }

    private sealed class AttestCommand : Command
    {
        private readonly Option<string?> _config = new("--config")
        {
            Description = "The signer's config (signer-config.toml); its private key is wiped at once and never used to sign",
            HelpName = "FILE",
        };
        private readonly Option<string?> _out = new("--out") { Description = "Write the attestation to FILE (created new); default: standard output", HelpName = "FILE" };
        private readonly SigningKeyOptions _key = new();

        public AttestCommand(CliConsole console)
            : base("attest", "Sign a statement of the signer set this config holds, with the operator's cold key")
        {
            Add(_config);
            Add(_out);
            _key.AddTo(this);
            SetAction(parse => Reporter.Run(console, () => Execute(console, parse)));
        }

        private int Execute(CliConsole console, ParseResult parse)
        {
            var config = parse.GetValue(_config) ?? throw new KeyVaultException(ErrorKind.Usage, "--config is required", "give the signer's signer-config.toml");
            var outPath = parse.GetValue(_out);
            var source = _key.Read(parse);
            if (outPath is not null) AtomicFile.RequireAbsent(outPath, overwrite: false);
            var set = ReadSet(console, config, null);
            var op = (IOperator)console;
            op.Show($"keyvault: signer set {set.ShortFingerprint}: {set.Keys.Count} signers, {set.SignaturesRequired} required, network {set.Network}, deployer {set.Deployer}");
            op.Show($"keyvault: aggregate key {set.AggregateKey?.Hex66 ?? "(none in the config)"}");
            using var key = SigningKeys.Open(op, source);
            if (!set.Contains(key.PublicKey))
                throw new KeyVaultException(ErrorKind.IdentityMismatch,
                    $"key {key.PublicKey.Fingerprint} is not in this config's bootstrap_signing_set; the signer refuses such a config",
                    "attest with the signer's own key, or correct the config");
            var text = new SignerSetAttestation { Set = set, CreatedAt = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()) }.Sign(key);
            if (outPath is null) console.Out.Write(text);
            else
            {
                AtomicFile.Write(outPath, Encoding.UTF8.GetBytes(text));
                op.Note($"wrote {outPath}");
            }
            op.Note($"signed by key {key.PublicKey.Fingerprint}; the key was wiped from memory");
            return ExitCode.Success;
        }
    }

    private sealed class CompareCommand : Command
    {
        private readonly Argument<string[]> _files = new("ATTESTATION") { Description = "The operators' attestations (keyvault set attest)", Arity = ArgumentArity.OneOrMore };

        public CompareCommand(CliConsole console)
            : base("compare", "Check that every operator's attestation states the same signer set, or say who differs in what")
        {
            Add(_files);
            SetAction(parse => Reporter.Run(console, () => Execute(console, parse)));
        }

        private int Execute(CliConsole console, ParseResult parse)
        {
            var files = parse.GetValue(_files) ?? [];
            var read = files.Select(f => (File: f, V: SignerSetAttestation.Verify(ReadText(f)))).ToList();
            var o = console.Out;
            var comparison = SignerSetComparison.Of(read.Select(r => (r.File, r.V)).ToList());
            foreach (var line in comparison.Lines) o.WriteLine(line);
            return comparison.Agree ? ExitCode.Success : ExitCode.SetsDiffer;
        }
    }
}
