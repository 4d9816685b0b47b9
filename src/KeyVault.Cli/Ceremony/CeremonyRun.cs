using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using KeyVault.Ceremony;
using KeyVault.Cli.Commands;
using KeyVault.Cli.Infrastructure;
using KeyVault.Drill;
using KeyVault.Errors;
using KeyVault.IO;
using KeyVault.KeyFile;
using KeyVault.Keys;
using KeyVault.Paper;
using KeyVault.Shares;

namespace KeyVault.Cli.Ceremony;

/// <summary>What the command line asked for.</summary>
/// <param name="OutDir">The folder for every output.</param>
/// <param name="ImportPath">The key to import (a file or "-"), or null to generate one.</param>
/// <param name="ImportFormat">How to read the imported key.</param>
/// <param name="Dice">Mix dice rolls into a generated key.</param>
/// <param name="Network">The address printed on the sheets.</param>
/// <param name="Label">The key file's label.</param>
/// <param name="PaperSize">The sheets' paper.</param>
/// <param name="Kdf">The key file's Argon2id parameters.</param>
/// <param name="PassphraseFile">Where the key file's passphrase comes from, or null to ask twice.</param>
/// <param name="AnswersPath">A rehearsal's answers file, or null.</param>
/// <param name="Check">How sheets are checked back at the terminal.</param>
/// <param name="AllowOnline">Go on although the machine is online.</param>
internal sealed record CeremonySettings(
    string OutDir, string? ImportPath, KeyInputFormat ImportFormat, bool Dice, StacksNetwork Network, string? Label,
    PaperSize PaperSize, KdfParameters Kdf, string? PassphraseFile, string? AnswersPath, CheckMode Check, bool AllowOnline);

/// <summary>
/// One key ceremony, step by step (docs/ceremony.md): plan and offline check, key, custodians, key file, shares with
/// their sheets checked back one custodian at a time, drill, transcript. Anything that stops it before the end
/// takes away every file it wrote.
/// </summary>
internal sealed class CeremonyRun(CliConsole console, CeremonySettings s)
{
    private const int Steps = 7;
    private const string DrillReportName = "drill-report.json";

    private readonly CeremonyFiles _files = new(s.OutDir);
    private readonly DateOnly _date = DateOnly.FromDateTime(DateTime.UtcNow);
    private readonly CancellationTokenSource _interrupted = new();
    private readonly ManualResetEventSlim _signalHandled = new();
    private int _signalled;
    private string? _signalName;

    /// <summary>
    /// Ends the process once a signal's cleanup is done. The main thread may be blocked in a read that no signal
    /// interrupts, so the handler, not the main thread, has to end the process; tests substitute a recorder.
    /// </summary>
    internal Action<int> Terminate { get; init; } = Environment.Exit;

    /// <summary>Runs the ceremony; returns the exit code.</summary>
    public int Run()
    {
        // Everything that can be checked is checked before a question is asked or a key exists.
        if (s.AnswersPath is null && !console.IsInteractive) throw CeremonyError.NeedsTerminal();
        var answers = s.AnswersPath is null ? null : CeremonyAnswers.Load(console, s.AnswersPath);
        CeremonyFiles.Precheck(s.OutDir);
        if (s.ImportPath is not null and not "-" && !File.Exists(s.ImportPath)) throw CeremonyError.ImportMissing(s.ImportPath);
        EncryptedKeyFile.CheckWritable(s.Kdf, s.Label);
        using var renderer = new SheetRenderer();
        TryKeySheet(renderer);
        if (answers is not null)
            for (int i = 0; i < answers.Custodians.Count; i++) TryShareSheet(renderer, answers.Custodians[i], i + 1);

        var dialog = new CeremonyDialog(console, answers, _interrupted.Token);
        using var signals = InterruptCleanup();
        try
        {
            return Ceremony(dialog, renderer);
        }
        catch
        {
            ReportDiscarded(_files.Discard());
            if (!_interrupted.IsCancellationRequested) throw;
            // Whatever the main thread tripped over after a signal (a refused write, a read cut short) is a consequence of
            // the signal; the handler reports it and ends the process, so only wait for it (tests: until it has run).
            _signalHandled.Wait();
            throw CeremonyError.Interrupted(_signalName);
        }
    }

    private void ReportDiscarded(IReadOnlyList<string>? deleted)
    {
        if (deleted is null || deleted.Count == 0) return;
        console.Error.WriteLine($"keyvault: the ceremony stopped; the {deleted.Count} file{(deleted.Count == 1 ? "" : "s")} it wrote " +
                                $"{(deleted.Count == 1 ? "was" : "were")} overwritten and deleted: {string.Join(", ", deleted)}");
        console.Error.WriteLine("keyvault: shred every sheet printed during this run: it belongs to no recorded key");
    }

    private int Ceremony(CeremonyDialog dialog, SheetRenderer renderer)
    {
        // ---- 1
        Heading(1, "the plan, and is this machine offline?");
        Plan(dialog.Rehearsal);
        var machine = OfflineCheck();
        dialog.Confirm("Begin the ceremony?");

        // ---- 2
        Heading(2, s.ImportPath is null ? "a new signer key" : "the signer key to import");
        var (key, source) = ObtainKey();
        using (key)
        {
            var identity = key.PublicKey.Identity();
            console.Error.WriteLine(source == CeremonyKeySource.Imported ? "The key read from the file:" : "The new key:");
            IdentityPrinter.Print(console.Error, identity, json: false, s.Label);
            dialog.Confirm(source == CeremonyKeySource.Imported
                ? "Is this the identity of the signer key to back up?"
                : $"Write the fingerprint {identity.Fingerprint} where everyone can see it. Go on with this key?");

            // ---- 3
            Heading(3, "the custodians");
            var (layout, names) = dialog.AskLayout((name, share) => TryShareSheet(renderer, name, share));
            int k = layout.Groups[0].MemberThreshold;
            console.Error.WriteLine($"Any {k} of these {names.Count} custodians, together, can restore the key:");
            for (int i = 0; i < names.Count; i++) console.Error.WriteLine($"  share {i + 1}: {names[i]}");
            dialog.Confirm("Is this right?");

            // ---- 4
            Heading(4, "the encrypted key file");
            var keyName = $"signer-key-{identity.Fingerprint}.kvk";
            using var passphrase = Inputs.NewPassphrase(console, s.PassphraseFile, "the key file's passphrase");
            WriteKeyFile(renderer, key, passphrase, keyName);

            // ---- 5
            Heading(5, "one sheet per custodian, each checked back before the next");
            using var set = Slip39.Split(key, layout);
            var outputs = WriteAndCheckShares(dialog, renderer, set, names, key.PublicKey, out var custodians);

            // ---- 6
            Heading(6, $"drill: rebuild the key from {k} of the new shares");
            var drill = RunDrill(key, passphrase, keyName, outputs, k);

            // ---- 7
            Heading(7, "the transcript");
            var files = _files.Describe();
            bool shredded = dialog.ShredShareFiles(
                $"Is every sheet printed and handed over? Then the share files and sheets in {s.OutDir} are no longer needed; " +
                "overwrite and delete them now (recommended)?");
            if (shredded)
                console.Error.WriteLine($"keyvault: overwrote and deleted {string.Join(", ", _files.Shred(TranscriptFile.ShareFileRole, TranscriptFile.ShareSheetRole))}");
            var transcript = new CeremonyTranscript
            {
                CreatedAt = DateTimeOffset.UtcNow,
                ToolVersion = DrillReport.CurrentToolVersion,
                Mode = dialog.Rehearsal ? CeremonyMode.AnswersFile : CeremonyMode.Interactive,
                Machine = machine,
                KeySource = source,
                Identity = identity,
                Label = s.Label,
                SheetNetwork = s.Network,
                Identifier = set.Identifier,
                Threshold = k,
                IterationExponent = set.Shares[0].Info.IterationExponent,
                Custodians = custodians,
                KeyFile = new TranscriptKeyFile(keyName, s.Kdf.MemoryKiB, s.Kdf.Iterations, s.Kdf.Parallelism),
                Drill = drill,
                Files = files,
                ShareFilesShredded = shredded,
            };
            WriteTranscript("transcript.json", transcript.ToJson());
            WriteTranscript("transcript.md", transcript.ToMarkdown());

            console.Error.WriteLine();
            console.Error.WriteLine($"keyvault: ceremony complete: key {identity.Fingerprint}, any {k} of {names.Count} shares restore it.");
            if (shredded)
            {
                console.Error.WriteLine($"keyvault: {s.OutDir} holds the key file and its sheet, the drill report and the transcript; the shares exist only on paper.");
            }
            else
            {
                console.Error.WriteLine($"keyvault: {s.OutDir} still holds every share file and sheet: together they ARE the key.");
                console.Error.WriteLine("keyvault: shred them once every sheet is printed (or power off the live system whose RAM disk holds them).");
            }
            IdentityPrinter.Print(console.Out, identity, json: false, s.Label);
            // From here a signal changes nothing: the files stay and the process exits 0 a moment later.
            if (!_files.Complete()) throw CeremonyError.Interrupted(_signalName);
            return ExitCode.Success;
        }
    }

    private void Heading(int step, string title)
    {
        if (_interrupted.IsCancellationRequested) throw CeremonyError.Interrupted(_signalName);
        console.Error.WriteLine();
        console.Error.WriteLine($"== Step {step} of {Steps}: {title} ==");
    }

    private void Plan(bool rehearsal)
    {
        var e = console.Error;
        e.WriteLine("This ceremony will, in order:");
        e.WriteLine("  1. check that this machine has no network connection;");
        e.WriteLine(s.ImportPath is null
            ? $"  2. generate a new signer key{(s.Dice ? ", mixing in your dice rolls" : "")}, and show its public identity;"
            : $"  2. read the signer key from {Inputs.Describe(s.ImportPath)}, and show its public identity;");
        e.WriteLine("  3. ask for the number of custodians, the threshold and the custodians' names;");
        e.WriteLine($"  4. write the passphrase-encrypted key file and its paper sheet to {s.OutDir};");
        e.WriteLine(rehearsal
            ? "  5. write each custodian's share file and sheet, and read the share file back (rehearsal: no person checks the sheets);"
            : $"  5. for each custodian: write their sheet, you print it and hand it over, and they {(s.Check == CheckMode.Full ? "type or scan the whole share" : $"type {SheetCheck.WordsAsked} random words of it")} back;");
        e.WriteLine("  6. rebuild the key from a random threshold of the new shares, open the key file again, and sign a drill report;");
        e.WriteLine("  7. write the transcript (Markdown and JSON): public identity, who holds which share, file checksums; no secret.");
        e.WriteLine("If the ceremony stops before the end, every file it wrote is overwritten and deleted.");
        if (rehearsal) e.WriteLine("REHEARSAL: the answers come from an answers file; the transcript will say so.");
    }

    private OfflineCheck OfflineCheck()
    {
        var connected = NetworkCheck.Connected(console.NetworkInterfaces());
        if (connected.Count == 0)
        {
            console.Error.WriteLine("keyvault: offline: no network interface other than loopback is connected");
            return new OfflineCheck(true, [], false);
        }
        if (!s.AllowOnline) throw CeremonyError.Online(connected);
        var bar = new string('!', 78);
        console.Error.WriteLine(bar);
        Reporter.Warn(console, $"THIS MACHINE IS ONLINE: {string.Join(", ", connected)}");
        Reporter.Warn(console, "going on only because of --i-know-this-machine-is-online: use this run for a rehearsal with a throw-away key,");
        Reporter.Warn(console, "never for a key that will guard real funds; the transcript records that the machine was online");
        console.Error.WriteLine(bar);
        return new OfflineCheck(false, connected, true);
    }

    private (SecretKey Key, CeremonyKeySource Source) ObtainKey()
    {
        if (s.ImportPath is not null)
        {
            var content = Inputs.ReadAll(console, s.ImportPath);
            try
            {
                return (SignerKeyFormats.Import(content, s.ImportFormat), CeremonyKeySource.Imported);
            }
            finally
            {
                SecretBuffers.Wipe(content);
            }
        }
        if (!s.Dice) return (KeyGenerator.Generate(), CeremonyKeySource.Generated);
        using var dice = GenerateCommand.ReadDice(console);
        return (KeyGenerator.Generate(dice), CeremonyKeySource.GeneratedWithDice);
    }

    private void WriteKeyFile(SheetRenderer renderer, SecretKey key, Passphrase passphrase, string keyName)
    {
        var path = _files.PathOf(keyName);
        var sheetPath = Path.ChangeExtension(path, ".pdf");
        KeyFileOptions.WarnIfWeak(console, s.Kdf);
        var binary = EncryptedKeyFile.Encrypt(key, passphrase, s.Kdf, s.Label, new KdfProgressPrinter(console, "encrypting"));
        KeyFileWriting.Verify(console, binary, passphrase, key.PublicKey);
        _files.Write(path, TranscriptFile.KeyFileRole, () => KeyFileWriting.WriteNew(path, binary));

        var sheet = KeyFileSheetFor(binary, key.PublicKey.Identity());
        var pdf = renderer.RenderPdf(sheet, s.PaperSize);
        try
        {
            _files.Write(sheetPath, TranscriptFile.KeyFileSheetRole, () => AtomicFile.Write(sheetPath, pdf));
        }
        finally
        {
            SecretBuffers.Wipe(pdf);
        }
        console.Error.WriteLine($"keyvault: wrote {keyName} ({s.Kdf}) and its sheet {Path.GetFileName(sheetPath)}; " +
                                "the key file opens only with the passphrase, so keep the two apart");
    }

    private KeyFileSheet KeyFileSheetFor(byte[] binaryKeyFile, SignerIdentity identity)
    {
        var armored = Encoding.ASCII.GetString(EncryptedKeyFile.ToArmored(binaryKeyFile));
        var lines = armored.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var kdf = new KdfDisplay("Argon2id", s.Kdf.MemoryKiB.ToString(CultureInfo.InvariantCulture),
            s.Kdf.Iterations.ToString(CultureInfo.InvariantCulture), s.Kdf.Parallelism.ToString(CultureInfo.InvariantCulture));
        return new KeyFileSheet(lines, identity, s.Network, _date, kdf, s.Label);
    }

    private List<ShareOutput> WriteAndCheckShares(CeremonyDialog dialog, SheetRenderer renderer, ShareSet set, IReadOnlyList<string> names,
        PublicKey publicKey, out List<CustodianRecord> custodians)
    {
        var options = new ShareOutputOptions(s.OutDir, names, Paper: true, Png: false, s.PaperSize, s.Network, _date, PassphraseProtected: false);
        ShareOutputs.Precheck(options, set.Shares.Select(x => x.Info));
        var check = new SheetCheck(console, dialog, s.Check);
        var outputs = new List<ShareOutput>();
        custodians = [];
        for (int i = 0; i < set.Shares.Count; i++)
        {
            var share = set.Shares[i];
            int number = share.Info.MemberNumber;
            console.Error.WriteLine();
            console.Error.WriteLine($"-- share {number} of {set.Shares.Count}: {names[i]} --");
            var custodian = names[i];
            var written = _files.Write(() => ShareOutputs.WriteOne(console, share, publicKey, custodian, options, renderer),
                w => [(w.TextFile, TranscriptFile.ShareFileRole, number), (w.PdfFile!, TranscriptFile.ShareSheetRole, number)]);
            outputs.Add(written);
            if (!dialog.Rehearsal)
            {
                console.Error.WriteLine($"Print {Path.GetFileName(written.PdfFile)} now and hand the sheet to {names[i]}.");
                console.Error.WriteLine($"{names[i]}: check that the sheet says \"Share {number} of {set.Shares.Count}\", your name, and fingerprint " +
                                        $"{publicKey.Fingerprint}; then read it back without showing it to anyone.");
            }
            custodians.Add(check.Run(share, names[i], written));
        }
        return outputs;
    }

    private TranscriptDrill RunDrill(SecretKey key, Passphrase passphrase, string keyName, List<ShareOutput> outputs, int threshold)
    {
        var order = Enumerable.Range(0, outputs.Count).ToArray();
        RandomNumberGenerator.Shuffle(order.AsSpan());
        var subset = order[..threshold].Order().Select(i => outputs[i]).ToList();
        console.Error.WriteLine($"keyvault: rebuilding from share{(threshold == 1 ? "" : "s")} {string.Join(", ", subset.Select(o => o.Share.MemberNumber))}");
        using var rebuilt = ShareInput.Rebuild(console, subset.Select(o => o.TextFile).ToList(), null, out var used);

        var expected = ExpectedIdentity.FromPublicKey(key.PublicKey);
        var checks = DrillCheck.FromIdentity(expected.Match(rebuilt.PublicKey)).ToList();

        var keyPath = _files.PathOf(keyName);
        var keyBytes = File.ReadAllBytes(keyPath);
        bool opened;
        using (var fromDisk = EncryptedKeyFile.Parse(keyBytes).Decrypt(passphrase, new KdfProgressPrinter(console, "drill")))
            opened = fromDisk.PublicKey.Equals(key.PublicKey);
        checks.Add(new DrillCheck("key-file", keyName, opened ? DrillCheckResult.Pass : DrillCheckResult.Fail,
            opened ? "read back from the disk, opened with the passphrase, holds the same key" : "opened with the passphrase but holds another key"));

        var report = new DrillReport
        {
            CreatedAt = DateTimeOffset.UtcNow,
            ToolVersion = DrillReport.CurrentToolVersion,
            KeyFile = new KeyFileTested(keyName, Convert.ToHexStringLower(SHA256.HashData(keyBytes))),
            Shares = new SharesTested(used.Identifier, used.GroupThreshold, used.GroupCount,
                used.Shares.Select(x => new ShareUsed(x.GroupNumber - 1, x.MemberNumber - 1, x.MemberThreshold)).ToList()),
            Expected = DrillExpected.From(expected),
            Derived = rebuilt.PublicKey.Identity(),
            Checks = checks,
        };
        var reportPath = _files.PathOf(DrillReportName);
        var signed = Encoding.UTF8.GetBytes(report.Sign(rebuilt));
        _files.Write(reportPath, TranscriptFile.DrillReportRole, () => AtomicFile.Write(reportPath, signed));

        var result = DrillReport.OutcomeName(report.Outcome);
        if (report.Outcome != DrillOutcome.Passed)
            throw CeremonyError.DrillFailed(report.Outcome == DrillOutcome.IdentityMismatch ? ErrorKind.IdentityMismatch : ErrorKind.RebuildFailed, result);
        console.Error.WriteLine($"keyvault: drill passed: shares {string.Join(", ", subset.Select(o => o.Share.MemberNumber))} rebuild key " +
                                $"{rebuilt.PublicKey.Fingerprint}, the key file opens with the passphrase; signed report {DrillReportName}");
        return new TranscriptDrill(subset.Select(o => o.Share.MemberNumber).ToList(), opened, result, DrillReportName);
    }

    private void WriteTranscript(string name, string text)
    {
        var path = _files.PathOf(name);
        var bytes = Encoding.UTF8.GetBytes(text);
        _files.Write(path, "transcript", () => AtomicFile.Write(path, bytes));
        console.Error.WriteLine($"keyvault: wrote {name}");
    }

    /// <summary>Renders a throw-away sheet with the label, so a label the sheet cannot print fails before any key exists.</summary>
    private void TryKeySheet(SheetRenderer renderer)
    {
        var identity = PublicKey.ParseHex(PlaceholderPublicKey).Identity();
        var sheet = new KeyFileSheet(["-----BEGIN KEYVAULT KEY FILE-----", "-----END KEYVAULT KEY FILE-----"], identity, s.Network, _date,
            new KdfDisplay("Argon2id", "8", "1", "1"), s.Label);
        SecretBuffers.Wipe(renderer.RenderPng(sheet, s.PaperSize, SheetRenderer.MinDpi));
    }

    /// <summary>Renders a throw-away sheet (placeholder words, not a share) with the name, so an unprintable name is refused now.</summary>
    private void TryShareSheet(SheetRenderer renderer, string name, int share)
    {
        var identity = PublicKey.ParseHex(PlaceholderPublicKey).Identity();
        var words = Enumerable.Repeat("academic", Slip39.WordCountFor(SecretKey.Length)).ToArray();
        var sheet = new ShareSheet(words, share, Math.Max(share, 2), 2, 0, identity, s.Network, _date, null, name, false);
        SecretBuffers.Wipe(renderer.RenderPng(sheet, s.PaperSize, SheetRenderer.MinDpi));
    }

    // The generator point G: a valid public key that belongs to no one's backup.
    private const string PlaceholderPublicKey = "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";

    /// <summary>
    /// On Ctrl-C, a closed terminal or a kill: takes the files written so far away, refuses every later write, and
    /// ends the process with exit code 7, even if the main thread is blocked reading the terminal.
    /// </summary>
    private IDisposable InterruptCleanup()
    {
        var registrations = new List<PosixSignalRegistration>();
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP })
        {
            try
            {
                registrations.Add(PosixSignalRegistration.Create(signal, context =>
                {
                    // The runtime's default would end the process without waiting for the discard; this handler ends it after.
                    context.Cancel = true;
                    Interrupt(context.Signal);
                }));
            }
            catch (PlatformNotSupportedException)
            {
            }
        }
        return new Registrations(registrations);
    }

    /// <summary>
    /// What a signal does (runs on the runtime's signal thread): discards every file under the registry's lock, so a
    /// write in progress finishes first and none starts afterwards, reports, and ends the process. A second signal,
    /// or one after the ceremony completed, is ignored.
    /// </summary>
    internal void Interrupt(PosixSignal signal)
    {
        if (Interlocked.Exchange(ref _signalled, 1) != 0) return;
        try
        {
            _signalName = signal.ToString();
            _interrupted.Cancel();
            var deleted = _files.Discard();
            if (deleted is null) return;
            try
            {
                console.Error.WriteLine();
                ReportDiscarded(deleted);
                var error = CeremonyError.Interrupted(_signalName);
                Reporter.Error(console, error.Message, error.Hint);
            }
            catch (IOException)
            {
                // A closed terminal (SIGHUP) may refuse the report; the files are gone all the same.
            }
            Terminate(ExitCode.Cancelled);
        }
        finally
        {
            _signalHandled.Set();
        }
    }

    private sealed class Registrations(List<PosixSignalRegistration> items) : IDisposable
    {
        public void Dispose()
        {
            foreach (var r in items) r.Dispose();
        }
    }
}
