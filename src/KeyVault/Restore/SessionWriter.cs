using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace KeyVault.Restore;

/// <summary>The points of a session write at which a crash can happen; tests inject a failure at each.</summary>
internal enum SessionWriteStep
{
    /// <summary>The temporary file exists and is empty.</summary>
    TempCreated,
    /// <summary>The new content is written to the temporary file but not flushed.</summary>
    TempWritten,
    /// <summary>The temporary file is flushed to disk; the old session file is still in place.</summary>
    TempSynced,
    /// <summary>The temporary file has replaced the session file; the folder is not yet flushed.</summary>
    Renamed,
}

/// <summary>Thrown by a test's fault injector: a simulated crash, which (like SIGKILL) runs no clean-up.</summary>
internal sealed class SimulatedCrashException(SessionWriteStep step) : Exception($"simulated crash at {step}")
{
    public SessionWriteStep Step { get; } = step;
}

/// <summary>
/// Replaces a session file atomically: new file (0600) in the same folder, write, fsync, rename over the old file,
/// fsync the folder. At every point either the old or the new file is complete under the session file's name, so a
/// crash never loses a share that an earlier write saved. Where the file system takes O_TMPFILE
/// (<see cref="IO.UnnamedFile"/>) the new file has no name while it is written and flushed, and is linked under its
/// temporary name only for the rename, by the very next system call; elsewhere it is a named temporary throughout.
/// <para>
/// The first session file is written with the rest of <c>restore start</c>'s files as one <see cref="IO.FileSet"/>.
/// Every later save goes through here instead, because it is what a file set never does: it replaces a file that
/// exists, only if that file still holds the bytes this process last wrote (another <c>restore add</c> may have
/// saved meanwhile), and tests inject a crash between its steps. Its temporaries carry the file set's names
/// (".session-file.12HEX.tmp"), so one clean-up (<see cref="IO.FileSet.RemoveTemporaries(string, IEnumerable{string})"/>) serves both.
/// </para>
/// </summary>
internal sealed partial class SessionWriter(string directory, Action<SessionWriteStep>? fault = null)
{
    public const string TempPrefix = "." + RestoreSessionFormat.FileName + ".";
    public const string TempSuffix = ".tmp";

    public string Directory { get; } = directory;

    public string SessionPath => Path.Combine(Directory, RestoreSessionFormat.FileName);

    /// <summary>
    /// Writes <paramref name="content"/> as the session file. When <paramref name="expected"/> is given, the file
    /// currently in place must still hold exactly those bytes (another process has not changed it meanwhile).
    /// </summary>
    public void Replace(ReadOnlySpan<byte> content, byte[]? expected)
    {
        var temp = Path.Combine(Directory, TempPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)) + TempSuffix);
        using (var unnamed = IO.UnnamedFile.TryCreate(Directory))
            if (unnamed is not null)
            {
                ReplaceUnnamed(unnamed, temp, content, expected);
                return;
            }
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var fs = new FileStream(temp, options))
            {
                fault?.Invoke(SessionWriteStep.TempCreated);
                fs.Write(content);
                fault?.Invoke(SessionWriteStep.TempWritten);
                fs.Flush(flushToDisk: true);
            }
            fault?.Invoke(SessionWriteStep.TempSynced);
            if (expected is not null && !CurrentIs(expected)) throw RestoreError.ChangedMeanwhile();
            File.Move(temp, SessionPath, overwrite: true);
            fault?.Invoke(SessionWriteStep.Renamed);
            SyncDirectory(Directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw RestoreError.WriteFailed(SessionPath, ex.Message, ex);
        }
        catch (Errors.KeyVaultException)
        {
            TryDelete(temp);
            throw;
        }
    }

    private void ReplaceUnnamed(IO.UnnamedFile unnamed, string temp, ReadOnlySpan<byte> content, byte[]? expected)
    {
        try
        {
            fault?.Invoke(SessionWriteStep.TempCreated);
            unnamed.WriteAll(content);
            fault?.Invoke(SessionWriteStep.TempWritten);
            fault?.Invoke(SessionWriteStep.TempSynced);
            if (expected is not null && !CurrentIs(expected)) throw RestoreError.ChangedMeanwhile();
            unnamed.LinkReplacing(temp, SessionPath);
            fault?.Invoke(SessionWriteStep.Renamed);
            SyncDirectory(Directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Only a failed rename leaves the temporary name: the file was linked but not put in place.
            TryDelete(temp);
            throw RestoreError.WriteFailed(SessionPath, ex.Message, ex);
        }
    }

    /// <summary>
    /// Deletes temporary files a killed write left behind (they hold only ciphertext, but the shares in it); returns
    /// their names.
    /// </summary>
    public IReadOnlyList<string> RemoveStaleTemps() => IO.FileSet.RemoveTemporaries(Directory, [RestoreSessionFormat.FileName]);

    private bool CurrentIs(byte[] expected)
    {
        try
        {
            return File.ReadAllBytes(SessionPath).AsSpan().SequenceEqual(expected);
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Makes the rename itself durable: on Linux a rename is on disk only once its folder is flushed.</summary>
    internal static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows()) return;
        int fd = Native.open(directory, 0 /* O_RDONLY */);
        if (fd < 0) return;
        try
        {
            _ = Native.fsync(fd);
        }
        finally
        {
            _ = Native.close(fd);
        }
    }

    internal static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static partial class Native
    {
        [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int open(string path, int flags);

        [LibraryImport("libc", SetLastError = true)]
        internal static partial int fsync(int fd);

        [LibraryImport("libc", SetLastError = true)]
        internal static partial int close(int fd);
    }
}
