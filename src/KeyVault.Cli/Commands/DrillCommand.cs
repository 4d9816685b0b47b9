using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using KeyVault.Cli.Infrastructure;
using KeyVault.Codecs;
using KeyVault.Drill;
using KeyVault.Postgres;
using KeyVault.Errors;
using KeyVault.IO;
using KeyVault.KeyFile;
using KeyVault.Keys;

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
        Description = "Also check the signer's DKG shares in this PostgreSQL database (Npgsql connection string; "
                      + "keep the password in ~/.pgpass); read-only",
        HelpName = "CONNECTION",
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
        Add(_dkgBlobs);
        Add(_report);
        Add(new DrillVerifyReportCommand(console));
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
        var blobFiles = parse.GetValue(_dkgBlobs) ?? [];
        var reportPath = parse.GetValue(_report);

        // Everything that can be refused without a secret is refused before the first passphrase or share is asked.
        if (expectText is null) throw DrillCliError.NoExpect();
        bool withShares = typedShares || shareFiles.Length > 0;
        if (keyFilePath is null && !withShares) throw DrillCliError.NoBackup();
        if (typedShares && shareFiles.Length > 0) throw DrillCliError.SharesTwice();
        if (passphraseFile is not null && keyFilePath is null) throw DrillCliError.PassphraseWithoutKeyFile();
        if (slip39PassphraseFile is not null && !withShares) throw DrillCliError.Slip39PassphraseWithoutShares();
        if (dkgDb is not null && dkgDbFile is not null) throw DrillCliError.TwoDatabases();
        SharedOptions.AtMostOneStdin([expectText, keyFilePath, passphraseFile, slip39PassphraseFile, dkgDbFile,
            typedShares && !console.IsInteractive ? "-" : null, .. shareFiles, .. blobFiles]);
        foreach (var path in shareFiles.Concat(slip39PassphraseFile is null ? [] : [slip39PassphraseFile]))
            if (path != "-" && !File.Exists(path)) throw DrillCliError.ShareFileMissing(path);
        if (reportPath is not null) AtomicFile.RequireAbsent(reportPath, overwrite: false);

        var expected = ReadExpected(console, expectText);
        (string Path, string Sha256, KeyFileHeader Header)? keyFile = keyFilePath is null ? null : ReadKeyFile(console, keyFilePath);
        var blobs = blobFiles.Select(path => ReadBlob(console, path)).ToList();
        var connection = dkgDb ?? (dkgDbFile is null ? null : ReadConnectionFile(console, dkgDbFile));
        if (dkgDb is not null && DkgShareStore.HasPassword(dkgDb))
            Reporter.Warn(console, "the --dkg-db connection string holds a password, which is now in your shell history and was visible "
                                   + "in the process list; keep it in ~/.pgpass or use --dkg-db-file");
        // The rows are public data: reading them first means a database problem is found before custodians type shares.
        var rows = connection is null ? null : DkgShareStore.ReadAll(connection);

        var rebuilt = new List<RebuiltKey>();
        try
        {
            if (keyFile is not null) rebuilt.Add(RebuildFromKeyFile(console, keyFile.Value, passphraseFile, expected));
            if (withShares) rebuilt.Add(RebuildFromShares(console, shareFiles, slip39PassphraseFile, expected));
            return Conclude(console, expected, rebuilt, keyFile, rows, blobs, reportPath);
        }
        finally
        {
            foreach (var r in rebuilt) r.Key.Dispose();
        }
    }

    private static int Conclude(CliConsole console, ExpectedIdentity expected, List<RebuiltKey> rebuilt,
        (string Path, string Sha256, KeyFileHeader Header)? keyFile, IReadOnlyList<DkgShareRow>? rows,
        List<(string Name, byte[] Blob)> blobs, string? reportPath)
    {
        // The key that signs the report and opens the DKG shares: the first one that is the expected key, else the
        // first rebuilt, so a mismatch report is signed by (and names) the key the backup really holds.
        var primary = rebuilt.FirstOrDefault(r => r.Match.Matches) ?? rebuilt[0];

        var checks = new List<DrillCheck>();
        foreach (var r in rebuilt)
            checks.AddRange(DrillCheck.FromIdentity(r.Match).Select(c => c with { Detail = $"{r.Source}: {c.Detail}" }));
        var dkgChecks = new List<DrillCheck>();
        if (rows is not null)
        {
            dkgChecks.AddRange(DkgShareRows.CheckAll(primary.Key, rows).Select(DrillCheck.FromDkgRow));
            // Asked for a proof and given nothing to prove it with: an empty table is most often the wrong database.
            if (rows.Count == 0)
                dkgChecks.Add(new DrillCheck(DrillCheck.DkgSharesName, "sbtc_signer.dkg_shares", DrillCheckResult.Fail,
                    "not opened: the table has no rows, so nothing proves this key opens the signer's shares"));
        }
        foreach (var (name, blob) in blobs)
            dkgChecks.Add(DrillCheck.FromDkgBlob(name, DkgShares.Check(primary.Key, blob), blob.Length));
        checks.AddRange(dkgChecks);

        var report = new DrillReport
        {
            CreatedAt = TruncateToSeconds(DateTimeOffset.UtcNow),
            ToolVersion = DrillReport.CurrentToolVersion,
            KeyFile = keyFile is { } k ? new KeyFileTested(k.Path, k.Sha256) : null,
            Shares = rebuilt.Select(r => r.Shares).OfType<SharesRebuilt>().Select(ToTested).FirstOrDefault(),
            Expected = DrillExpected.From(expected),
            Derived = primary.Key.PublicKey.Identity(),
            Checks = checks,
        };
        var outcome = report.Outcome;

        DrillSummary.Print(console.Out, report, expected,
            rebuilt.Select(r => new DrillSummary.Source(r.Source, r.Description, r.Key.PublicKey.Identity(), r.Match)).ToList(), dkgChecks);

        if (reportPath is not null)
        {
            var text = report.Sign(primary.Key);
            AtomicFile.Write(reportPath, Encoding.UTF8.GetBytes(text));
            console.Error.WriteLine($"keyvault: wrote the drill report {reportPath}, signed by key {primary.Key.PublicKey.Fingerprint}");
        }
        console.Error.WriteLine("keyvault: the rebuilt key was wiped from memory; nothing secret was written");
        return outcome switch
        {
            DrillOutcome.Passed => ExitCode.Success,
            DrillOutcome.IdentityMismatch => ExitCode.IdentityMismatch,
            DrillOutcome.DkgSharesNotOpened => ExitCode.DkgSharesNotOpened,
            // The drill makes only identity and dkg-shares checks; any other outcome is a bug.
            _ => ExitCode.InternalError,
        };
    }

    /// <summary>An --expect value: inline public key or address, else a file (identity JSON or signer config).</summary>
    internal static ExpectedIdentity ReadExpected(CliConsole console, string text)
    {
        if (LooksInline(text)) return ExpectedIdentity.ParseValue(text);
        var content = Inputs.ReadAll(console, text);
        try
        {
            return ExpectedIdentity.FromFileContent(content);
        }
        finally
        {
            SecretBuffers.Wipe(content); // a signer config holds the live key
        }
    }

    /// <summary>A public key (66 hex) or a Stacks address is a value; anything else names a file.</summary>
    private static bool LooksInline(string text)
    {
        var t = text.Trim();
        if (t.Length == 66 && Hex.IsHex(t)) return true;
        return t.Length is >= 20 and <= 50 && t[0] is 'S' or 's' && t.All(char.IsAsciiLetterOrDigit) && !File.Exists(text);
    }

    private static (string Path, string Sha256, KeyFileHeader Header) ReadKeyFile(CliConsole console, string path)
    {
        var content = Inputs.ReadAll(console, path);
        var sha = Hex.Encode(SHA256.HashData(content));
        try
        {
            return (path, sha, EncryptedKeyFile.Parse(content));
        }
        catch (KeyVaultException ex) when (IsBackupFault(ex))
        {
            throw DrillCliError.SourceFailed($"the key file {Inputs.Describe(path)}", ex);
        }
    }

    private static RebuiltKey RebuildFromKeyFile(CliConsole console, (string Path, string Sha256, KeyFileHeader Header) file,
        string? passphraseFile, ExpectedIdentity expected)
    {
        const string source = "key file";
        console.Error.WriteLine($"keyvault: {source} {Inputs.Describe(file.Path)}: names key {file.Header.PublicKey.Fingerprint}" +
                                (file.Header.Label is null ? "" : $" ({file.Header.Label})"));
        using var passphrase = Inputs.ExistingPassphrase(console, passphraseFile, "Key file passphrase: ");
        SecretKey key;
        try
        {
            key = file.Header.Decrypt(passphrase, new KdfProgressPrinter(console, "key file"));
        }
        catch (KeyVaultException ex) when (IsBackupFault(ex))
        {
            // A wrong passphrase is, for a drill, a backup that cannot be rebuilt: exit 9, not 3.
            throw DrillCliError.SourceFailed($"the key file {Inputs.Describe(file.Path)}", ex);
        }
        return new RebuiltKey(source, $"{Inputs.Describe(file.Path)}, sha256 {file.Sha256}", key, expected.Match(key.PublicKey), null);
    }

    private static RebuiltKey RebuildFromShares(CliConsole console, string[] shareFiles, string? slip39PassphraseFile, ExpectedIdentity expected)
    {
        SecretKey key;
        SharesRebuilt used;
        try
        {
            key = ShareInput.Rebuild(console, shareFiles, slip39PassphraseFile, out used);
        }
        catch (KeyVaultException ex) when (IsBackupFault(ex))
        {
            throw DrillCliError.SourceFailed("the shares", ex);
        }
        var numbers = string.Join(", ", used.Shares.Select(s => s.HasGroups ? $"{s.GroupNumber}-{s.MemberNumber}" : $"#{s.MemberNumber}"));
        var description = $"identifier {used.Identifier}, shares {numbers}" +
                          (used.GroupCount > 1 ? $", {used.GroupThreshold} of {used.GroupCount} groups" : $", {used.Shares[0].MemberThreshold} needed");
        return new RebuiltKey("shares", description, key, expected.Match(key.PublicKey), used);
    }

    /// <summary>Failures that mean "this backup does not rebuild", as opposed to the operator's usage or a cancel.</summary>
    private static bool IsBackupFault(KeyVaultException ex) => ex.Kind is ErrorKind.BadInput or ErrorKind.AuthenticationFailed
        or ErrorKind.DamagedFile or ErrorKind.CostTooHigh or ErrorKind.RebuildFailed or ErrorKind.IdentityMismatch;

    private static (string Name, byte[] Blob) ReadBlob(CliConsole console, string path)
    {
        var content = Inputs.ReadAll(console, path);
        try
        {
            return (Inputs.Describe(path), DkgShares.ParseBlobHex(Encoding.UTF8.GetString(content)));
        }
        catch (KeyVaultException ex)
        {
            throw new KeyVaultException(ex.Kind, $"{Inputs.Describe(path)}: {ex.Message}", ex.Hint, ex);
        }
    }

    private static string ReadConnectionFile(CliConsole console, string path)
    {
        var content = Inputs.ReadAll(console, path);
        try
        {
            var text = Encoding.UTF8.GetString(content).Trim();
            if (text.Length == 0) throw DrillCliError.EmptyConnectionFile(Inputs.Describe(path));
            if (path != "-" && !OperatingSystem.IsWindows() && DkgShareStore.HasPassword(text)
                && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) != 0)
                Reporter.Warn(console, $"{path} holds a database password and others may read it; chmod 600 {path}");
            return text;
        }
        finally
        {
            SecretBuffers.Wipe(content);
        }
    }

    private static SharesTested ToTested(SharesRebuilt used) => new(used.Identifier, used.GroupThreshold, used.GroupCount,
        used.Shares.Select(s => new ShareUsed(s.GroupNumber - 1, s.MemberNumber - 1, s.MemberThreshold)).ToList());

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset t) =>
        new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);

    /// <summary>One backup source and the key it gave.</summary>
    private sealed record RebuiltKey(string Source, string Description, SecretKey Key, IdentityMatch Match, SharesRebuilt? Shares);
}
