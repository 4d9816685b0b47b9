using System.Security.Cryptography;
using KeyVault.Errors;

namespace KeyVault.IO;

/// <summary>
/// Writes files that hold secrets: created new with mode 0600, written to a temporary file in the same folder,
/// flushed to disk and renamed into place, so a failed run leaves either nothing or the complete file.
/// </summary>
public static partial class AtomicFile
{
    /// <summary>
    /// Writes <paramref name="content"/> to <paramref name="path"/>. Refuses an existing path unless
    /// <paramref name="overwrite"/>; the replacement is still atomic then.
    /// </summary>
    public static void Write(string path, ReadOnlySpan<byte> content, bool overwrite = false)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full) ?? throw new ArgumentException("path has no folder", nameof(path));
        if (!Directory.Exists(dir))
            throw new KeyVaultException(ErrorKind.OutputFailure, $"the folder {dir} does not exist", "create it first, or choose another place",
                code: ErrorCodes.OutputFolderMissing);
        if (!overwrite && (File.Exists(full) || Directory.Exists(full)))
            throw Exists(full);

        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.tmp");
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
            if (overwrite)
                File.Move(temp, full, overwrite: true);
            else
                MoveNoReplace(temp, full);
        }
        catch (IOException ex)
        {
            TryDelete(temp);
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
    }

    /// <summary>True when <paramref name="fileName"/> is the temporary name a write of <paramref name="target"/> uses: ".TARGET.12HEX.tmp".</summary>
    public static bool IsTemporaryOf(string fileName, string target)
    {
        var prefix = "." + target + ".";
        if (!fileName.StartsWith(prefix, StringComparison.Ordinal) || !fileName.EndsWith(".tmp", StringComparison.Ordinal)) return false;
        var middle = fileName.AsSpan(prefix.Length, fileName.Length - prefix.Length - 4);
        return middle.Length == 12 && !middle.ContainsAnyExcept("0123456789abcdef");
    }

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

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static KeyVaultException Exists(string full) => new(ErrorKind.OutputFailure,
        $"{full} already exists; refusing to overwrite it", "choose another name or move the existing file away",
        code: ErrorCodes.OutputExists);

    private static partial class Native
    {
        [System.Runtime.InteropServices.LibraryImport("libc", SetLastError = true, StringMarshalling = System.Runtime.InteropServices.StringMarshalling.Utf8)]
        internal static partial int link(string oldpath, string newpath);
    }
}
