using System.Security.Cryptography;
using KeyVault.Errors;

namespace KeyVault.IO;

/// <summary>
/// Writes files that hold secrets: created new with mode 0600, written to a temporary file in the same folder,
/// flushed to disk and renamed into place, so a failed run leaves either nothing or the complete file.
/// </summary>
internal static partial class AtomicFile
{
    /// <summary>
    /// Writes <paramref name="content"/> to <paramref name="path"/>. Refuses an existing path unless
    /// <paramref name="overwrite"/>; the replacement is still atomic then.
    /// </summary>
    public static void Write(string path, ReadOnlySpan<byte> content, bool overwrite = false)
    {
        lock (Gate)
        {
            if (_abandoned) throw FileSet.Interrupted();
            WriteLocked(path, content, overwrite, scratch: false);
            CompletedPaths.Add(Path.GetFullPath(path));
        }
    }

    /// <summary>
    /// Makes a file that holds nothing secret (a manifest) readable by everyone: mode 0644. Files are always created
    /// 0600 first, so a secret is never readable by others even for a moment.
    /// </summary>
    public static void MakePublic(string path)
    {
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }

    /// <summary>
    /// Writes <paramref name="content"/> as the new file <paramref name="path"/> (as <see cref="Write"/>, never replacing)
    /// and reads it back; a file that reads back differently is overwritten and deleted, and the write fails.
    /// </summary>
    public static void WriteVerified(string path, ReadOnlySpan<byte> content)
    {
        Write(path, content);
        if (ReadsBack(path, content)) return;
        Shred(path);
        throw ReadBackFailed(path);
    }

    /// <summary>
    /// Replaces <paramref name="path"/>: the new content goes to the sibling ".NAME.new-PID" (0600, atomic), is read back
    /// and compared, and only then renamed over the old file, so at every moment the old or the new complete file is in
    /// place. A signal handler calling <see cref="AbandonInFlight"/> waits for a replacement under way to finish.
    /// </summary>
    public static void Replace(string path, ReadOnlySpan<byte> content)
    {
        var full = Path.GetFullPath(path);
        var sibling = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.new-{Environment.ProcessId}");
        lock (Gate)
        {
            if (_abandoned) throw FileSet.Interrupted();
            using (var unnamed = UnnamedFile.TryCreate(Path.GetDirectoryName(full)!))
                if (unnamed is not null)
                {
                    ReplaceUnnamed(unnamed, sibling, full, content);
                    return;
                }
            try
            {
                WriteLocked(sibling, content, overwrite: false, scratch: true);
                if (!ReadsBack(sibling, content)) throw ReadBackFailed(sibling);
                File.Move(sibling, full, overwrite: true);
                CompletedPaths.Add(full);
            }
            finally
            {
                TryDelete(sibling);
                InFlight.Remove(sibling);
            }
        }
    }

    // The new content is written and read back while it has no name; only the rename over the old file needs the
    // sibling name, for the microseconds between the link and the rename.
    private static void ReplaceUnnamed(UnnamedFile unnamed, string sibling, string full, ReadOnlySpan<byte> content)
    {
        try
        {
            unnamed.WriteAll(content);
            if (!unnamed.ReadsBack(content)) throw ReadBackFailed(full);
            InFlight.Add(sibling);
            unnamed.LinkReplacing(sibling, full);
            CompletedPaths.Add(full);
        }
        catch (IOException ex)
        {
            throw new KeyVaultException(ErrorKind.OutputFailure, $"could not write {full}: {ex.Message}", "check the folder is writable and has space", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new KeyVaultException(ErrorKind.OutputFailure, $"not allowed to write in {Path.GetDirectoryName(full)}", "choose a folder you can write to", ex);
        }
        finally
        {
            TryDelete(sibling);
            InFlight.Remove(sibling);
        }
    }

    /// <summary>
    /// Removes what a killed <see cref="Replace"/> of <paramref name="path"/> left (".NAME.new-PID" and its temporary
    /// "..NAME.new-PID.12HEX.tmp"); returns the names removed. Call it only while holding the file's lock
    /// (<see cref="LockedFile"/>), so no live replacement is touched.
    /// </summary>
    public static IReadOnlyList<string> RemoveStaleReplacements(string path)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        var prefix = $".{Path.GetFileName(full)}.new-";
        static bool IsPid(ReadOnlySpan<char> s) => s.Length > 0 && !s.ContainsAnyExceptInRange('0', '9');
        var removed = new List<string>();
        foreach (var name in Directory.EnumerateFiles(dir, prefix + "*").Select(Path.GetFileName).OfType<string>())
            if (IsPid(name.AsSpan(prefix.Length)) && Shred(Path.Combine(dir, name))) removed.Add(name);
        foreach (var temp in Directory.EnumerateFiles(dir, "." + prefix + "*.tmp").Select(Path.GetFileName).OfType<string>())
        {
            var sibling = temp[1..temp.LastIndexOf('.', temp.Length - 5)];
            if (IsPid(sibling.AsSpan(prefix.Length)) && IsTemporaryOf(temp, sibling)
                && RemoveStaleTemporary(Path.Combine(dir, temp), Path.Combine(dir, sibling), full)) removed.Add(temp);
        }
        return removed;
    }

    /// <summary>
    /// For a signal handler: removes every temporary and scratch file a write of this process has in flight (holding
    /// secrets, under names nobody else would clean), waits for a write under way to finish first, and makes every
    /// later write fail. Returns the names removed.
    /// </summary>
    public static IReadOnlyList<string> AbandonInFlight()
    {
        lock (Gate)
        {
            _abandoned = true;
            var removed = new List<string>();
            foreach (var path in InFlight)
                if (Shred(path)) removed.Add(Path.GetFileName(path));
            InFlight.Clear();
            return removed;
        }
    }

    /// <summary>Full paths this process has written or replaced so far, in order (a signal handler reports them as kept).</summary>
    public static IReadOnlyList<string> Completed
    {
        get { lock (Gate) return [.. CompletedPaths]; }
    }

    private static readonly List<string> CompletedPaths = [];

    // One gate for every write of the process: a signal handler that abandons the writes waits for the write under
    // way, so it never deletes a temporary that is renamed a moment later.
    private static readonly object Gate = new();
    private static readonly HashSet<string> InFlight = new(StringComparer.Ordinal);
    private static bool _abandoned;

    private static void WriteLocked(string path, ReadOnlySpan<byte> content, bool overwrite, bool scratch)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full) ?? throw new ArgumentException("path has no folder", nameof(path));
        if (!Directory.Exists(dir))
            throw new KeyVaultException(ErrorKind.OutputFailure, $"the folder {dir} does not exist", "create it first, or choose another place",
                code: ErrorCodes.OutputFolderMissing);
        if (!overwrite && (File.Exists(full) || Directory.Exists(full)))
            throw Exists(full);

        using (var unnamed = UnnamedFile.TryCreate(dir))
            if (unnamed is not null)
            {
                WriteUnnamed(unnamed, full, content, overwrite);
                return;
            }

        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.tmp");
        InFlight.Add(temp);
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                Options = FileOptions.WriteThrough,
            };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var fs = new FileStream(temp, options))
            {
                fs.Write(content);
                fs.Flush(flushToDisk: true);
            }
            if (scratch) InFlight.Add(full);
            if (overwrite)
                File.Move(temp, full, overwrite: true);
            else
                MoveNoReplace(temp, full);
        }
        catch (IOException ex)
        {
            TryDelete(temp);
            if (scratch) InFlight.Remove(full);
            if (!overwrite && File.Exists(full)) throw Exists(full);
            throw new KeyVaultException(ErrorKind.OutputFailure, $"could not write {full}: {ex.Message}", "check the folder is writable and has space", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            TryDelete(temp);
            throw new KeyVaultException(ErrorKind.OutputFailure, $"not allowed to write in {dir}", "choose a folder you can write to", ex);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
        finally
        {
            InFlight.Remove(temp);
        }
    }

    // A new file is named by linkat, which never replaces: no temporary name at all. A replacement (--force) needs a
    // rename, so the complete file is linked under a hidden temporary name just before it is renamed over the old one.
    private static void WriteUnnamed(UnnamedFile unnamed, string full, ReadOnlySpan<byte> content, bool overwrite)
    {
        string? temp = null;
        try
        {
            unnamed.WriteAll(content);
            if (!overwrite)
            {
                unnamed.LinkTo(full);
                return;
            }
            temp = TemporaryBeside(full);
            InFlight.Add(temp);
            unnamed.LinkReplacing(temp, full);
        }
        catch (IOException ex) when (!overwrite && (ex.HResult == 17 || File.Exists(full)))
        {
            throw Exists(full);
        }
        catch (IOException ex)
        {
            throw new KeyVaultException(ErrorKind.OutputFailure, $"could not write {full}: {ex.Message}", "check the folder is writable and has space", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new KeyVaultException(ErrorKind.OutputFailure, $"not allowed to write in {Path.GetDirectoryName(full)}", "choose a folder you can write to", ex);
        }
        finally
        {
            if (temp is not null)
            {
                TryDelete(temp);
                InFlight.Remove(temp);
            }
        }
    }

    private static string TemporaryBeside(string full) =>
        Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.tmp");

    /// <summary>
    /// Writes <paramref name="content"/> to a new file beside <paramref name="path"/> that has no name yet (Linux,
    /// O_TMPFILE) or, where the file system refuses that, a hidden named temporary (".NAME.12HEX.tmp", 0600), flushed
    /// to disk either way; <see cref="StagedFile.Publish"/> later gives it its name. A run killed before then leaves
    /// nothing under a name, or (named path) only names <see cref="IsTemporaryOf"/> recognises.
    /// </summary>
    public static StagedFile Stage(string path, ReadOnlySpan<byte> content)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full) ?? throw new ArgumentException("path has no folder", nameof(path));
        lock (Gate)
        {
            if (_abandoned) throw FileSet.Interrupted();
            var unnamed = UnnamedFile.TryCreate(dir);
            if (unnamed is null) return new StagedFile(WriteTemporary(path, content));
            try
            {
                unnamed.WriteAll(content);
                return new StagedFile(unnamed);
            }
            catch (IOException ex)
            {
                unnamed.Dispose();
                throw new KeyVaultException(ErrorKind.OutputFailure, $"could not write {full}: {ex.Message}", "check the folder is writable and has space", ex);
            }
            catch
            {
                unnamed.Dispose();
                throw;
            }
        }
    }

    /// <summary>
    /// Writes <paramref name="content"/> to a new hidden temporary beside <paramref name="path"/> (".NAME.12HEX.tmp",
    /// 0600, flushed to disk) and returns the temporary's path; <see cref="Publish"/> later gives it its name. A set of
    /// files written this way and published together leaves, when killed before the end, only names
    /// <see cref="IsTemporaryOf"/> recognises.
    /// </summary>
    internal static string WriteTemporary(string path, ReadOnlySpan<byte> content)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full) ?? throw new ArgumentException("path has no folder", nameof(path));
        var temp = TemporaryBeside(full);
        lock (Gate)
        {
            if (_abandoned) throw FileSet.Interrupted();
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, Options = FileOptions.WriteThrough };
                if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                using var fs = new FileStream(temp, options);
                fs.Write(content);
                fs.Flush(flushToDisk: true);
                return temp;
            }
            catch (IOException ex)
            {
                TryDelete(temp);
                throw new KeyVaultException(ErrorKind.OutputFailure, $"could not write {full}: {ex.Message}", "check the folder is writable and has space", ex);
            }
            catch (UnauthorizedAccessException ex)
            {
                TryDelete(temp);
                throw new KeyVaultException(ErrorKind.OutputFailure, $"not allowed to write in {dir}", "choose a folder you can write to", ex);
            }
        }
    }

    /// <summary>Gives a temporary from <see cref="WriteTemporary"/> its final name, never replacing an existing file.</summary>
    internal static void Publish(string temp, string path)
    {
        var full = Path.GetFullPath(path);
        try
        {
            MoveNoReplace(temp, full);
        }
        catch (IOException) when (File.Exists(full))
        {
            throw Exists(full);
        }
    }

    /// <summary>True when <paramref name="fileName"/> is the temporary name a write of <paramref name="target"/> uses: ".TARGET.12HEX.tmp".</summary>
    public static bool IsTemporaryOf(string fileName, string target)
    {
        var prefix = "." + target + ".";
        if (!fileName.StartsWith(prefix, StringComparison.Ordinal) || !fileName.EndsWith(".tmp", StringComparison.Ordinal)) return false;
        var middle = fileName.AsSpan(prefix.Length, fileName.Length - prefix.Length - 4);
        return middle.Length == 12 && !middle.ContainsAnyExcept("0123456789abcdef");
    }

    /// <summary>True when <paramref name="path"/> holds exactly <paramref name="expected"/>; the bytes read are wiped.</summary>
    internal static bool ReadsBack(string path, ReadOnlySpan<byte> expected)
    {
        var back = File.ReadAllBytes(path);
        try
        {
            return back.AsSpan().SequenceEqual(expected);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(back);
        }
    }

    /// <summary>The error of a file that read back differently from what was written.</summary>
    internal static KeyVaultException ReadBackFailed(string path) => new(ErrorKind.OutputFailure,
        $"{path} read back differently from what was written", "the storage device may be failing; write to another device");

    /// <summary>Fails with the standard "already exists" error when <paramref name="path"/> exists.</summary>
    public static void RequireAbsent(string path, bool overwrite)
    {
        var full = Path.GetFullPath(path);
        if (!overwrite && (File.Exists(full) || Directory.Exists(full))) throw Exists(full);
    }

    // A hard link fails if the target exists, so a file created meanwhile by someone else is never replaced.
    private static void MoveNoReplace(string temp, string target)
    {
        if (OperatingSystem.IsWindows())
        {
            File.Move(temp, target, overwrite: false);
            return;
        }
        if (Native.link(temp, target) != 0)
        {
            int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            if (errno == 17 /* EEXIST */) throw new IOException("exists");
            // File systems without hard links (some FAT/exFAT USB sticks): fall back to a checked rename.
            if (File.Exists(target)) throw new IOException("exists");
            File.Move(temp, target, overwrite: false);
            return;
        }
        File.Delete(temp);
    }

    /// <summary>
    /// Removes a temporary left by a killed run. A write publishes its temporary by linking (or renaming) it to the final
    /// name and then deletes the temporary, so a run killed between the two leaves the temporary as a second name of the
    /// published file: zeroing it would zero that file. When one of <paramref name="published"/> holds the same bytes,
    /// the temporary is only deleted (its data lives on under the published name anyway); otherwise it is shredded.
    /// </summary>
    internal static bool RemoveStaleTemporary(string temp, params string[] published)
    {
        if (!File.Exists(temp)) return false;
        bool shared = false;
        try
        {
            var bytes = File.ReadAllBytes(temp);
            try
            {
                shared = published.Any(p => File.Exists(p) && new FileInfo(p).Length == bytes.Length && ReadsBack(p, bytes));
            }
            finally
            {
                CryptographicOperations.ZeroMemory(bytes);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            shared = true; // unreadable: never risk zeroing a published file, only delete the name
        }
        if (!shared) return Shred(temp);
        TryDelete(temp);
        return !File.Exists(temp);
    }

    /// <summary>
    /// The one way files that held secrets are removed (temporaries, a discarded file set, a finished restore session):
    /// overwritten with zeros, flushed to disk, then deleted; a file that cannot be overwritten is still deleted. True
    /// when the file existed and is gone. A device that remaps blocks may keep old copies (docs/threat-model.md).
    /// </summary>
    internal static bool Shred(string path)
    {
        if (!File.Exists(path)) return false;
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.None);
            var zeros = new byte[64 * 1024];
            for (long left = fs.Length; left > 0; left -= zeros.Length)
                fs.Write(zeros, 0, (int)Math.Min(left, zeros.Length));
            fs.Flush(flushToDisk: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        TryDelete(path);
        return !File.Exists(path);
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    internal static KeyVaultException Exists(string full) => new(ErrorKind.OutputFailure,
        $"{full} already exists; refusing to overwrite it", "choose another name or move the existing file away",
        code: ErrorCodes.OutputExists, facts: ErrorFacts.Of((ErrorFacts.Source, full)));

    private static partial class Native
    {
        [System.Runtime.InteropServices.LibraryImport("libc", SetLastError = true, StringMarshalling = System.Runtime.InteropServices.StringMarshalling.Utf8)]
        internal static partial int link(string oldpath, string newpath);
    }
}
