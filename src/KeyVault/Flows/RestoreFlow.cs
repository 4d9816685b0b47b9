using System.Text;
using KeyVault.Age;
using KeyVault.Drill;
using KeyVault.Errors;
using KeyVault.IO;
using KeyVault.Interaction;
using KeyVault.KeyFile;
using KeyVault.Keys;
using KeyVault.Manifest;
using KeyVault.Restore;
using KeyVault.Shares;

namespace KeyVault.Flows;

/// <summary>A new restore session: where it is and the one-time age recipient remote custodians seal their share to.</summary>
/// <param name="Directory">The session folder (full path).</param>
/// <param name="Recipient">The session's age recipient (age1…).</param>
/// <param name="RecipientFile">The file holding <paramref name="Recipient"/> on one line.</param>
/// <param name="Status">The session's public status.</param>
public sealed record RestoreStarted(string Directory, string Recipient, string RecipientFile, RestoreStatus Status);

/// <summary>A registered share the session does not hold yet.</summary>
/// <param name="Group">Group number, 1-based.</param>
/// <param name="Member">Share number, 1 to 16.</param>
/// <param name="Slot">The share as the sheets name it ("#2", or "1-2" with groups).</param>
/// <param name="Custodian">Who the manifest registers it for.</param>
public sealed record MissingShare(int Group, int Member, string Slot, string Custodian)
{
    /// <summary>How to reach the custodian, as the manifest records it, or null.</summary>
    public string? Contact { get; init; }

    /// <summary>The custodian's time zone, as the manifest records it, or null.</summary>
    public string? TimeZone { get; init; }

    /// <summary>True when the manifest records the custodian as departed (their sheet is to have been destroyed).</summary>
    public bool Departed { get; init; }
}

/// <summary>What <c>restore status</c> shows, read without the session passphrase.</summary>
/// <param name="Directory">The session folder (full path).</param>
/// <param name="Status">The session's public status.</param>
/// <param name="StillOut">Registered shares not yet in the session (empty without a manifest copy that matches the status).</param>
/// <param name="Recipient">The session's age recipient from recipient.txt, or null when the file is gone.</param>
public sealed record RestoreSessionState(string Directory, RestoreStatus Status, IReadOnlyList<MissingShare> StillOut, string? Recipient);

/// <summary>Where the share for <see cref="RestoreFlow.Add"/> comes from; with neither file, it is typed, scanned or piped.</summary>
/// <param name="Directory">The session folder.</param>
/// <param name="ShareFile">A plain share file (a path or "-"), or null.</param>
/// <param name="SealedFile">A share sealed to the session's recipient (return.age), or null.</param>
/// <param name="PassphraseFile">The session passphrase file, or null to ask.</param>
public sealed record RestoreAddRequest(string Directory, string? ShareFile, string? SealedFile, string? PassphraseFile);

/// <summary>What a drill of a restore session found; the key was rebuilt in memory only and the session is unchanged.</summary>
/// <param name="Match">The rebuilt key against the expected identity, field by field.</param>
/// <param name="Fingerprint">The rebuilt key's fingerprint.</param>
public sealed record RestoreDrillResult(IdentityMatch Match, string Fingerprint);

/// <summary>
/// Restore over days as a front end runs it (docs/restore-session-format.md, docs/custodians.md): start a session
/// with its one-time age identity, add one share per call from a file, a sealed return file or the keyboard, finish
/// into a key. Every change is saved by <see cref="RestoreSession"/> atomically, so no bad input loses a share.
/// </summary>
public static class RestoreFlow
{
    /// <summary>
    /// Drills a session (<c>drill --restore-session</c>): rebuilds the key in memory from its shares (without writing it or changing the session) and
    /// compares it with <paramref name="expectText"/>, or, without one, with the key of the manifest the session was
    /// started with (the rebuild checks it against that manifest, authenticated at open).
    /// </summary>
    /// <exception cref="KeyVaultException">Usage (no expected identity and no manifest), and those of opening and rebuilding.</exception>
    public static RestoreDrillResult Drill(IOperator op, string directory, string? expectText, string? passphraseFile, string? slip39PassphraseFile)
    {
        ArgumentNullException.ThrowIfNull(op);
        var expected = expectText is not null ? DrillRun.ReadExpected(op, expectText)
            : RestoreSession.ReadStatus(directory).PublicKey is { } hex ? ExpectedIdentity.FromPublicKey(PublicKey.ParseHex(hex))
            : throw CustodyError.SessionDrillNeedsExpected();
        using var key = Rebuild(op, directory, passphraseFile, slip39PassphraseFile);
        return new RestoreDrillResult(expected.Match(key.PublicKey), key.PublicKey.Fingerprint);
    }

    /// <summary>Name of the file holding the session's age recipient.</summary>
    public const string RecipientFileName = "recipient.txt";

    /// <summary>
    /// Starts a session in <paramref name="directory"/>: asks for (or reads) a new session passphrase, creates the
    /// folder (0700) and generates the session's one-time age identity (X25519, or hybrid post-quantum), then writes the session file (the identity
    /// in its secret part), the manifest copy and recipient.txt as one staged set: all three or none. With
    /// <paramref name="acceptWeakPassphrase"/>, a session passphrase below the strength floor is taken with a warning.
    /// </summary>
    /// <param name="op">The person at the keyboard.</param>
    /// <param name="directory">The session folder (created if absent).</param>
    /// <param name="manifestFile">The backup's manifest.json, or null.</param>
    /// <param name="passphraseFile">The session passphrase file, or null to ask.</param>
    /// <param name="kdf">Argon2id parameters of the session key, or null for the defaults.</param>
    /// <param name="acceptWeakPassphrase">Take a weak session passphrase with a warning.</param>
    /// <param name="guard">
    /// Called with the set once it is opened, before anything is written; what it returns is disposed when this method
    /// returns or throws. A front end hands the set to its signal handler here, so an interrupted start leaves none of the files.
    /// </param>
    /// <param name="postQuantum">Generate a hybrid ML-KEM-768 + X25519 identity (age1pq1…) instead of an X25519 one.</param>
    public static RestoreStarted Start(IOperator op, string directory, string? manifestFile, string? passphraseFile, KdfParameters? kdf,
        bool acceptWeakPassphrase = false, Func<FileSet, IDisposable?>? guard = null, bool postQuantum = false)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(directory);
        // What can be refused without the passphrase is refused first, before the folder is created.
        var manifestJson = manifestFile is null ? null : ManifestFiles.ReadAuthentic(op, manifestFile).Json;
        var full = Path.GetFullPath(directory);
        RestoreSession.Precheck(full, manifestJson, kdf);
        var recipientPath = Path.Combine(full, RecipientFileName);
        if (File.Exists(recipientPath)) AtomicFile.RequireAbsent(recipientPath, overwrite: false);

        using var passphrase = Inputs.NewPassphrase(op, passphraseFile, "the session passphrase", acceptWeakPassphrase);
        RestoreSession.CreateFolder(full);
        // A run killed outright (SIGKILL, power) leaves only hidden temporaries of these names.
        FileSet.RemoveTemporaries(op, full, [RestoreSession.FileName, BackupManifest.FileName, RecipientFileName]);
        using var files = new FileSet(full, staged: true);
        using var guarded = guard?.Invoke(files);
        using var identity = postQuantum ? AgeIdentity.GenerateHybrid() : AgeIdentity.Generate();
        var secret = identity.ExportSecretKey();
        RestoreSession session;
        try
        {
            session = RestoreSession.Start(files, passphrase, manifestJson, kdf, progress: op.KdfProgress("deriving the session key"),
                restoreIdentity: secret);
        }
        finally
        {
            SecretBuffers.Wipe(secret);
        }
        using (session)
        {
            files.Write(RecipientFileName, RecipientRole, Encoding.ASCII.GetBytes(identity.Recipient.Text + "\n"));
            if (!files.Complete()) throw FileSet.Interrupted();
            return new RestoreStarted(session.Directory, identity.Recipient.Text, recipientPath, session.Status);
        }
    }

    /// <summary>Role of recipient.txt in the file set of a new session.</summary>
    public const string RecipientRole = "restore-recipient";

    /// <summary>Adds one share to the session; on any refusal the session is as it was.</summary>
    public static RestoreAddResult Add(IOperator op, RestoreAddRequest request)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(request);
        var before = RestoreSession.ReadStatus(request.Directory);
        var path = request.SealedFile ?? request.ShareFile;
        var content = path is null ? null : Inputs.ReadAll(op, path);
        try
        {
            var source = path is null ? "" : Inputs.Describe(path);
            if (request.SealedFile is not null)
            {
                // The structure is checked before the passphrase is asked: a file with a stranger's stanza is refused at once.
                var info = AgeFile.Inspect(content);
                if (info.Stanzas.Count != 1) throw CustodyError.ReturnedStanzas(source, info.Stanzas.Count);
            }
            using var passphrase = Inputs.ExistingPassphrase(op, request.PassphraseFile, "Session passphrase: ");
            using var session = RestoreSession.Open(request.Directory, passphrase, op.KdfProgress("opening the session"));
            FileSet.NoteLeftovers(op, session.RemovedLeftovers);
            if (request.SealedFile is not null)
            {
                using var identity = SessionIdentity(session);
                return OneShare.FromSealed(content, source, [identity], words => session.Add(words));
            }
            if (content is not null) return OneShare.FromFile(content, source, words => session.Add(words));
            return OneShare.Typed(op, "Share: ", words => session.Add(words), () => CustodyError.SessionCancelled(before.Shares.Count));
        }
        finally
        {
            SecretBuffers.Wipe(content);
        }
    }

    /// <summary>
    /// Rebuilds the key (checked against the manifest's identity when the session has one), hands it to
    /// <paramref name="deliver"/>, which writes it, and only then overwrites and removes the session.
    /// </summary>
    public static void Finish(IOperator op, string directory, string? passphraseFile, string? slip39PassphraseFile, Action<SecretKey> deliver)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(deliver);
        RequireEnough(directory);
        using var slip39 = Slip39Passphrase.Read(op, slip39PassphraseFile, allowEmpty: true);
        using var passphrase = Inputs.ExistingPassphrase(op, passphraseFile, "Session passphrase: ");
        using var session = RestoreSession.Open(directory, passphrase, op.KdfProgress("opening the session"));
        FileSet.NoteLeftovers(op, session.RemovedLeftovers);
        using (var key = session.Rebuild(slip39)) deliver(key);
        var recipient = Path.Combine(session.Directory, RecipientFileName);
        if (File.Exists(recipient)) File.Delete(recipient);
        session.Destroy();
        if (File.Exists(Path.Combine(session.Directory, BackupManifest.FileName)))
            op.Note($"the session is removed; {BackupManifest.FileName} stays in {session.Directory} (public: the backup's signed manifest)");
    }

    /// <summary>
    /// The session's state without its passphrase: the public status, the registered shares still out (from the
    /// manifest copy, when its SHA-256 is the one the status records) and the recipient. The status is authenticated
    /// only when the session is opened, so this is for people to read, not for decisions.
    /// </summary>
    /// <exception cref="KeyVaultException">BadInput (no session), DamagedFile.</exception>
    public static RestoreSessionState Status(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var full = Path.GetFullPath(directory);
        var status = RestoreSession.ReadStatus(full);
        return new RestoreSessionState(full, status, StillOut(full, status), ReadRecipient(full));
    }

    /// <summary>Rebuilds the key from a session without changing it (for a drill); the caller disposes the key.</summary>
    public static SecretKey Rebuild(IOperator op, string directory, string? passphraseFile, string? slip39PassphraseFile)
    {
        ArgumentNullException.ThrowIfNull(op);
        RequireEnough(directory);
        using var slip39 = Slip39Passphrase.Read(op, slip39PassphraseFile, allowEmpty: true);
        using var passphrase = Inputs.ExistingPassphrase(op, passphraseFile, "Session passphrase: ");
        using var session = RestoreSession.Open(directory, passphrase, op.KdfProgress("opening the session"));
        FileSet.NoteLeftovers(op, session.RemovedLeftovers);
        return session.Rebuild(slip39);
    }

    private static IReadOnlyList<MissingShare> StillOut(string full, RestoreStatus status)
    {
        if (status.ManifestSha256 is null) return [];
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(Path.Combine(full, BackupManifest.FileName));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
        // A copy other than the one the session was started with names nothing: opening the session would refuse it.
        if (Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)) != status.ManifestSha256) return [];
        BackupManifest manifest;
        try
        {
            manifest = BackupManifest.Parse(BackupManifest.DecodeFile(bytes));
        }
        catch (KeyVaultException)
        {
            return [];
        }
        return manifest.Shares.Where(s => !status.Shares.Any(c => c.Group == s.Group && c.Member == s.Member))
            .Select(s => new MissingShare(s.Group, s.Member, ShareCheck.Slot(manifest.Groups.Count, s.Group, s.Member), s.Custodian)
            {
                Contact = s.Contact,
                TimeZone = s.TimeZone,
                Departed = s.Departed is not null,
            })
            .ToList();
    }

    private static string? ReadRecipient(string full)
    {
        try
        {
            var path = Path.Combine(full, RecipientFileName);
            return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void RequireEnough(string directory)
    {
        var status = RestoreSession.ReadStatus(directory);
        if (!status.CanRebuild) throw CustodyError.NotEnough(status.Summary);
    }

    private static AgeIdentity SessionIdentity(RestoreSession session)
    {
        if (!session.HasRestoreIdentity) throw CustodyError.NoRestoreIdentity(session.Directory);
        var blob = session.ExportRestoreIdentity();
        try
        {
            return AgeIdentity.ParseSecretKey(blob, "the session's restore identity");
        }
        finally
        {
            SecretBuffers.Wipe(blob);
        }
    }

    /// <summary>
    /// The whole collection as a front end runs it: from share files when any are named, otherwise typed or scanned
    /// one per line at the terminal (never echoed; a mistyped share or an empty line is explained and asked again, and
    /// the end of input stops) or piped one per line on standard input. Then rebuilds the key.
    /// </summary>
    public static SecretKey FromShares(IOperator op, IReadOnlyList<string> shareFiles, string? slip39PassphraseFile, out SharesRebuilt used) =>
        FromShares(op, shareFiles, slip39PassphraseFile, null, out used);

    /// <summary>
    /// As <see cref="FromShares(IOperator, IReadOnlyList{string}, string?, out SharesRebuilt)"/>, where sealed (age) share
    /// files among <paramref name="shareFiles"/> are opened with <paramref name="identityFiles"/> (as <c>age -d -i</c>).
    /// </summary>
    public static SecretKey FromShares(IOperator op, IReadOnlyList<string> shareFiles, string? slip39PassphraseFile,
        IReadOnlyList<string>? identityFiles, out SharesRebuilt used)
    {
        ArgumentNullException.ThrowIfNull(shareFiles);
        using var restore = new ShareRestore();
        var identities = OneShare.ReadIdentities(op, identityFiles);
        if (shareFiles.Count > 0)
        {
            AddFiles(op, restore, shareFiles, identities);
            restore.RequireEnough();
        }
        else
        {
            CollectLines(op, restore);
        }
        using var passphrase = Slip39Passphrase.Read(op, slip39PassphraseFile, allowEmpty: true);
        return restore.Finish(passphrase, out used, op);
    }

    /// <summary>Adds share files (plain, or sealed and opened with <paramref name="identities"/>) to <paramref name="restore"/>, noting each.</summary>
    internal static void AddFiles(IOperator op, ShareRestore restore, IReadOnlyList<string> paths, IReadOnlyList<AgeIdentity>? identities)
    {
        foreach (var path in paths)
            OneShare.ReadFile(op, path, identities, (content, source) =>
            {
                op.Note($"{source}: {restore.AddFile(content, source).Message}");
                return 0;
            });
    }

    private static void CollectLines(IOperator op, ShareRestore restore)
    {
        if (op.CanAsk) op.Note("type or scan one share per line (the words are not shown); Ctrl-D stops.");
        using var piped = op.CanAsk ? null : new PipedLines(op);
        int position = 0;
        while (!restore.CanFinish)
        {
            position++;
            char[]? line = piped is null ? op.AskSecret($"Share {position}: ") : piped.Next();
            try
            {
                if (line is null)
                {
                    if (restore.Count == 0)
                        throw new KeyVaultException(ErrorKind.Cancelled, "no shares given", "give a share file for each share, or type them at the prompt");
                    restore.RequireEnough(); // names how many more are needed
                }
                if (line.AsSpan().Trim().IsEmpty)
                {
                    // Piped blank lines are spacing; at the terminal an empty line is a slip of the Enter key, never the end.
                    if (op.CanAsk) op.Note($"nothing was typed; type the next share, or press Ctrl-D to stop ({restore.Count} kept so far)");
                    position--;
                    continue;
                }
                try
                {
                    // A scanner set to read every symbology prints a barcode it found in a sheet's text as digits.
                    if (!line.AsSpan().ContainsAnyInRange('a', 'z') && !line.AsSpan().ContainsAnyInRange('A', 'Z'))
                        throw CustodyError.LineHoldsNoWords(position);
                    op.Note(restore.Add(line).Message);
                }
                catch (KeyVaultException ex) when (op.CanAsk && ex.Kind is ErrorKind.BadInput or ErrorKind.RebuildFailed)
                {
                    // At the terminal a mistyped share, or one from another backup, is not fatal: nothing collected is
                    // lost, so say what is wrong and ask again.
                    op.Problem(ex.Hint is null ? new KeyVaultException(ex.Kind, ex.Message, "type the share again", ex) : ex);
                }
            }
            finally
            {
                SecretBuffers.Wipe(line);
            }
        }
    }
}

/// <summary>Shares piped on standard input: one per line; the decoded text is wiped on Dispose.</summary>
internal sealed class PipedLines : IDisposable
{
    private readonly char[] _text;
    private int _cursor;

    public PipedLines(IOperator op)
    {
        var bytes = Inputs.ReadAll(op, "-");
        try
        {
            _text = System.Text.Encoding.UTF8.GetChars(bytes);
        }
        finally
        {
            SecretBuffers.Wipe(bytes);
        }
    }

    /// <summary>The next line without its line ending, or null at the end.</summary>
    public char[]? Next()
    {
        if (_cursor >= _text.Length) return null;
        int end = Array.IndexOf(_text, '\n', _cursor);
        if (end < 0) end = _text.Length;
        var line = _text[_cursor..end];
        _cursor = end + 1;
        return line;
    }

    public void Dispose() => SecretBuffers.Wipe(_text);
}
