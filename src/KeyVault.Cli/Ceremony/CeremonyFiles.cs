using System.Security.Cryptography;
using KeyVault.Ceremony;

namespace KeyVault.Cli.Ceremony;

/// <summary>
/// Every file a ceremony writes, so that a ceremony that stops before its end takes all of them away again: the key
/// file, the sheets, the share files, the drill report. Each is overwritten with zeros before it is deleted, and
/// the hidden temporary files of an interrupted atomic write are removed too. A device that remaps blocks (flash
/// storage) may still hold old copies; docs/ceremony.md says so.
/// <para>
/// A signal handler discards on another thread while the ceremony goes on, so every write happens inside
/// <see cref="Write{T}"/>, under the lock <see cref="Discard"/> takes: a file is either written and recorded before a
/// discard (and then deleted by it) or never written at all. Once a discard has begun the registry is closed for good.
/// </para>
/// </summary>
internal sealed class CeremonyFiles(string dir)
{
    /// <summary>File name patterns a ceremony writes; the output folder must hold none of them at the start.</summary>
    public static readonly string[] Patterns =
        ["signer-key-*.kvk", "signer-key-*.pdf", "share-*.txt", "share-*.pdf", "drill-report.json", "transcript.json", "transcript.md"];

    private readonly object _lock = new();
    private readonly List<(string Path, string Role, int? Share)> _written = [];
    private State _state = State.Open;

    private enum State { Open, Discarded, Complete }

    /// <summary>The output folder.</summary>
    public string Dir { get; } = dir;

    /// <summary>Fails unless the folder exists and holds no file a ceremony writes.</summary>
    public static void Precheck(string dir)
    {
        if (!Directory.Exists(dir)) throw CeremonyError.OutDirMissing(dir);
        var clashes = Patterns.SelectMany(p => Directory.EnumerateFileSystemEntries(dir, p)).Select(Path.GetFileName).OfType<string>()
            .Order(StringComparer.Ordinal).ToList();
        if (clashes.Count > 0) throw CeremonyError.OutDirHoldsCeremonyFiles(dir, clashes);
    }

    /// <summary>The full path of a file in the output folder.</summary>
    public string PathOf(string name) => Path.Combine(Dir, name);

    /// <summary>
    /// Runs <paramref name="write"/> and records the files <paramref name="files"/> names in its result, both under the lock
    /// <see cref="Discard"/> takes. Throws the ceremony's interruption (writing nothing) once a discard has begun.
    /// </summary>
    public T Write<T>(Func<T> write, Func<T, IEnumerable<(string Path, string Role, int? Share)>> files)
    {
        lock (_lock)
        {
            if (_state != State.Open) throw CeremonyError.Interrupted();
            var result = write();
            _written.AddRange(files(result));
            return result;
        }
    }

    /// <summary>Runs <paramref name="write"/>, which creates <paramref name="path"/>, and records it (see <see cref="Write{T}"/>).</summary>
    public void Write(string path, string role, Action write) =>
        Write(() => { write(); return path; }, p => [(p, role, null)]);

    /// <summary>
    /// Marks the ceremony complete: a later <see cref="Discard"/> keeps every file. False when a discard came first.
    /// </summary>
    public bool Complete()
    {
        lock (_lock)
        {
            if (_state == State.Discarded) return false;
            _state = State.Complete;
            return true;
        }
    }

    /// <summary>Name, role, size and SHA-256 of every file written, in the order written.</summary>
    public IReadOnlyList<TranscriptFile> Describe()
    {
        lock (_lock)
        {
            return _written.Select(w =>
            {
                var bytes = File.ReadAllBytes(w.Path);
                try
                {
                    return new TranscriptFile(Path.GetFileName(w.Path), w.Role, w.Share, bytes.LongLength, Convert.ToHexStringLower(SHA256.HashData(bytes)));
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
            return chosen.Where(w => Shred(w.Path)).Select(w => Path.GetFileName(w.Path)).ToList();
        }
    }

    /// <summary>
    /// Overwrites and deletes every file written so far (and stray temporary files), and refuses every later write;
    /// returns the names deleted, or null (deleting nothing) when the ceremony was already complete.
    /// </summary>
    public IReadOnlyList<string>? Discard()
    {
        lock (_lock)
        {
            if (_state == State.Complete) return null;
            _state = State.Discarded;
            var deleted = new List<string>();
            foreach (var (path, _, _) in _written)
                if (Shred(path)) deleted.Add(Path.GetFileName(path));
            _written.Clear();
            // An atomic write interrupted by a signal leaves ".<name>.<random>.tmp" beside its target.
            try
            {
                foreach (var pattern in Patterns)
                    foreach (var temp in Directory.EnumerateFiles(Dir, "." + pattern + ".*.tmp"))
                        Shred(temp);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
            return deleted;
        }
    }

    private static bool Shred(string path)
    {
        try
        {
            if (!File.Exists(path)) return false;
            using (var fs = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.None))
            {
                var zeros = new byte[64 * 1024];
                for (long left = fs.Length; left > 0; left -= zeros.Length)
                    fs.Write(zeros, 0, (int)Math.Min(left, zeros.Length));
                fs.Flush(flushToDisk: true);
            }
            File.Delete(path);
            return true;
        }
        catch (IOException)
        {
            return TryDelete(path);
        }
        catch (UnauthorizedAccessException)
        {
            return TryDelete(path);
        }
    }

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }
}
