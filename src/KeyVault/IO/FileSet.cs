using System.Security.Cryptography;
using KeyVault.Errors;
using KeyVault.Interaction;

namespace KeyVault.IO;

/// <summary>
/// One all-or-nothing set of output files in one folder: the shares of a split, the sheets of a paper run, every file
/// of a ceremony. Each file is written atomically (<see cref="AtomicFile"/>) and read back; until <see cref="Complete"/>
/// is called, <see cref="Discard"/> (or <see cref="Dispose"/>, after a failure) overwrites and deletes every file written
/// so far and the hidden temporary files of a write that was cut short. A device that remaps blocks (flash storage)
/// may still hold old copies; docs/threat-model.md says so.
/// <para>
/// A signal handler may discard on another thread while the writer goes on, so every write happens under the lock
/// <see cref="Discard"/> takes: a file is either written and recorded before a discard (and then deleted by it) or
/// never written at all. Once a discard has begun the set is closed for good.
/// </para>
/// </summary>
public sealed class FileSet : IDisposable
{
    private readonly object _lock = new();
    private readonly List<(string Path, string Role, int? Share, StagedFile? Staged)> _written = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private State _state = State.Open;

    private enum State { Open, Discarded, Complete }

    private readonly bool _staged;

    /// <summary>
    /// Opens a set in <paramref name="dir"/>, which must exist. A <paramref name="staged"/> set keeps every file
    /// without its name until <see cref="Complete"/> names them all at once: on Linux each is an unnamed O_TMPFILE
    /// inode, so a run killed by SIGKILL (which no handler sees) leaves nothing under any name; where the file system
    /// refuses O_TMPFILE, each is a hidden temporary the next run recognises and removes. Either way, never part of
    /// the set under its final names, except during the naming at the end (one hard link per file, microseconds).
    /// </summary>
    public FileSet(string dir, bool staged = false)
    {
        _staged = staged;
        if (!Directory.Exists(dir))
            throw new KeyVaultException(ErrorKind.OutputFailure, $"the folder {dir} does not exist",
                "create it first, on the encrypted or removable device that will keep the files");
        Dir = dir;
    }

    /// <summary>The output folder.</summary>
    public string Dir { get; }

    /// <summary>The full path of a file in the output folder.</summary>
    public string PathOf(string name) => Path.Combine(Dir, name);

    /// <summary>Fails unless every named file is absent, so a run that cannot finish stops before it writes anything.</summary>
    public void RequireFree(IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            AtomicFile.RequireAbsent(PathOf(name), overwrite: false);
            lock (_lock) _names.Add(name);
        }
    }

    /// <summary>Fails unless the folder holds no entry matching any of <paramref name="patterns"/> (file-name globs).</summary>
    public void RequireNoneLike(IEnumerable<string> patterns, Func<IReadOnlyList<string>, KeyVaultException> error)
    {
        var clashes = patterns.SelectMany(p => Directory.EnumerateFileSystemEntries(Dir, p)).Select(Path.GetFileName).OfType<string>()
            .Distinct().Order(StringComparer.Ordinal).ToList();
        if (clashes.Count > 0) throw error(clashes);
    }

    /// <summary>
    /// Writes <paramref name="content"/> as the new file <paramref name="name"/> (0600, atomic, never replacing), reads
    /// it back and records it; throws the set's interruption, writing nothing, once a discard has begun.
    /// </summary>
    public string Write(string name, string role, ReadOnlySpan<byte> content, int? share = null) => Write(name, role, content, share, world: false);

    /// <summary>
    /// Writes a public file of the set (a manifest): as <see cref="Write(string, string, ReadOnlySpan{byte}, int?)"/>,
    /// but readable by everyone (0644) once written, since it holds nothing secret and is meant to be shared.
    /// </summary>
    public string WritePublic(string name, string role, ReadOnlySpan<byte> content) => Write(name, role, content, null, world: true);

    private string Write(string name, string role, ReadOnlySpan<byte> content, int? share, bool world)
    {
        var path = PathOf(name);
        lock (_lock)
        {
            if (_state != State.Open) throw Interrupted();
            _names.Add(name);
            if (_staged)
            {
                AtomicFile.RequireAbsent(path, overwrite: false);
                var staged = AtomicFile.Stage(path, content);
                _written.Add((path, role, share, staged));
                if (!staged.ReadsBack(content)) throw AtomicFile.ReadBackFailed(path);
                if (world) staged.MakePublic();
                return path;
            }
            AtomicFile.Write(path, content);
            _written.Add((path, role, share, null));
            CheckReadBack(path, content);
            if (world) AtomicFile.MakePublic(path);
            return path;
        }
    }

    /// <summary>
    /// Marks the set complete: a later <see cref="Discard"/> keeps every file. False when a discard came first.
    /// </summary>
    public bool Complete()
    {
        lock (_lock)
        {
            if (_state == State.Discarded) return false;
            if (_staged && _state == State.Open)
            {
                for (int i = 0; i < _written.Count; i++)
                {
                    var (path, role, share, staged) = _written[i];
                    try
                    {
                        staged!.Publish(path);
                    }
                    catch
                    {
                        // A name taken meanwhile: nothing of the set may stay, under either name.
                        for (int j = 0; j < i; j++) ShredFile(_written[j].Path);
                        for (int j = i; j < _written.Count; j++) _written[j].Staged!.Shred();
                        _written.Clear();
                        _state = State.Discarded;
                        throw;
                    }
                    _written[i] = (path, role, share, null);
                }
            }
            _state = State.Complete;
            return true;
        }
    }

    /// <summary>True once <see cref="Discard"/> has begun.</summary>
    public bool Discarded
    {
        get { lock (_lock) return _state == State.Discarded; }
    }

    /// <summary>Paths of the files written so far, in order.</summary>
    public IReadOnlyList<string> Paths
    {
        get { lock (_lock) return _written.Select(w => w.Path).ToList(); }
    }

    /// <summary>Name, role, size and SHA-256 of every file written, in the order written.</summary>
    public IReadOnlyList<WrittenFile> Describe()
    {
        lock (_lock)
        {
            return _written.Select(w =>
            {
                var bytes = w.Staged?.ReadAll() ?? File.ReadAllBytes(w.Path);
                try
                {
                    return new WrittenFile(Path.GetFileName(w.Path), w.Role, w.Share, bytes.LongLength, Convert.ToHexStringLower(SHA256.HashData(bytes)));
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(bytes);
                }
            }).ToList();
        }
    }

    /// <summary>Overwrites and deletes the files of the given roles, and stops tracking them; returns the names deleted.</summary>
    public IReadOnlyList<string> Shred(params string[] roles)
    {
        lock (_lock)
        {
            var chosen = _written.Where(w => roles.Contains(w.Role)).ToList();
            _written.RemoveAll(w => roles.Contains(w.Role));
            return chosen.Where(w => w.Staged?.Shred() ?? ShredFile(w.Path)).Select(w => Path.GetFileName(w.Path)).ToList();
        }
    }

    /// <summary>
    /// Overwrites and deletes every file written so far (and stray temporary files of this set's names), and refuses
    /// every later write; returns the names deleted, or null (deleting nothing) when the set was already complete.
    /// </summary>
    public IReadOnlyList<string>? Discard()
    {
        lock (_lock)
        {
            if (_state == State.Complete) return null;
            _state = State.Discarded;
            var deleted = new List<string>();
            foreach (var (path, _, _, staged) in _written)
            {
                var name = Path.GetFileName(staged?.TemporaryPath ?? path);
                if (staged?.Shred() ?? ShredFile(path)) deleted.Add(name);
            }
            _written.Clear();
            RemoveTemporaries(Dir, _names);
            return deleted;
        }
    }

    /// <summary>Discards the set unless it was completed: leaving a using block by an exception leaves nothing behind.</summary>
    public void Dispose() => Discard();

    /// <summary>
    /// Removes the hidden temporary files an atomic write of one of <paramref name="names"/> leaves when it is killed
    /// (".NAME.RANDOM.tmp"); returns the names removed. A later run calls this to clean up after a SIGKILL.
    /// </summary>
    public static IReadOnlyList<string> RemoveTemporaries(string dir, IEnumerable<string> names)
    {
        var removed = new List<string>();
        try
        {
            foreach (var name in names)
                foreach (var temp in Directory.EnumerateFiles(dir, "." + name + ".*.tmp"))
                    if (AtomicFile.IsTemporaryOf(Path.GetFileName(temp), name) && AtomicFile.RemoveStaleTemporary(temp, Path.Combine(dir, name)))
                        removed.Add(Path.GetFileName(temp));
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return removed;
    }

    /// <summary>
    /// As <see cref="RemoveTemporaries(string, IEnumerable{string})"/>, telling the operator of each file removed: a run
    /// killed outright (SIGKILL, a power cut), which no handler sees, leaves its staged files under hidden temporary names.
    /// </summary>
    public static void RemoveTemporaries(IOperator op, string dir, IEnumerable<string> names) =>
        NoteLeftovers(op, RemoveTemporaries(dir, names));

    /// <summary>Tells the operator of each leftover of a killed run that was removed.</summary>
    internal static void NoteLeftovers(IOperator op, IEnumerable<string> removed)
    {
        foreach (var name in removed) op.Note($"removed {name}, left by an earlier run that was killed");
    }

    /// <summary>The error every write after a discard throws.</summary>
    public static KeyVaultException Interrupted(string? signal = null) => new(ErrorKind.Cancelled,
        $"cancelled: interrupted{(signal is null ? "" : $" by {signal}")} before every file was written",
        "nothing was kept; run again when ready");

    private static void CheckReadBack(string path, ReadOnlySpan<byte> expected)
    {
        if (!AtomicFile.ReadsBack(path, expected)) throw AtomicFile.ReadBackFailed(path);
    }

    private static bool ShredFile(string path) => AtomicFile.Shred(path);
}
