using System.CommandLine;
using KeyVault.Cli.Infrastructure;
using KeyVault.Dkg;
using KeyVault.Drill;
using KeyVault.Flows;
using KeyVault.IO;
using KeyVault.Postgres;

namespace KeyVault.Cli.Commands;

/// <summary>
/// <c>keyvault drill</c>: rebuilds the key from the encrypted key file and/or SLIP-0039 shares in memory, compares
/// it with the expected identity, optionally proves it opens the signer's DKG shares, signs a report and wipes the
/// key. It never writes or prints the key. docs/drill.md has the runbook, docs/drill-report.md the report format.
/// </summary>
internal sealed class DrillCommand : Command
{
    private readonly Option<string?> _expect = new("--expect")
    {
        Description = "The identity the backup must rebuild: a compressed public key, an SP…/ST… address, "
                      + "an identity file from `identity --json`, or the signer's config file (its key is wiped at once)",
        HelpName = "VALUE|FILE",
    };
    private readonly Option<string?> _keyFile = new("--key-file")
    {
        Description = "Test this encrypted key file (its passphrase is asked, or read from --passphrase-file)",
        HelpName = "FILE",
    };
    private readonly Option<string?> _passphraseFile = SharedOptions.PassphraseFile();
    private readonly Option<string[]> _shareFiles = new("--share-file")
    {
        Description = "Test these share files (repeat, or list several); together they must be enough to rebuild",
        HelpName = "FILE",
        AllowMultipleArgumentsPerToken = true,
    };
    private readonly Option<bool> _shares = new("--shares")
    {
        Description = "Test shares typed or scanned one per line at the prompt (or piped on standard input)",
    };
    private readonly Option<string?> _slip39PassphraseFile = new("--slip39-passphrase-file")
    {
        Description = "The shares' SLIP-0039 passphrase, if the backup has one, read from FILE",
        HelpName = "FILE",
    };
    private readonly Option<string?> _dkgDb = new("--dkg-db")
    {
        Description = "Also check the signer's DKG shares in this PostgreSQL database: its db_endpoint URL "
                      + "(postgresql://user@host:5432/db?sslmode=…) or an Npgsql string; keep the password in ~/.pgpass; read-only",
        HelpName = "URL|CONNECTION",
    };
    private readonly Option<string?> _dkgFromConfig = new("--dkg-from-config")
    {
        Description = "As --dkg-db, with the database named by [signer] db_endpoint in this signer-config.toml (its key is wiped at once)",
        HelpName = "FILE",
    };
    private readonly Option<string?> _dkgDump = new("--dkg-dump")
    {
        Description = "Also check the DKG shares in this pg_dump backup of the signer's database (plain SQL read directly; "
                      + "custom, directory and tar formats through pg_restore)",
        HelpName = "FILE|DIR",
    };
    private readonly Option<string?> _dkgExport = new("--dkg-export")
    {
        Description = "Also check the DKG shares in this export file (from dkg export, bare or sealed; or its private part from dkg from-paper)",
        HelpName = "FILE",
    };
    private readonly Option<string?> _dkgExportIdentity = new("--dkg-export-identity")
    {
        Description = "The age identity or OpenSSH key that opens a sealed --dkg-export",
        HelpName = "FILE",
    };
    private readonly Option<string[]> _dkgAggregateKeys = new("--dkg-aggregate-key")
    {
        Description = "Judge the row of this aggregate key (66 or 64 hex; repeatable) instead of the rows the signer loads by "
                      + "itself (the newest, the newest verified); e.g. the current aggregate key of the sbtc-registry contract",
        HelpName = "HEX",
    };
    private readonly Option<string?> _dkgDbFile = new("--dkg-db-file")
    {
        Description = "As --dkg-db, with the connection string read from FILE (mode 0600), so it is not on the command line",
        HelpName = "FILE",
    };
    private readonly Option<string[]> _dkgBlobs = new("--dkg-blob")
    {
        Description = "Also check one encrypted_private_shares value given as hex in FILE (repeatable)",
        HelpName = "FILE",
    };
    private readonly Option<string?> _report = new("--report")
    {
        Description = "Write the signed JSON drill report to FILE (created new; it holds no secret)",
        HelpName = "FILE",
    };

    // ---- restore sessions (docs/custodians.md): a separate path, with its own options.
    private readonly Option<string?> _restoreSession = new("--restore-session")
    {
        Description = "Test the shares collected in this restore session (its passphrase is asked, or read from --session-passphrase-file); "
                      + "nothing is written and the session is unchanged",
        HelpName = "DIR",
    };
    private readonly Option<string?> _sessionPassphraseFile = RestoreCommand.SessionPassphraseFile();
    private readonly Option<string?> _signerSet = new("--signer-set")
    {
        Description = "Record in the report the signer set the drill is made against (a signer config, an attestation or a key list), for `set health`",
        HelpName = "FILE",
    };
    private readonly Option<int?> _signerSetThreshold = new("--signer-set-threshold")
    {
        Description = "The signatures required, when --signer-set is a plain list of keys",
        HelpName = "N",
    };

    public DrillCommand(CliConsole console)
        : base("drill", "Restore drill: rebuild the key from its backup in memory, prove it is the signer's key, wipe it")
    {
        Add(_expect);
        Add(_keyFile);
        Add(_passphraseFile);
        Add(_shareFiles);
        Add(_shares);
        Add(_slip39PassphraseFile);
        Add(_dkgDb);
        Add(_dkgDbFile);
        Add(_dkgFromConfig);
        Add(_dkgDump);
        Add(_dkgExport);
        Add(_dkgExportIdentity);
        Add(_dkgAggregateKeys);
        Add(_dkgBlobs);
        Add(_report);
        Add(new DrillVerifyReportCommand(console));
        Add(_restoreSession);
        Add(_sessionPassphraseFile);
        Add(_signerSet);
        Add(_signerSetThreshold);
        SetAction(parse => Reporter.Run(console, () => Execute(console, parse)));
    }

    private int Execute(CliConsole console, ParseResult parse)
    {
        var expectText = parse.GetValue(_expect);
        var keyFilePath = parse.GetValue(_keyFile);
        var passphraseFile = parse.GetValue(_passphraseFile);
        var shareFiles = parse.GetValue(_shareFiles) ?? [];
        bool typedShares = parse.GetValue(_shares);
        var slip39PassphraseFile = parse.GetValue(_slip39PassphraseFile);
        var dkgDb = parse.GetValue(_dkgDb);
        var dkgDbFile = parse.GetValue(_dkgDbFile);
        var dkgFromConfig = parse.GetValue(_dkgFromConfig);
        var dkgDump = parse.GetValue(_dkgDump);
        var dkgExport = parse.GetValue(_dkgExport);
        var aggregateKeys = (parse.GetValue(_dkgAggregateKeys) ?? []).Select(DkgSignerRows.ParseAggregateKey).ToList();
        var blobFiles = parse.GetValue(_dkgBlobs) ?? [];
        var reportPath = parse.GetValue(_report);

        if (parse.GetValue(_restoreSession) is { } session)
        {
            if (keyFilePath is not null || passphraseFile is not null || typedShares || shareFiles.Length > 0 || reportPath is not null
                || dkgDb is not null || dkgDbFile is not null || dkgFromConfig is not null || dkgDump is not null || dkgExport is not null
                || aggregateKeys.Count > 0 || blobFiles.Length > 0 || parse.GetValue(_dkgExportIdentity) is not null)
                throw CustodyCliErrors.SessionDrillAlone();
            // A drill of a restore session rebuilds the key too: the self-test comes first here as well.
            SelfTestCommand.Require(console, out bool sessionSelfTestPassed);
            if (!sessionSelfTestPassed) return ExitCode.SelfTestFailed;
            return RunRestoreSession(console, expectText, session, parse.GetValue(_sessionPassphraseFile), slip39PassphraseFile);
        }

        // Everything that can be refused without a secret is refused before the first passphrase or share is asked.
        if (expectText is null) throw DrillCliError.NoExpect();
        bool withShares = typedShares || shareFiles.Length > 0;
        if (keyFilePath is null && !withShares) throw DrillCliError.NoBackup();
        if (typedShares && shareFiles.Length > 0) throw DrillCliError.SharesTwice();
        if (passphraseFile is not null && keyFilePath is null) throw DrillCliError.PassphraseWithoutKeyFile();
        if (slip39PassphraseFile is not null && !withShares) throw DrillCliError.Slip39PassphraseWithoutShares();
        if (new[] { dkgDb, dkgDbFile, dkgFromConfig, dkgDump, dkgExport }.Count(x => x is not null) > 1) throw DrillCliError.TwoDatabases();
        if (aggregateKeys.Count > 0 && dkgDb is null && dkgDbFile is null && dkgFromConfig is null && dkgDump is null && dkgExport is null)
            throw DrillCliError.AggregateKeyWithoutRows();
        SharedOptions.AtMostOneStdin([expectText, keyFilePath, passphraseFile, slip39PassphraseFile, dkgDbFile, dkgFromConfig,
            typedShares && !console.IsInteractive ? "-" : null, .. shareFiles, .. blobFiles]);
        foreach (var path in shareFiles.Concat(slip39PassphraseFile is null ? [] : [slip39PassphraseFile]))
            if (path != "-" && !File.Exists(path)) throw DrillCliError.ShareFileMissing(path);
        if (reportPath is not null) AtomicFile.RequireAbsent(reportPath, overwrite: false);

        var signerSet = parse.GetValue(_signerSet) is { } setPath ? SetCommand.ReadSet(console, setPath, parse.GetValue(_signerSetThreshold)) : null;
        var executable = SelfTestCommand.Require(console, out bool selfTestPassed);
        if (!selfTestPassed) return ExitCode.SelfTestFailed;
        var expected = DrillRun.ReadExpected(console, expectText);
        if (dkgDb is not null && DkgShareStore.HasPassword(dkgDb))
            Reporter.Warn(console, "the --dkg-db connection string holds a password, which is now in your shell history and was visible "
                                   + "in the process list; keep it in ~/.pgpass or use --dkg-db-file");
        var result = DrillRun.Execute(console, new DrillRequest
        {
            Expected = expected,
            KeyFile = keyFilePath,
            PassphraseFile = passphraseFile,
            ShareFiles = shareFiles,
            TypedShares = typedShares,
            Slip39PassphraseFile = slip39PassphraseFile,
            DkgDatabase = dkgDb is not null ? new DkgDatabase(DkgDatabaseKind.Connection, dkgDb)
                : dkgDbFile is not null ? new DkgDatabase(DkgDatabaseKind.ConnectionFile, dkgDbFile)
                : dkgFromConfig is not null ? new DkgDatabase(DkgDatabaseKind.SignerConfig, dkgFromConfig)
                : null,
            DkgDump = dkgDump,
            DkgExport = dkgExport,
            DkgExportIdentity = parse.GetValue(_dkgExportIdentity),
            DkgAggregateKeys = aggregateKeys,
            Executable = executable,
            DkgBlobFiles = blobFiles,
            ReportPath = reportPath,
            SignerSet = signerSet,
        }, new PostgresSignerDatabase());
        ((KeyVault.Interaction.IOperator)console).Note("the rebuilt key was wiped from memory; nothing secret was written");
        console.Out.Write(result.Summary);
        return result.Report.Outcome switch
        {
            DrillOutcome.Passed => ExitCode.Success,
            DrillOutcome.IdentityMismatch => ExitCode.IdentityMismatch,
            DrillOutcome.DkgSharesNotOpened => ExitCode.DkgSharesNotOpened,
            // The drill makes only identity and dkg-shares checks; any other outcome is a bug.
            _ => ExitCode.InternalError,
        };
    }

    /// <summary>
    /// <c>drill --restore-session DIR</c>: proves a restore session's shares rebuild the expected key, in memory, without
    /// writing the key or changing the session (<see cref="RestoreFlow.Drill"/>); this prints the comparison. Kept apart
    /// from the key-file and share drill, which it does not combine with.
    /// </summary>
    private static int RunRestoreSession(CliConsole console, string? expectText, string directory, string? sessionPassphraseFile, string? slip39PassphraseFile)
    {
        SharedOptions.AtMostOneStdin(expectText, sessionPassphraseFile, slip39PassphraseFile);
        var result = RestoreFlow.Drill(console, directory, expectText, sessionPassphraseFile, slip39PassphraseFile);
        foreach (var f in result.Match.Fields)
            console.Out.WriteLine($"{f.Field,-22} expected {f.Expected}  rebuilt {f.Derived}  {(f.Equal ? "ok" : "DIFFERENT")}");
        console.Out.WriteLine(result.Match.Matches
            ? $"PASS: the restore session's shares rebuild key {result.Fingerprint}; the key was not written and the session is unchanged"
            : "FAIL: the restore session's shares rebuild a different key than expected");
        return result.Match.Matches ? ExitCode.Success : ExitCode.IdentityMismatch;
    }
}
