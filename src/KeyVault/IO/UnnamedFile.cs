using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace KeyVault.IO;

/// <summary>
/// A file that has no name until it is complete: on Linux, an inode created with O_TMPFILE in the target folder
/// (mode 0600), written, flushed to disk and only then given its name with linkat. A process killed before the link
/// leaves nothing under any name: the kernel frees the inode with the last descriptor.
/// <see cref="TryCreate"/> returns null where the kernel or the file system refuses O_TMPFILE (FAT, some network and
/// FUSE file systems, other systems); the caller then writes a named hidden temporary as before. A folder that refused
/// once is remembered for the rest of the run, so every later file there takes the named path without asking again.
/// </summary>
internal sealed partial class UnnamedFile : IDisposable
{
    private readonly SafeFileHandle _handle;
    private readonly int _fd;
    private long _length;

    private UnnamedFile(int fd)
    {
        _fd = fd;
        _handle = new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>True when this process creates secret files unnamed where the file system allows it.</summary>
    public static bool Supported { get; } =
        OperatingSystem.IsLinux()
        && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64
        && Directory.Exists("/proc/self/fd");

    // x86_64 and aarch64: O_TMPFILE = __O_TMPFILE (020000000) | O_DIRECTORY (0200000); O_RDWR = 2; O_CLOEXEC = 02000000.
    private const int OTmpFileReadWrite = 0x410000 | 0x2 | 0x80000;
    private const int AtFdCwd = -100;
    private const int AtSymlinkFollow = 0x400;
    private const int EExist = 17;
    private const int EIntr = 4;
    private const int EIsDir = 21;
    private const int EInval = 22;
    private const int EOpNotSupp = 95;

    // Folders whose file system refused O_TMPFILE in this run: every later file there takes the named path at once,
    // rather than asking the kernel again for each file of a set (a FAT stick refuses every time).
    private static readonly ConcurrentDictionary<string, bool> RefusedFolders = new(StringComparer.Ordinal);

    /// <summary>
    /// Creates an unnamed 0600 file in <paramref name="dir"/>, or returns null when O_TMPFILE is not available there
    /// (EOPNOTSUPP, EISDIR, EINVAL from the file system, or any other refusal: the named path then reports it).
    /// </summary>
    public static UnnamedFile? TryCreate(string dir)
    {
        if (!Supported) return null;
        var folder = Path.GetFullPath(dir);
        if (RefusedFolders.ContainsKey(folder)) return null;
        int fd;
        int errno;
        do
        {
            fd = Native.open(dir, OTmpFileReadWrite, 0x180 /* 0600 */);
            errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        }
        while (fd < 0 && errno == EIntr);
        if (fd >= 0) return new UnnamedFile(fd);
        if (errno is EOpNotSupp or EIsDir or EInval) RememberRefusal(folder);
        return null;
    }

    /// <summary>True when the file system of <paramref name="dir"/> refused O_TMPFILE earlier in this run.</summary>
    internal static bool Refused(string dir) => RefusedFolders.ContainsKey(Path.GetFullPath(dir));

    /// <summary>Records that <paramref name="dir"/> refuses O_TMPFILE, so the rest of the run writes there named.</summary>
    internal static void RememberRefusal(string dir) => RefusedFolders[Path.GetFullPath(dir)] = true;

    /// <summary>Writes <paramref name="content"/> as the whole file and flushes it to disk.</summary>
    public void WriteAll(ReadOnlySpan<byte> content)
    {
        RandomAccess.Write(_handle, content, 0);
        _length = content.Length;
        Sync();
    }

    /// <summary>True when the file holds exactly <paramref name="expected"/>; the bytes read are wiped.</summary>
    public bool ReadsBack(ReadOnlySpan<byte> expected)
    {
        var back = ReadAll();
        try
        {
            return back.AsSpan().SequenceEqual(expected);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(back);
        }
    }

    /// <summary>The file's bytes; the caller wipes them.</summary>
    public byte[] ReadAll()
    {
        var back = new byte[RandomAccess.GetLength(_handle)];
        int read = 0;
        while (read < back.Length)
        {
            int n = RandomAccess.Read(_handle, back.AsSpan(read), read);
            if (n == 0) break;
            read += n;
        }
        return read == back.Length ? back : back[..read];
    }

    /// <summary>Makes the file readable by everyone (0644): for a file that holds nothing secret.</summary>
    public void MakePublic()
    {
        if (Native.fchmod(_fd, 0x1A4 /* 0644 */) != 0)
            throw new IOException($"could not change the file's mode (errno {Marshal.GetLastPInvokeError()})");
    }

    /// <summary>
    /// Gives the file the name <paramref name="target"/>, never replacing an existing file (an existing name throws an
    /// <see cref="IOException"/> with <see cref="Exception.HResult"/> 17, EEXIST).
    /// </summary>
    public void LinkTo(string target)
    {
        int rc;
        do rc = Native.linkat(AtFdCwd, $"/proc/self/fd/{_fd}", AtFdCwd, target, AtSymlinkFollow);
        while (rc != 0 && Marshal.GetLastPInvokeError() == EIntr);
        if (rc == 0) return;
        int errno = Marshal.GetLastPInvokeError();
        throw new IOException(errno == EExist ? "exists" : $"could not name the file (errno {errno})", errno);
    }

    /// <summary>
    /// Puts the file in place of <paramref name="target"/>, which may exist: linked under the hidden name
    /// <paramref name="hidden"/>, then renamed over <paramref name="target"/> with the very next system call. Linux has
    /// no call that names an unnamed file over an existing name (linkat never replaces, and renameat2 needs a source
    /// name), so a kill between the two calls leaves the complete file under <paramref name="hidden"/>.
    /// </summary>
    public void LinkReplacing(string hidden, string target)
    {
        LinkTo(hidden);
        int rc;
        do rc = Native.rename(hidden, target);
        while (rc != 0 && Marshal.GetLastPInvokeError() == EIntr);
        if (rc == 0) return;
        int errno = Marshal.GetLastPInvokeError();
        if (errno is 1 or 13) throw new UnauthorizedAccessException($"could not replace the file (errno {errno})");
        throw new IOException($"could not replace the file (errno {errno})", errno);
    }

    /// <summary>Overwrites the content with zeros and flushes it, for a file that will not be named after all.</summary>
    public void Zero()
    {
        try
        {
            var zeros = new byte[64 * 1024];
            for (long at = 0; at < _length; at += zeros.Length)
                RandomAccess.Write(_handle, zeros.AsSpan(0, (int)Math.Min(zeros.Length, _length - at)), at);
            Sync();
        }
        catch (IOException) { }
    }

    private void Sync()
    {
        if (Native.fsync(_fd) != 0)
            throw new IOException($"could not flush the file to disk (errno {Marshal.GetLastPInvokeError()})");
    }

    /// <summary>Closes the descriptor; an unnamed file is then gone.</summary>
    public void Dispose() => _handle.Dispose();

    private static partial class Native
    {
        [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int open(string path, int flags, int mode);

        [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int linkat(int olddirfd, string oldpath, int newdirfd, string newpath, int flags);

        [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int rename(string oldpath, string newpath);

        [LibraryImport("libc", SetLastError = true)]
        internal static partial int fsync(int fd);

        [LibraryImport("libc", SetLastError = true)]
        internal static partial int fchmod(int fd, int mode);
    }
}
