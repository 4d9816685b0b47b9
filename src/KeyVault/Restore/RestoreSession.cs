using System.Security.Cryptography;
using System.Text;
using KeyVault.Errors;
using KeyVault.IO;
using KeyVault.Interaction;
using KeyVault.KeyFile;
using KeyVault.Keys;
using KeyVault.Manifest;
using KeyVault.Shares;

namespace KeyVault.Restore;

/// <summary>What <see cref="RestoreSession.Add"/> made of a share.</summary>
/// <param name="Share">The share's public metadata.</param>
/// <param name="Custodian">The custodian the manifest registers it for, or null without a manifest.</param>
/// <param name="Status">The session's status after the share was saved.</param>
public sealed record RestoreAddResult(ShareInfo Share, string? Custodian, RestoreStatus Status);

/// <summary>
/// A restore that collects shares over days (docs/restore-session-format.md): a folder holding one session file whose
/// secret part (the shares, and an optional restore identity) is encrypted under a session passphrase with Argon2id
/// and AES-256-GCM, and whose public part (backup ID, share numbers, what is still needed) is readable without it;
/// optionally a copy of the backup's manifest. Every change is written atomically before the call returns, so a share
/// once added survives any later bad input, interruption or crash. Dispose wipes what is held in memory.
/// </summary>
internal sealed class RestoreSession : IDisposable
{
    /// <summary>Name of the session file inside the session folder.</summary>
    public const string FileName = RestoreSessionFormat.FileName;

    private readonly SessionWriter _writer;
    private readonly KdfParameters _kdf;
    private readonly byte[] _salt;
    private readonly byte[] _fileKey;
    private readonly List<byte[]> _mnemonics = [];
    private readonly List<DateTimeOffset> _addedAt = [];
    private readonly RecoveryState _collector = new();
    private readonly DateTimeOffset _createdAt;
    private readonly string? _manifestSha256;
    private byte[] _identity = [];
    private byte[]? _onDisk;
    private bool _broken;
    private bool _disposed;

    /// <summary>The hidden temporaries of a killed earlier write that opening the session removed.</summary>
    internal IReadOnlyList<string> RemovedLeftovers { get; private set; } = [];

    private RestoreSession(SessionWriter writer, KdfParameters kdf, byte[] salt, byte[] fileKey, DateTimeOffset createdAt,
        BackupManifest? manifest, string? manifestSha256)
    {
        _writer = writer;
        _kdf = kdf;
        _salt = salt;
        _fileKey = fileKey;
        _createdAt = createdAt;
        Manifest = manifest;
        _manifestSha256 = manifestSha256;
        Status = BuildStatus(createdAt);
    }

    /// <summary>The session folder (full path).</summary>
    public string Directory => _writer.Directory;

    /// <summary>The backup's manifest, when the session was started with one (verified authentic at start and at every open).</summary>
    public BackupManifest? Manifest { get; }

    /// <summary>The current status (the public part).</summary>
    public RestoreStatus Status { get; private set; }

    /// <summary>True when a restore identity blob is stored in the secret part.</summary>
    public bool HasRestoreIdentity => _identity.Length > 0;

    /// <summary>
    /// Starts a session in <paramref name="directory"/> (created 0700 if absent; it must not hold a session already).
    /// With <paramref name="manifestJson"/>, the manifest must be authentic; a copy is kept in the folder, every share
    /// added must be registered in it, and the rebuilt key must be its identity. The session file and the manifest copy
    /// are written as one set (<see cref="FileSet"/>, staged): both or neither.
    /// </summary>
    /// <exception cref="KeyVaultException">OutputFailure (a session exists, or a write failed), DamagedFile (the manifest is not authentic), BadInput (KDF parameters).</exception>
    public static RestoreSession Start(string directory, Passphrase passphrase, string? manifestJson = null, KdfParameters? kdf = null,
        DateTimeOffset? now = null, IProgress<KdfProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(passphrase);
        Precheck(directory, manifestJson, kdf);
        var full = CreateFolder(directory);
        FileSet.RemoveTemporaries(full, [FileName, BackupManifest.FileName]);
        using var files = new FileSet(full, staged: true);
        var session = Start(files, passphrase, manifestJson, kdf, now, progress);
        if (files.Complete()) return session;
        session.Dispose();
        throw FileSet.Interrupted();
    }

    /// <summary>
    /// Starts a session in the folder of <paramref name="files"/>, writing the session file (holding
    /// <paramref name="restoreIdentity"/> in its secret part, if given) and, with <paramref name="manifestJson"/>, the
    /// manifest copy into that set, which the caller completes (or discards: then nothing of the session remains). The
    /// returned session can be changed only once the set is complete.
    /// </summary>
    /// <exception cref="KeyVaultException">OutputFailure (a session exists, or a write failed), DamagedFile (the manifest is not authentic), BadInput (KDF parameters).</exception>
    public static RestoreSession Start(FileSet files, Passphrase passphrase, string? manifestJson = null, KdfParameters? kdf = null,
        DateTimeOffset? now = null, IProgress<KdfProgress>? progress = null, ReadOnlySpan<byte> restoreIdentity = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(passphrase);
        var full = Path.GetFullPath(files.Dir);
        var manifest = Precheck(full, manifestJson, kdf);
        kdf ??= KdfParameters.Default;
        if (restoreIdentity.Length > RestoreSessionFormat.MaxIdentityLength)
            throw RestoreError.IdentityTooLong(restoreIdentity.Length, RestoreSessionFormat.MaxIdentityLength);

        string? manifestSha = null;
        if (manifestJson is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(manifestJson);
            manifestSha = Convert.ToHexStringLower(SHA256.HashData(bytes));
            var copy = Path.Combine(full, BackupManifest.FileName);
            // Starting the session in the backup's own folder is fine: Precheck has made sure the manifest there is the one given.
            if (!File.Exists(copy)) files.Write(BackupManifest.FileName, ManifestCopyRole, bytes);
        }

        var salt = RandomNumberGenerator.GetBytes(RestoreSessionFormat.SaltLength);
        var fileKey = Argon2Kdf.DeriveFileKey(passphrase.Utf8, salt, kdf, progress);
        var identity = GC.AllocateArray<byte>(restoreIdentity.Length, pinned: true);
        restoreIdentity.CopyTo(identity);
        var session = new RestoreSession(new SessionWriter(full), kdf, salt, fileKey, BackupManifest.Truncate(now ?? DateTimeOffset.UtcNow),
            manifest, manifestSha)
        {
            _identity = identity,
        };
        try
        {
            var file = session.Seal(session.Status);
            files.Write(FileName, SessionRole, file);
            session._onDisk = file;
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Role of the session file in a file set.</summary>
    public const string SessionRole = "restore-session";

    /// <summary>Role of the session's copy of the backup's manifest in a file set.</summary>
    public const string ManifestCopyRole = "restore-manifest";

    /// <summary>Creates <paramref name="directory"/> (0700) if absent; returns its full path.</summary>
    internal static string CreateFolder(string directory)
    {
        var full = Path.GetFullPath(directory);
        try
        {
            if (OperatingSystem.IsWindows()) System.IO.Directory.CreateDirectory(full);
            else System.IO.Directory.CreateDirectory(full, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw RestoreError.WriteFailed(full, ex.Message, ex);
        }
        return full;
    }

    /// <summary>What refuses a start without a passphrase: KDF parameters, a manifest that is not authentic, a session already there.</summary>
    internal static BackupManifest? Precheck(string directory, string? manifestJson, KdfParameters? kdf)
    {
        kdf ??= KdfParameters.Default;
        if (!kdf.IsStructurallyValid) throw RestoreError.BadKdf($"memory {kdf.MemoryKiB} KiB, {kdf.Iterations} passes, {kdf.Parallelism} lanes break Argon2's rules");
        if (KdfLimits.Default.Exceeded(kdf) is { } above) throw RestoreError.BadKdf(above);
        var manifest = manifestJson is null ? null : BackupManifest.ReadAuthentic(manifestJson);
        var full = Path.GetFullPath(directory);
        if (File.Exists(Path.Combine(full, FileName))) throw RestoreError.SessionExists(full);
        // Starting in the backup's own folder is fine when the manifest there is the one given; another is refused now,
        // before a passphrase is asked.
        var copy = Path.Combine(full, BackupManifest.FileName);
        if (manifestJson is not null && File.Exists(copy) && !File.ReadAllBytes(copy).AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(manifestJson)))
            throw RestoreError.OtherManifestInFolder(copy);
        return manifest;
    }

    /// <summary>Opens a session with its passphrase; removes temporary files a crashed write left behind.</summary>
    /// <exception cref="KeyVaultException">BadInput (no session), AuthenticationFailed (wrong passphrase or tampered file), DamagedFile, CostTooHigh.</exception>
    public static RestoreSession Open(string directory, Passphrase passphrase, IProgress<KdfProgress>? progress = null, KdfLimits? limits = null) =>
        Open(directory, passphrase, progress, limits, fault: null);

    internal static RestoreSession Open(string directory, Passphrase passphrase, IProgress<KdfProgress>? progress, KdfLimits? limits,
        Action<SessionWriteStep>? fault)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(passphrase);
        var full = Path.GetFullPath(directory);
        var file = ReadSessionFile(full);
        var layout = RestoreSessionFormat.Parse(file);
        var status = RestoreStatus.Parse(layout.Status);
        if ((limits ?? KdfLimits.Default).Exceeded(layout.Kdf) is { } why) throw RestoreError.CostTooHigh(why);

        var fileKey = Argon2Kdf.DeriveFileKey(passphrase.Utf8, layout.Salt, layout.Kdf, progress);
        byte[]? plaintext = null;
        RestoreSession? session = null;
        List<byte[]> mnemonics = [];
        byte[] identity = [];
        try
        {
            plaintext = RestoreSessionFormat.Open(layout, fileKey);
            (mnemonics, identity) = RestoreSessionFormat.ReadPlaintext(plaintext);
            BackupManifest? manifest = null;
            if (status.ManifestSha256 is { } sha)
            {
                var copy = Path.Combine(full, BackupManifest.FileName);
                byte[] bytes;
                try
                {
                    bytes = File.ReadAllBytes(copy);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw RestoreError.ManifestChanged();
                }
                if (Convert.ToHexStringLower(SHA256.HashData(bytes)) != sha) throw RestoreError.ManifestChanged();
                manifest = BackupManifest.ReadAuthentic(BackupManifest.DecodeFile(bytes));
                if (manifest.Identity.PublicKey != status.PublicKey) throw RestoreError.ManifestChanged();
            }
            session = new RestoreSession(new SessionWriter(full, fault), layout.Kdf, layout.Salt, fileKey, status.CreatedAt, manifest, status.ManifestSha256)
            {
                _identity = identity,
                _onDisk = file,
            };
            if (mnemonics.Count != status.Shares.Count) throw RestoreError.Damaged("its public status does not list the shares it holds");
            for (int i = 0; i < mnemonics.Count; i++) session.Restore(mnemonics[i], status.Shares[i]);
            session.Status = session.BuildStatus(status.UpdatedAt);
            session.RemovedLeftovers = session._writer.RemoveStaleTemps();
            return session;
        }
        catch
        {
            if (session is not null) session.Dispose();
            else CryptographicOperations.ZeroMemory(fileKey);
            // Shares not yet handed to the session are wiped here (wiping twice is harmless).
            foreach (var m in mnemonics) CryptographicOperations.ZeroMemory(m);
            CryptographicOperations.ZeroMemory(identity);
            throw;
        }
        finally
        {
            if (plaintext is not null) CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>Reads the public status without the passphrase. It is authenticated only when the session is opened.</summary>
    /// <exception cref="KeyVaultException">BadInput (no session), DamagedFile.</exception>
    public static RestoreStatus ReadStatus(string directory)
    {
        var layout = RestoreSessionFormat.Parse(ReadSessionFile(Path.GetFullPath(directory)));
        return RestoreStatus.Parse(layout.Status);
    }

    /// <summary>
    /// Adds one share and saves the session before returning. A malformed share, a share of another backup, one not
    /// registered in the manifest, a conflicting or repeated share is refused with an error naming it, and nothing
    /// changes on disk.
    /// </summary>
    /// <exception cref="KeyVaultException">
    /// BadInput (malformed, already in the session), RebuildFailed (another backup, conflicting share), IdentityMismatch
    /// (not registered in the manifest, or of a retired backup), OutputFailure (the write failed; the session is as before).
    /// </exception>
    public RestoreAddResult Add(ReadOnlySpan<char> mnemonic, DateTimeOffset? now = null)
    {
        Usable();
        if (_mnemonics.Count >= RestoreSessionFormat.MaxShares) throw RestoreError.TooManyShares(RestoreSessionFormat.MaxShares);
        ManifestShare? registration = null;
        using (var decoded = ShareCodec.Decode(mnemonic, position: 0))
        {
            if (Manifest is not null)
            {
                var check = ShareCheck.Against(Manifest, decoded);
                check.ThrowUnlessRegistered();
                registration = check.Registration;
            }
            var twin = _collector.Accepted.Select((s, i) => (s, i)).FirstOrDefault(p => p.s.SameAs(decoded));
            if (twin.s is not null)
                throw RestoreError.Duplicate(ShareCheck.Slot(decoded.GroupCount, decoded.GroupIndex + 1, decoded.MemberIndex + 1), _addedAt[twin.i]);
        }
        var words = Slip39.CanonicalWords(mnemonic);
        byte[] ascii;
        try
        {
            ascii = Ascii(words);
        }
        finally
        {
            Array.Clear(words);
        }

        ShareStatus accepted;
        try
        {
            accepted = _collector.Add(mnemonic);
        }
        catch
        {
            CryptographicOperations.ZeroMemory(ascii);
            throw;
        }
        // From here memory and disk differ until the save succeeds; if it fails, this object is unusable (reopen).
        _broken = true;
        var when = BackupManifest.Truncate(now ?? DateTimeOffset.UtcNow);
        _mnemonics.Add(ascii);
        _addedAt.Add(when);
        Save(when);
        _broken = false;
        return new RestoreAddResult(accepted.Share, registration?.Custodian, Status);
    }

    /// <summary>
    /// Rebuilds the key without touching the session (for a drill). With a manifest, the key must be its identity.
    /// The caller disposes the key.
    /// </summary>
    /// <exception cref="KeyVaultException">RebuildFailed (not enough shares, shares that do not fit), IdentityMismatch (another key: a wrong SLIP-0039 passphrase, say).</exception>
    public SecretKey Rebuild(ReadOnlySpan<byte> slip39Passphrase = default)
    {
        Usable();
        using var secret = _collector.Recover(slip39Passphrase);
        var key = secret.ToSecretKey();
        if (Manifest is not null && key.PublicKey.Hex66 != Manifest.Identity.PublicKey)
        {
            var rebuilt = key.PublicKey.Fingerprint;
            key.Dispose();
            throw ShareErrors.KeyMismatch("the manifest", Manifest.Identity.Fingerprint, rebuilt, Manifest.Slip39Passphrase);
        }
        return key;
    }

    /// <summary>
    /// Rebuilds the key, hands it to <paramref name="deliver"/> (which writes the key file), and only when that returns
    /// overwrites and removes the session file, the manifest copy and the folder if it is then empty. If anything
    /// fails, the session stays as it was.
    /// </summary>
    public void Finish(ReadOnlySpan<byte> slip39Passphrase, Action<SecretKey> deliver)
    {
        ArgumentNullException.ThrowIfNull(deliver);
        using (var key = Rebuild(slip39Passphrase)) deliver(key);
        Destroy();
    }

    /// <summary>A copy of the restore identity blob (empty when none); the caller wipes it.</summary>
    public byte[] ExportRestoreIdentity()
    {
        Usable();
        var copy = GC.AllocateArray<byte>(_identity.Length, pinned: true);
        _identity.CopyTo(copy, 0);
        return copy;
    }

    /// <summary>
    /// Stores an opaque secret blob (a one-time restore identity, e.g. an age X25519 identity) in the secret part and
    /// saves the session. An empty blob removes it.
    /// </summary>
    public void SetRestoreIdentity(ReadOnlySpan<byte> identity, DateTimeOffset? now = null)
    {
        Usable();
        if (identity.Length > RestoreSessionFormat.MaxIdentityLength) throw RestoreError.IdentityTooLong(identity.Length, RestoreSessionFormat.MaxIdentityLength);
        var copy = GC.AllocateArray<byte>(identity.Length, pinned: true);
        identity.CopyTo(copy);
        CryptographicOperations.ZeroMemory(_identity);
        _identity = copy;
        _broken = true;
        Save(BackupManifest.Truncate(now ?? DateTimeOffset.UtcNow));
        _broken = false;
    }

    /// <summary>
    /// Overwrites and deletes the session file and stale temporary files, then the folder if empty. The manifest copy
    /// stays: it is public, and in a session started in the backup's own folder it is the backup's signed manifest,
    /// which the session did not write and must not take away.
    /// </summary>
    public void Destroy()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        // Overwriting does not reach every copy on journaling file systems and SSDs; the content was encrypted anyway.
        AtomicFile.Shred(_writer.SessionPath);
        _writer.RemoveStaleTemps();
        SessionWriter.SyncDirectory(Directory);
        try
        {
            if (!System.IO.Directory.EnumerateFileSystemEntries(Directory).Any()) System.IO.Directory.Delete(Directory);
        }
        catch (IOException) { }
        Dispose();
    }

    /// <summary>Wipes the session key, the shares and the identity held in memory.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        CryptographicOperations.ZeroMemory(_fileKey);
        foreach (var m in _mnemonics) CryptographicOperations.ZeroMemory(m);
        _mnemonics.Clear();
        CryptographicOperations.ZeroMemory(_identity);
        _collector.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => $"RestoreSession({Directory}, {_mnemonics.Count} shares, hidden)";

    private void Usable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_broken) throw new InvalidOperationException("a save of this session failed; open the session again");
    }

    private void Restore(byte[] ascii, CollectedShare recorded)
    {
        var chars = GC.AllocateArray<char>(ascii.Length, pinned: true);
        try
        {
            for (int i = 0; i < ascii.Length; i++) chars[i] = (char)ascii[i];
            ShareStatus added;
            try
            {
                added = _collector.Add(chars);
            }
            catch (KeyVaultException)
            {
                throw RestoreError.Damaged("a stored share is not a valid share of the session's backup");
            }
            if (added.DuplicateOf is not null || added.Share.GroupNumber != recorded.Group || added.Share.MemberNumber != recorded.Member)
                throw RestoreError.Damaged("its public status does not list the shares it holds");
        }
        finally
        {
            Array.Clear(chars);
        }
        _mnemonics.Add(ascii);
        _addedAt.Add(recorded.AddedAt);
    }

    private void Save(DateTimeOffset updatedAt)
    {
        var status = BuildStatus(updatedAt);
        var file = Seal(status);
        _writer.Replace(file, _onDisk);
        _onDisk = file;
        Status = status;
    }

    private byte[] Seal(RestoreStatus status)
    {
        var plaintext = RestoreSessionFormat.WritePlaintext(_mnemonics, _identity);
        try
        {
            return RestoreSessionFormat.Seal(_fileKey, _kdf, _salt, status.ToJson(), plaintext);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    private RestoreStatus BuildStatus(DateTimeOffset updatedAt)
    {
        var accepted = _collector.Accepted;
        var first = accepted.Count > 0 ? accepted[0] : null;
        int? groupCount = Manifest?.Groups.Count ?? first?.GroupCount;
        var shares = accepted.Select((s, i) => new CollectedShare(s.GroupIndex + 1, s.MemberIndex + 1,
            Manifest?.ShareAt(s.GroupIndex + 1, s.MemberIndex + 1)?.Custodian, _addedAt[i])).ToList();
        var groups = new List<GroupNeed>();
        for (int g = 1; g <= (groupCount ?? 0); g++)
        {
            var of = accepted.Where(s => s.GroupIndex == g - 1).ToList();
            groups.Add(new GroupNeed(g, Manifest?.Groups[g - 1].MemberThreshold ?? of.FirstOrDefault()?.MemberThreshold, of.Count));
        }
        return new RestoreStatus(_createdAt, updatedAt, Manifest?.BackupId ?? first?.Identifier, Manifest?.Identity.PublicKey,
            Manifest?.Identity.Fingerprint, _manifestSha256, Manifest?.GroupThreshold ?? first?.GroupThreshold, groupCount, shares, groups);
    }

    private static byte[] Ascii(string[] words)
    {
        int length = words.Sum(w => w.Length) + words.Length - 1;
        var bytes = GC.AllocateArray<byte>(length, pinned: true);
        int at = 0;
        foreach (var w in words)
        {
            if (at > 0) bytes[at++] = (byte)' ';
            foreach (var c in w) bytes[at++] = (byte)c;
        }
        return bytes;
    }

    private static byte[] ReadSessionFile(string full)
    {
        var path = Path.Combine(full, FileName);
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) throw RestoreError.NoSession(full);
            if (info.Length > RestoreSessionFormat.MaxStatusLength + RestoreSessionFormat.MaxCiphertextLength + 1024)
                throw RestoreError.Damaged($"it is {info.Length} bytes, more than a session file can be");
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new KeyVaultException(ErrorKind.BadInput, $"could not read {path}: {ex.Message}", "check the folder and its permissions", ex);
        }
    }
}
