using System.Security.Cryptography;
using System.Text;
using KeyVault.Drill;
using KeyVault.Errors;
using KeyVault.IO;
using KeyVault.Interaction;
using KeyVault.KeyFile;
using KeyVault.Keys;
using KeyVault.Shares;
using KeyVault.Sheets;
using KeyVault.Signing;

namespace KeyVault.Flows;

/// <summary>What the operator asked for. Only the output folder, the network, the paper and the key file's cost must be given.</summary>
public sealed record CeremonySettings
{
    /// <summary>The folder for every output.</summary>
    public required string OutDir { get; init; }

    /// <summary>The key to import (a file or "-"), or null to generate one.</summary>
    public string? ImportPath { get; init; }

    /// <summary>How to read the imported key.</summary>
    public KeyInputFormat ImportFormat { get; init; } = KeyInputFormat.Auto;

    /// <summary>When the imported key is a KeyVault key file: the file with its passphrase, or null to ask.</summary>
    public string? ImportPassphraseFile { get; init; }

    /// <summary>Mix dice rolls into a generated key.</summary>
    public bool Dice { get; init; }

    /// <summary>The address printed on the sheets.</summary>
    public required StacksNetwork Network { get; init; }

    /// <summary>The key file's label.</summary>
    public string? Label { get; init; }

    /// <summary>The sheets' paper.</summary>
    public required PaperSize PaperSize { get; init; }

    /// <summary>The key file's Argon2id parameters.</summary>
    public required KdfParameters Kdf { get; init; }

    /// <summary>Where the key file's passphrase comes from, or null to ask twice.</summary>
    public string? PassphraseFile { get; init; }

    /// <summary>A rehearsal's answers file, or null.</summary>
    public string? AnswersPath { get; init; }

    /// <summary>How sheets are checked back at the terminal.</summary>
    public CheckMode Check { get; init; } = CheckMode.Full;

    /// <summary>Go on although the machine is online.</summary>
    public bool AllowOnline { get; init; }

    /// <summary>The executable running the ceremony and its self-test result, recorded in the transcript and the drill report.</summary>
    public SelfTest.ExecutableRecord? Executable { get; init; }

    /// <summary>The organisation recorded in manifest.json, or null.</summary>
    public string? Org { get; init; }

    /// <summary>The contact recorded in manifest.json, or null.</summary>
    public string? Contact { get; init; }

    /// <summary>SHA-256 of the program running the ceremony, recorded in manifest.json and printed on the sheets, or null when unknown.</summary>
    public string? ExecutableSha256 { get; init; }

    /// <summary>
    /// A custodians file (docs/custodians.md): one custodian per share, whose share is sealed to their key
    /// (NAME = RECIPIENT) or printed on a paper sheet and read back (NAME); null to ask for the names.
    /// </summary>
    public string? CustodiansFile { get; init; }

    /// <summary>With <see cref="CustodiansFile"/>: write the sealed files ASCII-armored.</summary>
    public bool Armor { get; init; }

    /// <summary>File name of the program running the ceremony, printed on the sheets with its hash, or null when unknown.</summary>
    public string? ExecutableName { get; init; }

    /// <summary>Take a key file passphrase below the strength floor, with a warning, instead of refusing it.</summary>
    public bool AcceptWeakPassphrase { get; init; }

    /// <summary>What every sheet of the ceremony says about whom to tell and which executable made it.</summary>
    public SheetOrigin SheetOrigin => new(Org, Contact, ExecutableSha256 is null ? null : ExecutableName, ExecutableName is null ? null : ExecutableSha256);
}

/// <summary>
/// One key ceremony, step by step (docs/ceremony.md): plan and offline check, key, custodians, key file, shares with
/// their sheets checked back one custodian at a time, drill, transcript. Anything that stops it before the end
/// takes away every file it wrote. The person at the keyboard is reached only through <see cref="IOperator"/>; a
/// front end that catches signals calls <see cref="Interrupt"/>.
/// </summary>
public sealed class CeremonyFlow
{
    private const int Steps = 7;
    private const string DrillReportName = "drill-report.json";

    /// <summary>File name patterns a ceremony writes; the output folder must hold none of them at the start.</summary>
    public static readonly string[] Patterns =
        ["signer-key-*.kvk", "signer-key-*.pdf", "share-*.txt", "share-*.pdf", "share-*.age", "drill-report.json", "transcript.json", "transcript.md", Manifest.BackupManifest.FileName];

    private readonly IOperator _op;
    private readonly CeremonySettings _settings;
    private readonly ISheetRenderer _renderer;
    private readonly IReadOnlyList<InterfaceState> _interfaces;
    private readonly FileSet _files;
    private readonly DateOnly _date = DateOnly.FromDateTime(DateTime.UtcNow);
    private readonly CancellationTokenSource _interrupted = new();
    private readonly ManualResetEventSlim _signalHandled = new();
    private int _signalled;
    private string? _signalName;
    private IReadOnlyList<Age.Custodian>? _custodians;

    private bool AllSealed => _custodians is not null && _custodians.All(c => c.Sealed);

    private bool AnySealed => _custodians is not null && _custodians.Any(c => c.Sealed);

    /// <summary>Prepares a ceremony; nothing is asked or written until <see cref="Run"/>.</summary>
    /// <param name="op">The person at the keyboard.</param>
    /// <param name="settings">What was asked for.</param>
    /// <param name="renderer">Draws the sheets.</param>
    /// <param name="interfaces">The machine's network interfaces, for the offline check.</param>
    public CeremonyFlow(IOperator op, CeremonySettings settings, ISheetRenderer renderer, IReadOnlyList<InterfaceState> interfaces)
    {
        _op = op;
        _settings = settings;
        _renderer = renderer;
        _interfaces = interfaces;
        if (!Directory.Exists(_settings.OutDir)) throw CeremonyError.OutDirMissing(_settings.OutDir);
        _files = new FileSet(_settings.OutDir);
    }

    /// <summary>Runs the ceremony; returns normally only when it is complete (every file kept), throws otherwise.</summary>
    public CeremonyTranscript Run()
    {
        // Everything that can be checked is checked before a question is asked or a key exists.
        if (_settings.AnswersPath is null && !_op.CanAsk) throw CeremonyError.NeedsTerminal();
        var answers = _settings.AnswersPath is null ? null : CeremonyAnswers.Load(_op, _settings.AnswersPath);
        if (_settings.CustodiansFile is not null)
        {
            _custodians = SealedShares.ReadCustodians(_op, _settings.CustodiansFile);
            if (answers is not null && !answers.Custodians.SequenceEqual(_custodians.Select(c => c.Name)))
                throw CeremonyError.AnswersSealedNames(Inputs.Describe(_settings.AnswersPath!), Inputs.Describe(_settings.CustodiansFile));
        }
        _files.RequireNoneLike(Patterns, clashes => CeremonyError.OutDirHoldsCeremonyFiles(_settings.OutDir, clashes));
        if (_settings.ImportPath is not null and not "-" && !File.Exists(_settings.ImportPath)) throw CeremonyError.ImportMissing(_settings.ImportPath);
        // A key file to import is read now (it is encrypted): a damaged one stops the ceremony before the plan.
        if (_settings.ImportPath is not null and not "-")
        {
            var start = File.ReadAllBytes(_settings.ImportPath);
            if (EncryptedKeyFile.LooksLikeKeyFile(start)) EncryptedKeyFile.Parse(start);
            else SecretBuffers.Wipe(start);
        }
        EncryptedKeyFile.CheckWritable(_settings.Kdf, _settings.Label);
        SheetChecks.KeyFileSheet(_renderer, _settings.Label, _settings.PaperSize, _settings.Network, _date, _settings.SheetOrigin);
        if (_custodians is not null)
        {
            SealedShares.CheckSheets(_renderer, _custodians, _date, _settings.SheetOrigin);
            for (int i = 0; i < _custodians.Count; i++)
                if (!_custodians[i].Sealed)
                    SheetChecks.ShareSheet(_renderer, _custodians[i].Name, i + 1, _settings.PaperSize, _settings.Network, _date, _settings.Label, _settings.SheetOrigin);
        }
        else if (answers is not null)
            for (int i = 0; i < answers.Custodians.Count; i++)
                SheetChecks.ShareSheet(_renderer, answers.Custodians[i], i + 1, _settings.PaperSize, _settings.Network, _date, _settings.Label, _settings.SheetOrigin);

        // A passphrase file is read and judged now, so a weak or unreadable one stops the ceremony before a key exists
        // rather than at step 4; it stays in its pinned buffer until then.
        using var filePassphrase = _settings.PassphraseFile is null ? null
            : Inputs.NewPassphrase(_op, _settings.PassphraseFile, KeyFilePassphrase, _settings.AcceptWeakPassphrase);
        var dialog = new CeremonyDialog(_op, answers, _interrupted.Token);
        try
        {
            return Ceremony(dialog, filePassphrase);
        }
        catch
        {
            ReportDiscarded(_files.Discard());
            if (!_interrupted.IsCancellationRequested) throw;
            // Whatever the main thread tripped over after a signal (a refused write, a read cut short) is a consequence of
            // the signal; the front end's handler reports it and ends the process, so only wait for it.
            _signalHandled.Wait();
            throw CeremonyError.Interrupted(_signalName);
        }
    }

    /// <summary>
    /// What a signal does (call it from the front end's signal handler, on any thread): takes every file away under the
    /// file set's lock, so a write in progress finishes first and none starts afterwards, then calls
    /// <paramref name="report"/> with the names deleted (where the front end reports and ends the process). A second
    /// call, or one after the ceremony completed, does nothing.
    /// </summary>
    public void Interrupt(string signal, Action<IReadOnlyList<string>> report)
    {
        if (Interlocked.Exchange(ref _signalled, 1) != 0) return;
        try
        {
            _signalName = signal;
            _interrupted.Cancel();
            var deleted = _files.Discard();
            if (deleted is null) return;
            report(deleted);
        }
        finally
        {
            _signalHandled.Set();
        }
    }

    /// <summary>The message a front end shows after an interruption.</summary>
    public KeyVaultException InterruptedError() => CeremonyError.Interrupted(_signalName);

    /// <summary>Tells the operator which files an interrupted ceremony took away, and what to do with printed sheets.</summary>
    public void ReportDiscarded(IReadOnlyList<string>? deleted)
    {
        if (deleted is null || deleted.Count == 0) return;
        _op.Note($"the ceremony stopped; the {deleted.Count} file{(deleted.Count == 1 ? "" : "s")} it wrote " +
                     $"{(deleted.Count == 1 ? "was" : "were")} overwritten and deleted: {string.Join(", ", deleted)}");
        _op.Note("shred every sheet printed during this run: it belongs to no recorded key");
    }

    private const string KeyFilePassphrase = "the key file's passphrase";

    private CeremonyTranscript Ceremony(CeremonyDialog dialog, Passphrase? filePassphrase)
    {
        // ---- 1
        Heading(1, "the plan, and is this machine offline?");
        Plan(dialog.Rehearsal);
        var machine = OfflineCheck();
        dialog.Confirm("Begin the ceremony?");

        // ---- 2
        Heading(2, _settings.ImportPath is null ? "a new signer key" : "the signer key to import");
        var (key, source) = ObtainKey();
        using (key)
        {
            var identity = key.PublicKey.Identity();
            _op.Show(source == CeremonyKeySource.Imported ? "The key read from the file:" : "The new key:");
            foreach (var line in IdentityText.Lines(identity, _settings.Label)) _op.Show(line);
            dialog.Confirm(source == CeremonyKeySource.Imported
                ? "Is this the identity of the signer key to back up?"
                : $"Write the fingerprint {identity.Fingerprint} where everyone can see it. Go on with this key?");

            // ---- 3
            Heading(3, "the custodians");
            var (layout, names) = _custodians is null
                ? dialog.AskLayout((name, share) => SheetChecks.ShareSheet(_renderer, name, share, _settings.PaperSize, _settings.Network, _date, _settings.Label, _settings.SheetOrigin))
                : dialog.AskThreshold(_custodians.Select(c => c.Name).ToList(), Inputs.Describe(_settings.CustodiansFile!));
            int k = layout.Groups[0].MemberThreshold;
            _op.Show($"Any {k} of these {names.Count} custodians, together, can restore the key:");
            for (int i = 0; i < names.Count; i++)
                _op.Show($"  share {i + 1}: {names[i]}{(_custodians?[i].Recipient is { } r ? ", sealed to " + r.Text : _custodians is null ? "" : ", on paper")}");
            dialog.Confirm("Is this right?");

            // ---- 4
            Heading(4, "the encrypted key file");
            var keyName = $"signer-key-{identity.Fingerprint}.kvk";
            using var typed = filePassphrase is null ? Inputs.NewPassphrase(_op, null, KeyFilePassphrase, _settings.AcceptWeakPassphrase) : null;
            var passphrase = filePassphrase ?? typed!;
            WriteKeyFile(key, passphrase, keyName);

            // ---- 5
            Heading(5, _custodians is null || !AnySealed
                ? "one sheet per custodian, each checked back before the next"
                : AllSealed ? "each share sealed to its custodian's key, read back and proven"
                : "each custodian's share: a paper sheet checked back, or sealed to their key and proven");
            using var set = Slip39.Split(key, layout);
            set.CheckRebuilds([], key.PublicKey);
            var sealedShares = _custodians is null ? null : SealedShares.Seal(set, key.PublicKey, _custodians, _date, passphraseProtected: false, _settings.Armor);
            try
            {
                var sources = WriteAndCheckAll(dialog, set, names, sealedShares, key.PublicKey, out var custodians);
                ManifestFiles.Write(_files, ManifestFiles.ForSplit(set, _custodians is null ? ManifestFiles.Record(names) : ManifestFiles.Record(_custodians), key,
                    new Manifest.ManifestOptions(DateTimeOffset.UtcNow, Slip39Passphrase: false, _settings.ExecutableSha256, _settings.Label, _settings.Org, _settings.Contact)));
                _op.Note($"wrote {Manifest.BackupManifest.FileName}: the public, signed record of who holds which share" +
                             (AnySealed ? " and the key each sealed share is sealed to" : ""));

                // ---- 6
                Heading(6, $"drill: rebuild the key from {k} of the new {(AllSealed ? "sealed files" : AnySealed ? "share files and sealed files" : "shares")}");
                var drill = RunDrill(key.PublicKey, passphrase, keyName, sources, k);
                return Conclude(dialog, source, identity, set, k, names.Count, custodians, keyName, drill, machine);
            }
            finally
            {
                if (sealedShares is not null) foreach (var x in sealedShares) x?.Dispose();
            }
        }
    }

    private CeremonyTranscript Conclude(CeremonyDialog dialog, CeremonyKeySource source, SignerIdentity identity, ShareSet set,
        int k, int count, List<CustodianRecord> custodians, string keyName, TranscriptDrill drill, OfflineCheck machine)
    {
        // ---- 7
        Heading(7, "the transcript");
        var files = _files.Describe();
        bool shredded = dialog.ShredShareFiles(!AnySealed
            ? $"Is every sheet printed and handed over? Then the share files and sheets in {_settings.OutDir} are no longer needed; " +
              "overwrite and delete them now (recommended)?"
            : AllSealed
            ? $"Is every sealed file sent or sealed sheet handed over? Then the copies in {_settings.OutDir} are no longer needed; " +
              "overwrite and delete them now (recommended)?"
            : $"Is every paper sheet handed over, and every sealed file sent or sealed sheet handed over? Then the share files, sealed " +
              $"files and sheets in {_settings.OutDir} are no longer needed; overwrite and delete them now (recommended)?");
        if (shredded)
            _op.Note($"overwrote and deleted {string.Join(", ", _files.Shred(WrittenFile.ShareFileRole, WrittenFile.ShareSheetRole))}");
        var transcript = new CeremonyTranscript
        {
            CreatedAt = DateTimeOffset.UtcNow,
            ToolVersion = SignedDocument.ToolVersion,
            Mode = dialog.Rehearsal ? CeremonyMode.AnswersFile : CeremonyMode.Interactive,
            Machine = machine,
            KeySource = source,
            Identity = identity,
            Label = _settings.Label,
            SheetNetwork = _settings.Network,
            Identifier = set.Identifier,
            Threshold = k,
            IterationExponent = set.Shares[0].Info.IterationExponent,
            Custodians = custodians,
            KeyFile = new TranscriptKeyFile(keyName, _settings.Kdf.MemoryKiB, _settings.Kdf.Iterations, _settings.Kdf.Parallelism),
            Drill = drill,
            Files = files,
            ShareFilesShredded = shredded,
            Executable = _settings.Executable,
        };
        WriteTranscript("transcript.json", transcript.ToJson());
        WriteTranscript("transcript.md", transcript.ToMarkdown());

        _op.Show("");
        _op.Note($"ceremony complete: key {identity.Fingerprint}, any {k} of {count} shares restore it.");
        if (shredded)
        {
            _op.Note($"{_settings.OutDir} holds the key file and its sheet, the drill report and the transcript; the shares exist only " +
                         (!AnySealed ? "on paper." : AllSealed ? "with their custodians, sealed." : "with their custodians, on paper or sealed."));
        }
        else if (AllSealed)
        {
            _op.Note($"{_settings.OutDir} still holds every sealed file and sealed sheet: each opens only with its custodian's key.");
        }
        else
        {
            _op.Note($"{_settings.OutDir} still holds every share file and sheet: together they ARE the key.");
            _op.Note("shred them once every sheet is printed (or power off the live system whose RAM disk holds them).");
        }
        // From here a signal changes nothing: the files stay and the front end exits successfully a moment later.
        if (!_files.Complete()) throw CeremonyError.Interrupted(_signalName);
        return transcript;
    }

    private void Heading(int step, string title)
    {
        if (_interrupted.IsCancellationRequested) throw CeremonyError.Interrupted(_signalName);
        _op.Show("");
        _op.Show($"== Step {step} of {Steps}: {title} ==");
    }

    private void Plan(bool rehearsal)
    {
        var e = _op;
        e.Show("This ceremony will, in order:");
        e.Show("  1. check that this machine has no network connection;");
        e.Show(_settings.ImportPath is null
            ? $"  2. generate a new signer key{(_settings.Dice ? ", mixing in your dice rolls" : "")}, and show its public identity;"
            : $"  2. read the signer key from {Inputs.Describe(_settings.ImportPath)}, and show its public identity;");
        e.Show(_custodians is null
            ? "  3. ask for the number of custodians, the threshold and the custodians' names;"
            : $"  3. take the {_custodians.Count} custodians{(AnySealed ? " and their keys" : "")} from {Inputs.Describe(_settings.CustodiansFile!)}, and ask for the threshold;");
        e.Show($"  4. write the passphrase-encrypted key file and its paper sheet to {_settings.OutDir};");
        var paperStep = rehearsal
            ? "write each paper custodian's share file and sheet, and read the share file back (rehearsal: no person checks the sheets)"
            : $"for each paper custodian: write their sheet, you print it and hand it over, and they {(_settings.Check == CheckMode.Full ? "type or scan the whole share" : $"type {SheetCheck.WordsAsked} random words of it")} back";
        e.Show(AllSealed
            ? "  5. seal each custodian's share to their key alone: the sealed file and its sealed sheet, read back and proven intact (no plain share is written);"
            : AnySealed
            ? $"  5. {paperStep}; seal each other custodian's share to their key alone, read back and proven intact;"
            : rehearsal
            ? "  5. write each custodian's share file and sheet, and read the share file back (rehearsal: no person checks the sheets);"
            : $"  5. for each custodian: write their sheet, you print it and hand it over, and they {(_settings.Check == CheckMode.Full ? "type or scan the whole share" : $"type {SheetCheck.WordsAsked} random words of it")} back;");
        e.Show(!AllSealed
            ? "  6. rebuild the key from a random threshold of the new shares, open the key file again, and sign a drill report;"
            : "  6. rebuild the key from a random threshold of the sealed files read back, open the key file again, and sign a drill report;");
        e.Show("  7. write the transcript (Markdown and JSON): public identity, who holds which share, file checksums; no secret.");
        e.Show("If the ceremony stops before the end, every file it wrote is overwritten and deleted.");
        if (rehearsal) e.Show("REHEARSAL: the answers come from an answers file; the transcript will say so.");
    }

    private OfflineCheck OfflineCheck()
    {
        var connected = NetworkCheck.Connected(_interfaces);
        if (connected.Count == 0)
        {
            _op.Note("offline: no network interface other than loopback is connected");
            return new OfflineCheck(true, [], false);
        }
        if (!_settings.AllowOnline) throw CeremonyError.Online(connected);
        var bar = new string('!', 78);
        _op.Show(bar);
        _op.Warn($"THIS MACHINE IS ONLINE: {string.Join(", ", connected)}");
        _op.Warn("going on only because the operator chose to go on online: use this run for a rehearsal with a throw-away key,");
        _op.Warn("never for a key that will guard real funds; the transcript records that the machine was online");
        _op.Show(bar);
        return new OfflineCheck(false, connected, true);
    }

    private (SecretKey Key, CeremonyKeySource Source) ObtainKey()
    {
        if (_settings.ImportPath is not null)
        {
            var content = Inputs.ReadAll(_op, _settings.ImportPath);
            try
            {
                // A KeyVault key file is opened with its own passphrase; the bare key is never written anywhere.
                if (EncryptedKeyFile.LooksLikeKeyFile(content))
                {
                    var header = EncryptedKeyFile.Parse(content);
                    using var passphrase = Inputs.ExistingPassphrase(_op, _settings.ImportPassphraseFile,
                        $"Passphrase of the key file to import, {Inputs.Describe(_settings.ImportPath)}: ");
                    return (header.Decrypt(passphrase, _op.KdfProgress("decrypting the key file to import")), CeremonyKeySource.Imported);
                }
                return (SignerKeyFormats.Import(content, _settings.ImportFormat), CeremonyKeySource.Imported);
            }
            finally
            {
                SecretBuffers.Wipe(content);
            }
        }
        if (!_settings.Dice) return (KeyGenerator.Generate(), CeremonyKeySource.Generated);
        using var dice = DiceInput.Read(_op);
        return (KeyGenerator.Generate(dice), CeremonyKeySource.GeneratedWithDice);
    }

    private void WriteKeyFile(SecretKey key, Passphrase passphrase, string keyName)
    {
        var sheetName = Path.ChangeExtension(keyName, ".pdf");
        // Sealed as every key file is; the file set then writes it new, 0600, and reads it back, with the rest of the ceremony's files.
        var binary = KeyFileFlows.Seal(_op, key, passphrase, _settings.Kdf, _settings.Label, armored: false);
        _files.Write(keyName, WrittenFile.KeyFileRole, binary);

        var sheet = SheetChecks.For(EncryptedKeyFile.Parse(binary), _settings.Network, _date, _settings.SheetOrigin);
        var pdf = _renderer.RenderPdf(sheet, _settings.PaperSize);
        try
        {
            _files.Write(sheetName, WrittenFile.KeyFileSheetRole, pdf);
        }
        finally
        {
            SecretBuffers.Wipe(pdf);
        }
        _op.Note($"wrote {keyName} ({_settings.Kdf}) and its sheet {sheetName}; the key file opens only with the passphrase, so keep the two apart");
    }

    // Where the drill reads a share back from: a plain share file, or a sealed file opened with the file key kept since sealing.
    private abstract record DrillSource(string Path);
    private sealed record PlainSource(string Path) : DrillSource(Path);
    private sealed record SealedSource(string Path, SealedShare Share) : DrillSource(Path);

    // Each share in order: a paper custodian's sheet is printed and read back; a sealed custodian's file is proven on disk.
    private List<(int Number, DrillSource Source)> WriteAndCheckAll(CeremonyDialog dialog, ShareSet set, IReadOnlyList<string> names,
        IReadOnlyList<SealedShare?>? sealedShares, PublicKey publicKey, out List<CustodianRecord> custodians)
    {
        var options = new ShareOutputOptions(names, Paper: true, Png: false, _settings.PaperSize, _settings.Network, _date, PassphraseProtected: false,
            _settings.Label, _settings.SheetOrigin);
        _files.RequireFree(set.Shares.SelectMany((x, i) => sealedShares?[i] is { } s
            ? [s.FileName, SealedShares.SheetName(s.Info)] : ShareWriter.FileNames(x.Info, options)));
        var check = new SheetCheck(_op, dialog, _settings.Check);
        var sources = new List<(int, DrillSource)>();
        custodians = [];
        for (int i = 0; i < set.Shares.Count; i++)
        {
            var share = set.Shares[i];
            int number = share.Info.MemberNumber;
            _op.Show("");
            if (sealedShares?[i] is { } sealedShare)
            {
                var name = sealedShare.Custodian.Name;
                _op.Show($"-- share {number} of {set.Shares.Count}: {name}, sealed to {SealedShares.Describe(sealedShare.Recipient)} --");
                var (path, sheet) = SealedShares.Write(_op, _files, sealedShare, publicKey, _date, new SealedSheets(_renderer, _settings.PaperSize, _settings.SheetOrigin));
                // Nobody here can read a sealed share back, so the file on disk is proven instead: addressed to this custodian
                // alone, intact under the file key, holding the share file that was sealed.
                using (sealedShare.Verify(File.ReadAllBytes(path))) { }
                _op.Note($"share {number} checked: {sealedShare.FileName} read back, sealed to {name} alone, holds share {number}");
                if (!dialog.Rehearsal)
                    _op.Show($"Send {sealedShare.FileName} to {name}, or print {Path.GetFileName(sheet)} and hand it over; only {name}'s key opens either. " +
                                 $"{name} confirms it on their own machine by opening it with their key and checking it against manifest.json (docs/ceremony.md, section 11).");
                custodians.Add(new CustodianRecord(name, number, SheetCheckMethod.Sealed, [], 1, 1) { SealedTo = sealedShare.Recipient.Text });
                sources.Add((number, new SealedSource(path, sealedShare)));
                continue;
            }
            _op.Show($"-- share {number} of {set.Shares.Count}: {names[i]} --");
            var written = ShareWriter.WriteOne(_op, _files, share, publicKey, names[i], options, _renderer);
            if (!dialog.Rehearsal)
            {
                _op.Show($"Print {Path.GetFileName(written.PdfFile)} now and hand the sheet to {names[i]}.");
                _op.Show($"{names[i]}: check that the sheet says \"Share {number} of {set.Shares.Count}\", your name, and fingerprint " +
                             $"{publicKey.Fingerprint}; then read it back without showing it to anyone.");
            }
            custodians.Add(check.Run(share, names[i], written));
            sources.Add((number, new PlainSource(written.TextFile)));
        }
        return sources;
    }

    private TranscriptDrill RunDrill(PublicKey publicKey, Passphrase passphrase, string keyName, List<(int Number, DrillSource Source)> sources, int threshold)
    {
        var order = Enumerable.Range(0, sources.Count).ToArray();
        RandomNumberGenerator.Shuffle(order.AsSpan());
        var subset = order[..threshold].Order().Select(i => sources[i]).ToList();
        var numbers = string.Join(", ", subset.Select(o => o.Number));
        _op.Note($"rebuilding from share{(threshold == 1 ? "" : "s")} {numbers}");

        // The drill's own runner: the key file read back from the disk and opened with the passphrase held since step 4,
        // and the shares read back, each compared with the key; the report is written into this ceremony's file set.
        var result = DrillRun.Execute(_op, new DrillRequest
        {
            Expected = ExpectedIdentity.FromPublicKey(publicKey),
            KeyFile = _files.PathOf(keyName),
            KeyFileName = keyName,
            KeyFilePassphrase = passphrase,
            ShareFiles = subset.Select(x => x.Source).OfType<PlainSource>().Select(x => x.Path).ToList(),
            SealedShareFiles = subset.Select(x => x.Source).OfType<SealedSource>().Select(x => new SealedShareFile(x.Path, x.Share)).ToList(),
            Executable = _settings.Executable,
        });
        var report = result.Report;
        _files.Write(DrillReportName, WrittenFile.DrillReportRole, Encoding.UTF8.GetBytes(result.SignedReport));

        var outcome = DrillReport.OutcomeName(report.Outcome);
        if (report.Outcome != DrillOutcome.Passed)
            throw CeremonyError.DrillFailed(report.Outcome == DrillOutcome.IdentityMismatch ? ErrorKind.IdentityMismatch : ErrorKind.RebuildFailed, outcome);
        bool opened = result.Sources.Single(x => x.Name == DrillRun.KeyFileSource).Match.Matches;
        _op.Note($"drill passed: shares {numbers} rebuild key {report.Derived.Fingerprint}, the key file opens with the passphrase; " +
                     $"signed report {DrillReportName}");
        return new TranscriptDrill(subset.Select(o => o.Number).ToList(), opened, outcome, DrillReportName);
    }

    private void WriteTranscript(string name, string text)
    {
        _files.Write(name, "transcript", Encoding.UTF8.GetBytes(text));
        _op.Note($"wrote {name}");
    }
}
